"""What to watch: the developments an article says are coming, in its own words."""

from __future__ import annotations

from extractive_cases import (
    brief_of,
)


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
