"""Names in a claim, an entity or a source must be names the article uses."""

from __future__ import annotations

import pytest
from grounding_cases import ROVER, SEED, make_brief, takeaway

from briefer.grounding import verify_brief


@pytest.mark.parametrize(
    ("swapped", "name"),
    [
        (
            "Pakistan's Defence Minister Khawaja Sharif issued a strong warning to the Afghan Taliban.",
            "Sharif",
        ),
        ("The three-day negotiations between Pakistan and Afghanistan in Ankara failed.", "Ankara"),
        ("A tie-up has been pushed by UK Chancellor Gordon Smith.", "Smith"),
    ],
)
def test_a_swapped_name_or_place_is_flagged(swapped: str, name: str) -> None:
    article = ROVER if "tie-up" in swapped else SEED
    check = takeaway(swapped, article)
    assert not check.supported
    assert check.unsupported_terms == [name]


def test_entities_and_sources_may_be_partial_or_possessive_but_not_invented() -> None:
    report = verify_brief(
        make_brief(entities=["Asif", "Khawaja Asif's", "Imran Khan"], sources=["Geo News", "Reuters"]), SEED
    )
    assert [n.supported for n in report.names] == [True, True, False, True, False]
    assert report.names[2].unsupported_terms == ["Imran", "Khan"]
    assert not report.ok


def test_a_name_opening_a_claim_is_checked_when_it_is_a_full_name() -> None:
    # The first word of a sentence is capitalised anyway, so a lone "Sharif" opening a claim is
    # not taken for a name (a documented miss); "Nawaz Sharif" still is.
    assert takeaway("Nawaz Sharif said the talks failed in Istanbul.").unsupported_terms == ["Sharif"]
    assert takeaway("Sharif said the talks failed in Istanbul.").unsupported_terms == []


def test_titles_and_demonyms_need_not_be_in_the_article() -> None:
    # The article writes "Defence Minister Khawaja Asif" and "Afghanistan"; a claim may retitle
    # him and call the officials Afghan.
    check = takeaway("President Khawaja Asif warned Afghan officials about the Taliban.")
    assert check.unsupported_terms == []
