"""Sources: the outlets an article cites, never the people it quotes nor its own outlet."""

from __future__ import annotations

from extractive_cases import (
    brief_of,
    sample,
    seed_brief,
)


def test_seed_sources_are_the_outlets_it_cites() -> None:
    seed = seed_brief()
    assert set(seed.sources) == {"Geo News", "Ariana News", "NDTV", "Khaama Press"}


def test_sources_from_real_bbc_paragraph() -> None:
    row = sample("bbc-business-034")
    assert brief_of(row["text"], row["title"]).sources[:2] == ["Financial Times", "BBC News"]
