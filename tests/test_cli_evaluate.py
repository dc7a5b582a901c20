"""``briefer eval`` (briefer/cli/evaluate.py): the engine flags take effect; scoring is in test_evaluate."""

import json
from pathlib import Path

from openai_server import OpenAIServer
from typer.testing import CliRunner

from briefer.cli import app

SAMPLE = str(Path(__file__).parent / "data" / "eval_sample.jsonl")


def test_eval_splits_articles_at_max_chunk_tokens(env_clean, fresh_engine_state, tmp_path: Path) -> None:
    out = tmp_path / "briefs.jsonl"
    with OpenAIServer() as server:
        args = [
            "eval",
            SAMPLE,
            "--limit",
            "1",
            "--no-baselines",
            "--base-url",
            server.base_url,
            "--no-repair",
        ]
        result = CliRunner().invoke(app, [*args, "--max-chunk-tokens", "300", "--out", str(out)])
        requests = len(server.completions)
    assert result.exit_code == 0, result.stderr
    (row,) = [json.loads(line) for line in out.read_text().splitlines()]
    assert row["provenance"]["chunks"] > 1 and requests == row["provenance"]["chunks"] + 1
