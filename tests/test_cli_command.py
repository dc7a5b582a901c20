"""What every command shares (briefer/cli/command.py): errors, --verbose, the settings groups."""

from pathlib import Path
from typing import Any

import pytest
from support.openai_server import OpenAIServer, slow
from typer.testing import CliRunner

import briefer.cli.command
from briefer.cli import app
from briefer.config import Settings
from briefer.errors import ConfigError

REPO = Path(__file__).parents[1]
SEED = str(REPO / "seeds" / "pakistan-taliban-warning.txt")
SAMPLE = str(REPO / "tests" / "data" / "eval_sample.jsonl")


# -- errors ---------------------------------------------------------------------------------------


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


def break_prompts(monkeypatch: pytest.MonkeyPatch, error: BaseException) -> None:
    def fail(*args: object) -> None:
        raise error

    monkeypatch.setattr("briefer.prompts.PromptRegistry.all", fail)


def test_a_bug_is_one_line_that_says_so_and_how_to_see_more(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    break_prompts(monkeypatch, RuntimeError("boom"))
    result = runner.invoke(app, ["prompts", "list"])
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr == (
        "briefer: error: internal error (RuntimeError: boom): this is a bug in briefer; "
        "run again with --verbose for the traceback\n"
    )
    verbose = runner.invoke(app, ["prompts", "list", "-v"])
    assert verbose.exit_code == 1
    assert "Traceback" in verbose.stderr and verbose.stderr.endswith("this is a bug in briefer\n")


def test_ctrl_c_exits_130(runner: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    break_prompts(monkeypatch, KeyboardInterrupt())
    result = runner.invoke(app, ["prompts", "list"])
    assert (result.exit_code, result.stderr) == (130, "briefer: error: interrupted\n")


# -- the settings groups ------------------------------------------------------------------------

ENGINE_FLAGS = [
    "--engine",
    "openai",
    "-m",
    "m1",
    "--base-url",
    "http://127.0.0.1:9/v1",
    "--prompt",
    "brief@1",
]
ENGINE_FLAGS += ["--prompts-dir", "my-prompts", "--max-chunk-tokens", "1000"]
RUN_FLAGS = ["--structured", "json_object", "--max-repairs", "1", "--no-repair", "--timeout", "5"]
ENGINE_SETTINGS = {
    "engine": "openai",
    "model": "m1",
    "base_url": "http://127.0.0.1:9/v1",
    "prompt": "brief@1",
    "prompts_dir": Path("my-prompts"),
    "max_chunk_tokens": 1000,
}
RUN_SETTINGS = {"structured": "json_object", "max_repairs": 1, "repair_grounding": False, "timeout_s": 5.0}
COMMANDS = {
    "brief": ([SEED], True),
    "batch": ([SEED, "--out", "out"], True),
    "eval": ([SAMPLE], True),
    "estimate": ([SEED], False),
    "serve": ([], False),
}


@pytest.mark.parametrize("command", COMMANDS)
def test_every_engine_flag_reaches_the_settings(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch, command: str
) -> None:
    """The same flags, with the same meaning, on every command that makes or runs an engine."""
    seen: list[Settings] = []

    def stop(flags: dict[str, Any]) -> Settings:
        seen.append(Settings.from_env(**flags))
        raise ConfigError("stopped by the test")

    monkeypatch.setattr(briefer.cli.command, "make_settings", stop)
    args, runs_llm = COMMANDS[command]
    result = runner.invoke(app, [command, *args, *ENGINE_FLAGS, *(RUN_FLAGS if runs_llm else [])])
    assert result.exit_code == 2 and "stopped by the test" in result.stderr, result.output
    expected = ENGINE_SETTINGS | (RUN_SETTINGS if runs_llm else {})
    assert {name: getattr(seen[0], name) for name in expected} == expected


def test_flags_left_out_leave_the_environment_in_charge(
    runner: CliRunner, env_clean: pytest.MonkeyPatch
) -> None:
    """A flag's default never hides $BRIEFER_*: here the key alone would pick the LLM."""
    env_clean.setenv("OPENAI_API_KEY", "sk-test")
    env_clean.setenv("BRIEFER_ENGINE", "extractive")
    result = runner.invoke(app, ["brief", SEED, "--format", "json"])
    assert result.exit_code == 0, result.stderr
    assert '"engine": "extractive"' in result.stdout and result.stderr == ""


def test_the_offline_notice_is_said_once_and_only_when_nothing_was_asked_for(runner: CliRunner) -> None:
    notice = "briefer: no OPENAI_API_KEY or --base-url set, so using the offline extractive engine"
    assert runner.invoke(app, ["brief", SEED]).stderr.count(notice) == 1
    assert notice not in runner.invoke(app, ["brief", SEED, "--engine", "extractive"]).stderr


LLM_RUNS = {
    "brief": lambda tmp: ["brief", SEED],
    "batch": lambda tmp: ["batch", SEED, "--out", str(tmp / "out"), "--cache", str(tmp / "c.sqlite3")],
    "eval": lambda tmp: ["eval", SAMPLE, "--limit", "1", "--no-baselines"],
}


@pytest.mark.parametrize("command", LLM_RUNS)
def test_structured_mode_reaches_the_server(
    runner: CliRunner, fresh_engine_state: None, tmp_path: Path, command: str
) -> None:
    with OpenAIServer() as server:
        args = [*LLM_RUNS[command](tmp_path), "--base-url", server.base_url, "--structured", "json_object"]
        result = runner.invoke(app, [*args, "--no-repair"])
        formats = {request.response_format["type"] for request in server.completions}
    assert result.exit_code == 0, result.stderr
    assert formats == {"json_object"}


@pytest.mark.parametrize("command", LLM_RUNS)
def test_timeout_reaches_the_engine(
    runner: CliRunner, fresh_engine_state: None, fast_retries: None, tmp_path: Path, command: str
) -> None:
    with OpenAIServer(default=slow(1.0)) as server:
        args = [*LLM_RUNS[command](tmp_path), "--base-url", server.base_url, "--timeout", "0.2"]
        result = runner.invoke(app, [*args, "--no-repair"])
    assert result.exit_code == 1
    assert "within 0.2 s" in result.stderr, result.stderr
