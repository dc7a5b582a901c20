"""The schema in the prompt, for modes where the server does not enforce it: compact.

A JSON Schema dump costs about 830 prompt tokens for a Brief, a third of a small local
model's 2,048-token context, and comes again with every chunk and repair. Models read an
outline of the object just as well: each field once, its type in a few characters, and the
first sentence of its description as a ``//`` note (the prompt's rules say the rest).
"""

from __future__ import annotations

import hashlib
import re
from functools import cache
from typing import Any

from pydantic import BaseModel

from briefer.engines.llm.exchange import Mode


@cache  # a batch sends thousands of requests with the same few schemas
def schema_hint(model: type[BaseModel], mode: Mode) -> str:
    """The outline of ``model`` for ``json_object``/``text`` modes; nothing under ``json_schema``."""
    if mode == "json_schema":
        return ""
    schema = model.model_json_schema()
    lines = _fields(schema, schema.get("$defs", {}), "  ")
    return (
        "The JSON object has exactly these fields (// says what goes in each):\n{\n"
        + "\n".join(lines)
        + "\n}"
    )


def _fields(node: dict[str, Any], defs: dict[str, Any], indent: str) -> list[str]:
    """One line per field (an object field opens a block); no trailing comma for a model to copy."""
    names = list(node.get("properties", {}))
    lines = []
    for name, field in node["properties"].items():
        comma = "," if name != names[-1] else ""
        note = _first_sentence(field.get("description", ""))
        note = f"  // {note}" if note else ""
        target = _object(field, defs)
        if target is None:
            lines.append(f'{indent}"{name}": {_type(field, defs)}{comma}{note}')
            continue
        nullable = " | null" if "anyOf" in field else ""
        lines += [
            f'{indent}"{name}": {{{note}',
            *_fields(target, defs, indent + "  "),
            f"{indent}}}{nullable}{comma}",
        ]
    return lines


def _object(field: dict[str, Any], defs: dict[str, Any]) -> dict[str, Any] | None:
    """The object schema a field holds (directly or as ``X | null``), else None."""
    for option in [field, *field.get("anyOf", [])]:
        if "$ref" in option:
            target: dict[str, Any] = defs[option["$ref"].rsplit("/", 1)[-1]]
            return target
    return None


def _type(field: dict[str, Any], defs: dict[str, Any]) -> str:
    if "$ref" in field:
        target = defs[field["$ref"].rsplit("/", 1)[-1]]
        return (
            "{"
            + ", ".join(f'"{name}": {_type(sub, defs)}' for name, sub in target["properties"].items())
            + "}"
        )
    if "anyOf" in field:
        return " | ".join(_type(option, defs) for option in field["anyOf"])
    if "enum" in field:
        return " | ".join(f'"{value}"' for value in field["enum"])
    if field.get("type") == "array":
        return f"[{_type(field['items'], defs)}, ...]"
    return str(field.get("type", "any"))


_SENTENCE_END = re.compile(r"(?<!e\.g)(?<!i\.e)\.\s")


def _first_sentence(text: str) -> str:
    text = " ".join(text.split())
    end = _SENTENCE_END.search(text)
    return text if end is None else text[: end.start() + 1]


@cache
def hints_sha256() -> str:
    """The outlines' hash: part of an LLM engine's fingerprint, since they shape what the model writes."""
    from briefer.models import Brief, ChunkNotes

    outlines = "\n".join(schema_hint(model, "json_object") for model in (Brief, ChunkNotes))
    return hashlib.sha256(outlines.encode()).hexdigest()
