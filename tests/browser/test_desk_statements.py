"""The statement check at the desk: off by default; ticked, a brief request and a re-check ask
for it, and a claim it doubts (every word in the article, said by no sentence of it) is flagged
with its reason where every other grounding problem shows."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from support.openai_server import OpenAIServer, ok
from support.statement_cases import DERBY, SPLICED, SPLICED_BRIEF, SPLICED_JSON

from briefer.config import Settings
from briefer.engines.fake import FunctionEngine
from briefer.models import Brief

from .desk_page import BROWSER_TESTS, Desk, desk_server

pytestmark = BROWSER_TESTS


def assert_spliced_claim_flagged_with_its_reason(desk: Desk) -> None:
    from playwright.sync_api import expect  # the browser extra: absent under `make test`

    flagged = desk.page.locator("li.takeaway.flagged")
    expect(flagged).to_have_count(1)
    assert flagged.locator("button.claim .text").inner_text() == SPLICED
    reason = flagged.locator(".why").inner_text()
    assert reason.startswith("⚠ Check: likely not what the article says (")
    assert "never in one sentence" in reason
    assert desk.verdict() == "⚠ 1 item flagged"


def sent_by_brief_it(page: Any, url: str) -> Any:
    """What the desk sends when **Brief it** is clicked again on the article it shows."""
    with page.expect_request(url + "/v1/briefs/events") as sent:
        page.click("#brief-button")
    return json.loads(sent.value.post_data or "{}")


def test_ticked_a_brief_asks_for_the_statement_check_and_shows_its_reason(
    tmp_path: Path, open_desk: Callable[..., Desk]
) -> None:
    with OpenAIServer(default=ok(SPLICED_JSON)) as server:
        llm = Settings(engine="openai", base_url=server.base_url, api_key="sk-test", repair_grounding=False)
        with desk_server(tmp_path, settings=llm) as url:
            desk = open_desk(url)
            page = desk.page
            box = page.get_by_label("Statement check")
            assert not box.is_checked(), "off by default"
            hint = page.inner_text("#statements-hint")
            assert "catches more wrong claims" in hint and "flags more right ones" in hint

            desk.brief(DERBY)
            assert (
                SPLICED in desk.takeaways()
                and desk.verdict() == "Every checked item is backed by the article"
            )

            box.check()
            assert sent_by_brief_it(page, url) == {"text": DERBY, "options": {"statements": True}}
            assert_spliced_claim_flagged_with_its_reason(desk)


def spliced(request: Any) -> Brief:
    """A model that writes the Derby brief with its spliced takeaway."""
    return Brief.model_validate(SPLICED_BRIEF)


def test_ticked_a_recheck_asks_for_the_statement_check_and_its_markdown_shows_it(
    tmp_path: Path, open_desk: Callable[..., Desk]
) -> None:
    with desk_server(tmp_path, engine=FunctionEngine(spliced, repair_grounding=False)) as url:
        desk = open_desk(url, permissions=["clipboard-read", "clipboard-write"]).brief(DERBY)
        page = desk.page
        assert page.locator("li.flagged").count() == 0

        page.get_by_label("Statement check").check()
        with page.expect_request(url + "/v1/verify") as sent:
            page.click("#recheck")
        assert json.loads(sent.value.post_data or "{}")["statements"] is True
        page.wait_for_selector(
            "#review-status:has-text('Re-checked with the statement check: 1 item(s) flagged')"
        )
        assert_spliced_claim_flagged_with_its_reason(desk)
        page.click("#accept")
        page.click("#copy")
        page.wait_for_selector("#review-status:has-text('Copied as Markdown')")
        markdown = page.evaluate("navigator.clipboard.readText()")
        assert f"- {SPLICED} ⚠ likely not what the article says (" in markdown, "and in its Markdown"

        page.click("#accept")  # edit again
        page.get_by_label("Statement check").uncheck()
        page.click("#recheck")
        page.wait_for_selector("#review-status:has-text('Re-checked: every item is backed')")
        assert page.locator("li.flagged").count() == 0


def test_on_a_server_that_checks_by_default_the_box_starts_ticked_and_unticking_asks_without(
    tmp_path: Path, open_desk: Callable[..., Desk]
) -> None:
    """BRIEFER_STATEMENTS on the server: the desk says so, and an editor may still opt out."""
    from playwright.sync_api import expect  # the browser extra: absent under `make test`

    with OpenAIServer(default=ok(SPLICED_JSON)) as server:
        llm = Settings(
            engine="openai",
            base_url=server.base_url,
            api_key="sk-test",
            repair_grounding=False,
            statements=True,
        )
        with desk_server(tmp_path, settings=llm) as url:
            desk = open_desk(url)
            page = desk.page
            box = page.get_by_label("Statement check")
            assert box.is_checked(), "the server's default"

            with page.expect_request(url + "/v1/briefs/events") as sent:
                desk.brief(DERBY)
            assert json.loads(sent.value.post_data or "{}") == {"text": DERBY}
            assert_spliced_claim_flagged_with_its_reason(desk)

            box.uncheck()
            assert sent_by_brief_it(page, url) == {"text": DERBY, "options": {"statements": False}}
            expect(page.locator("#verdict")).to_have_text("Every checked item is backed by the article")
            assert page.locator("li.takeaway.flagged").count() == 0
