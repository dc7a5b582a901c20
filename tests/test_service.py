"""The HTTP service (``briefer serve``): a real uvicorn server on 127.0.0.1, called with httpx.

Engines that are slow, or that fail, are injected through ``create_app(engine=...)`` so limits and
error paths are exercised in well under a second each; schemathesis fuzzes the OpenAPI schema in
process (ASGI) and must never see a 500.
"""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, ClassVar

import httpx
import pytest
import schemathesis
import uvicorn
from fastapi import FastAPI
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openai_server import OpenAIServer, status
from schemathesis import GenerationMode
from typer.testing import CliRunner

from briefer import service
from briefer.cli import app as cli_app
from briefer.config import Settings
from briefer.engines import EngineOutput
from briefer.engines.extractive import ExtractiveEngine
from briefer.models import Article, BriefResult
from briefer.service import CONFIG_ENV, TOKEN_ENV, create_app

SEED = (Path(__file__).resolve().parents[1] / "seeds" / "pakistan-taliban-warning.txt").read_text()
EXTRACTIVE = Settings(engine="extractive")
TOKEN = "t0ken-for-tests"


def story(n: int) -> str:
    """A distinct article per ``n``, so each one misses the cache."""
    return f"Story number {n} from the desk. {SEED}"


class SlowEngine(ExtractiveEngine):
    """The extractive engine after a nap; ``started`` is set once a brief is under way."""

    fingerprint: ClassVar[dict[str, str]] = {"engine": "extractive", "model": "slow-test"}

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.started = threading.Event()

    def run(self, article: Article) -> EngineOutput:
        self.started.set()
        time.sleep(self.seconds)
        return super().run(article)


class BrokenEngine(ExtractiveEngine):
    """Fails like a bug would, with a secret in the message that must never be shown."""

    fingerprint: ClassVar[dict[str, str]] = {"engine": "extractive", "model": "broken-test"}

    def run(self, article: Article) -> EngineOutput:
        raise RuntimeError("boom: OPENAI_API_KEY=sk-live-secret")


@contextmanager
def running(app: FastAPI) -> Iterator[httpx.Client]:
    """Serve ``app`` with uvicorn on a free 127.0.0.1 port in a thread; a client for it."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", access_log=False))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.01)
    assert server.started, "uvicorn did not start"
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=10) as client:
            yield client
    finally:
        server.should_exit = True
        thread.join(10)
        sock.close()


def serve(tmp_path: Path, **options: Any) -> Any:
    return running(create_app(EXTRACTIVE, cache_path=tmp_path / "cache.sqlite3", **options))


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[httpx.Client]:
    """The default service: extractive engine, no token, no URL fetching."""
    with serve(tmp_path_factory.mktemp("service")) as c:
        yield c


def assert_error(response: httpx.Response, status: int, type: str) -> dict[str, Any]:
    """Every error: the status, JSON ``{"error": {"type", "message"}}``, nothing else, no traceback."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"type", "message"}
    assert body["error"]["type"] == type
    assert "Traceback" not in response.text
    return body["error"]


# -- briefs ----------------------------------------------------------------------------------


def test_brief_is_created_then_served_from_the_cache_and_by_sha(client: httpx.Client) -> None:
    first = client.post("/v1/briefs", json={"text": SEED, "title": "Warning", "id": "a1"})
    assert first.status_code == 201, first.text
    assert first.headers["x-briefer-cache"] == "miss"
    result = BriefResult.model_validate(first.json())
    assert result.id == "a1" and result.provenance.engine == "extractive"
    assert first.headers["location"] == f"/v1/briefs/{result.provenance.input_sha256}"

    again = client.post("/v1/briefs", json={"text": SEED, "id": "a2"})
    assert again.status_code == 201 and again.headers["x-briefer-cache"] == "hit"
    cached = BriefResult.model_validate(again.json())
    assert cached.id == "a2"
    assert cached.provenance.created_at == result.provenance.created_at  # not briefed again

    by_sha = client.get(f"/v1/briefs/{result.provenance.input_sha256.upper()}")
    assert by_sha.status_code == 200
    assert BriefResult.model_validate(by_sha.json()).brief == result.brief


def test_html_article_is_extracted(client: httpx.Client) -> None:
    paragraphs = "".join(f"<p>{line}</p>" for line in SEED.splitlines() if line.strip())
    html = f"<html><head><title>Warning</title></head><body><article>{paragraphs}</article></body></html>"
    response = client.post("/v1/briefs", json={"html": html})
    assert response.status_code == 201, response.text
    assert "Pakistan" in BriefResult.model_validate(response.json()).brief.summary


def test_lookup_errors(client: httpx.Client) -> None:
    assert_error(client.get("/v1/briefs/" + "0" * 64), 404, "not_found")
    assert_error(client.get("/v1/briefs/not-a-hash"), 422, "validation_error")
    assert_error(client.get("/v1/nothing-here"), 404, "not_found")


@pytest.mark.parametrize(
    ("body", "needle"),
    [
        ({"text": SEED, "options": {"temperature": 2}}, "options.temperature"),
        ({"text": SEED, "options": {"max_chunk_tokens": 10}}, "options.max_chunk_tokens"),
        ({"text": SEED, "options": {"prompt": "../../etc/passwd"}}, "options.prompt"),
        ({"text": SEED, "html": "<p>x</p>"}, "exactly one of"),
        ({"title": "no article"}, "exactly one of"),
        ({"text": SEED, "colour": "red"}, "colour"),
    ],
)
def test_invalid_requests_are_422(client: httpx.Client, body: dict[str, Any], needle: str) -> None:
    assert needle in assert_error(client.post("/v1/briefs", json=body), 422, "validation_error")["message"]


def test_input_and_config_errors_are_422(client: httpx.Client, env_clean: pytest.MonkeyPatch) -> None:
    assert_error(client.post("/v1/briefs", json={"text": "too short"}), 422, "input_error")
    no_key = client.post("/v1/briefs", json={"text": SEED, "options": {"engine": "openai"}})
    assert "OPENAI_API_KEY" in assert_error(no_key, 422, "config_error")["message"]


def test_bad_json_and_wrong_content_type(client: httpx.Client) -> None:
    headers = {"content-type": "application/json"}
    assert_error(client.post("/v1/briefs", content=b'{"text": ', headers=headers), 400, "bad_json")
    assert_error(client.post("/v1/briefs", content=b"\xff\xfe{", headers=headers), 400, "bad_request")
    plain = client.post("/v1/briefs", content=SEED.encode(), headers={"content-type": "text/plain"})
    assert_error(plain, 415, "unsupported_media_type")
    assert_error(client.post("/v1/briefs/stream", json={"text": SEED}), 415, "unsupported_media_type")


def test_stream_reports_each_line_as_it_finishes(client: httpx.Client) -> None:
    lines = [
        json.dumps({"id": "good-1", "text": story(1)}),
        '{"id": "broken", "text": ',
        json.dumps({"id": "short", "text": "not an article"}),
        "",
        json.dumps({"text": story(2)}),
        json.dumps({"id": "extra", "text": story(3), "options": {}}),
    ]
    response = client.post(
        "/v1/briefs/stream",
        content="\n".join(lines).encode(),
        headers={"content-type": "application/x-ndjson"},
    )
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/x-ndjson")
    rows = [json.loads(line) for line in response.text.splitlines()]
    errors = {row["line"]: row for row in rows if "error" in row}
    briefs = {row["id"]: BriefResult.model_validate(row) for row in rows if "error" not in row}
    assert set(briefs) == {"good-1", "line-5"}
    assert set(errors) == {2, 3, 6}
    assert errors[2]["error"]["type"] == "bad_json" and errors[2]["id"] is None
    assert errors[3] == {
        "id": "short",
        "line": 3,
        "error": {"type": "input_error", "message": "short: input has fewer than 5 words; not an article"},
    }
    assert errors[6]["error"]["type"] == "validation_error" and "options" in errors[6]["error"]["message"]


def test_healthz_says_what_serves(client: httpx.Client) -> None:
    body = client.get("/healthz").json()
    assert body == {
        "status": "ok",
        "engine": "extractive",
        "model": "briefer-extractive-1",
        "version": body["version"],
    }


def test_openapi_and_docs_are_served(client: httpx.Client) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    assert {"/v1/briefs", "/v1/briefs/stream", "/v1/briefs/{input_sha256}", "/healthz"} <= set(paths)
    assert client.get("/docs").status_code == 200


def test_llm_engine_briefs_through_the_async_client(tmp_path: Path, openai_server: OpenAIServer) -> None:
    llm = Settings(engine="openai", base_url=openai_server.base_url, api_key="sk-test-secret")
    with running(create_app(llm, cache_path=tmp_path / "c.sqlite3")) as c:
        response = c.post("/v1/briefs", json={"text": SEED, "options": {"model": "gpt-4o"}})
        assert response.status_code == 201, response.text
        provenance = BriefResult.model_validate(response.json()).provenance
        assert (provenance.engine, provenance.model) == ("openai", "gpt-4o")
        assert [r.model for r in openai_server.completions] == ["gpt-4o"]

        openai_server.script(status(401))
        failed = c.post("/v1/briefs", json={"text": story(1)})
        assert "sk-test-secret" not in assert_error(failed, 502, "engine_error")["message"]


# -- auth --------------------------------------------------------------------------------------


def test_token_is_required_everywhere_but_healthz(tmp_path: Path) -> None:
    with serve(tmp_path, token=TOKEN) as c:
        assert_error(c.post("/v1/briefs", json={"text": SEED}), 401, "unauthorized")
        wrong = c.post("/v1/briefs", json={"text": SEED}, headers={"Authorization": "Bearer nope"})
        assert TOKEN not in assert_error(wrong, 401, "unauthorized")["message"]
        basic = c.get("/openapi.json", headers={"Authorization": f"Basic {TOKEN}"})
        assert_error(basic, 401, "unauthorized")
        assert_error(c.get("/docs"), 401, "unauthorized")
        unicode = c.get("/openapi.json", headers={"Authorization": "Bearer caf\u00e9".encode()})
        assert_error(unicode, 401, "unauthorized")
        right = c.post("/v1/briefs", json={"text": SEED}, headers={"Authorization": f"Bearer {TOKEN}"})
        assert right.status_code == 201
        assert c.get("/healthz").status_code == 200


# -- limits ------------------------------------------------------------------------------------


def test_body_cap_is_413_by_content_length_and_while_streaming(tmp_path: Path) -> None:
    with serve(tmp_path, max_body_bytes=2000) as c:
        declared = c.post("/v1/briefs", json={"text": SEED})
        assert "2,000 bytes" in assert_error(declared, 413, "payload_too_large")["message"]
        body = json.dumps({"text": SEED}).encode()
        chunked = (body[i : i + 500] for i in range(0, len(body), 500))  # no Content-Length
        streamed = c.post("/v1/briefs", content=chunked, headers={"content-type": "application/json"})
        assert_error(streamed, 413, "payload_too_large")
        assert c.post("/v1/briefs", json={"text": SEED[:1500]}).status_code == 201


def test_saturated_server_says_429_and_slow_briefs_504(tmp_path: Path) -> None:
    engine = SlowEngine(1.0)
    with serve(tmp_path, engine=engine, max_in_flight=1, request_timeout_s=0.4) as c:
        first: dict[str, httpx.Response] = {}
        worker = threading.Thread(
            target=lambda: first.update(r=c.post("/v1/briefs", json={"text": story(1)}))
        )
        worker.start()
        assert engine.started.wait(5)
        busy = c.post("/v1/briefs", json={"text": story(2)})
        assert_error(busy, 429, "too_many_requests")
        assert busy.headers["retry-after"] == "1"
        assert c.get("/healthz").status_code == 200  # the engine runs off the event loop
        worker.join(5)
        assert "0.4 s" in assert_error(first["r"], 504, "timeout")["message"]


# -- URL fetching ----------------------------------------------------------------------------------


def test_url_fetching_is_off_by_default(client: httpx.Client) -> None:
    response = client.post("/v1/briefs", json={"url": "https://example.com/news"})
    assert "--allow-url-fetch" in assert_error(response, 422, "url_fetch_disabled")["message"]


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:9/",
        "http://localhost/admin",
        "http://[::1]/",
        "http://[::ffff:127.0.0.1]/",
        "http://169.254.169.254/latest/meta-data/",
        "http://10.0.0.8/",
        "http://0.0.0.0/",
        "file:///etc/passwd",
    ],
)
def test_url_fetching_refuses_non_public_addresses(tmp_path: Path, url: str) -> None:
    with serve(tmp_path, allow_url_fetch=True) as c:
        message = assert_error(c.post("/v1/briefs", json={"url": url}), 422, "input_error")["message"]
        assert "refusing" in message or "only http(s)" in message


# -- errors never leak -----------------------------------------------------------------------------


def test_unexpected_errors_are_500_with_no_traceback_or_secret(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    with serve(tmp_path, engine=BrokenEngine()) as c:
        response = c.post("/v1/briefs", json={"text": SEED}, headers={"X-Request-ID": "req-42"})
    error = assert_error(response, 500, "internal_error")
    assert "req-42" in error["message"] and "boom" not in response.text and "sk-live" not in response.text
    log = capfd.readouterr().err
    assert "Traceback" not in log and "sk-live" not in log and "boom" not in log
    (access,) = [json.loads(line) for line in log.splitlines() if '"event": "request"' in line]
    assert access["request_id"] == "req-42" and access["status"] == 500
    assert {"method", "path", "duration_ms", "cache"} <= set(access)


def test_access_log_is_one_json_line_per_request_without_bodies(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    with serve(tmp_path, token=TOKEN) as c:
        headers = {"Authorization": f"Bearer {TOKEN}"}
        c.post("/v1/briefs", json={"text": story(7)}, headers=headers)
        c.post("/v1/briefs", json={"text": story(7)}, headers=headers)
    log = capfd.readouterr().err
    rows = [json.loads(line) for line in log.splitlines() if line.startswith("{")]
    assert [(r["status"], r["cache"]) for r in rows] == [(201, "miss"), (201, "hit")]
    assert TOKEN not in log and "Story number 7" not in log


# -- the command ----------------------------------------------------------------------------------


def test_serve_refuses_a_public_address_without_a_token(
    env_clean: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    env_clean.setattr(uvicorn, "run", lambda *a, **k: pytest.fail("must not bind"))
    result = CliRunner().invoke(cli_app, ["serve", "--host", "0.0.0.0", "--cache", str(tmp_path / "c")])
    assert result.exit_code == 2
    assert "refusing to listen on 0.0.0.0 without BRIEFER_SERVICE_TOKEN" in result.output
    assert "Traceback" not in result.output


def test_serve_passes_its_options_to_the_workers(env_clean: pytest.MonkeyPatch, tmp_path: Path) -> None:
    calls: list[dict[str, Any]] = []
    env_clean.setattr(uvicorn, "run", lambda app, **kwargs: calls.append({"app": app, **kwargs}))
    env_clean.setenv(TOKEN_ENV, TOKEN)
    env_clean.setenv(CONFIG_ENV, "{}")  # restored after the test: serve() sets it
    cache = tmp_path / "c.sqlite3"
    args = ["serve", "--host", "0.0.0.0", "--workers", "3", "--engine", "extractive", "--cache", str(cache)]
    result = CliRunner().invoke(cli_app, [*args, "--max-in-flight", "5"])
    assert result.exit_code == 0, result.output
    (call,) = calls
    assert call["app"] == "briefer.service:app_from_env" and call["factory"] is True
    assert (call["host"], call["workers"]) == ("0.0.0.0", 3)
    app = service.app_from_env()
    with running(app) as c:
        assert_error(c.get("/openapi.json"), 401, "unauthorized")
        assert c.get("/healthz").json()["engine"] == "extractive"
    assert cache.exists()


# -- property-based: no request the schema allows (or nearly allows) makes a 500 --------------------


@schemathesis.serializer("application/x-ndjson")
def _ndjson(ctx: Any, value: Any) -> bytes:
    return value.encode() if isinstance(value, str) else json.dumps(value).encode()


OPERATIONS = [
    ("POST", "/v1/briefs"),
    ("POST", "/v1/briefs/stream"),
    ("GET", "/v1/briefs/{input_sha256}"),
    ("GET", "/healthz"),
]


@pytest.fixture(scope="module")
def api_schema(tmp_path_factory: pytest.TempPathFactory) -> Any:
    app = create_app(EXTRACTIVE, cache_path=tmp_path_factory.mktemp("fuzz") / "cache.sqlite3")
    return schemathesis.openapi.from_asgi("/openapi.json", app)


def test_fuzzing_covers_every_operation(api_schema: Any) -> None:
    found = {(op.ok().method.upper(), op.ok().path) for op in api_schema.get_all_operations()}
    assert found == set(OPERATIONS)


@pytest.mark.parametrize(("method", "path"), OPERATIONS)
def test_schema_fuzzing_finds_no_server_errors(api_schema: Any, method: str, path: str) -> None:
    """Schemathesis cases (valid and invalid) for one operation, in process over ASGI."""

    operation = api_schema[path][method]
    modes = [GenerationMode.POSITIVE, GenerationMode.NEGATIVE]

    @given(case=st.one_of(*(operation.as_strategy(mode) for mode in modes)))
    @settings(max_examples=25, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    def no_server_error(case: Any) -> None:
        response = case.call()
        assert response.status_code < 500, (
            f"{case.method} {case.path}: {response.status_code} {response.text}"
        )

    no_server_error()


def test_url_fetching_connects_to_the_address_it_checked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No DNS rebinding: the fetch goes to the checked address with the original Host header,
    never resolving the name again (here a second lookup would hit the no-network guard)."""
    import http.server

    from briefer.loading import fetch

    seen: list[str] = []

    class Page(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            seen.append(self.headers["Host"])
            body = f"<html><body><article><p>{SEED}</p></article></body></html>".encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    web = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Page)
    threading.Thread(target=web.serve_forever, daemon=True).start()
    lookups: list[str] = []

    def resolve(host: str) -> list[str]:
        lookups.append(host)
        return ["127.0.0.1"]

    monkeypatch.setattr(fetch, "resolve", resolve)
    monkeypatch.setattr(fetch, "is_public", lambda address: True)  # let the test server count as public
    try:
        with serve(tmp_path, allow_url_fetch=True) as c:
            port = web.server_address[1]
            response = c.post("/v1/briefs", json={"url": f"http://news.example:{port}/story"})
    finally:
        web.shutdown()
        web.server_close()
    assert response.status_code == 201, response.text
    assert lookups == ["news.example"] and seen == [f"news.example:{port}"]
    assert "Khawaja Asif" in BriefResult.model_validate(response.json()).brief.headline
