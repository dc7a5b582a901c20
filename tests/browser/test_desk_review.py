"""An editor's review in a real browser: the seed streams into a brief, every item lights its
evidence in the article, a planted number is flagged with its reason, an edited takeaway is
re-checked, and the accepted brief is copied and downloaded."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from support.service_server import SEED, TOKEN, SlowEngine

from briefer.engines.extractive import ExtractiveEngine
from briefer.engines.fake import FunctionEngine
from briefer.models import Article, Brief, BriefResult

from .desk_page import BROWSER_TESTS, Desk, desk_server

pytestmark = BROWSER_TESTS


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with desk_server(tmp_path_factory.mktemp("desk")) as url:
        yield url


def test_the_seed_streams_into_a_brief_of_three_to_seven_takeaways(
    base: str, open_desk: Callable[..., Desk]
) -> None:
    desk = open_desk(base)
    events: list[str] = []
    desk.page.on("response", lambda r: events.append(r.url) if r.url.endswith("/v1/briefs/events") else None)
    desk.brief(SEED)
    assert events, "the brief came through the NDJSON endpoint"
    assert 3 <= len(desk.takeaways()) <= 7
    assert desk.page.inner_text("#status").startswith("Brief ready in")
    assert "Khawaja Asif" in desk.page.inner_text("#article")
    assert desk.verdict() == "Every checked item is backed by the article"
    assert desk.page.locator("#url-row").is_hidden(), "this server fetches no URL, so none is asked for"


def test_a_long_brief_shows_the_article_and_then_its_progress(
    tmp_path: Path, open_desk: Callable[..., Desk]
) -> None:
    with desk_server(tmp_path, engine=SlowEngine(1.5)) as url:
        desk = open_desk(url)
        desk.page.fill("#article-text", SEED)
        desk.page.click("#brief-button")
        from playwright.sync_api import expect  # the browser extra: absent under `make test`

        expect(desk.page.locator("#status")).to_have_text(re.compile(r"Briefing… (0\.[1-9]|[1-9])"))
        assert "Khawaja Asif" in desk.page.inner_text("#article"), "the article is there before the brief"
        assert desk.page.locator("li.takeaway").count() == 0 and desk.page.locator("#progress").is_visible()
        desk.page.wait_for_selector("li.takeaway button.claim")
        assert desk.page.locator("#progress").is_hidden()


def test_a_dropped_file_and_the_chosen_options_are_what_is_sent(
    tmp_path: Path, open_desk: Callable[..., Desk]
) -> None:
    with desk_server(tmp_path, allow_url_fetch=True) as url:
        desk = open_desk(url)
        page = desk.page
        assert page.locator("#article-url").is_visible()
        page.click("#choices summary")
        assert page.locator("#engine option").all_inner_texts() == [
            "server default (extractive)",
            "extractive",
        ]
        page.select_option("#prompt", "brief@1")
        dropped = page.evaluate_handle(
            """(text) => { const data = new DataTransfer();
                           data.items.add(new File([text], 'story.md', { type: 'text/markdown' }));
                           return data; }""",
            SEED,
        )
        page.dispatch_event("#drop", "drop", {"dataTransfer": dropped})
        page.wait_for_selector("#file-name:has-text('story.md')")
        assert page.input_value("#article-text") == SEED
        with page.expect_request(url + "/v1/briefs/events") as sent:
            page.click("#brief-button")
        assert json.loads(sent.value.post_data or "{}") == {"text": SEED, "options": {"prompt": "brief@1"}}
        page.wait_for_selector("li.takeaway button.claim")


def test_focus_or_hover_lights_the_supporting_sentences_and_scrolls_to_them(
    base: str, open_desk: Callable[..., Desk]
) -> None:
    desk = open_desk(base).brief(SEED)
    last = desk.page.locator("li.takeaway button.claim").last
    last.focus()
    lit = desk.lit()
    assert lit and lit.strip() in SEED
    takeaway_words = set(last.inner_text().split())
    assert len(takeaway_words & set(lit.split())) >= 5, "the lit sentence is the one the takeaway says"
    desk.page.wait_for_timeout(600)  # the smooth scroll
    in_view = desk.page.evaluate(
        """() => { const pane = document.getElementById('article').getBoundingClientRect();
                   const lit = document.querySelector('#article .lit').getBoundingClientRect();
                   return lit.top >= pane.top - 1 && lit.top < pane.bottom; }"""
    )
    assert in_view, "the evidence was scrolled into view inside the article"

    quote = desk.page.locator("li.quote button.claim").first
    quote.hover()
    verbatim = "".join(desk.page.locator("#article .verbatim").all_text_contents())
    assert verbatim and verbatim in SEED and verbatim.strip('"“” ')[:20] in quote.inner_text()
    assert "found verbatim at character" in desk.page.locator("li.quote .where").first.inner_text()


def planted_number(request: Any) -> Brief:
    """A model that writes the extractive engine's brief with one takeaway the article cannot back."""
    brief = ExtractiveEngine().run(Article(text=SEED)).brief
    takeaways = [*brief.key_takeaways[:2], "Pakistan moved 42 brigades to the Afghan border on Wednesday."]
    return brief.model_copy(update={"key_takeaways": takeaways})


def test_a_planted_number_is_flagged_with_its_reason(tmp_path: Path, open_desk: Callable[..., Desk]) -> None:
    engine = FunctionEngine(planted_number, repair_grounding=False)
    with desk_server(tmp_path, engine=engine) as url:
        desk = open_desk(url).brief(SEED)
        flagged = desk.page.locator("li.item.flagged")
        assert flagged.count() == 1
        assert "⚠" in flagged.inner_text() and "42 brigades" in flagged.inner_text()
        reason = flagged.locator(".why").inner_text()
        assert reason.startswith("⚠ Check:") and "42" in reason
        assert desk.verdict() == "⚠ 1 item flagged"
        described = flagged.locator("button.claim").get_attribute("aria-describedby") or ""
        assert flagged.locator(".why").get_attribute("id") in described.split()  # read out on focus


def test_edit_recheck_accept_copy_and_download(
    tmp_path: Path, open_desk: Callable[..., Desk], browser: Any
) -> None:
    with desk_server(tmp_path, token=TOKEN) as url:
        desk = open_desk(url, token=TOKEN, permissions=["clipboard-read", "clipboard-write"]).brief(SEED)
        page = desk.page
        before = desk.takeaways()
        page.locator("li.takeaway").nth(1).get_by_role("button", name="Edit").click()
        page.fill("#edit-1", "Pakistan moved 42 brigades to the Afghan border.")
        page.get_by_role("button", name="Save").click()
        assert "edited since the last check" in desk.verdict()
        assert page.locator("#accept").is_disabled(), "an edited brief is re-checked before it is accepted"
        page.locator("li.takeaway").nth(0).get_by_role("button", name="Delete").click()
        assert desk.takeaways() == ["Pakistan moved 42 brigades to the Afghan border.", *before[2:]]

        page.click("#recheck")
        page.wait_for_selector("#review-status:has-text('Re-checked')")
        assert desk.verdict() == "⚠ 1 item flagged"
        assert "42" in page.locator("li.takeaway.flagged .why").inner_text()

        page.click("#accept")
        assert page.locator("li.takeaway button", has_text="Edit").count() == 0
        page.click("#copy")
        page.wait_for_selector("#review-status:has-text('Copied as Markdown')")
        markdown = page.evaluate("navigator.clipboard.readText()")
        assert "- Pakistan moved 42 brigades to the Afghan border. ⚠" in markdown

        with page.expect_download() as download:
            page.click("#download")
        saved = BriefResult.model_validate(json.loads(Path(download.value.path()).read_text()))
        assert saved.brief.key_takeaways == desk.takeaways()
        assert [(i.field, i.index) for i in saved.grounding.flagged()] == [("key_takeaways", 0)]
        assert download.value.suggested_filename == f"brief-{saved.provenance.input_sha256[:12]}.json"

        token_in_urls = [r.url for r in desk.watch.requests if TOKEN in r.url]
        assert not token_in_urls and page.evaluate("sessionStorage.getItem('briefer.token')") == TOKEN


def test_recent_briefs_reopen_with_their_evidence(tmp_path: Path, open_desk: Callable[..., Desk]) -> None:
    with desk_server(tmp_path) as url:
        desk = open_desk(url).brief(SEED)
        headline = desk.page.inner_text(".headline button.claim")
        desk.page.reload()
        desk.page.wait_for_selector("#recent button[data-sha]")
        desk.page.get_by_role("button", name=headline).click()
        desk.page.wait_for_selector("li.takeaway button.claim")
        desk.page.locator("li.takeaway button.claim").first.focus()
        assert desk.lit(), "the article came back from this browser's storage"
