"""Many articles (briefer/cli/batch.py): the flags of batch and estimate; batch runs are in test_batch_runner."""

import json
import re
import tempfile
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from support import hostile
from support.batch_cases import SEEDS, run
from support.openai_server import OpenAIServer, ok
from support.statement_cases import DERBY, SPLICED, SPLICED_JSON
from typer.testing import CliRunner

from briefer.cli import app

REPO = Path(__file__).parents[1]
SEED = str(REPO / "seeds" / "pakistan-taliban-warning.txt")
BRIEF_V1 = (REPO / "prompts" / "brief" / "v1.toml").read_text()


def estimate(runner: CliRunner, *extra: str) -> dict:
    result = runner.invoke(app, ["estimate", SEED, "-m", "gpt-4o", "--format", "json", *extra])
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def test_estimate_uses_the_prompts_of_prompts_dir(runner: CliRunner, tmp_path: Path) -> None:
    """A user's brief@2 with a longer system prompt costs more input tokens than the built-in brief@1."""
    (tmp_path / "brief").mkdir()
    longer = BRIEF_V1.replace("version = 1", "version = 2").replace(
        "Rules:", "Rules:\n" + "- Prefer the article's own words over a paraphrase.\n" * 50
    )
    (tmp_path / "brief" / "v2.toml").write_text(longer)
    built_in, user = estimate(runner), estimate(runner, "--prompts-dir", str(tmp_path))
    assert user["prompt_tokens"] - built_in["prompt_tokens"] > 400
    assert user["article_tokens"] == built_in["article_tokens"] and user["requests"] == built_in["requests"]


def test_estimate_splits_at_max_chunk_tokens(runner: CliRunner) -> None:
    assert estimate(runner)["requests"] == 1
    split = estimate(runner, "--max-chunk-tokens", "300")
    assert split["requests"] > 2 and split["long_articles"] == 1


def test_estimate_of_the_offline_engine_says_it_costs_nothing(runner: CliRunner) -> None:
    result = runner.invoke(app, ["estimate", SEED, "--engine", "extractive"])
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "engine          extractive: no requests, no cost"


def test_batch_formats_are_json_or_md(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(app, ["batch", SEED, "--out", str(tmp_path), "-f", "pdf"])
    assert result.exit_code == 2 and "pdf" in result.stderr


def test_batch_options_out_of_range_are_config_errors(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(app, ["batch", SEED, "--out", str(tmp_path), "--max-attempts", "0"])
    assert result.exit_code == 2
    assert (
        result.stderr
        == "briefer: error: invalid option: max_attempts: Input should be greater than or equal to 1\n"
    )


def test_batch_of_nothing_is_bad_input(runner: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    args = ["batch", str(tmp_path / "empty"), "--out", str(tmp_path / "out"), "--engine", "extractive"]
    result = runner.invoke(app, [*args, "--no-cache"])
    assert result.exit_code == 2 and "no articles found" in result.stderr


def test_empty_folder_is_a_clear_error(openai_server, tmp_path: Path, env_clean, fresh_engine_state) -> None:
    (tmp_path / "empty").mkdir()
    result = run([str(tmp_path / "empty"), "--out", str(tmp_path / "out")], openai_server, tmp_path)
    assert result.exit_code == 2 and "no articles found" in result.stderr


def test_cli_prints_the_estimate_without_a_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    result = CliRunner().invoke(app, ["estimate", str(REPO / "seeds"), "-m", "gpt-4o", "--format", "json"])
    assert result.exit_code == 0, result.stderr
    payload = json.loads(result.stdout)
    assert payload["model"] == "gpt-4o" and payload["requests"] == len(SEEDS) and payload["cost_usd"] > 0


def test_a_cache_that_cannot_be_opened_is_a_warning_and_the_batch_goes_on(
    runner: CliRunner, tmp_path: Path
) -> None:
    damaged = tmp_path / "c.sqlite3"
    damaged.write_bytes(b"SQLite format 3\x00" + b"\xde\xad" * 4000)
    out = tmp_path / "out"
    args = [
        "batch",
        str(REPO / "seeds"),
        "--out",
        str(out),
        "--engine",
        "extractive",
        "--cache",
        str(damaged),
    ]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.stderr
    warning = result.stderr.splitlines()[0]
    assert warning.startswith(f"briefer: warning: cache {damaged}: cannot open (")
    assert warning.endswith(
        "delete it with its -wal and -shm files (or pass another --cache) and it is rebuilt as briefs are made; going on without the cache"
    )
    assert len((out / "briefs.jsonl").read_text().splitlines()) == len(SEEDS)


def test_estimate_via_the_batch_api_shows_both_prices(runner: CliRunner) -> None:
    result = runner.invoke(app, ["estimate", SEED, "-m", "gpt-4o", "--via", "batch-api"])
    assert result.exit_code == 0, result.output
    (line,) = [line for line in result.stdout.splitlines() if line.startswith("cost")]
    batch, live = (float(x) for x in re.findall(r"\$([0-9.]+)", line))
    assert (
        line.endswith("live)")
        and "through the Batch API" in line
        and batch == pytest.approx(live / 2, abs=1e-4)
    )


def _feed_line(fields: dict[str, object]) -> bytes:
    return json.dumps(fields).encode()


feed_lines = st.one_of(
    hostile.raw_bytes,
    st.builds(
        _feed_line,
        st.fixed_dictionaries(
            {},
            optional={
                "id": hostile.texts,
                "text": hostile.texts,
                "html": hostile.texts,
                "title": hostile.json_values,
            },
        ),
    ),
)


@hostile.PROPERTY
@given(line=feed_lines)
def test_any_feed_line_on_stdin_is_briefed_or_reported_in_one_line(line: bytes, env_clean) -> None:
    """One line a time (two would start the process pool: seconds per example)."""
    with tempfile.TemporaryDirectory() as folder:
        args = ["batch", "-", "-o", folder, "--engine", "extractive", "--no-cache"]
        result = CliRunner().invoke(app, args, input=line.replace(b"\n", b" ").replace(b"\r", b" ") + b"\n")
        if result.exit_code == 1:
            assert json.loads((Path(folder) / "report.json").read_text())["failures"]
    hostile.assert_clean_exit(result, {0, 1, 2}, one_line={2})  # 1: the run's summary, a line a failure


def test_failures_come_before_the_counts_and_an_earlier_failure_names_retry_failed(
    runner: CliRunner, tmp_path: Path, env_clean
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "seed.txt").write_text(
        (Path(__file__).parents[1] / "seeds" / "pakistan-taliban-warning.txt").read_text()
    )
    (folder / "long.txt").write_text(" ".join(["word"] * 120) + ".")  # one sentence too long for a takeaway
    args = ["batch", str(folder), "--engine", "extractive", "--out", str(tmp_path / "out"), "--no-cache"]
    first = runner.invoke(app, args)
    lines = [line for line in first.stderr.splitlines() if line.startswith("briefer: ")]
    assert first.exit_code == 1
    failed = next(i for i, line in enumerate(lines) if line.startswith("briefer: failed: long"))
    counts = next(i for i, line in enumerate(lines) if "2 articles: 1 briefed" in line)
    assert failed < counts
    again = runner.invoke(app, args)
    assert (
        "1 already done" in again.stderr
        and "1 skipped (failed earlier) (--retry-failed tries them again)" in again.stderr
    )
    assert "failed in an earlier run; --retry-failed tries it again" in again.stderr
    runs = sorted((tmp_path / "out" / "runs").glob("*.json"))
    counts = [json.loads(run.read_text())["counts"] for run in runs]
    assert [(c["done"], c["failed"], c["already_done"], c["skipped_failed"]) for c in counts] == [
        (1, 1, 0, 0),
        (0, 0, 1, 1),
    ]


def test_a_refused_connection_stops_the_run_in_seconds_and_the_counts_add_up(
    runner: CliRunner, tmp_path: Path, env_clean
) -> None:
    import socket
    import time

    with socket.socket() as probe:  # a port nothing listens on once the probe is closed
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    out = tmp_path / "out"
    started = time.monotonic()
    args = [
        "batch",
        *map(str, SEEDS),
        "--base-url",
        f"http://127.0.0.1:{port}/v1",
        "-m",
        "x",
        "--out",
        str(out),
    ]
    result = runner.invoke(app, [*args, "--no-cache"])
    assert time.monotonic() - started < 5 and result.exit_code != 0
    assert "connection refused" in result.stderr
    counts = json.loads((out / "report.json").read_text())["counts"]
    assert counts["seen"] == len(SEEDS) == sum(counts[k] for k in counts if k != "seen")
    assert f"{counts['left']} left for the next run" in result.stderr


def _batch_counts(runner: CliRunner, out: Path, *flags: str) -> tuple[dict, str]:
    """report.json's counts and the stderr summary line of one extractive run over the seeds."""
    result = runner.invoke(
        app, ["batch", *map(str, SEEDS), "--engine", "extractive", "--out", str(out), *flags]
    )
    assert result.exit_code == 0, result.stderr
    summary = next(line for line in result.stderr.splitlines() if " articles: " in line)
    return json.loads((out / "report.json").read_text())["counts"], summary


def test_no_cache_never_counts_articles_from_the_cache(runner: CliRunner, tmp_path: Path) -> None:
    from briefer.batch import BatchOptions, run_batch
    from briefer.cache import BriefCache
    from briefer.config import Settings
    from briefer.loading.inputs import iter_items

    cache = str(tmp_path / "cache.db")
    _batch_counts(runner, tmp_path / "first", "--cache", cache)
    cached, _ = _batch_counts(runner, tmp_path / "cached", "--cache", cache)
    assert cached["cached"] == len(SEEDS), "the cache holds every seed: --no-cache has something to ignore"
    counts, summary = _batch_counts(runner, tmp_path / "uncached", "--cache", cache, "--no-cache")
    assert counts["cached"] == 0 and counts["done"] == counts["seen"] == len(SEEDS)
    assert sum(counts[k] for k in counts if k != "seen") == len(SEEDS)
    assert f"{len(SEEDS)} articles: {len(SEEDS)} briefed, 0 from cache, 0 already done, 0 failed" in summary
    settings = Settings.from_env(None, engine="extractive")
    api = run_batch(iter_items(list(map(str, SEEDS))), settings, BatchOptions(out=tmp_path / "api"), None)
    assert api.counts.model_dump() == counts
    with_cache = run_batch(
        iter_items(list(map(str, SEEDS))),
        settings,
        BatchOptions(out=tmp_path / "api2"),
        BriefCache(Path(cache)),
    )
    assert with_cache.counts.cached == len(SEEDS)


def test_batch_statements_flags_a_doubted_claim_in_the_jsonl_and_skips_the_cache_without_them(
    runner: CliRunner, env_clean: pytest.MonkeyPatch, fresh_engine_state, tmp_path: Path
) -> None:
    """The Derby story, its model brief carrying a spliced claim: cached first without the check."""
    env_clean.setenv("OPENAI_API_KEY", "sk-test")
    feed = json.dumps({"id": "derby", "text": DERBY}) + "\n"
    cache = str(tmp_path / "cache.db")

    def batch(*flags: str) -> tuple[dict, str]:
        with OpenAIServer(ok(SPLICED_JSON)) as server:
            args = ["batch", "-", "--engine", "openai", "--base-url", server.base_url, "--out", "-"]
            result = runner.invoke(app, [*args, "--no-repair", "--cache", cache, *flags], input=feed)
        assert result.exit_code == 0, result.stderr
        (line,) = result.stdout.splitlines()
        return json.loads(line), result.stderr

    plain, _ = batch()
    checked, summary = batch("--statements")

    assert plain["id"] == checked["id"] == "derby" and plain["grounding"]["ok"] is True
    assert "1 articles: 1 briefed, 0 from cache" in summary, "briefed again, not served from the cache"
    (flagged,) = [c for c in checked["grounding"]["claims"] if not c["supported"]]
    assert flagged["text"] == SPLICED and flagged["problems"][0].startswith(
        "likely not what the article says"
    )
