"""What to watch: the developments an article says are coming, in its own words."""

from __future__ import annotations

from support.extractive_cases import (
    brief_of,
)

from briefer.engines.extractive.watch import what_to_watch


def test_what_to_watch_takes_forward_looking_sentences_but_not_quotes() -> None:
    text = (
        "The city council approved a new budget on Monday after a long debate.\n"
        '"We will fix every road in this city," the mayor said at the meeting.\n'
        "The council is expected to vote on a new transport plan next month.\n"
        "Council members voted seven to two in favour of the budget."
    )
    assert brief_of(text).what_to_watch == [
        "The council is expected to vote on a new transport plan next month."
    ]


def test_the_three_most_important_forward_looking_sentences_in_article_order() -> None:
    sentences = [
        "The council approved a budget.",
        "The mayor plans to resign next month.",
        '"We will win," the mayor said.',
        "Voters are expected to return in May.",
        "A new bridge is scheduled to open in the spring.",
        "Officials will meet again on Friday.",
    ]
    shares = [0.0, 0.0, 0.9, 0.0, 0.0, 0.0]
    scores = [1.0, 0.5, 0.9, 0.8, 0.7, 0.6]
    assert what_to_watch(sentences, [s.lower() for s in sentences], shares, scores) == [
        "Voters are expected to return in May.",
        "A new bridge is scheduled to open in the spring.",
        "Officials will meet again on Friday.",
    ]


def test_will_must_be_a_word_of_its_own() -> None:
    sentences = ["The goodwill of the public was lost.", "Williams is the new chief."]
    assert what_to_watch(sentences, [s.lower() for s in sentences], [0.0, 0.0], [1.0, 1.0]) == []


def test_a_remark_holding_will_a_question_or_a_pronoun_it_cannot_resolve_is_not_to_watch() -> None:
    text = (
        "The city council approved a new budget on Monday after a long debate.\n"
        "Nor should -- or will -- it now.\n"
        "Will the mayor resign before the vote next month?\n"
        "It will decide on the new transport plan next month.\n"
        "The council is expected to vote on a new transport plan next month.\n"
        "Council members voted seven to two in favour of the budget."
    )
    assert brief_of(text).what_to_watch == [
        "The council is expected to vote on a new transport plan next month."
    ]
