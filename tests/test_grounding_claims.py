"""Claims: backed by the article sentences they come from, and flagged when the article does not make them."""

from __future__ import annotations

import pytest
from grounding_cases import RETAIL, SEED, takeaway


def test_a_takeaway_copied_from_the_article_points_at_its_sentence() -> None:
    sentence = "The lack of alignment between the two countries has raised alarms about further escalations."
    check = takeaway(sentence)
    assert check.supported and check.score == 1.0
    assert SEED[check.support[0].start : check.support[0].end] == sentence


def test_a_paraphrased_takeaway_is_backed_by_the_sentences_it_merges() -> None:
    check = takeaway(
        "Minister Asif said Pakistan could obliterate the Taliban without a fraction of its military."
    )
    assert check.supported
    assert {s.sentence for s in check.support} >= {8}


def test_a_claim_the_article_does_not_make_is_weakly_backed() -> None:
    check = takeaway("Earthquake relief convoys reached remote mountain villages before winter.")
    assert not check.supported
    assert check.score < 0.3


def test_words_a_claim_puts_in_quote_marks_must_be_verbatim() -> None:
    assert takeaway('Asif warned the Taliban of their "own peril and doom".').supported
    assert not takeaway('Asif warned the Taliban of their "own ruin and doom".').supported


@pytest.mark.parametrize(
    ("claim", "article"),
    [
        ("Pakistan has a drone deal with the U.S., according to NDTV.", SEED),
        ("United States retail sales climbed 8% for the year.", RETAIL),
        ("Khawaja Asif issued the warning on October 29.", SEED),
    ],
)
def test_obvious_equivalents_are_not_flagged(claim: str, article: str) -> None:
    check = takeaway(claim, article)
    assert check.unsupported_terms == [], check.problems
