"""What an editor reads: the brief in Markdown, plain text or JSON, with every doubtful item marked."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefer.config import Settings
from briefer.models import Article, BriefResult
from briefer.pipeline import brief_article
from briefer.render import WARN, md_escape, render

SEED = Article(text=(Path(__file__).parents[1] / "seeds" / "pakistan-taliban-warning.txt").read_text())


@pytest.fixture(scope="module")
def result() -> BriefResult:
    return brief_article(SEED, Settings(engine="extractive"))


@pytest.fixture(scope="module")
def doubtful(result: BriefResult) -> BriefResult:
    """The same brief with an invented number in its first takeaway, checked against the article."""
    from briefer.grounding import verify_brief

    brief = result.brief.model_copy(
        update={"key_takeaways": ["Pakistan sent 4,512 soldiers to Kabul.", *result.brief.key_takeaways[1:]]}
    )
    return result.model_copy(update={"brief": brief, "grounding": verify_brief(brief, SEED.text)})


def test_markdown_leads_with_the_headline_and_the_key_takeaways(result: BriefResult) -> None:
    markdown = render(result, "md")
    lines = markdown.splitlines()
    assert lines[0] == f"# {md_escape(result.brief.headline)}"
    takeaways = markdown.index("Key Takeaways")
    assert takeaways < markdown.index(md_escape(result.brief.summary)[:40])
    assert all(f"- {md_escape(t)}" in markdown for t in result.brief.key_takeaways)
    assert f"input sha256 {result.provenance.input_sha256[:12]}" in markdown


def test_a_flagged_item_carries_the_mark_and_the_reason(doubtful: BriefResult) -> None:
    for fmt in ("md", "text"):
        shown = render(doubtful, fmt)
        line = next(line for line in shown.splitlines() if "4,512" in line)
        assert WARN in line and "4,512" in line.split(WARN, 1)[1], f"{fmt}: the reason names the number"
    assert WARN not in next(
        line
        for line in render(doubtful, "md").splitlines()
        if md_escape(doubtful.brief.key_takeaways[1]) in line
    )


def test_json_is_the_whole_result_and_reads_back(doubtful: BriefResult) -> None:
    assert BriefResult.model_validate_json(render(doubtful, "json")) == doubtful


def test_the_offline_engine_shows_no_cost(result: BriefResult) -> None:
    assert "$" not in render(result, "text").splitlines()[-1]


HOSTILE = [
    "Click [here](javascript:alert(1)) for more",
    "![pixel](http://evil.example/p.png)",
    "<img src=x onerror=alert(1)> and <script>alert(1)</script>",
    "<https://evil.example/autolink>",
    "line one\n# a heading of its own",
]


def test_markdown_shows_hostile_text_and_never_acts_on_it(result: BriefResult) -> None:
    """Copied into a CMS that renders Markdown, a brief makes no link, image, HTML or heading of its text."""
    from markdown_it import MarkdownIt

    brief = result.brief.model_copy(update={"key_takeaways": HOSTILE, "headline": "[x](javascript:alert(1))"})
    html = MarkdownIt("commonmark").render(render(result.model_copy(update={"brief": brief}), "md"))

    assert "<a " not in html and "<img" not in html and "<script" not in html
    assert html.count("<h1>") == 1 and "<h2>Key Takeaways</h2>" in html
    assert "Click [here](javascript:alert(1)) for more" in html, "the words are all there, as text"
    assert "&lt;img src=x onerror=alert(1)&gt;" in html


TERMINAL_TRICKS = [
    "Talks resumed.\x1b[2J\x1b[H The screen was just cleared",  # ANSI CSI: clear screen, cursor home
    "Read \x1b]8;;http://evil.example/\x1b\\the official statement\x1b]8;;\x1b\\ here",  # OSC 8 hyperlink
    "A title \x1b]0;pwned\x07 and a bell",  # OSC 0: the window title
    "C1 controls \x9b2J and \x9d8;;http://evil.example/\x9c too",  # 8-bit CSI and OSC
    "NUL \x00, backspace \x08\x08\x08 and DEL \x7f",
]
CONTROLS = set(map(chr, [*range(0x00, 0x09), *range(0x0B, 0x20), *range(0x7F, 0xA0)]))


@pytest.fixture
def tricky(result: BriefResult) -> BriefResult:
    brief = result.brief.model_copy(
        update={"key_takeaways": TERMINAL_TRICKS, "headline": "Headline \x1b[31mred\x1b[0m"}
    )
    provenance = result.provenance.model_copy(update={"model": "model\x1b[2J"})
    return result.model_copy(update={"brief": brief, "provenance": provenance})


@pytest.mark.parametrize("fmt", ["md", "text"])
def test_terminal_escapes_are_shown_never_obeyed(tricky: BriefResult, fmt: str) -> None:
    """Printed to a terminal, article or model text cannot clear the screen, set a link or a title."""
    shown = render(tricky, fmt)
    assert not CONTROLS & set(shown.replace("\n", "")), "no control character but line feeds"
    shown = shown.replace("\\", "")  # Markdown's escapes of [ and ]
    assert "␛[2J" in shown and "␛]8;;http://evil.example/" in shown, "the escapes are visible as text"
    assert "the official statement" in shown and "model␛[2J" in shown


def test_an_item_cannot_forge_a_line_of_the_text_output(result: BriefResult) -> None:
    forged = "Talks resumed.\ngrounding: every item backed by the article (score 1.00)"
    brief = result.brief.model_copy(update={"key_takeaways": [forged], "summary": "One.\n\nTOPICS: fake"})
    lines = render(result.model_copy(update={"brief": brief}), "text").splitlines()
    assert sum(line.startswith("grounding:") for line in lines) == 1
    assert not any(line.startswith("TOPICS: fake") for line in lines)


def test_json_keeps_every_character_escaped_as_json(tricky: BriefResult) -> None:
    shown = render(tricky, "json")
    assert not CONTROLS & set(shown.replace("\n", ""))
    assert BriefResult.model_validate_json(shown) == tricky, "the same strings, exactly"
