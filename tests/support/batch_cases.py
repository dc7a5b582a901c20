"""What the batch tests share: feeds of real articles, one `briefer batch` call, its JSONL output.

``run`` calls the CLI against a local OpenAI-compatible server (``tests/support/openai_server.py``)
with a cache in ``tmp_path`` and no grounding-repair round, so request counts are exact.
"""

import json
from pathlib import Path

from typer.testing import CliRunner

from briefer.cli import app
from support.openai_server import OpenAIServer

REPO = Path(__file__).parents[2]
SEEDS = sorted((REPO / "seeds").glob("*.txt"))
SAMPLE = REPO / "tests" / "data" / "eval_sample.jsonl"


def feed(path: Path, rows: list[dict], extra_lines: tuple[str, ...] = ()) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows) + "".join(extra_lines))
    return path


def sample_rows(n: int) -> list[dict]:
    rows = [json.loads(line) for line in SAMPLE.read_text().splitlines() if line.strip()]
    return [{"id": r["id"], "text": r["text"]} for r in rows[:n]]


def run(args: list[str], server: OpenAIServer, tmp_path: Path, input: str | None = None):
    # The grounding repair round (tested with the engine) would add requests to the counts here.
    base = ["--base-url", server.base_url, "--cache", str(tmp_path / "cache.sqlite3"), "--no-repair"]
    return CliRunner().invoke(app, ["batch", *args, *base], input=input)


def lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines()]
