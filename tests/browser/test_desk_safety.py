"""Article text and model answers are untrusted: scripts, event handlers, ``javascript:`` links
and Markdown tricks sent through the article (pasted or as an HTML file) and through a hostile
model's answer (the test OpenAI-compatible server) reach the page as text, and nothing runs."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from support.openai_server import OpenAIServer, ok
from support.service_server import SEED

from briefer.config import Settings
from briefer.models import Brief, Dateline, Entity, Quote

from .desk_page import BROWSER_TESTS, Desk, desk_server

pytestmark = BROWSER_TESTS

PAYLOADS = [
    "<script>window.__pwned = 'script'; alert('script')</script>",
    "<img src=x onerror=\"window.__pwned = 'img'; alert('img')\">",
    "<a href=\"javascript:window.__pwned = 'a'; alert('a')\">read more</a>",
    "[read more](javascript:window.__pwned='md';alert('md'))",
    "![chart](https://evil.example/pixel.png)",
    '"><svg onload="alert(\'svg\')"></svg>',
    "<iframe src=\"javascript:alert('iframe')\"></iframe>",
]
HOSTILE_ARTICLE = "\n".join(
    [
        f"Islamabad, Oct 29 (NationPress) - Officials said {PAYLOADS[0]} the warning stood, "
        f"and {PAYLOADS[1]} analysts agreed.",
        f'Khawaja Asif said, "We will respond {PAYLOADS[2]} to any attack {PAYLOADS[3]}."',
        f"Geo News reported {PAYLOADS[4]} that {PAYLOADS[5]} talks failed {PAYLOADS[6]} on Monday.",
        SEED,
    ]
)


def hostile_brief() -> Brief:
    """A model answer with a payload in every field a page shows."""
    return Brief(
        headline=f"Warning {PAYLOADS[1]}",
        dateline=Dateline(place=PAYLOADS[0], date="Oct 29", outlet=PAYLOADS[2]),
        summary=f"Pakistan warned the Taliban {PAYLOADS[3]}. Talks failed {PAYLOADS[5]}.",
        key_takeaways=[
            f"Pakistan issued a warning {PAYLOADS[0]}.",
            f"Click {PAYLOADS[3]} for more.",
            f"Talks failed {PAYLOADS[4]}.",
        ],
        entities=[Entity(name=PAYLOADS[6], kind="person", role=PAYLOADS[1])],
        quotes=[Quote(speaker=PAYLOADS[2], text=f"We will respond {PAYLOADS[5]}")],
        sources=["javascript:alert('source')", PAYLOADS[4]],
        what_to_watch=[f"Watch {PAYLOADS[6]}"],
        topics=[PAYLOADS[0], "pakistan"],
    )


def assert_inert(desk: Desk, shown_in: str = "#review") -> None:
    """Nothing ran; no element came from the data; the payloads are on the page as plain text."""
    page = desk.page
    for claim in page.locator("button.claim").all():  # hover, focus and press every item
        claim.hover()
        claim.focus()
        claim.press("Enter")
    found = page.evaluate(
        """() => ({
            pwned: window.__pwned ?? null,
            scripts: document.scripts.length,
            elements: [...document.querySelectorAll('#article *, #brief *, #recent *')]
                .map((e) => e.tagName.toLowerCase())
                .filter((t) => !['span', 'p', 'div', 'ol', 'ul', 'li', 'h4', 'section', 'button'].includes(t)),
            links: [...document.querySelectorAll('a')].map((a) => a.getAttribute('href')),
        })"""
    )
    assert found["pwned"] is None and found["scripts"] == 1, found
    assert found["elements"] == [], f"elements built from data: {found['elements']}"
    assert found["links"] == ["#brief-pane", "/docs"], "no link but the page's own"
    shown = page.inner_text(shown_in)
    assert "<script>" in shown or "<img src=x" in shown, "the payloads are shown as text"


def test_a_hostile_article_pasted_is_shown_as_text(tmp_path: Path, open_desk: Callable[..., Desk]) -> None:
    with desk_server(tmp_path) as url:
        desk = open_desk(url).brief(HOSTILE_ARTICLE)
        assert PAYLOADS[0] in desk.page.inner_text("#article")
        assert_inert(desk)


def test_a_hostile_html_file_is_extracted_and_shown_as_text(
    tmp_path: Path, open_desk: Callable[..., Desk]
) -> None:
    escaped = "".join(f"<p>{line}</p>" for line in HOSTILE_ARTICLE.replace("<", "&lt;").splitlines())
    live = "<script>alert('live')</script><img src=x onerror=\"alert('live img')\">"
    page_file = tmp_path / "story.html"
    page_file.write_text(
        f"<html><head><title>Story</title></head><body><article>{live}{escaped}</article></body></html>"
    )
    with desk_server(tmp_path) as url:
        desk = open_desk(url)
        desk.page.set_input_files("#article-file", str(page_file))
        desk.page.wait_for_selector("#file-name:has-text('story.html')")
        desk.page.click("#brief-button")
        desk.page.wait_for_selector("li.takeaway button.claim")
        assert "<img src=x" in desk.page.inner_text("#article")
        assert_inert(desk)


def test_a_hostile_model_answer_is_shown_as_text(tmp_path: Path, open_desk: Callable[..., Desk]) -> None:
    answer = hostile_brief().model_dump_json()
    with OpenAIServer(default=ok(answer)) as server:
        llm = Settings(engine="openai", base_url=server.base_url, api_key="sk-test", repair_grounding=False)
        with desk_server(tmp_path, llm) as url:
            desk = open_desk(url).brief(SEED)
            assert server.completions, "the brief came from the model"
            assert desk.page.inner_text(".headline button.claim .text") == hostile_brief().headline
            assert "javascript:alert('source')" in desk.page.inner_text("#brief")
            assert desk.page.locator("li.item.flagged").count() > 0  # and grounding saw through it
            assert_inert(desk)
            desk.page.reload()  # the recent list shows the hostile headline too
            desk.page.wait_for_selector("#recent button[data-sha]")
            assert hostile_brief().headline in desk.page.inner_text("#recent")
            assert_inert(desk, shown_in="#recent")


def test_the_policy_blocks_what_a_slip_would_let_in(tmp_path: Path, open_desk: Callable[..., Desk]) -> None:
    """Belt and braces: were the page ever to write HTML from data, the CSP would stop inline code."""
    with desk_server(tmp_path) as url:
        desk = open_desk(url)
        blocked: list[Any] = []
        desk.page.on(
            "console", lambda m: blocked.append(m.text) if "Content Security Policy" in m.text else None
        )
        desk.page.evaluate(
            """() => { const d = document.createElement('div');
                       d.innerHTML = '<img src=x onerror="window.__pwned = 1">';
                       document.body.append(d); }"""
        )
        desk.page.wait_for_timeout(300)
        assert desk.page.evaluate("window.__pwned ?? null") is None
        assert blocked, "the browser reported the blocked inline handler"
        desk.watch.csp.clear()  # this one was planted on purpose
