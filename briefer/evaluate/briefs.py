"""Briefs made elsewhere, to be scored like an engine's: one JSON object a line, with the row's id.

Any system's briefs can be scored on the same rows and by the same yardsticks as briefer's own:
a line is a BriefResult (what ``briefer eval --out`` and ``briefer batch`` write) or just
``{"id", "brief"}``, the brief validated as briefer's ``Brief``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from briefer.errors import InputError
from briefer.evaluate.data import BadLine, read_lines
from briefer.models import Brief


@dataclass
class BriefFile:
    source: str
    briefs: dict[str, Brief]
    bad_lines: list[BadLine]

    @property
    def label(self) -> str:
        return f"briefs {Path(self.source).name}"

    def brief(self, row_id: str) -> Brief:
        """The brief for a row; an InputError (scored as a failure) when the file has none."""
        try:
            return self.briefs[row_id]
        except KeyError:
            raise InputError(f"no brief for row {row_id!r} in {self.source}") from None


def _parse(line: str) -> tuple[str, Brief]:
    try:
        data = json.loads(line)
    except json.JSONDecodeError as exc:
        raise ValueError(f"not JSON ({exc.msg})") from exc
    if not isinstance(data, dict) or not isinstance(data.get("id"), str | int) or "brief" not in data:
        raise ValueError("expected an object with 'id' and 'brief' (a BriefResult)")
    try:
        return str(data["id"]), Brief.model_validate(data["brief"])
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(map(str, first["loc"]))
        raise ValueError(f"not a valid brief: {where}: {first['msg']}") from None


def load_briefs(path: Path) -> BriefFile:
    """Every valid line's brief by id (a later line for the same id wins); bad lines collected."""
    briefs: dict[str, Brief] = {}
    bad: list[BadLine] = []
    for lineno, line in enumerate(read_lines(path), start=1):
        if not line.strip():
            continue
        try:
            row_id, brief = _parse(line)
        except ValueError as exc:
            bad.append(BadLine(line=lineno, error=str(exc)))
            continue
        briefs[row_id] = brief
    if not briefs:
        first = f"; line {bad[0].line}: {bad[0].error}" if bad else ""
        raise InputError(f"{path}: no valid briefs{first}")
    return BriefFile(source=str(path), briefs=briefs, bad_lines=bad)
