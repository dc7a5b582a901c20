"""What a real model behind a real server makes of real articles, per structured-output mode.

Runs ``briefer eval`` once per mode against ``--base-url`` (each article briefed, no grounding
repair, one validation repair), then once with the offline engine on the same rows (with the
Lead-3 baseline), and prints one table: schema-valid briefs, items grounding flags, quotes
verbatim with their speaker, seconds and prompt tokens per article, ROUGE of the first three
takeaways; and a second table of the rest of each brief, field by field (``briefer eval``'s own
figures: highlight names among the entities, kinds and topics against spaCy when briefer[nlp] is
installed, pronoun openings). The README's SmolLM2 tables come from:

    .venv-e2e/bin/python -m llama_cpp.server --model .e2e/SmolLM2-135M-Instruct.Q4_1.gguf \\
        --model_alias smollm2 --n_ctx 4096 --n_threads 2 --port 8767 &
    python benchmarks/bench_real_model.py ../shared/eval/cnndm_dev.jsonl \\
        --base-url http://127.0.0.1:8767/v1 --model smollm2 --limit 20 --modes json_object text

``--engines openai hybrid`` runs the hybrid engine (extract, then write) the same way beside the
LLM engine; docs/hybrid.md's table comes from that (see there for the exact command).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path


def briefer_eval(data: Path, limit: int, out: Path, *options: str) -> dict:
    command = [sys.executable, "-m", "briefer", "eval", str(data), "--limit", str(limit), "--format", "json"]
    done = subprocess.run([*command, "--out", str(out), *options], capture_output=True, text=True)
    if done.returncode not in (0, 1):  # 1: the engine failed on every article, and the table still came
        sys.exit(f"briefer eval failed ({done.returncode}): {done.stderr.strip()[-500:]}")
    return json.loads(done.stdout)


def row(name: str, report: dict, out: Path) -> list[str]:
    results = [json.loads(line) for line in out.read_text().splitlines()] if out.exists() else []
    engine = next(s for s in report["systems"] if s["kind"] in ("engine", "briefs"))
    items = [i for r in results for part in ("claims", "quotes", "names") for i in r["grounding"][part]]
    quotes = [q for r in results for q in r["grounding"]["quotes"]]
    seconds = [r["provenance"]["elapsed_s"] for r in results]
    prompt_tokens = [r["provenance"]["usage"]["prompt_tokens"] for r in results]
    completion_tokens = [r["provenance"]["usage"]["completion_tokens"] for r in results]
    return [
        name,
        f"{len(results)} of {report['articles']}",
        f"{sum(not i['supported'] for i in items) / len(items):.0%}" if items else "–",
        f"{sum(q['supported'] for q in quotes)} of {len(quotes)}",
        f"{statistics.median(seconds):.1f} / {statistics.mean(seconds):.1f}" if seconds else "–",
        f"{statistics.mean(prompt_tokens):,.0f}" if prompt_tokens and prompt_tokens[0] else "–",
        f"{statistics.mean(completion_tokens):,.0f}" if completion_tokens and completion_tokens[0] else "–",
        f"{engine['rouge1']:.2f} / {engine['rouge2']:.2f} / {engine['rougeLsum']:.2f}",
    ]


def fields(name: str, report: dict) -> list[str]:
    """One system's field-level figures, as ``briefer eval`` scored them."""
    f = next(s for s in report["systems"] if s["kind"] in ("engine", "briefs"))["fields"]

    def share(value: float | None, of: int | None = None) -> str:
        if value is None:
            return "–"
        return f"{value:.1f}%" + (f" of {of:,}" if of is not None else "")

    return [
        name,
        share(f["names_found"], f["highlight_names"]),
        share(f["kinds_agree"], f["entities_tagged"]),
        share(f["topics_nouns"], f["topics"]),
        share(f["pronoun_openings"], f["takeaways"]),
        share(f["quotes_verbatim_with_speaker"], f["quotes"]),
    ]


def markdown(header: list[str], table: list[list[str]]) -> None:
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    for cells in table:
        print("| " + " | ".join(cells) + " |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("data", type=Path)
    parser.add_argument("--base-url", required=True)
    parser.add_argument("--model", required=True)
    parser.add_argument("--limit", type=int, default=20)
    parser.add_argument("--modes", nargs="+", default=["json_object", "text"])
    parser.add_argument("--timeout", default="600")
    parser.add_argument("--engines", nargs="+", default=["openai"], help="model engines: openai, hybrid")
    parser.add_argument("--keep", type=Path, help="keep each run's results (JSONL) in this directory")
    args = parser.parse_args()

    table, by_field, lead = [], [], None
    with tempfile.TemporaryDirectory() as tmp:
        where = args.keep or Path(tmp)
        where.mkdir(parents=True, exist_ok=True)
        for engine, mode in [(e, m) for e in args.engines for m in args.modes]:
            out = where / f"{engine}-{mode}.jsonl"
            report = briefer_eval(
                args.data, args.limit, out, "--engine", engine, "--base-url", args.base_url,
                "--model", args.model, "--structured", mode, "--no-repair", "--max-repairs", "1",
                "--timeout", args.timeout, "--no-baselines",
            )  # fmt: skip
            name = f"{args.model}, {engine}, {mode}"
            table.append(row(name, report, out))
            by_field.append(fields(name, report))
            for failure in report["failures"][:3]:
                print(f"{name}: {failure['id']}: {failure['reason'][:160]}", file=sys.stderr)
        out = where / "offline.jsonl"
        report = briefer_eval(args.data, args.limit, out, "--engine", "extractive")
        table.append(row("offline engine", report, out))
        by_field.append(fields("offline engine", report))
        lead = next(s for s in report["systems"] if s["system"].startswith("Lead-"))
    table.append(
        [
            lead["system"],
            "–",
            "–",
            "–",
            "–",
            "–",
            "–",
            f"{lead['rouge1']:.2f} / {lead['rouge2']:.2f} / {lead['rougeLsum']:.2f}",
        ]
    )

    header = ["system", "schema-valid briefs", "items flagged", "quotes verbatim with speaker",
              "s/article (median / mean)", "prompt tokens/article", "completion tokens/article", "ROUGE-1 / 2 / Lsum"]  # fmt: skip
    markdown(header, table)
    print()
    header = ["system", "highlight names found", "kinds agree (spaCy)", "topics nouns (spaCy)",
              "takeaways opening with a pronoun", "quotes verbatim with speaker"]  # fmt: skip
    markdown(header, by_field)


if __name__ == "__main__":
    main()
