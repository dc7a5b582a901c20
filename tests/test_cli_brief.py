"""One article at a time (briefer/cli/brief.py): brief, tokens, schema; verify is in test_grounding_cli."""

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from briefer.cli import app
from briefer.models import BriefResult

SEED = str(Path(__file__).parents[1] / "seeds" / "pakistan-taliban-warning.txt")


@pytest.fixture
def runner(env_clean: pytest.MonkeyPatch) -> CliRunner:
    return CliRunner()


def test_brief_writes_the_result_to_out_and_says_where(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "story.json"
    result = runner.invoke(app, ["brief", SEED, "--engine", "extractive", "-f", "json", "-o", str(out)])
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "" and f"briefer: wrote {out}" in result.stderr
    assert BriefResult.model_validate_json(out.read_text()).provenance.engine == "extractive"


def test_tokens_prints_exact_counts_and_a_total(runner: CliRunner, tmp_path: Path) -> None:
    other = tmp_path / "b.txt"
    other.write_text("Five words are right here.")
    result = runner.invoke(app, ["tokens", SEED, str(other)])
    assert result.exit_code == 0, result.stderr
    lines = [line.split() for line in result.stdout.splitlines()]
    assert lines == [["736", SEED], ["6", str(other)], ["742", "total"]]


def test_tokens_json_names_model_and_encoding(runner: CliRunner) -> None:
    result = runner.invoke(app, ["tokens", SEED, "-m", "gpt-4", "--format", "json"])
    payload = json.loads(result.stdout)
    assert payload["encoding"] == "cl100k_base" and payload["inputs"] == [{"input": SEED, "tokens": 740}]


def test_tokens_counts_for_the_model_briefer_would_use(
    runner: CliRunner, env_clean: pytest.MonkeyPatch
) -> None:
    env_clean.setenv("BRIEFER_MODEL", "gpt-4")
    payload = json.loads(runner.invoke(app, ["tokens", SEED, "--format", "json"]).stdout)
    assert (payload["model"], payload["encoding"]) == ("gpt-4", "cl100k_base")


def test_tokens_reads_stdin(runner: CliRunner) -> None:
    result = runner.invoke(app, ["tokens", "-"], input=Path(SEED).read_text())
    assert result.stdout.split() == ["736", "-"]


def test_schema_is_the_brief_result_json_schema(runner: CliRunner) -> None:
    schema = json.loads(runner.invoke(app, ["schema"]).stdout)
    assert schema == BriefResult.model_json_schema()
    brief_schema = json.loads(runner.invoke(app, ["schema", "--of", "brief"]).stdout)
    assert "key_takeaways" in brief_schema["properties"]
