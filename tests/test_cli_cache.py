"""``briefer cache`` (briefer/cli/cache.py): of an empty cache, and of one a batch run filled."""

import json
from pathlib import Path

import pytest
from support.batch_cases import feed, run, sample_rows
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


def test_dry_run_and_cache_commands_see_what_a_run_stored(
    openai_server, tmp_path: Path, env_clean, fresh_engine_state
) -> None:
    env_clean.setenv("BRIEFER_ENGINE", "openai")  # auto would pick the hybrid for a local server
    source = feed(tmp_path / "feed.jsonl", sample_rows(3))
    assert run([str(source), "--out", str(tmp_path / "out")], openai_server, tmp_path).exit_code == 0
    planned = run([str(source), "--out", str(tmp_path / "out"), "--dry-run"], openai_server, tmp_path)
    assert [line.split("\t")[1] for line in planned.stdout.splitlines()] == ["cached"] * 3
    cache = ["--cache", str(tmp_path / "cache.sqlite3")]
    stats = json.loads(CliRunner().invoke(app, ["cache", "stats", *cache]).stdout)
    assert stats["entries"] == 3 and stats["by_engine"] == {"openai": 3}
    assert CliRunner().invoke(app, ["cache", "clear", "--older-than", "1", *cache]).exit_code == 0
    assert json.loads(CliRunner().invoke(app, ["cache", "stats", *cache]).stdout)["entries"] == 3
    cleared = CliRunner().invoke(app, ["cache", "clear", *cache])
    assert "deleted 3" in cleared.stderr
    assert json.loads(CliRunner().invoke(app, ["cache", "stats", *cache]).stdout)["entries"] == 0


def test_stats_give_the_oldest_and_newest_entry_in_iso_8601(
    env_clean: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from datetime import datetime

    env_clean.setenv("BRIEFER_CACHE", str(tmp_path / "dated.sqlite3"))
    seed = str(Path(__file__).parents[1] / "seeds" / "pakistan-taliban-warning.txt")
    made = CliRunner().invoke(app, ["batch", seed, "--engine", "extractive", "--out", str(tmp_path / "out")])
    assert made.exit_code == 0, made.stderr
    stats = json.loads(CliRunner().invoke(app, ["cache", "stats"]).stdout)
    assert stats["entries"] == 1
    for key in ("oldest", "newest"):
        assert datetime.fromisoformat(stats[key]).utcoffset().total_seconds() == 0
        assert stats[key].endswith("+00:00")
