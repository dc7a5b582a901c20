"""``briefer prompts`` (briefer/cli/prompts.py): the built-in prompts and a user's directory."""

from pathlib import Path

import pytest
from typer.testing import CliRunner

from briefer.cli import app

BRIEF_V1 = (Path(__file__).parents[1] / "prompts" / "brief" / "v1.toml").read_text()


@pytest.fixture
def user_dir(tmp_path: Path) -> Path:
    (tmp_path / "brief").mkdir()
    (tmp_path / "brief" / "v2.toml").write_text(BRIEF_V1.replace("version = 1", "version = 2"))
    return tmp_path


def refs(listing: str) -> set[str]:
    return {line.split()[0] for line in listing.splitlines()}


def test_prompts_list_and_show(runner: CliRunner) -> None:
    listing = runner.invoke(app, ["prompts", "list"]).stdout
    assert refs(listing) >= {"brief@1", "chunk_notes@1", "combine@1"}
    shown = runner.invoke(app, ["prompts", "show", "brief@1"]).stdout
    assert shown.startswith("# brief@1  sha256:") and "<article>" in shown


def test_a_prompts_dir_adds_versions_by_flag_or_environment(
    runner: CliRunner, env_clean: pytest.MonkeyPatch, user_dir: Path
) -> None:
    assert "brief@2" in refs(runner.invoke(app, ["prompts", "list", "--prompts-dir", str(user_dir)]).stdout)
    env_clean.setenv("BRIEFER_PROMPTS_DIR", str(user_dir))
    assert runner.invoke(app, ["prompts", "show", "brief"]).stdout.startswith("# brief@2  ")


def test_a_missing_prompts_dir_is_a_config_error(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(app, ["prompts", "list", "--prompts-dir", str(tmp_path / "nope")])
    assert result.exit_code == 2 and "prompts directory not found" in result.stderr
