"""The CLI: machine-readable stdout, one-line errors on stderr, meaningful exit codes."""

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from briefer.cli import app
from briefer.models import BriefResult

SEED = str(Path(__file__).parents[1] / "seeds" / "pakistan-taliban-warning.txt")


@pytest.fixture
def runner(monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    for name in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "BRIEFER_ENGINE", "BRIEFER_MODEL", "BRIEFER_PROMPT"):
        monkeypatch.delenv(name, raising=False)
    return CliRunner()


def test_every_command_has_help_with_examples(runner: CliRunner) -> None:
    commands = [
        ["brief"],
        ["tokens"],
        ["schema"],
        ["prompts", "list"],
        ["prompts", "show"],
        ["batch"],
        ["estimate"],
    ]
    commands += [["cache", "stats"], ["cache", "clear"], ["verify"], ["eval"], ["serve"]]
    for command in commands:
        result = runner.invoke(app, [*command, "--help"])
        assert result.exit_code == 0, command
        assert "Example" in result.stdout, command


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


def test_tokens_reads_stdin(runner: CliRunner) -> None:
    result = runner.invoke(app, ["tokens", "-"], input=Path(SEED).read_text())
    assert result.stdout.split() == ["736", "-"]


def test_schema_is_the_brief_result_json_schema(runner: CliRunner) -> None:
    schema = json.loads(runner.invoke(app, ["schema"]).stdout)
    assert schema == BriefResult.model_json_schema()
    brief_schema = json.loads(runner.invoke(app, ["schema", "--of", "brief"]).stdout)
    assert "key_takeaways" in brief_schema["properties"]


def test_prompts_list_and_show(runner: CliRunner) -> None:
    listing = runner.invoke(app, ["prompts", "list"]).stdout
    assert {line.split()[0] for line in listing.splitlines()} >= {"brief@1", "chunk_notes@1", "combine@1"}
    shown = runner.invoke(app, ["prompts", "show", "brief@1"]).stdout
    assert shown.startswith("# brief@1  sha256:") and "<article>" in shown


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["brief", "does-not-exist.txt"], "does-not-exist.txt: no such file"),
        (["brief", SEED, "--engine", "openai"], "needs OPENAI_API_KEY"),
        (["brief", SEED, "--base-url", "http://127.0.0.1:9/v1", "--prompt", "brief@99"], "no version"),
        (["brief", SEED, "--max-repairs", "-1"], "max_repairs"),
        (["prompts", "show", "nope"], "unknown prompt"),
        (["tokens", "missing.txt"], "no such file"),
    ],
)
def test_user_errors_are_one_line_and_exit_2(runner: CliRunner, args: list[str], message: str) -> None:
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and message in result.stderr
    assert result.stderr.startswith("briefer: error: ")
    assert "Traceback" not in result.stderr and result.stdout == ""


def test_verbose_adds_the_traceback(runner: CliRunner) -> None:
    result = runner.invoke(app, ["brief", "does-not-exist.txt", "--verbose"])
    assert result.exit_code == 2
    assert "Traceback" in result.stderr and "InputError" in result.stderr


def test_bad_flag_value_is_a_usage_error(runner: CliRunner) -> None:
    result = runner.invoke(app, ["brief", SEED, "--format", "pdf"])
    assert result.exit_code == 2 and "pdf" in result.stderr
