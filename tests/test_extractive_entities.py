"""Entities: the people, organisations and places a story is about, with their roles."""

from __future__ import annotations

from extractive_cases import (
    seed_brief,
)


def test_seed_entities_have_roles_from_the_text() -> None:
    seed = seed_brief()
    people = {e.name: e.role for e in seed.entities if e.kind == "person"}
    assert people["Khawaja Asif"] == "Pakistan's Defence Minister"
    assert people["Abdul Mateen Qani"] == "spokesperson for the Afghan Ministry of Interior"
    assert ("Islamabad", "place") in {(e.name, e.kind) for e in seed.entities}
