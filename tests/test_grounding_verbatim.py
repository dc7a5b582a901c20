"""'Verbatim' survives typography (quote marks, dashes, spacing, case) and marked omissions, nothing else."""

from __future__ import annotations

import pytest
from support.grounding_cases import ROOT, SEED, quote

from briefer.grounding.index import index_article
from briefer.grounding.verbatim import find_quote


@pytest.mark.parametrize(
    "typed",
    [
        "It's true that we do not have nuclear weapons",  # straight apostrophe for a curly one
        "it’s true that we do not have  nuclear\nweapons,",  # case, whitespace, trailing punctuation
        "“It’s true that we do not have nuclear weapons”",  # the quote marks themselves
    ],
)
def test_quotes_match_through_typography(typed: str) -> None:
    assert quote("Abdul Mateen Qani", typed).found


@pytest.mark.parametrize("dash", [" - ", " — ", "–", "-"])
def test_quotes_match_through_dashes(dash: str) -> None:
    text = f"allegedly operating against Pakistan{dash}a demand that was rejected"
    assert quote("Ariana News", text).found


@pytest.mark.parametrize("ellipsis", ["…", "...", " [...] "])
def test_an_ellipsis_marks_an_omission(ellipsis: str) -> None:
    text = f"Rest assured, Pakistan can completely annihilate the Taliban regime{ellipsis}driving them back to the caves"
    check = quote("Khawaja Asif", text)
    assert check.found and check.supported
    assert [SEED[s.start : s.end] for s in check.support] == [
        "Rest assured, Pakistan can completely annihilate the Taliban regime",
        "driving them back to the caves",
    ]


def test_an_ellipsis_does_not_join_parts_out_of_order() -> None:
    assert not quote("Khawaja Asif", "driving them back to the caves … Rest assured").found


def test_a_match_reports_the_original_text_typography_and_all() -> None:
    text = "He said: “It’s  true”  —  really. Then he left."
    match = find_quote("it's true - really", index_article(text))
    assert match is not None
    assert text[match.start : match.end] == "It’s  true”  —  really"


def test_a_quote_the_article_does_not_have_is_not_found() -> None:
    assert find_quote("It is false", index_article("He said: “It’s true.”")) is None


def test_brackets_the_article_itself_has_are_quoted_as_they_stand() -> None:
    """BBC (seeds/bbc-politics-147.txt): the article's own long bracketed gloss inside a quote."""
    text = (ROOT / "seeds" / "bbc-politics-147.txt").read_text(encoding="utf-8")
    quoted = (
        "as a result of the end of chain migration [where families have an automatic right to settle], "
        "the numbers will probably fall"
    )
    match = find_quote(quoted, index_article(text))
    assert match is not None and text[match.start : match.end] == quoted
    assert find_quote(quoted.replace("automatic", "absolute"), index_article(text)) is None
