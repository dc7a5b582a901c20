"""Entities: the people, organisations and places a story is about, with their roles."""

from __future__ import annotations

from extractive_cases import (
    seed_brief,
)

from briefer.engines.extractive.attribution import attribute


def test_seed_entities_have_roles_from_the_text() -> None:
    seed = seed_brief()
    people = {e.name: e.role for e in seed.entities if e.kind == "person"}
    assert people["Khawaja Asif"] == "Pakistan's Defence Minister"
    assert people["Abdul Mateen Qani"] == "spokesperson for the Afghan Ministry of Interior"
    assert ("Islamabad", "place") in {(e.name, e.kind) for e in seed.entities}


def test_the_dateline_place_comes_first_then_the_places_and_organisations_named_most() -> None:
    text = (
        "LONDON (Reuters) - Shares in Rover fell sharply in London on Monday as the Nanjing Automobile Group "
        "said it would review the deal. Staff at the Longbridge plant in Birmingham were told to stay at home. "
        "Workers in Birmingham met union officials in Longbridge. The Nanjing Automobile Group declined to comment."
    )
    body_start = text.index("Shares")
    entities = attribute(text, body_start, "Reuters", "LONDON").entities
    assert entities == [
        ("Nanjing Automobile Group", "organisation", "named in the story"),
        ("LONDON", "place", "dateline"),
        ("London", "place", "place in the story"),
        ("Birmingham", "place", "place in the story"),
        ("Longbridge", "place", "place in the story"),
    ]
