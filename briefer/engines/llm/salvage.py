"""Keeping what a model got right: an answer cut off at its token limit, or valid but for some items.

A small model writes one entity of a kind the schema does not allow, or rambles on until its
token bound cuts the JSON mid-string. Asking again costs minutes on a CPU and often brings the
same answer back. Instead the answer is parsed as far as it goes (pydantic-core's partial JSON),
fields it never reached are left empty where empty is allowed, and list items that fail
validation are dropped. What was dropped or missing is said in words, for the provenance.
"""

from __future__ import annotations

import types
from dataclasses import dataclass
from typing import Any, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError
from pydantic_core import from_json


@dataclass(frozen=True)
class Salvaged:
    value: BaseModel
    lost: list[str]  # what was not kept, e.g. "entities[2] (kind: Input should be 'person', ...)"


def salvage(content: str, output: type[BaseModel]) -> Salvaged | None:
    """The valid part of ``content`` as ``output``, or None when too little of it is valid."""
    try:
        data = from_json(content, allow_partial=True)
    except ValueError:
        return None
    if not isinstance(data, dict):
        return None
    lost = [f"{name} (never written)" for name in _fill_missing(data, output)]
    try:
        return Salvaged(output.model_validate(data), lost)
    except ValidationError as exc:
        bad = _bad_items(exc)
    if bad is None:
        return None
    for (name, index), reason in sorted(bad.items(), reverse=True):
        del data[name][index]
        lost.insert(0, f"{name}[{index}] ({reason})")
    try:
        return Salvaged(output.model_validate(data), lost)
    except ValidationError:
        return None


def _fill_missing(data: dict[str, Any], output: type[BaseModel]) -> list[str]:
    """Give fields the answer never reached their empty value (a list, null, an object of those)."""
    filled = []
    for name, field in output.model_fields.items():
        if name in data:
            continue
        empty = _empty(field.annotation)
        if empty is not _NONE:
            data[name] = empty
            filled.append(name)
    return filled


_NONE = object()  # no empty value: the field must be written


def _empty(annotation: Any) -> Any:
    origin = get_origin(annotation)
    if origin is list:
        return []
    if origin in (Union, types.UnionType) and type(None) in get_args(annotation):
        return None
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        inner: dict[str, Any] = {}
        return inner if len(_fill_missing(inner, annotation)) == len(annotation.model_fields) else _NONE
    return _NONE


def _bad_items(exc: ValidationError) -> dict[tuple[str, int], str] | None:
    """Each failing list item with its first reason; None when an error is not inside a list item."""
    bad: dict[tuple[str, int], str] = {}
    for error in exc.errors():
        loc = error["loc"]
        if len(loc) < 2 or not isinstance(loc[0], str) or not isinstance(loc[1], int):
            return None
        reason = f"{'.'.join(map(str, loc[2:]))}: {error['msg']}" if len(loc) > 2 else error["msg"]
        bad.setdefault((loc[0], loc[1]), reason)
    return bad
