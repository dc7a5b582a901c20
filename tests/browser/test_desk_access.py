"""The desk for everyone: the whole review by keyboard alone, readable on a phone and at 200%
zoom, no serious axe-core violations; the token asked once and kept out of URLs; /docs offline."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from support.service_server import SEED, TOKEN

from briefer.engines.extractive import ExtractiveEngine
from briefer.engines.fake import FunctionEngine
from briefer.models import Article, Brief

from .desk_page import BROWSER_TESTS, PHONE, WIDE, ZOOM_200, Desk, desk_server

pytestmark = BROWSER_TESTS


def flagging_model(request: Any) -> Brief:
    """The extractive brief with one unsupported takeaway, so flagged items are on the page too."""
    brief = ExtractiveEngine().run(Article(text=SEED)).brief
    return brief.model_copy(update={"key_takeaways": [*brief.key_takeaways[:3], "The army lost 42 tanks."]})


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    engine = FunctionEngine(flagging_model, repair_grounding=False)
    with desk_server(tmp_path_factory.mktemp("access"), engine=engine) as url:
        yield url


def tab_to(desk: Desk, test: str, limit: int = 60) -> None:
    """Press Tab until the focused element passes ``test`` (JS, given ``el``); fail if it never does."""
    for _ in range(limit):
        desk.page.keyboard.press("Tab")
        if desk.page.evaluate(f"(el => Boolean({test}))(document.activeElement)"):
            return
    raise AssertionError(f"Tab never reached {test}")


def test_the_whole_review_by_keyboard_alone(base: str, open_desk: Callable[..., Desk]) -> None:
    desk = open_desk(base)
    page = desk.page
    tab_to(desk, "el.id === 'article-text'")
    page.keyboard.insert_text(SEED)
    tab_to(desk, "el.id === 'brief-button'")
    page.keyboard.press("Enter")
    page.wait_for_selector("li.takeaway button.claim")

    tab_to(desk, "el.matches('li.takeaway button.claim')")
    assert desk.lit(), "focus alone lights the evidence"
    tab_to(desk, "el.dataset.edit === '0'")
    page.keyboard.press("Enter")
    assert desk.focused() == "edit-0"
    page.keyboard.press("Control+A")
    page.keyboard.insert_text("Pakistan's defence minister warned the Afghan Taliban.")
    page.keyboard.press("Control+Enter")
    assert desk.takeaways()[0] == "Pakistan's defence minister warned the Afghan Taliban."
    tab_to(desk, "el.id === 'recheck'")
    page.keyboard.press("Enter")
    page.wait_for_selector("#review-status:has-text('Re-checked')")
    tab_to(desk, "el.id === 'accept'")
    page.keyboard.press("Enter")
    tab_to(desk, "el.id === 'download'")
    with page.expect_download() as download:
        page.keyboard.press("Enter")
    saved = json.loads(Path(download.value.path()).read_text())
    assert saved["brief"]["key_takeaways"][0] == "Pakistan's defence minister warned the Afghan Taliban."


@pytest.mark.parametrize("viewport", [WIDE, PHONE, ZOOM_200], ids=["wide", "phone", "zoom200"])
def test_no_serious_axe_violations(
    base: str, open_desk: Callable[..., Desk], viewport: dict[str, int]
) -> None:
    from axe_playwright_python.sync_playwright import Axe

    desk = open_desk(base, viewport=viewport).brief(SEED)
    assert desk.page.locator("li.item.flagged").count() == 1
    desk.page.locator("li.takeaway").nth(0).get_by_role("button", name="Edit").click()  # the editor too
    violations = Axe().run(desk.page).response["violations"]
    serious = [
        f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']]}"
        for v in violations
        if v["impact"] in ("serious", "critical")
    ]
    assert not serious, "\n".join(serious)


@pytest.mark.parametrize("viewport", [PHONE, ZOOM_200], ids=["phone", "zoom200"])
def test_readable_on_a_phone_and_at_200_percent(
    base: str, open_desk: Callable[..., Desk], viewport: dict[str, int]
) -> None:
    desk = open_desk(base, viewport=viewport).brief(SEED)
    page = desk.page
    width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1], f"the page scrolls sideways: {width}"
    font = page.evaluate("parseFloat(getComputedStyle(document.querySelector('li.takeaway .text')).fontSize)")
    assert font >= 16
    page.mouse.move(0, 0)  # off the brief: the pointer's item would win over the focused one
    last = page.locator("li.takeaway:not(.flagged) button.claim").last
    last.focus()
    page.wait_for_timeout(600)
    seen = page.evaluate(
        """() => { const lit = document.querySelector('#article .lit').getBoundingClientRect();
                   const item = document.activeElement.getBoundingClientRect();
                   const inside = (r) => r.bottom > 0 && r.top < window.innerHeight;
                   return [inside(lit), inside(item)]; }"""
    )
    assert seen == [True, True], "the evidence and the item it backs are on screen together"


def test_the_token_is_asked_once_and_kept_out_of_urls(tmp_path: Path, open_desk: Callable[..., Desk]) -> None:
    with desk_server(tmp_path, token=TOKEN) as url:
        desk = open_desk(url, token="not-the-token", wait=False)
        page = desk.page
        page.wait_for_selector("#token-error:has-text('refused')")
        page.fill("#token", TOKEN)
        page.click("#token-form button[type=submit]")
        page.wait_for_selector("#engine option", state="attached")
        desk.brief(SEED)
        page.goto(url + "/docs")  # the docs use the same token, from this tab's sessionStorage
        page.get_by_text("/v1/verify", exact=True).wait_for()
        assert page.locator("#token-dialog").count() == 0
        page.go_back()
        page.wait_for_selector("#recent button[data-sha]")
        assert not page.locator("#token-dialog").is_visible(), "asked once per tab"
        assert all(TOKEN not in r.url for r in desk.watch.requests)
        sent = [r for r in desk.watch.requests if r.url.startswith(url + "/v1/")]
        given = [r.headers.get("authorization") for r in sent]
        assert given[:2] == [None, "Bearer not-the-token"]
        assert len(given) > 3 and set(given[2:]) == {f"Bearer {TOKEN}"}
        assert page.evaluate("localStorage.getItem('briefer.token')") is None
