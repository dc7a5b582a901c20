"""Ranking: which body sentences become takeaways, and which words topics."""

from __future__ import annotations

from extractive_cases import (
    seed_brief,
)

from briefer.engines.extractive.ranking import takeaway_count


def test_takeaway_count_grows_with_length_within_3_to_7() -> None:
    assert [takeaway_count(n) for n in (1, 9, 16, 25, 36, 49, 400)] == [3, 3, 4, 5, 6, 7, 7]


def test_seed_topics_are_lower_case_keywords() -> None:
    seed = seed_brief()
    assert 1 <= len(seed.topics) <= 6
    assert "pakistan" in seed.topics
    assert all(t == t.lower() for t in seed.topics)
