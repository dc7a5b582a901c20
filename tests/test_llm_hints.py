"""The schema in the prompt (briefer/engines/llm/hints.py): every field, in a fraction of the tokens."""

from __future__ import annotations

import json
import re

import pytest

from briefer.engines.llm.hints import schema_hint
from briefer.models import Brief, ChunkNotes
from briefer.tokens import count_tokens


def field_names(schema: dict, defs: dict) -> set[str]:
    names = set(schema.get("properties", {}))
    for field in schema.get("properties", {}).values():
        for option in [field, *field.get("anyOf", []), field.get("items", {})]:
            if "$ref" in option:
                names |= field_names(defs[option["$ref"].rsplit("/", 1)[-1]], defs)
    return names


@pytest.mark.parametrize("model", [Brief, ChunkNotes])
def test_the_hint_names_every_field_in_half_the_tokens_of_the_json_schema(model) -> None:
    hint = schema_hint(model, "json_object")
    schema = model.model_json_schema()

    assert all(f'"{name}"' in hint for name in field_names(schema, schema.get("$defs", {})))
    assert count_tokens(hint, "gpt-4o-mini") < count_tokens(json.dumps(schema), "gpt-4o-mini") / 2


def test_the_hint_keeps_what_the_schema_constrains() -> None:
    hint = schema_hint(Brief, "text")

    assert '"kind": "person" | "organisation" | "place"' in hint, "the allowed kinds"
    assert '"place": string | null' in hint and "YYYY-MM-DD" in hint, "nested fields keep their notes"
    assert "lower case (e.g. 'pakistan', 'security')" in hint, "an abbreviation does not end a note"


def test_the_outline_has_no_trailing_comma_for_a_model_to_copy() -> None:
    outline = re.sub(r"\s*//.*", "", schema_hint(ChunkNotes, "json_object"))

    assert not re.search(r",\s*[}\]]", outline)


def test_a_server_that_enforces_the_schema_gets_no_hint() -> None:
    assert schema_hint(Brief, "json_schema") == ""
