"""``briefer cache`` (briefer/cli/cache.py); a cache filled by a batch run is in test_batch."""

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from briefer.cli import app


def test_stats_and_clear_of_an_empty_cache_from_the_environment(
    env_clean: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    env_clean.setenv("BRIEFER_CACHE", str(tmp_path / "env.sqlite3"))
    stats = CliRunner().invoke(app, ["cache", "stats"])
    assert stats.exit_code == 0, stats.stderr
    assert json.loads(stats.stdout)["entries"] == 0 and json.loads(stats.stdout)["path"].endswith(
        "env.sqlite3"
    )
    cleared = CliRunner().invoke(app, ["cache", "clear", "--older-than", "30"])
    assert (cleared.exit_code, cleared.stdout, cleared.stderr) == (
        0,
        "",
        "briefer: deleted 0 cached brief(s)\n",
    )
