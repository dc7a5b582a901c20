"""Session-wide test plumbing: no network, cassettes, and the local OpenAI-compatible server.

- Tests never touch the network: any connection or name lookup for a host other than
  127.0.0.1 / localhost / ::1 fails loudly. The one exception is ``make record`` with
  ``OPENAI_API_KEY`` set, which may reach that endpoint's host (and only that host).
- LLM traffic is replayed from ``cassettes/`` by vcrpy (pytest-recording), record mode
  ``none`` unless ``--record-mode`` says otherwise, so an unrecorded request fails.
- No key, Authorization header or cookie is ever written to a cassette.
"""

from __future__ import annotations

import ipaddress
import json
import os
import re
import socket
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest
from support.openai_server import OpenAIServer
from typer.testing import CliRunner

from briefer.models import Article, Brief

REPO = Path(__file__).resolve().parent.parent
CASSETTES = REPO / "cassettes"
LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
RECORDING_MODES = frozenset({"once", "new_episodes", "all", "rewrite"})
# Request headers that carry credentials or identify an account: never recorded.
SECRET_REQUEST_HEADERS = ("authorization", "api-key", "openai-organization", "openai-project", "cookie")
# Response headers that identify the account or set cookies: dropped before recording.
SECRET_RESPONSE_HEADERS = frozenset({"set-cookie", "openai-organization", "openai-project"})


# ---------------------------------------------------------------------------------------------
# The no-network guard


class NetworkBlockedError(RuntimeError):
    """Not an OSError on purpose: HTTP clients must not mistake it for a flaky connection and retry."""


BLOCKED_ATTEMPTS: list[str] = []
_allowed_hosts: set[str] = set(LOCAL_HOSTS)


def _is_allowed(host: object) -> bool:
    if not isinstance(host, str):
        return True  # AF_UNIX paths (bytes/str), socketpairs: not the network
    host = host.strip("[]").lower()
    if host in _allowed_hosts:
        return True
    try:
        return ipaddress.ip_address(host.split("%")[0]).is_loopback
    except ValueError:
        return False


def _refuse(what: str) -> NetworkBlockedError:
    message = (
        f"tests must not use the network, but something tried to {what}; replay it from a cassette "
        "(@pytest.mark.vcr) or use the openai_server fixture"
    )
    BLOCKED_ATTEMPTS.append(message)
    return NetworkBlockedError(message)


def _guard_connect(original: Callable[..., Any]) -> Callable[..., Any]:
    def connect(self: socket.socket, address: Any) -> Any:
        host = address[0] if isinstance(address, tuple) else address
        if self.family in (socket.AF_INET, socket.AF_INET6) and not _is_allowed(host):
            raise _refuse(f"connect to {address!r}")
        return original(self, address)

    return connect


def _guard_getaddrinfo(original: Callable[..., Any]) -> Callable[..., Any]:
    def getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        name = host.decode() if isinstance(host, bytes) else host
        if name is not None and not _is_allowed(name):
            raise _refuse(f"resolve {name!r}")
        return original(host, *args, **kwargs)

    return getaddrinfo


_ORIGINALS = {
    "connect": socket.socket.connect,
    "connect_ex": socket.socket.connect_ex,
    "getaddrinfo": socket.getaddrinfo,
}


def pytest_configure(config: pytest.Config) -> None:
    """Install the guard before any test module is imported."""
    key, record_mode = os.environ.get("OPENAI_API_KEY"), config.getoption("--record-mode", None)
    if key and record_mode in RECORDING_MODES:  # `make record` against a real endpoint
        _allowed_hosts.add(
            urlsplit(os.environ.get("OPENAI_BASE_URL") or "https://api.openai.com/v1").hostname or ""
        )
    socket.socket.connect = _guard_connect(_ORIGINALS["connect"])  # type: ignore[method-assign]
    socket.socket.connect_ex = _guard_connect(_ORIGINALS["connect_ex"])  # type: ignore[method-assign]
    socket.getaddrinfo = _guard_getaddrinfo(_ORIGINALS["getaddrinfo"])


def pytest_unconfigure(config: pytest.Config) -> None:
    socket.socket.connect = _ORIGINALS["connect"]  # type: ignore[method-assign]
    socket.socket.connect_ex = _ORIGINALS["connect_ex"]  # type: ignore[method-assign]
    socket.getaddrinfo = _ORIGINALS["getaddrinfo"]


@pytest.fixture(autouse=True)
def _no_network_attempts() -> Iterator[None]:
    """Fail the test even when the code under test swallowed the guard's exception."""
    BLOCKED_ATTEMPTS.clear()
    yield
    if BLOCKED_ATTEMPTS:
        pytest.fail(BLOCKED_ATTEMPTS[0], pytrace=False)


@pytest.fixture(autouse=True)
def _own_cache_dir(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> None:
    """Each test its own user cache directory, and no window learned before it: what a run remembers
    (a server's context window) never reaches another test, nor the developer's own directory."""
    import briefer.engines.llm.windows

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("xdg-cache")))
    monkeypatch.setattr(briefer.engines.llm.windows, "_LEARNED", {})


# ---------------------------------------------------------------------------------------------
# Cassettes (vcrpy through pytest-recording)


def _scrub_response(response: dict[str, Any]) -> dict[str, Any]:
    """vcrpy's ``filter_headers`` covers requests only; account headers and cookies come back in responses."""
    response["headers"] = {
        name: value
        for name, value in response["headers"].items()
        if name.lower() not in SECRET_RESPONSE_HEADERS
    }
    return response


def _body_but_boundary(r1: Any, r2: Any) -> None:
    """vcrpy's body matcher, except that a multipart upload (a Batch API input file) is compared
    without its boundary, which the HTTP client draws at random for every request."""
    from vcr.matchers import body, read_body

    boundaries = [re.search(r"boundary=([^;\s]+)", r.headers.get("content-type") or "") for r in (r1, r2)]
    if not all(boundaries):
        body(r1, r2)
        return
    b1, b2 = (
        read_body(r).replace(m.group(1).encode(), b"BOUNDARY")
        for r, m in zip((r1, r2), boundaries, strict=True)
    )
    if b1 != b2:
        raise AssertionError("multipart bodies differ beyond their boundary")


def pytest_recording_configure(config: pytest.Config, vcr: Any) -> None:
    vcr.register_matcher("body", _body_but_boundary)


@pytest.fixture(scope="module")
def vcr_cassette_dir() -> str:
    """One flat ``cassettes/`` directory at the top of the repo, as DESIGN.md lays out."""
    return str(CASSETTES)


@pytest.fixture
def vcr_config(record_mode: str) -> dict[str, Any]:
    """Replay by default; match on method, path and body because host and port differ between recordings."""
    return {
        "record_mode": record_mode,  # pytest-recording's --record-mode, "none" when not given
        "match_on": ("method", "path", "body"),
        "filter_headers": SECRET_REQUEST_HEADERS,
        "before_record_response": _scrub_response,
        "decode_compressed_response": True,
    }


@pytest.fixture
def replayed_fully(vcr: Any) -> Iterator[Any]:
    """The scenario's cassette; on replay, every recorded interaction must have been used."""
    yield vcr
    if vcr.record_mode == "none":
        assert vcr.all_played, f"{vcr._path}: briefer sent fewer requests than were recorded"


@pytest.fixture
def recording(record_mode: str) -> bool:
    """True when this run (re)records cassettes instead of replaying them."""
    return record_mode in RECORDING_MODES


# ---------------------------------------------------------------------------------------------
# LLM test fixtures


@pytest.fixture
def env_clean(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    """No OPENAI_* / BRIEFER_* variables, so a developer's key or settings never leak into a test."""
    for name in list(os.environ):
        if name.startswith(("OPENAI_", "BRIEFER_")):
            monkeypatch.delenv(name)
    return monkeypatch


@pytest.fixture
def openai_server() -> Iterator[OpenAIServer]:
    """A started local OpenAI-compatible server; script it with ``openai_server.script(...)``."""
    with OpenAIServer() as server:
        yield server


@pytest.fixture
def fast_retries(monkeypatch: pytest.MonkeyPatch) -> None:
    """briefer's retries (briefer.engines.llm.limits) without their jittered backoff: keeps retry tests (and replays) fast."""
    import briefer.engines.llm.limits

    monkeypatch.setattr(briefer.engines.llm.limits, "backoff_seconds", lambda *a, **k: 0.001)


@pytest.fixture
def fresh_engine_state(monkeypatch: pytest.MonkeyPatch) -> None:
    """Forget which mode worked and what each server said it was: replays share one dummy URL."""
    import briefer.engines.llm.openai
    import briefer.engines.llm.structured

    monkeypatch.setattr(briefer.engines.llm.structured, "_WORKING_MODE", {})
    monkeypatch.setattr(briefer.engines.llm.openai, "_IDENTITIES", {})


@pytest.fixture
def runner(env_clean: pytest.MonkeyPatch) -> CliRunner:
    """Invokes the ``briefer`` command in-process, with no OPENAI_* / BRIEFER_* from the shell."""
    return CliRunner()


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[httpx.Client]:
    """The default service, one per test module: extractive engine, no token, no URL fetching."""
    from support.service_server import serve

    with serve(tmp_path_factory.mktemp("service")) as c:
        yield c


# ---------------------------------------------------------------------------------------------
# Articles for LLM tests: real news, fixed so recorded request bodies stay byte-identical

SEEDS = REPO / "seeds"
SHORT_SEED = SEEDS / "pakistan-taliban-warning.txt"
# Real CNN/DailyMail articles from tests/data, picked by id (not position) so the long article
# never changes when the sample grows; with the three seeds they make ≈10,000 o200k tokens.
LONG_ARTICLE_IDS = (
    "cnndm-752763d0b799",
    "cnndm-a3f31379d535",
    "cnndm-1dd88b1b4467",
    "cnndm-b09e2035a7b7",
    "cnndm-3c4a2972d045",
    "cnndm-33d029ed4044",
    "cnndm-9afcc4bcb673",
)


@pytest.fixture(scope="session")
def short_article() -> Article:
    """The seed article, as briefer's demo briefs it."""
    return Article(text=SHORT_SEED.read_text(encoding="utf-8").strip(), source=SHORT_SEED.name)


@pytest.fixture(scope="session")
def long_article() -> Article:
    """≈10,000 tokens of real news (seeds + CNN/DailyMail), long enough to need map-reduce."""
    rows = [
        json.loads(line)
        for line in (REPO / "tests" / "data" / "eval_sample.jsonl").read_text().splitlines()
        if line.strip()
    ]
    by_id = {row["id"]: row["text"] for row in rows}
    seeds = [
        SEEDS / name
        for name in ("pakistan-taliban-warning.txt", "bbc-politics-147.txt", "cnn-3122b54466ba.txt")
    ]
    texts = [path.read_text(encoding="utf-8").strip() for path in seeds] + [
        by_id[i].strip() for i in LONG_ARTICLE_IDS
    ]
    return Article(text="\n\n".join(texts), source="long-article")


@pytest.fixture(scope="session")
def good_brief(short_article: Article) -> Brief:
    """A brief the seed article backs (the offline engine's), so grounding asks for no repair."""
    from briefer.engines.extractive import ExtractiveEngine

    return ExtractiveEngine().run(short_article).brief
