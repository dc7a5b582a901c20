"""Names of an article body (briefer/engines/extractive/mentions.py): cleaned of openers, titles
and possessors, surnames merged into full names, the cues to kind and role noted."""

from __future__ import annotations

from briefer.engines.extractive.mentions import Names
from briefer.engines.extractive.scan import Scan

TEXT = (
    "Police said first officer Andreas Lubitz, 27, locked the door. Lubitz had been treated for "
    "depression, police said. Pakistan's Defence Minister Khawaja Asif spoke later. "
    'Since Jeb Bush left, the University of Oklahoma has said nothing. In the film "Run All Night", '
    "the star plays a hitman. No one at eBay UK would comment. Asif said the talks had failed."
)


def _names() -> Names:
    return Names(TEXT, 0, Scan(TEXT, 0).runs)


def test_a_surname_is_a_short_mention_of_the_full_name() -> None:
    lubitz = _names().by_text["Andreas Lubitz"]

    assert (lubitz.mentions, lubitz.short) == (2, 1) and "Lubitz" not in _names().by_text
    assert lubitz.roles == ["first officer"] and lubitz.aged


def test_titles_and_possessors_are_no_part_of_a_name() -> None:
    names = _names()

    assert names.by_text["Khawaja Asif"].roles == ["Pakistan's Defence Minister"]
    assert names.by_text["Pakistan"].owns  # "Pakistan's": a name of its own, owning a title
    assert names.get("Asif") is names.by_text["Khawaja Asif"]


def test_openers_common_words_and_word_tails_name_nothing() -> None:
    names = _names().by_text

    assert "Jeb Bush" in names and "Since Jeb Bush" not in names
    assert "Police" not in names and "No" not in names  # the article writes 'police'; 'No' is a word
    assert "Bay UK" not in names  # the tail of "eBay"
    assert "University of Oklahoma" in names  # joined across 'of' after an organisation's word


def test_a_title_in_quote_marks_or_after_a_works_noun_is_a_work() -> None:
    assert _names().by_text["Run All Night"].work
