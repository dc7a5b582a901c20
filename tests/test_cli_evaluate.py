"""``briefer eval`` (briefer/cli/evaluate.py): table and JSON, one line for a missing file,
the engine flags taking effect; scoring is in test_evaluate_run."""

import json
import re
from pathlib import Path

import pytest
from support.evaluate_cases import StandInEngine
from support.openai_server import OpenAIServer
from typer.testing import CliRunner

from briefer import evaluate
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
            "--engine",
            "openai",
            "--base-url",
            server.base_url,
            "--no-repair",
        ]
        result = CliRunner().invoke(app, [*args, "--max-chunk-tokens", "300", "--out", str(out)])
        requests = len(server.completions)
    assert result.exit_code == 0, result.stderr
    (row,) = [json.loads(line) for line in out.read_text().splitlines()]
    p = row["provenance"]
    assert p["chunks"] > 1 and requests == p["usage"]["requests"] > p["chunks"], (
        "notes per chunk, then a combine"
    )


def test_cli_eval_table_and_json(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(evaluate.run, "make_engine", lambda settings: StandInEngine())
    runner = CliRunner()

    table = runner.invoke(app, ["eval", str(SAMPLE), "--engine", "extractive", "--limit", "3"])
    as_json = runner.invoke(
        app, ["eval", str(SAMPLE), "--engine", "extractive", "--limit", "3", "--format", "json"]
    )

    assert table.exit_code == 0, table.output
    for name in ("briefer extractive", "Lead-3", "LexRank-3", "TextRank-3", "R-Lsum"):
        assert name in table.stdout
    assert as_json.exit_code == 0, as_json.output
    report = json.loads(as_json.stdout)
    assert report["articles"] == 3 and len(report["systems"]) == 4


def test_cli_eval_runs_the_real_offline_engine_on_the_sample(tmp_path: Path) -> None:
    out = tmp_path / "briefs.jsonl"
    args = ["eval", str(SAMPLE), "--engine", "extractive", "--format", "json", "--out", str(out)]
    result = CliRunner().invoke(app, args)

    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["articles"] == 20 and report["failures"] == []
    assert report["systems"][0]["system"] == "briefer extractive"
    assert len(out.read_text().splitlines()) == 20


def test_cli_eval_reports_a_missing_file_in_one_line() -> None:
    result = CliRunner().invoke(app, ["eval", "no/such/rows.jsonl", "--engine", "extractive"])

    assert result.exit_code == 2
    assert "no such file" in result.stderr and "Traceback" not in result.stderr


def test_cli_eval_through_an_openai_compatible_server(env_clean, fresh_engine_state, tmp_path: Path) -> None:
    """The same command with --base-url: the LLM engine briefs each row, its results are scored."""
    out = tmp_path / "llm.jsonl"
    with OpenAIServer() as server:
        args = [
            "eval",
            str(SAMPLE),
            "--engine",
            "openai",
            "--base-url",
            server.base_url,
            "--limit",
            "3",
            "--out",
            str(out),
            "--format",
            "json",
        ]
        result = CliRunner().invoke(app, [*args, "--no-baselines"])
        requests = len(server.completions)
    assert result.exit_code == 0, result.stderr
    assert "cost" in result.stderr.lower()
    report = json.loads(result.stdout)
    assert requests >= 3
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert len(rows) == 3 and {r["provenance"]["engine"] for r in rows} == {"openai"}
    assert all(r["id"] for r in rows) and report


def test_cli_eval_scores_briefs_from_a_file_field_by_field(tmp_path: Path) -> None:
    made = tmp_path / "made.jsonl"
    runner = CliRunner()
    first = runner.invoke(app, ["eval", SAMPLE, "--engine", "extractive", "--limit", "3", "--out", str(made)])

    table = runner.invoke(app, ["eval", SAMPLE, "--limit", "3", "--briefs", str(made), "--no-reference"])

    assert first.exit_code == 0, first.output
    assert table.exit_code == 0, table.output
    for heading in ("briefs made.jsonl", "field by field", "names found", "pronoun", "quotes ok"):
        assert heading in table.stdout
    assert "pip install 'briefer[nlp]'" in table.stdout  # kinds and topics were left out


def test_an_engine_that_fails_everywhere_still_shows_the_baselines_then_exits_1(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(evaluate.run, "make_engine", lambda settings: StandInEngine(fail_on=" "))

    result = CliRunner().invoke(app, ["eval", str(SAMPLE), "--engine", "extractive", "--limit", "3"])

    assert result.exit_code == 1
    assert "Lead-3" in result.stdout and "LexRank-3" in result.stdout
    assert (
        "the engine failed on all 3 articles (each scored 0): the stand-in engine refused this article"
        in result.stderr
    )


def test_some_failures_are_counted_with_their_reasons(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(evaluate.run, "make_engine", lambda settings: StandInEngine(fail_on="police"))

    result = CliRunner().invoke(app, ["eval", str(SAMPLE), "--engine", "extractive", "--limit", "20"])

    assert result.exit_code == 0, result.stderr
    assert re.search(r"the engine failed on 2 of 20 articles \(each scored 0\): the stand-in", result.stderr)
