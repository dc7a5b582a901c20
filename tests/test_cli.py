"""The command map (briefer/cli/__init__.py): every command is there, documented, and quick to start."""

import os
import subprocess
import sys
import tomllib
from collections.abc import Iterator
from importlib import import_module
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from briefer.cli import app

REPO = Path(__file__).parents[1]


def all_commands() -> Iterator[list[str]]:
    """Every command of ``briefer`` as the words that call it, e.g. ``["cache", "stats"]``."""

    def walk(group: typer.core.TyperGroup, path: list[str]) -> Iterator[list[str]]:
        for name, command in group.commands.items():
            if isinstance(command, typer.core.TyperGroup):
                yield from walk(command, [*path, name])
            else:
                yield [*path, name]

    yield from walk(typer.main.get_command(app), [])


def test_the_map_has_every_command() -> None:
    assert sorted(" ".join(c) for c in all_commands()) == [
        "batch",
        "brief",
        "cache clear",
        "cache stats",
        "estimate",
        "eval",
        "eval-factuality",
        "prompts list",
        "prompts show",
        "schema",
        "serve",
        "tokens",
        "verify",
    ]


@pytest.mark.parametrize("command", list(all_commands()), ids=" ".join)
def test_every_command_has_help_with_examples_and_verbose(command: list[str]) -> None:
    result = CliRunner().invoke(app, [*command, "--help"])
    assert result.exit_code == 0, result.output
    assert "Example" in result.stdout and "--verbose" in result.stdout


def test_the_console_script_is_main() -> None:
    scripts = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["scripts"]
    module, _, name = scripts["briefer"].partition(":")
    assert getattr(import_module(module), name) is import_module("briefer.cli").main


def run_here(*args: str) -> subprocess.CompletedProcess[str]:
    """A fresh ``python`` running this checkout's briefer, not an installed one."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")])}
    return subprocess.run([sys.executable, *args], capture_output=True, text=True, env=env, timeout=60)


def test_python_m_briefer_shows_help() -> None:
    result = run_here("-m", "briefer", "--help")
    assert result.returncode == 0 and "Usage:" in result.stdout and "estimate" in result.stdout


def test_starting_the_cli_imports_nothing_heavy() -> None:
    """What `briefer --help` must not pay for: each command imports these when it runs."""
    heavy = ["pydantic", "rich", "openai", "httpx", "tiktoken", "briefer.models", "briefer.config"]
    code = f"import sys, briefer.cli; print([m for m in {heavy!r} if m in sys.modules])"
    assert run_here("-c", code).stdout.strip() == "[]"
