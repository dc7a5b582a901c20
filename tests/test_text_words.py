"""Words and stems: grounding must see a paraphrase's words in the article; ranking must group a
word's inflections without merging what its topic labels spell apart."""

from __future__ import annotations

import pytest

from briefer.text.words import (
    GROUNDING_STOPWORDS,
    RANKING_STOPWORDS,
    STOPWORDS,
    is_content,
    match_stem,
    rank_stem,
)


@pytest.mark.parametrize(
    "variants",
    [
        ("warned", "warning", "warns"),  # tense and number
        ("Oct", "October", "oct."),  # month abbreviations
        ("Wed", "Wednesday"),  # weekday abbreviations
        ("British", "Britain", "UK"),  # demonyms and country names
        ("American", "U.S.", "US", "America"),
        ("Clarke", "Clarke's", "Clarke’s"),  # possessives, either apostrophe
    ],
)
def test_grounding_stems_meet_across_the_ways_news_writes_a_word(variants: tuple[str, ...]) -> None:
    assert len({match_stem(word) for word in variants}) == 1


def test_grounding_stems_keep_different_words_apart() -> None:
    assert match_stem("Austria") != match_stem("Australia")
    assert match_stem("class") != match_stem("clas")  # a double s is no plural


def test_ranking_stems_group_inflections_but_not_abbreviations() -> None:
    assert rank_stem("warned") == rank_stem("warning") == rank_stem("warns") == "warn"
    assert rank_stem("talks") == rank_stem("talk")
    assert rank_stem("oct") != rank_stem("october")  # ranking does not fold months: topics are spelled words
    assert rank_stem("crisis") == "crisis" and rank_stem("status") == "status"  # no false plurals


def test_each_use_drops_the_shared_stopwords_and_its_own() -> None:
    assert STOPWORDS <= GROUNDING_STOPWORDS and STOPWORDS <= RANKING_STOPWORDS
    assert not is_content("said") and not is_content("The")
    # "people" and "year" back a claim, but say nothing of what a story is about.
    assert is_content("people") and "people" in RANKING_STOPWORDS
    assert is_content("Taliban") and not is_content("x")
