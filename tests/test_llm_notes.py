"""Notes on a long article's parts (briefer/engines/llm/notes.py): compact lines, cut and grouped to fit."""

from __future__ import annotations

from briefer.engines.llm.notes import PartNotes, fits, joined, merge_groups
from briefer.models import ChunkNotes, Dateline, Quote
from briefer.tokens import count_tokens

MODEL = "gpt-4o-mini"


def part(n: int, facts: int = 3) -> PartNotes:
    notes = ChunkNotes(
        facts=[f"Fact {i} of part {n}, told in a sentence of some length." for i in range(facts)],
        entities=[],
        quotes=[Quote(speaker="Khawaja Asif", text="We will respond")],
        sources=["Geo News"],
        dateline=Dateline(place="Islamabad", date=None, outlet=None) if n == 1 else None,
    )
    return PartNotes.of(n, n, notes)


def test_notes_read_as_lines_with_the_dateline_and_facts_first() -> None:
    lines = part(1).rendered().splitlines()

    assert lines[:3] == [
        "Part 1:",
        "Dateline: Islamabad · ? · ?",
        "- Fact 0 of part 1, told in a sentence of some length.",
    ]
    assert 'Quote: Khawaja Asif: "We will respond"' in lines and "Sources: Geo News" in lines


def test_a_cut_keeps_whole_lines_from_the_top_within_the_budget() -> None:
    long = part(2, facts=30)

    cut = long.cut_to(60, MODEL)

    assert count_tokens(cut.rendered(), MODEL) <= 60
    assert long.text.startswith(cut.text) and cut.text.endswith("length.")


def test_groups_are_neighbours_of_at_least_two_that_fit_the_budget() -> None:
    parts = [part(n, facts=6) for n in range(1, 8)]

    groups = merge_groups(parts, 250, MODEL)

    assert [p.first for group in groups for p in group] == list(range(1, 8)), "in order, none lost"
    assert all(len(group) >= 2 for group in groups[:-1]) and len(groups) < len(parts)
    assert all(fits(group, 250, MODEL) for group in groups)


def test_merged_parts_are_labelled_with_their_range() -> None:
    merged = PartNotes.of(1, 3, ChunkNotes(facts=["x"], entities=[], quotes=[], sources=[], dateline=None))

    assert joined([merged, part(4)]).startswith("Parts 1-3:\n- x\n\nPart 4:")
