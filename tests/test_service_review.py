"""The review routes a person (the desk) uses: re-checking an edited brief against its article,
recent briefs from the cache, a brief as Markdown, and what a client may choose on this server."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import httpx
import pytest
from support.openai_server import OpenAIServer
from support.service_server import SEED, SlowEngine, assert_error, running, serve, story

from briefer.config import Settings
from briefer.models import BriefResult, GroundingReport
from briefer.service import create_app


@pytest.fixture(scope="module")
def seed_brief(client: httpx.Client) -> BriefResult:
    response = client.post("/v1/briefs", json={"text": SEED})
    assert response.status_code == 201, response.text
    return BriefResult.model_validate(response.json())


def verify(client: httpx.Client, brief: dict[str, Any], **article: Any) -> httpx.Response:
    return client.post("/v1/verify", json={"brief": brief, "article": article or {"text": SEED}})


def test_an_edited_takeaway_with_a_number_the_article_lacks_is_flagged(
    client: httpx.Client, seed_brief: BriefResult
) -> None:
    brief = seed_brief.brief.model_dump()
    brief["key_takeaways"][1] = "Pakistan deployed 42 brigades to the border on Wednesday."
    response = verify(client, brief)
    assert response.status_code == 200, response.text
    report = GroundingReport.model_validate(response.json())
    flagged = {(item.field, item.index): item for item in report.flagged()}
    assert not report.ok and list(flagged) == [("key_takeaways", 1)]
    assert "42" in "; ".join(flagged["key_takeaways", 1].problems)
    backed = next(c for c in report.claims if (c.field, c.index) == ("key_takeaways", 0))
    assert backed.supported and all(SEED[s.start : s.end].strip() for s in backed.support)


def test_the_unedited_brief_rechecks_as_it_was_briefed(client: httpx.Client, seed_brief: BriefResult) -> None:
    report = GroundingReport.model_validate(verify(client, seed_brief.brief.model_dump()).json())
    assert report == seed_brief.grounding


def test_statements_true_flags_a_claim_the_article_never_says_together(
    client: httpx.Client, seed_brief: BriefResult
) -> None:
    brief = seed_brief.brief.model_dump()
    brief["key_takeaways"][1] = "Geo News vowed to respond strongly to any attacks."  # Afghanistan vowed
    assert verify(client, brief).json()["ok"] is True, "off by default: every word is in the article"
    response = client.post("/v1/verify", json={"brief": brief, "article": {"text": SEED}, "statements": True})
    report = GroundingReport.model_validate(response.json())
    assert [(item.field, item.index) for item in report.flagged()] == [("key_takeaways", 1)]
    assert report.flagged()[0].problems[0].startswith("likely not what the article says")
    schema = client.get("/openapi.json").json()["components"]["schemas"]["VerifyRequest"]
    assert schema["properties"]["statements"]["default"] is False
    assert "statements" not in schema.get("required", [])


def test_offsets_point_into_the_text_with_its_title_on_top(
    client: httpx.Client, seed_brief: BriefResult
) -> None:
    """As in a brief's own report: the desk shows the title above the text and lights offsets in it."""
    title = "A title the article does not start with"
    response = verify(client, seed_brief.brief.model_dump(), text=SEED, title=title)
    report = GroundingReport.model_validate(response.json())
    shown = f"{title}\n\n{SEED}"
    quote = report.quotes[0]
    assert quote.found and quote.start is not None
    assert (
        shown[quote.start : quote.end]
        == SEED[seed_brief.grounding.quotes[0].start : seed_brief.grounding.quotes[0].end]
    )


def test_verify_refuses_what_briefing_refuses(client: httpx.Client, seed_brief: BriefResult) -> None:
    brief = seed_brief.brief.model_dump()
    no_fetch = verify(client, brief, url="https://example.com/story")
    assert_error(no_fetch, 422, "url_fetch_disabled")
    assert_error(verify(client, brief, text="too short"), 422, "input_error")
    assert_error(verify(client, {**brief, "key_takeaways": []}), 422, "validation_error")
    assert_error(verify(client, {**brief, "unknown": 1}), 422, "validation_error")
    text_body = client.post("/v1/verify", content=b"{}", headers={"content-type": "text/plain"})
    assert_error(text_body, 415, "unsupported_media_type")


def test_verify_is_under_the_body_and_in_flight_caps(tmp_path: Path, seed_brief: BriefResult) -> None:
    with serve(tmp_path, max_body_bytes=2000) as c:
        assert_error(verify(c, seed_brief.brief.model_dump()), 413, "payload_too_large")
    engine = SlowEngine(0.5)
    with serve(tmp_path, engine=engine, max_in_flight=1) as c:
        worker = threading.Thread(target=lambda: c.post("/v1/briefs", json={"text": story(1)}))
        worker.start()
        assert engine.started.wait(5)
        assert_error(verify(c, seed_brief.brief.model_dump()), 429, "too_many_requests")
        worker.join(5)
        assert verify(c, seed_brief.brief.model_dump()).status_code == 200


def test_recent_briefs_newest_first_once_each_with_their_flags(tmp_path: Path) -> None:
    with serve(tmp_path) as c:
        assert c.get("/v1/briefs").json() == []
        for n in (1, 2, 1):  # story 1 again: a cache hit, still listed once
            assert c.post("/v1/briefs", json={"text": story(n)}).status_code == 201
        recent = c.get("/v1/briefs").json()
        assert [r["headline"] for r in recent] == [
            BriefResult.model_validate(c.get(f"/v1/briefs/{r['input_sha256']}").json()).brief.headline
            for r in recent
        ]
        assert len(recent) == 2 and recent[0]["created_at"] >= recent[1]["created_at"]
        assert {r["engine"] for r in recent} == {"extractive"} and all(r["flagged"] >= 0 for r in recent)
        assert len(c.get("/v1/briefs", params={"limit": 1}).json()) == 1
        assert_error(c.get("/v1/briefs", params={"limit": 0}), 422, "validation_error")


def test_markdown_marks_flagged_items(client: httpx.Client, seed_brief: BriefResult) -> None:
    brief = seed_brief.brief.model_copy(update={"key_takeaways": ["Pakistan fired 42 missiles on Monday."]})
    report = GroundingReport.model_validate(verify(client, brief.model_dump()).json())
    edited = seed_brief.model_copy(update={"brief": brief, "grounding": report})
    response = client.post(
        "/v1/markdown", content=edited.model_dump_json(), headers={"content-type": "application/json"}
    )
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/markdown")
    assert "- Pakistan fired 42 missiles on Monday. ⚠" in response.text
    assert response.text.startswith(f"# {brief.headline}")


def test_options_say_what_a_client_may_choose(client: httpx.Client) -> None:
    assert client.get("/v1/options").json() == {
        "engine": "extractive",
        "model": "briefer-extractive-1",
        "prompt": "brief",
        "engines": ["extractive"],  # no key and no server: the LLM engine cannot run here
        "prompts": ["brief@1"],
        "allow_url_fetch": False,
        "max_body_bytes": 10 * 1024 * 1024,
        "statements": False,
    }


def test_options_offer_the_llm_engine_where_one_is_configured(
    tmp_path: Path, openai_server: OpenAIServer
) -> None:
    llm = Settings(engine="openai", base_url=openai_server.base_url, api_key="sk-test")
    with running(create_app(llm, cache_path=tmp_path / "c.sqlite3", allow_url_fetch=True)) as c:
        options = c.get("/v1/options").json()
    assert options["engine"] == "openai" and options["engines"] == ["openai", "extractive", "hybrid"]
    assert options["allow_url_fetch"] is True
    assert openai_server.completions == []  # listing engines asks the model nothing


def test_options_say_when_the_server_runs_the_statement_check_by_default(tmp_path: Path) -> None:
    checked = Settings(engine="extractive", statements=True)
    with running(create_app(checked, cache_path=tmp_path / "c.sqlite3")) as c:
        assert c.get("/v1/options").json()["statements"] is True
