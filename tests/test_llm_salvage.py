"""Keeping the valid part of an answer (briefer/engines/llm/salvage.py)."""

from __future__ import annotations

from briefer.engines.llm.salvage import salvage
from briefer.models import Brief, ChunkNotes


def test_fields_never_reached_are_left_empty_where_empty_is_allowed() -> None:
    kept = salvage('{"facts": ["Pakistan warned the Taliban.", "Asif sa', ChunkNotes)

    assert kept is not None and kept.value.facts == ["Pakistan warned the Taliban."]
    assert kept.value.dateline is None and kept.value.quotes == []
    assert kept.lost == [f"{name} (never written)" for name in ("entities", "quotes", "sources", "dateline")]


def test_an_object_field_never_reached_becomes_an_object_of_nulls() -> None:
    kept = salvage('{"headline": "H", "summary": "S.", "key_takeaways": ["A fact."]', Brief)

    assert kept is not None and kept.value.dateline.model_dump() == {
        "place": None,
        "date": None,
        "outlet": None,
    }


def test_invalid_list_items_are_dropped_with_their_reason() -> None:
    answer = '{"facts": ["A."], "entities": [{"name": "Geo", "kind": "outlet", "role": "tv"}, {"name": "Asif", "kind": "person", "role": "minister"}], "quotes": [], "sources": [], "dateline": null}'

    kept = salvage(answer, ChunkNotes)

    assert kept is not None and [e.name for e in kept.value.entities] == ["Asif"]
    assert kept.lost == [
        "entities[0] (kind: Input should be 'person', 'organisation', 'place', 'event' or 'work')"
    ]


def test_a_required_text_the_answer_never_wrote_cannot_be_salvaged() -> None:
    assert salvage('{"headline": "Pakistan warns the Taliban"', Brief) is None
    assert salvage('{"headline": "H", "summary": "S.", "key_takeaways": []}', Brief) is None, "no takeaways"


def test_what_is_not_json_cannot_be_salvaged() -> None:
    assert salvage("I cannot do that.", Brief) is None
    assert salvage('["a list"]', Brief) is None
