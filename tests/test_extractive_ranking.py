"""Ranking: which body sentences become takeaways, and which words topics."""

from __future__ import annotations

import pytest
from support.extractive_cases import (
    seed_brief,
)

from briefer.engines.extractive.ranking import (
    QUOTE_PENALTY,
    Terms,
    quoted_share,
    rank,
    select,
    takeaway_count,
    topics,
)
from briefer.text.sentences import Span


def test_takeaway_count_grows_with_length_within_3_to_7() -> None:
    assert [takeaway_count(n) for n in (1, 9, 16, 25, 36, 49, 400)] == [3, 3, 4, 5, 6, 7, 7]


def test_seed_topics_are_lower_case_keywords() -> None:
    seed = seed_brief()
    assert 1 <= len(seed.topics) <= 6
    assert "pakistan" in seed.topics
    assert all(t == t.lower() for t in seed.topics)


FLOOD = [
    "The council approved a new flood defence budget for the river town.",
    "The flood defence budget for the river town was approved by the council.",
    "Residents said the river flooded their homes twice last winter.",
    "The council will build new walls along the river next year.",
    "A local bakery won a prize for its bread.",
]


def test_the_sentence_the_article_keeps_coming_back_to_ranks_first_and_the_aside_last() -> None:
    scores, _ = rank(Terms(FLOOD).bags, [0.0] * len(FLOOD))
    assert scores.index(max(scores)) == 0
    assert scores.index(min(scores)) == 4  # the bakery


def test_a_sentence_of_quoted_speech_is_a_weaker_takeaway() -> None:
    plain, _ = rank(Terms(FLOOD).bags, [0.0] * 5)
    quoted, _ = rank(Terms(FLOOD).bags, [0.0, 0.0, 1.0, 0.0, 0.0])
    assert quoted[2] == pytest.approx(plain[2] * (1 - QUOTE_PENALTY))


def test_a_near_duplicate_loses_to_a_sentence_that_says_something_new() -> None:
    same = {"flood": 1.0}
    vectors = [same, same, {"bakery": 1.0}, {"bread": 1.0}]
    assert select([1.0, 0.85, 0.8, 0.0], vectors, [0, 1, 2, 3], 2) == [0, 2]


def test_the_quoted_share_is_the_part_of_each_sentence_inside_quote_marks() -> None:
    assert quoted_share([Span(0, 10), Span(11, 20)], [Span(2, 7)]) == [0.5, 0.0]


def test_topics_are_the_nouns_the_story_repeats_as_it_spells_them() -> None:
    labels = topics(Terms(FLOOD), [0, 2, 3], "Council approves flood budget")

    assert labels[:3] == ["council", "flood", "river"]
    assert "approved" not in labels  # a verb, however often it is said
    assert 3 <= len(labels) <= 5


def test_adjectives_are_no_topics_unless_the_story_uses_them_as_nouns() -> None:
    story = [
        "The nuclear talks with Iran resumed in Geneva.",
        "Russian officials said the nuclear deal was close.",
        "The military said the talks would go on, and the military was ready.",
        "Iran said the nuclear deal would hold, the military said. Russian diplomats agreed.",
    ]
    labels = topics(Terms(story), [0, 2], "Nuclear talks resume")

    assert "nuclear" not in labels and "russian" not in labels  # always before a noun
    assert "military" in labels  # 'the military said': a noun here
    assert "talks" in labels


def test_a_short_story_still_has_three_topics() -> None:
    story = ["A street in Prague was named after Chuck Norris.", "The actor sent a video message."]

    assert len(topics(Terms(story), [0, 1], "Street named after Chuck Norris", ["Chuck Norris"])) >= 3


def test_the_central_names_come_first_among_the_topics() -> None:
    labels = topics(
        Terms(FLOOD), [0, 2, 3], "Council approves flood budget", ["River Town Council", "Bakery"]
    )

    assert labels[:2] == ["river town council", "bakery"]
    assert "council" not in labels[2:] and len(labels) == 5  # no word of a name twice


def test_a_frequent_word_of_a_multi_word_name_stands_for_the_whole_name() -> None:
    story = [
        "The Boko Haram group attacked the town of Baga in the north.",
        "Boko Haram fighters burned the market of the town.",
        "The army said Boko Haram had lost ground in the town.",
        "Town officials said the army would return.",
    ]
    labels = topics(Terms(story), [0, 1], "Boko Haram attacks Baga", [], ["Boko Haram", "Baga"])
    assert "boko haram" in labels
    assert "boko" not in labels and "haram" not in labels
