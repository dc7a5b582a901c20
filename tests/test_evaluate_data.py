"""Evaluation rows (briefer/evaluate/data.py): titles split from bodies, bad lines reported with
their numbers and skipped, --limit."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from support.evaluate_cases import FIVE_SENTENCES, SAMPLE

from briefer.errors import InputError
from briefer.evaluate import article_sentences, lead, load_rows


def _row(row_id: str, text: str = FIVE_SENTENCES, highlights: list[str] | None = None) -> str:
    return json.dumps(
        {"id": row_id, "text": text, "highlights": highlights or ["The council approved the budget."]}
    )


def test_a_leading_title_is_not_part_of_the_body(tmp_path: Path) -> None:
    data = tmp_path / "bbc.jsonl"
    row = {
        "id": "b1",
        "title": "Budget passes",
        "text": "Budget passes\n\n" + FIVE_SENTENCES,
        "highlights": ["x y"],
    }
    data.write_text(json.dumps(row) + "\n")

    (loaded,) = load_rows(data).rows

    assert loaded.text == FIVE_SENTENCES
    assert loaded.article().title == "Budget passes"
    assert lead(article_sentences(loaded.text), 1) == ["The council approved the budget on Monday."]


def test_bad_lines_are_reported_with_line_numbers_and_skipped(tmp_path: Path) -> None:
    data = tmp_path / "rows.jsonl"
    lines = [
        _row("a"),
        "{not json",
        "",
        json.dumps({"id": "b", "text": FIVE_SENTENCES}),
        json.dumps({"id": "c", "text": "", "highlights": ["x"]}),
        _row("a"),
        _row("d"),
    ]
    data.write_text("\n".join(lines) + "\n")

    dataset = load_rows(data)

    assert [r.id for r in dataset.rows] == ["a", "d"]
    assert [(b.line, b.error.split(" ")[0]) for b in dataset.bad_lines] == [
        (2, "not"),
        (4, "'highlights'"),
        (5, "'text':"),
        (6, "duplicate"),
    ]


def test_a_file_without_valid_rows_is_an_input_error(tmp_path: Path) -> None:
    data = tmp_path / "rows.jsonl"
    data.write_text("[]\n")
    with pytest.raises(InputError, match="no valid rows"):
        load_rows(data)
    with pytest.raises(InputError, match="no such file"):
        load_rows(tmp_path / "missing.jsonl")


def test_limit_keeps_the_first_n_valid_rows() -> None:
    dataset = load_rows(SAMPLE, limit=3)

    assert [r.id for r in dataset.rows] == [r.id for r in load_rows(SAMPLE).rows[:3]]
