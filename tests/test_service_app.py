"""The service's routes: a brief made, cached and looked up by its article's sha256; health and docs;
the LLM engine through the async client; schemathesis fuzzes the OpenAPI schema in process (ASGI)
and must never see a 500."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from support import hostile
from support.openai_server import OpenAIServer, ok, status
from support.service_server import EXTRACTIVE, SEED, assert_error, running, story
from support.statement_cases import DERBY, SPLICED, SPLICED_JSON

from briefer.config import Settings
from briefer.models import BriefResult
from briefer.service import create_app


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


def test_lookup_errors(client: httpx.Client) -> None:
    assert_error(client.get("/v1/briefs/" + "0" * 64), 404, "not_found")
    assert_error(client.get("/v1/briefs/not-a-hash"), 422, "validation_error")
    assert_error(client.get("/v1/nothing-here"), 404, "not_found")


def test_healthz_says_what_serves(client: httpx.Client) -> None:
    body = client.get("/healthz").json()
    assert body == {
        "status": "ok",
        "engine": "extractive",
        "model": "briefer-extractive-1",
        "version": body["version"],
        "warnings": [],
    }


def test_openapi_and_docs_are_served(client: httpx.Client) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    assert {"/v1/briefs", "/v1/briefs/stream", "/v1/briefs/{input_sha256}", "/healthz", "/v1/verify"} <= set(
        paths
    )


def test_a_request_may_ask_for_the_hybrid_engine(tmp_path: Path, openai_server: OpenAIServer) -> None:
    """The service's default engine is the LLM's; one request's options pick the hybrid."""
    app = create_app(Settings(base_url=openai_server.base_url), cache_path=tmp_path / "c.sqlite3")
    with running(app) as c:
        answer = c.post("/v1/briefs", json={"text": SEED, "options": {"engine": "hybrid"}})
    assert answer.status_code == 201, answer.text
    p = BriefResult.model_validate(answer.json()).provenance
    assert (p.engine, p.prompt, p.usage.requests) == ("hybrid", "hybrid@1", 1)
    assert [r.schema_name for r in openai_server.completions] == ["Draft"]


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


def test_a_request_may_ask_for_the_statement_check_and_gets_its_own_cache_entry(tmp_path: Path) -> None:
    """The model's brief of the Derby story carries a spliced claim: flagged only when asked for."""
    with OpenAIServer(default=ok(SPLICED_JSON)) as server:
        llm = Settings(engine="openai", base_url=server.base_url, api_key="sk-test", repair_grounding=False)
        with running(create_app(llm, cache_path=tmp_path / "c.sqlite3")) as c:
            plain = c.post("/v1/briefs", json={"text": DERBY})
            checked = c.post("/v1/briefs", json={"text": DERBY, "options": {"statements": True}})
            events = c.post("/v1/briefs/events", json={"text": DERBY, "options": {"statements": True}})
        sent = len(server.completions)

    assert plain.status_code == checked.status_code == 201, checked.text
    assert plain.json()["grounding"]["ok"] is True
    assert checked.headers["x-briefer-cache"] == "miss" and sent == 2, "the plain brief was not served"
    report = BriefResult.model_validate(checked.json()).grounding
    assert report is not None and [item.text for item in report.flagged()] == [SPLICED]
    assert report.flagged()[0].problems[0].startswith("likely not what the article says")
    (result,) = [e for e in map(json.loads, events.text.splitlines()) if e["event"] == "result"]
    assert result["cache"] == "hit" and result["result"] == checked.json()


@schemathesis.serializer("application/x-ndjson")
def _ndjson(ctx: Any, value: Any) -> bytes:
    return value.encode() if isinstance(value, str) else json.dumps(value).encode()


OPERATIONS = [
    ("POST", "/v1/briefs"),
    ("POST", "/v1/briefs/stream"),
    ("GET", "/v1/briefs/{input_sha256}"),
    ("GET", "/healthz"),
    ("POST", "/v1/briefs/events"),
    ("POST", "/v1/verify"),
    ("GET", "/v1/briefs"),
    ("POST", "/v1/markdown"),
    ("GET", "/v1/options"),
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


@pytest.mark.parametrize(
    ("path", "media_type"),
    [
        ("/v1/briefs", "application/json"),
        ("/v1/verify", "application/json"),
        ("/v1/briefs/stream", "application/x-ndjson"),
    ],
)
def test_any_body_is_answered_without_a_server_error(
    client: httpx.Client, path: str, media_type: str
) -> None:
    """Random bytes, random JSON, articles of random Unicode: a brief, or a 4xx JSON error; never a 5xx."""

    @hostile.PROPERTY
    @given(body=hostile.bodies)
    def answered(body: bytes) -> None:
        response = client.post(path, content=body, headers={"content-type": media_type})
        assert response.status_code < 500, response.text[:300]
        assert '"internal_error"' not in response.text, "a stream's line failed like a bug"
        if response.status_code >= 400:
            assert set(response.json()) == {"error"}
        else:
            lines = response.text.splitlines() if path.endswith("stream") else [response.text]
            assert all(isinstance(json.loads(line), dict) for line in lines)

    answered()
