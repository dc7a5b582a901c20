"""OpenAI's own JSON Schemas for chat completions and the Batch API (copied by ``extract.py``), ready to validate with.

Validation works as in OpenAI's ``validate_cassettes.py``: the schemas are one Draft 2020-12
resource, each root referenced by JSON pointer, so ``$ref`` resolves exactly as in the spec.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator
from referencing import Registry
from referencing.jsonschema import DRAFT202012

SPEC_PATH = Path(__file__).with_name("chat_completions.json")


@cache
def validator(name: str) -> Draft202012Validator:
    """A validator for ``#/components/schemas/<name>``."""
    spec = json.loads(SPEC_PATH.read_text())
    registry = Registry().with_resource("urn:openai", DRAFT202012.create_resource(spec))
    return Draft202012Validator({"$ref": f"urn:openai#/components/schemas/{name}"}, registry=registry)


def problems(name: str, document: Any) -> list[str]:
    """Every way ``document`` breaks schema ``name``, one short line each (empty: it conforms)."""
    return [
        f"{'/'.join(map(str, error.absolute_path)) or '<root>'}: {error.message[:200]}"
        for error in validator(name).iter_errors(document)
    ]
