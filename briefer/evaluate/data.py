"""Evaluation rows: real articles with human-written highlights, one JSON object a line."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel

from briefer.errors import InputError
from briefer.loading.articles import check_article_text
from briefer.models import Article


@dataclass(frozen=True)
class EvalRow:
    id: str
    text: str
    highlights: list[str]
    title: str | None = None

    def article(self) -> Article:
        return Article(text=self.text, title=self.title)


class BadLine(BaseModel):
    line: int
    error: str


@dataclass
class Dataset:
    source: str
    rows: list[EvalRow]
    bad_lines: list[BadLine]


def json_object(line: str) -> dict:
    """The JSON object on ``line``, or ValueError saying why it is none."""
    try:
        data = json.loads(line)
    except json.JSONDecodeError as exc:
        raise ValueError(f"not JSON ({exc.msg})") from exc
    if not isinstance(data, dict):
        raise ValueError("not a JSON object")
    return data


def _parse_row(line: str) -> EvalRow:
    """One row, or ValueError saying what is wrong with it (reported with its line number)."""
    data = json_object(line)
    row_id, text, highlights, title = (data.get(key) for key in ("id", "text", "highlights", "title"))
    if not isinstance(row_id, str | int) or isinstance(row_id, bool) or str(row_id) == "":
        raise ValueError("'id' must be a non-empty string")
    if not isinstance(text, str):
        raise ValueError("'text' must be a string")
    if not (
        isinstance(highlights, list)
        and highlights
        and all(isinstance(h, str) and h.strip() for h in highlights)
    ):
        raise ValueError("'highlights' must be a non-empty list of non-empty strings")
    if title is not None and not isinstance(title, str):
        raise ValueError("'title' must be a string")
    if title and text.startswith(title):
        text = text[len(title) :].strip()
    try:
        check_article_text(text, where="'text'")
    except InputError as exc:
        raise ValueError(str(exc)) from exc
    return EvalRow(id=str(row_id), text=text, highlights=highlights, title=title or None)


def read_lines(path: Path) -> list[str]:
    """The lines of a JSONL file, or an InputError saying in one line why they cannot be read."""
    try:
        return path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a directory, not a JSONL file") from None
    except UnicodeDecodeError:
        raise InputError(f"{path}: not UTF-8 text; expected JSON lines") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror})") from None


def load_rows(path: Path, limit: int | None = None) -> Dataset:
    """The first ``limit`` valid rows of a JSONL file; bad lines are collected, not fatal."""
    lines = read_lines(path)
    rows: list[EvalRow] = []
    bad: list[BadLine] = []
    seen: set[str] = set()
    for lineno, line in enumerate(lines, start=1):
        if limit is not None and len(rows) >= limit:
            break
        if not line.strip():
            continue
        try:
            row = _parse_row(line)
            if row.id in seen:
                raise ValueError(f"duplicate id {row.id!r}")
        except ValueError as exc:
            bad.append(BadLine(line=lineno, error=str(exc)))
            continue
        seen.add(row.id)
        rows.append(row)
    if not rows:
        first = f"; line {bad[0].line}: {bad[0].error} ({len(bad)} bad lines)" if bad else ""
        raise InputError(f"{path}: no valid rows{first}")
    return Dataset(source=str(path), rows=rows, bad_lines=bad)
