"""Copy the chat-completions and Batch API parts of OpenAI's OpenAPI description into ``chat_completions.json``.

Why: tests check every request and response in ``cassettes/`` (and every answer of the local
test server) against OpenAI's own schemas, but the full ``openapi.json`` is 3 MB and lives
outside the project. This keeps only ``CreateChatCompletionRequest``,
``CreateChatCompletionResponse``, ``ErrorResponse`` and, for the Batch API's cassettes,
``CreateBatchRequest``, ``Batch`` and ``OpenAIFile``, plus every schema they ``$ref``,
transitively, under the same JSON pointers (``#/components/schemas/NAME``), so the copied
``$ref`` values resolve unchanged. Re-run it when OpenAI publishes a new spec:

    .venv/bin/python tests/openai_spec/extract.py PATH/TO/openapi.json
"""

from __future__ import annotations

import argparse
import hashlib
import json
from pathlib import Path
from typing import Any

ROOTS = (
    "CreateChatCompletionRequest",
    "CreateChatCompletionResponse",
    "ErrorResponse",
    "CreateBatchRequest",
    "Batch",
    "OpenAIFile",
)
PREFIX = "#/components/schemas/"
OUTPUT = Path(__file__).with_name("chat_completions.json")


def refs_in(node: Any) -> set[str]:
    """Every ``$ref`` value anywhere inside ``node``."""
    if isinstance(node, dict):
        found = {node["$ref"]} if isinstance(node.get("$ref"), str) else set()
        return found.union(*(refs_in(value) for value in node.values()))
    if isinstance(node, list):
        return set().union(*(refs_in(item) for item in node))
    return set()


def closure(schemas: dict[str, Any], roots: tuple[str, ...]) -> dict[str, Any]:
    """``roots`` and every schema they reference, transitively, sorted by name."""
    keep: dict[str, Any] = {}
    todo = list(roots)
    while todo:
        name = todo.pop()
        if name in keep:
            continue
        keep[name] = schemas[name]
        for ref in refs_in(schemas[name]):
            if not ref.startswith(PREFIX):
                raise ValueError(f"{name} references {ref}, outside {PREFIX}")
            todo.append(ref.removeprefix(PREFIX))
    return dict(sorted(keep.items()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("openapi", type=Path, help="OpenAI's openapi.json (openai/openai-openapi)")
    source = parser.parse_args().openapi
    raw = source.read_bytes()
    spec = json.loads(raw)
    extract = {
        "info": {
            "title": spec["info"]["title"],
            "version": spec["info"]["version"],
            "source": "openai/openai-openapi openapi.json (MIT licence), extracted by tests/openai_spec/extract.py",
            "source_sha256": hashlib.sha256(raw).hexdigest(),
            "roots": list(ROOTS),
        },
        "components": {"schemas": closure(spec["components"]["schemas"], ROOTS)},
    }
    OUTPUT.write_text(json.dumps(extract, indent=1, ensure_ascii=False) + "\n")
    print(f"{len(extract['components']['schemas'])} schemas written to {OUTPUT}")


if __name__ == "__main__":
    main()
