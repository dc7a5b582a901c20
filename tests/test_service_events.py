"""One article briefed as NDJSON events: the article at once (the text grounding offsets point
into), progress while the engine works, then the result or an error, under every limit."""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Any

import httpx
from support.openai_server import OpenAIServer
from support.service_server import SEED, BrokenEngine, SlowEngine, assert_error, running, serve, story

from briefer.config import Settings
from briefer.models import BriefResult
from briefer.service import create_app

TITLE = "Pakistan warns the Taliban"


def events(client: httpx.Client, body: dict[str, Any]) -> list[dict[str, Any]]:
    response = client.post("/v1/briefs/events", json=body)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/x-ndjson")
    return [json.loads(line) for line in response.text.splitlines()]


def test_article_then_progress_then_the_result(tmp_path: Path) -> None:
    with serve(tmp_path, engine=SlowEngine(0.8)) as c:
        rows = events(c, {"text": SEED, "title": TITLE, "id": "desk-1"})
    kinds = [row["event"] for row in rows]
    assert kinds[0] == "article" and kinds[-1] == "result"
    assert set(kinds[1:-1]) == {"progress"} and len(kinds[1:-1]) >= 2  # at once, then each half second
    elapsed = [row["elapsed_s"] for row in rows[1:-1]]
    assert elapsed == sorted(elapsed) and elapsed[-1] >= 0.4
    article, result = rows[0], BriefResult.model_validate(rows[-1]["result"])
    assert article["text"] == f"{TITLE}\n\n{SEED}" and article["title"] == TITLE
    assert article["input_sha256"] == result.provenance.input_sha256
    assert article["tokens"] is None and article["expected_requests"] is None  # no model asked
    assert result.id == "desk-1" and rows[-1]["cache"] == "miss"
    for quote in result.grounding.quotes:  # offsets point into the text the page shows
        assert quote.found and article["text"][quote.start : quote.end].strip('"“” ')


def test_a_cached_brief_comes_at_once(tmp_path: Path) -> None:
    with serve(tmp_path) as c:
        first = events(c, {"text": SEED})
        again = events(c, {"text": SEED})
    assert first[-1]["cache"] == "miss" and again[-1]["cache"] == "hit"
    assert again[-1]["result"]["provenance"] == first[-1]["result"]["provenance"]


def test_an_llm_engine_says_how_much_work_is_ahead(tmp_path: Path, openai_server: OpenAIServer) -> None:
    llm = Settings(engine="openai", base_url=openai_server.base_url, api_key="sk-test")
    with running(create_app(llm, cache_path=tmp_path / "c.sqlite3")) as c:
        rows = events(c, {"text": SEED})
    assert rows[0]["tokens"] > 500 and rows[0]["expected_requests"] >= 1
    assert rows[-1]["event"] == "result"


def test_what_cannot_start_is_a_json_error_before_any_event(tmp_path: Path) -> None:
    with serve(tmp_path) as c:
        assert_error(
            c.post("/v1/briefs/events", json={"url": "https://example.com/a"}), 422, "url_fetch_disabled"
        )
        assert_error(c.post("/v1/briefs/events", json={"text": "too short"}), 422, "input_error")
        no_key = c.post("/v1/briefs/events", json={"text": SEED, "options": {"engine": "openai"}})
        assert "OPENAI_API_KEY" in assert_error(no_key, 422, "config_error")["message"]
        assert_error(c.post("/v1/briefs/events", json={"text": SEED, "extra": 1}), 422, "validation_error")


def test_a_failing_engine_ends_the_stream_with_an_error_and_no_secret(tmp_path: Path) -> None:
    with serve(tmp_path, engine=BrokenEngine()) as c:
        rows = events(c, {"text": story(1)})
    assert rows[-1] == {"event": "error", "error": {"type": "internal_error", "message": "internal error"}}
    assert "sk-live-secret" not in json.dumps(rows)


def test_a_slow_brief_times_out_and_holds_an_in_flight_slot_meanwhile(tmp_path: Path) -> None:
    engine = SlowEngine(1.0)
    with serve(tmp_path, engine=engine, max_in_flight=1, request_timeout_s=0.6) as c:
        first: dict[str, list[dict[str, Any]]] = {}
        worker = threading.Thread(target=lambda: first.update(rows=events(c, {"text": story(1)})))
        worker.start()
        assert engine.started.wait(5)
        assert_error(c.post("/v1/briefs/events", json={"text": story(2)}), 429, "too_many_requests")
        worker.join(5)
    assert first["rows"][-1]["event"] == "error"
    assert first["rows"][-1]["error"]["type"] == "timeout"
