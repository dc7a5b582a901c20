"""Titles: the words before a name that are no part of it, read the same way by every reader."""

from __future__ import annotations

import pytest

from briefer.text.sentences import sentences
from briefer.text.titles import ABBREVIATED_TITLES, OFFICES, ROLE_TITLES, SPLITTER_ABBREVIATIONS, is_title


@pytest.mark.parametrize("word", ["President", "Minister", "Sen.", "PM", "Senators", "Vice", "Jr", "Dame"])
def test_grounding_takes_titles_for_no_part_of_a_name(word: str) -> None:
    assert is_title(word)


@pytest.mark.parametrize("word", ["Khawaja", "Asif", "Taliban", "Presidency"])
def test_names_are_not_titles(word: str) -> None:
    assert not is_title(word)


@pytest.mark.parametrize("title", sorted(ABBREVIATED_TITLES))
def test_no_abbreviated_title_ends_a_sentence(title: str) -> None:
    text = f"{title.capitalize()}. Smith arrived on Monday. He spoke."
    assert [s.of(text) for s in sentences(text)] == [
        f"{title.capitalize()}. Smith arrived on Monday.",
        "He spoke.",
    ]


def test_every_reader_shares_the_base() -> None:
    assert ABBREVIATED_TITLES <= SPLITTER_ABBREVIATIONS
    assert OFFICES <= ROLE_TITLES and all(is_title(office) for office in OFFICES)
    assert {"sen.", "sgt.", "dr", "dr."} <= ROLE_TITLES
