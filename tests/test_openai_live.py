"""``briefer brief`` end to end against the live local OpenAI-compatible server (no cassettes).

Cassettes pin what briefer sends; these tests run the whole CLI through the real SDK and a
real socket, including what cassettes cannot hold: timeouts, refused connections, and the
promise that every server failure ends in one clear stderr line and a non-zero exit.
"""

from __future__ import annotations

import re
import socket
from pathlib import Path
from typing import Protocol

import conftest
import pytest
from click.testing import Result
from conftest import SHORT_SEED, NetworkBlockedError
from openai_spec import problems
from support.openai_server import (
    OpenAIServer,
    Turn,
    context_full,
    length,
    like_llama_cpp_python,
    reject_json_schema,
    slow,
    status,
)
from typer.testing import CliRunner

from briefer.cli import app
from briefer.models import Article, BriefResult

pytestmark = pytest.mark.usefixtures("fast_retries", "fresh_engine_state")


class RunCli(Protocol):
    def __call__(self, path: Path, base_url: str, *extra: str) -> Result: ...


@pytest.fixture
def run_cli(env_clean: pytest.MonkeyPatch) -> RunCli:
    """``briefer brief FILE --format json`` in-process, with only a test key in the environment."""
    env_clean.setenv("OPENAI_API_KEY", "sk-test")
    env_clean.setenv("BRIEFER_ENGINE", "openai")  # auto would pick the hybrid for a local server

    def run(path: Path, base_url: str, *extra: str) -> Result:
        return CliRunner().invoke(
            app, ["brief", str(path), "--format", "json", "--base-url", base_url, *extra]
        )

    return run


def assert_sent_valid_requests(server: OpenAIServer) -> None:
    """Whatever briefer sends must be a valid CreateChatCompletionRequest, with the key as a bearer token."""
    assert server.completions
    for request in server.completions:
        assert problems("CreateChatCompletionRequest", request.json) == []
        assert request.headers["authorization"] == "Bearer sk-test"


def test_cli_briefs_an_article_through_the_server(run_cli: RunCli, openai_server: OpenAIServer) -> None:
    result = run_cli(SHORT_SEED, openai_server.base_url)
    assert result.exit_code == 0, result.stderr
    brief = BriefResult.model_validate_json(result.stdout)
    assert (brief.provenance.engine, brief.provenance.structured_output) == ("openai", "json_schema")
    assert brief.provenance.usage.requests == 1 and brief.brief.key_takeaways
    assert_sent_valid_requests(openai_server)


def test_cli_falls_back_when_json_schema_is_rejected(run_cli: RunCli, openai_server: OpenAIServer) -> None:
    openai_server.default = reject_json_schema()
    result = run_cli(SHORT_SEED, openai_server.base_url)
    assert result.exit_code == 0, result.stderr
    assert BriefResult.model_validate_json(result.stdout).provenance.structured_output == "json_object"
    assert [r.json["response_format"]["type"] for r in openai_server.completions] == [
        "json_schema",
        "json_object",
    ]
    assert_sent_valid_requests(openai_server)


def test_cli_map_reduces_a_10000_token_article(
    run_cli: RunCli, openai_server: OpenAIServer, long_article: Article, tmp_path: Path
) -> None:
    path = tmp_path / "long.txt"
    path.write_text(long_article.text, encoding="utf-8")
    result = run_cli(path, openai_server.base_url, "--max-chunk-tokens", "4000", "--no-repair")
    assert result.exit_code == 0, result.stderr
    provenance = BriefResult.model_validate_json(result.stdout).provenance
    assert provenance.chunks > 1 and len(openai_server.completions) == provenance.chunks + 1
    assert_sent_valid_requests(openai_server)


def _closed_port() -> int:
    """A local port nothing listens on: bind, read the number, close."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


FAILURES: dict[str, tuple[Turn | None, tuple[str, ...], str]] = {
    "401 bad key": (status(401), (), r"authentication failed \(401\)"),
    "404 unknown model": (
        status(404, code="model_not_found"),
        ("--model", "gpt-nope"),
        r"model 'gpt-nope' not found",
    ),
    "429 insufficient quota": (status(429, code="insufficient_quota"), (), r"quota exceeded"),
    "500 server error": (status(500), (), r"server failed \(500\)"),
    "timeout": (slow(2.0), ("--timeout", "0.2"), r"no answer from .* within 0.2 s"),
    "connection refused": (None, (), r"cannot connect to http://127.0.0.1:\d+/v1"),
}


@pytest.mark.parametrize("case", list(FAILURES))
def test_server_failures_end_in_one_clear_line(
    run_cli: RunCli, openai_server: OpenAIServer, case: str
) -> None:
    """Each failure: exit code != 0, nothing on stdout, exactly one ``briefer: error:`` line, no traceback."""
    turn, extra, message = FAILURES[case]
    base_url = f"http://127.0.0.1:{_closed_port()}/v1" if turn is None else openai_server.base_url
    if turn is not None:
        openai_server.default = turn  # every attempt, SDK retries included, fails the same way
    result = run_cli(SHORT_SEED, base_url, *extra)
    assert result.exit_code != 0
    assert isinstance(result.exception, SystemExit), result.exc_info  # a handled error, not a crash
    assert result.stdout == ""
    lines = [line for line in result.stderr.splitlines() if not line.startswith("briefer: step: ")]
    assert len(lines) == 1 and lines[0].startswith("briefer: error: "), result.stderr
    assert "Traceback" not in result.stderr
    assert re.search(message, lines[0]), lines[0]


def test_insufficient_quota_is_not_retried(run_cli: RunCli, openai_server: OpenAIServer) -> None:
    """Out of credit is final: one request, then the error, not max_retries doomed ones first."""
    openai_server.default = status(429, code="insufficient_quota")
    result = run_cli(SHORT_SEED, openai_server.base_url)
    assert result.exit_code != 0 and "quota exceeded" in result.stderr
    assert len(openai_server.completions) == 1


# ---------------------------------------------------------------------------------------------
# The guard that keeps all of this local


@pytest.mark.parametrize("address", [("192.0.2.1", 443), ("2001:db8::1", 443)])
def test_the_network_guard_refuses_remote_connections(address: tuple[str, int]) -> None:
    family = socket.AF_INET6 if ":" in address[0] else socket.AF_INET
    with socket.socket(family) as sock, pytest.raises(NetworkBlockedError, match="must not use the network"):
        sock.connect(address)
    with pytest.raises(NetworkBlockedError, match=r"resolve 'api\.openai\.com'"):
        socket.getaddrinfo("api.openai.com", 443)
    conftest.BLOCKED_ATTEMPTS.clear()  # expected here; elsewhere they fail the test


def test_the_network_guard_lets_local_servers_through(openai_server: OpenAIServer) -> None:
    port = int(openai_server.base_url.split(":")[2].split("/")[0])
    for host in ("127.0.0.1", "localhost"):
        with socket.create_connection((host, port), timeout=2):
            pass


# ---------------------------------------------------------------------------------------------
# Servers as they really answer (see briefer/engines/llm/servers.py)


def test_a_llama_cpp_python_server_is_asked_its_own_way(run_cli: RunCli, openai_server: OpenAIServer) -> None:
    """Identified by GET /models (owned_by "me"): no json_schema request at all; json_object with the schema."""
    openai_server.owned_by, openai_server.default = "me", like_llama_cpp_python()
    result = run_cli(SHORT_SEED, openai_server.base_url)
    assert result.exit_code == 0, result.stderr
    assert BriefResult.model_validate_json(result.stdout).provenance.structured_output == "json_object"
    first = openai_server.completions[0].json
    assert (
        first["response_format"]["type"] == "json_object"
        and first["response_format"]["schema"]["title"] == "Brief"
    )
    assert first["max_tokens"] == 1500 and "max_completion_tokens" not in first


def test_a_500_rejecting_json_schema_falls_back_at_once_without_retrying(
    run_cli: RunCli, openai_server: OpenAIServer
) -> None:
    """An unidentified server (owned_by unknown) answering like llama-cpp-python: one 500, then json_object."""
    openai_server.owned_by, openai_server.default = "someone", like_llama_cpp_python()
    result = run_cli(SHORT_SEED, openai_server.base_url)
    assert result.exit_code == 0, result.stderr
    assert [r.json["response_format"]["type"] for r in openai_server.completions] == [
        "json_schema",
        "json_object",
    ]


def test_an_answer_a_small_context_cut_is_kept_not_asked_again(
    run_cli: RunCli, openai_server: OpenAIServer
) -> None:
    """The answer stops where a 1,700-token context ends, with its takeaways written: on a local
    model that answer took minutes, so it is kept (and the user told why it is short), not redone."""
    openai_server.script(context_full(1700))
    result = run_cli(SHORT_SEED, openai_server.base_url, "--no-repair")
    assert result.exit_code == 0, result.stderr
    provenance = BriefResult.model_validate_json(result.stdout).provenance
    assert provenance.chunks == 1 and len(openai_server.completions) == 1
    assert "where the model's context ended" in result.stderr


def test_a_small_context_that_cut_everything_is_met_with_smaller_chunks(
    run_cli: RunCli, openai_server: OpenAIServer
) -> None:
    """The answer stops where a 1,200-token context ends, before any field is whole: the article is
    map-reduced instead of failing."""
    openai_server.script(context_full(1200))
    result = run_cli(SHORT_SEED, openai_server.base_url, "--no-repair")
    assert result.exit_code == 0, result.stderr
    provenance = BriefResult.model_validate_json(result.stdout).provenance
    assert provenance.chunks > 1 and provenance.prompt.endswith("combine@1")
    assert len(openai_server.completions) == provenance.usage.requests, "the cut-off answer is counted too"


def test_a_base_url_without_v1_is_named_as_the_likely_mistake(
    run_cli: RunCli, openai_server: OpenAIServer
) -> None:
    """Most servers serve under /v1; without it nothing answers, and the error says where to look."""
    without_v1 = openai_server.base_url.removesuffix("/v1")
    result = run_cli(SHORT_SEED, without_v1)
    assert result.exit_code == 1
    assert "most servers want /v1 at the end of --base-url" in result.stderr


def test_an_answer_cut_half_way_is_kept_up_to_the_cut_and_the_user_is_told(
    run_cli: RunCli, openai_server: OpenAIServer
) -> None:
    """Takeaways came before the cut: the brief is kept, not asked for again with twice the bound."""
    openai_server.script(length(keep=0.6))
    result = run_cli(SHORT_SEED, openai_server.base_url, "--no-repair")
    assert result.exit_code == 0, result.stderr
    brief = BriefResult.model_validate_json(result.stdout)
    assert brief.brief.key_takeaways and len(openai_server.completions) == 1
    assert re.search(
        r"warning: the model's answer was cut off at \d+ tokens; kept what it wrote before the cut",
        result.stderr,
    )
