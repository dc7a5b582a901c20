"""Sources: the outlets an article cites, never the people it quotes nor its own outlet."""

from __future__ import annotations

from support.extractive_cases import (
    brief_of,
    sample,
    seed_brief,
)

from briefer.engines.extractive.attribution import attribute


def test_seed_sources_are_the_outlets_it_cites() -> None:
    seed = seed_brief()
    assert set(seed.sources) == {"Geo News", "Ariana News", "NDTV", "Khaama Press"}


def test_sources_from_real_bbc_paragraph() -> None:
    row = sample("bbc-business-034")
    assert brief_of(row["text"], row["title"]).sources[:2] == ["Financial Times", "BBC News"]


def test_an_outlet_a_person_spoke_to_is_a_source_and_the_person_is_not() -> None:
    text = 'Simon Harris met staff. "Our plan is working and it will keep working," Harris told Sky News.'
    assert attribute(text, 0).sources == ["Sky News"]


def test_the_articles_own_outlet_is_not_one_of_its_sources() -> None:
    text = (
        "Officials told the BBC that a deal was close, according to Reuters. "
        "The New York Times reported that staff were told."
    )
    assert attribute(text, 0).sources == ["BBC", "Reuters", "New York Times"]
    assert attribute(text, 0, own_outlet="Reuters").sources == ["BBC", "New York Times"]
