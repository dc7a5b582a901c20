"""Prompt tokens of a validation repair on the seed, next to the first request (json_object mode).

Run: .venv/bin/python benchmarks/bench_repair_tokens.py

The model is a function (FunctionEngine) whose first answer is the offline engine's brief of the
seed made invalid in one of two ways; its second answer is the valid brief. Counts are tiktoken's
(o200k_base, as for gpt-4o-mini) over every message of each request. The script uses only the
public API, so it measures an older checkout too (PYTHONPATH=that checkout).
"""

from __future__ import annotations

import json
from pathlib import Path

from briefer import Article, FunctionEngine
from briefer.engines.extractive import ExtractiveEngine
from briefer.tokens import count_tokens

SEED = (Path(__file__).resolve().parents[1] / "seeds" / "pakistan-taliban-warning.txt").read_text()
MODEL = "gpt-4o-mini"


def main() -> None:
    brief = ExtractiveEngine().run(Article(text=SEED)).brief
    outlet = json.loads(brief.model_dump_json())
    outlet["entities"].append({"name": "Geo News", "kind": "outlet", "role": "broadcaster"})
    empty = json.loads(brief.model_dump_json()) | {"key_takeaways": []}
    print(f"{'first answer':<32} {'first request':>14} {'repair request':>15} {'messages':>9}")
    for label, bad in (("an entity of kind 'outlet'", outlet), ("no key_takeaways", empty)):
        answers = iter([bad, brief])
        engine = FunctionEngine(
            lambda request, answers=answers: next(answers),
            model=MODEL,
            structured="json_object",
            repair_grounding=False,
        )
        engine.run(Article(text=SEED))
        first, repair = engine.requests
        tokens = [count_tokens("\n".join(m.content for m in r.messages), MODEL) for r in (first, repair)]
        print(f"{label:<32} {tokens[0]:>14,} {tokens[1]:>15,} {len(repair.messages):>9}")


if __name__ == "__main__":
    main()
