"""Briefs made elsewhere (briefer/evaluate/briefs.py): BriefResult lines by row id, bad lines
reported with their numbers, a row without a brief a failure of its own."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from briefer.errors import InputError
from briefer.evaluate import load_briefs
from briefer.models import Brief


def _brief(headline: str) -> dict[str, object]:
    return {
        "headline": headline,
        "dateline": {"place": None, "date": None, "outlet": None},
        "summary": "The council approved the budget.",
        "key_takeaways": ["The council approved the budget on Monday."],
        "entities": [],
        "quotes": [],
        "sources": [],
        "what_to_watch": [],
        "topics": ["budget"],
    }


def test_briefs_are_read_by_row_id_and_bad_lines_skipped_with_their_numbers(tmp_path: Path) -> None:
    path = tmp_path / "briefs.jsonl"
    lines = [
        json.dumps({"id": "a", "brief": _brief("Budget passes"), "provenance": {"whatever": 1}}),
        "not json",
        json.dumps({"id": "b", "brief": {"headline": "no more than that"}}),
        json.dumps({"brief": _brief("no id")}),
        "",
        json.dumps({"id": 7, "brief": _brief("Numbers are ids too")}),
    ]
    path.write_text("\n".join(lines) + "\n")

    briefs = load_briefs(path)

    assert briefs.label == "briefs briefs.jsonl"
    assert briefs.brief("a") == Brief.model_validate(_brief("Budget passes"))
    assert briefs.brief("7").headline == "Numbers are ids too"
    assert [b.line for b in briefs.bad_lines] == [2, 3, 4]
    not_json, invalid, no_id = (b.error for b in briefs.bad_lines)
    assert not_json.startswith("not JSON") and invalid.startswith("not a valid brief: dateline")
    assert no_id == "expected an object with 'id' and 'brief' (a BriefResult)"
    with pytest.raises(InputError, match="no brief for row 'c'"):
        briefs.brief("c")


def test_a_file_without_one_valid_brief_is_an_input_error(tmp_path: Path) -> None:
    path = tmp_path / "briefs.jsonl"
    path.write_text("[]\n")

    with pytest.raises(InputError, match="no valid briefs; line 1: expected an object"):
        load_briefs(path)
    with pytest.raises(InputError, match="no such file"):
        load_briefs(tmp_path / "missing.jsonl")
