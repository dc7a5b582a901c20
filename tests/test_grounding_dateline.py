"""The dateline: place, date and outlet must be the article's own, and a false one is marked."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from support.grounding_cases import ROVER, SEED, make_brief

from briefer.grounding import render_report_text, verify_brief
from briefer.models import BriefResult, Dateline, ItemCheck, Provenance
from briefer.render import WARN, render


def dateline(
    place: str | None, date: str | None, outlet: str | None, article: str = SEED
) -> ItemCheck | None:
    brief = make_brief().model_copy(update={"dateline": Dateline(place=place, date=date, outlet=outlet)})
    return next((c for c in verify_brief(brief, article).claims if c.field == "dateline"), None)


def test_a_changed_dateline_is_flagged_part_by_part() -> None:
    check = dateline("Kabul", "1999-01-01", "Reuters")
    assert check is not None and not check.supported
    assert (check.index, check.text, check.score) == (0, "Kabul · 1999-01-01 · Reuters", 0.0)
    assert check.problems == [
        "Kabul is in the article, but not in its opening lines, where a dateline names the place",
        "date not in the article: 1999-01-01",
        "outlet not in the article: Reuters",
    ]
    assert check.unsupported_terms == ["Kabul", "1999-01-01", "Reuters"]
    assert check.support and check.support[0].start == 0, "the article's top, for a repair round to read"


@pytest.mark.parametrize(
    ("place", "date", "outlet"),
    [
        ("Islamabad", "Oct 29", "NationPress"),
        ("Islamabad, Pakistan", "29 October", "Nation Press"),
        ("Islamabad", "2025-10-29", None),  # the article gives no year; the day is its own
        (None, None, "NationPress"),
    ],
)
def test_the_articles_own_dateline_in_any_common_form_is_backed(place, date, outlet) -> None:
    check = dateline(place, date, outlet)
    assert check is not None and check.supported, check.problems
    assert all(SEED[s.start : s.end] in SEED[:500] for s in check.support), "found in the dateline itself"


def test_a_date_is_flagged_when_the_article_gives_none() -> None:
    check = dateline(None, "2005-02-01", None, ROVER)
    assert check is not None
    assert check.problems == ["the article gives no date; 2005-02-01 is not from it"]


def test_an_empty_dateline_claims_nothing_and_is_not_an_item() -> None:
    assert dateline(None, None, None) is None


def test_the_dateline_comes_after_the_headline_in_the_report_and_is_marked_where_shown() -> None:
    brief = make_brief().model_copy(
        update={"dateline": Dateline(place="Kabul", date="1999-01-01", outlet="Reuters")}
    )
    report = verify_brief(brief, SEED)
    assert [c.field for c in report.claims[:3]] == ["headline", "dateline", "summary"]
    assert not report.ok and "⚠ dateline[0]: »Kabul« · »1999-01-01« · »Reuters«" in render_report_text(report)
    result = BriefResult(
        brief=brief,
        provenance=Provenance(
            engine="extractive",
            model="lead",
            prompt=None,
            prompt_sha256=None,
            input_sha256="0" * 64,
            elapsed_s=0.0,
            briefer_version="0",
            created_at=datetime.now(UTC),
        ),
        grounding=report,
    )
    for fmt in ("md", "text"):
        line = next(line for line in render(result, fmt).splitlines() if "Kabul · 1999-01-01" in line)
        assert WARN in line and "Reuters" in line.split(WARN, 1)[1], fmt
