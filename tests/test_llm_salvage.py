"""Keeping the valid part of an answer (briefer/engines/llm/salvage.py)."""

from __future__ import annotations

import json

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


def brief_answer(takeaways: list[str]) -> str:
    """A Brief answer, valid but for what its takeaways may hold."""
    return json.dumps(
        {
            "headline": "Pakistan warns the Taliban",
            "dateline": {"place": None, "date": None, "outlet": None},
            "summary": "Pakistan warned the Taliban.",
            "key_takeaways": takeaways,
            **{key: [] for key in ("entities", "quotes", "sources", "what_to_watch", "topics")},
        }
    )


def test_one_bad_takeaway_is_dropped_and_the_others_kept() -> None:
    """A takeaway over two lines is one item's fault: the brief keeps the other takeaways."""
    answer = brief_answer(
        ["Pakistan warned the Taliban.", "Talks failed\nin Istanbul.", "Kabul vowed to respond."]
    )

    kept = salvage(answer, Brief)

    assert kept is not None
    assert kept.value.key_takeaways == ["Pakistan warned the Taliban.", "Kabul vowed to respond."]
    assert kept.lost == ["key_takeaways[1] (Value error, spans several lines; write one sentence)"]


def test_a_brief_whose_every_takeaway_is_bad_is_not_salvaged() -> None:
    assert salvage(brief_answer(["Pakistan warned the Taliban."]), Brief) is not None
    assert salvage(brief_answer(["  ", "x" * 401]), Brief) is None
