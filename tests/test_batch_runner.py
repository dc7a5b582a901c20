"""Batch runs (briefer/batch/runner.py): every article briefed once, failures recorded and the run
going on, resumable, within limits; the CPU pool's own tests are in test_batch_pool.

Where results go (briefs.jsonl repair, --ordered streaming) is in test_batch_output.
"""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from support.batch_cases import REPO, SEEDS, feed, lines, run, sample_rows
from support.openai_server import OpenAIServer, refusal, slow, status
from typer.testing import CliRunner

from briefer.cli import app

pytestmark = pytest.mark.usefixtures("env_clean", "fresh_engine_state")


def test_folder_gives_one_brief_per_article_a_jsonl_and_a_report(openai_server, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    (folder / "world").mkdir(parents=True)
    for seed in SEEDS:
        (folder / "world" / seed.name).write_text(seed.read_text())
    (folder / "notes.bin").write_bytes(b"\x00\x01")  # not an article suffix: ignored
    out = tmp_path / "out"
    result = run([str(folder), "--out", str(out), "-f", "json", "-f", "md"], openai_server, tmp_path)
    assert result.exit_code == 0, result.stderr
    ids = sorted(f"world_{seed.stem}" for seed in SEEDS)
    assert sorted(p.stem for p in out.glob("*.json") if p.name != "report.json") == ids
    assert sorted(p.stem for p in out.glob("*.md")) == ids
    records = lines(out / "briefs.jsonl")
    assert sorted(r["id"] for r in records) == ids
    report = json.loads((out / "report.json").read_text())
    assert report["counts"]["done"] == len(SEEDS) and report["counts"]["failed"] == 0
    assert report["requests"] == len(openai_server.completions) == len(SEEDS)
    assert report["usage"]["prompt_tokens"] > 0 and report["articles_per_s"] > 0
    assert not list(out.glob(".*.tmp")), "no temporary files are left behind"


def test_rerun_makes_zero_requests(openai_server, tmp_path: Path) -> None:
    source = feed(tmp_path / "feed.jsonl", sample_rows(6))
    out = tmp_path / "out"
    assert run([str(source), "--out", str(out)], openai_server, tmp_path).exit_code == 0
    sent = len(openai_server.completions)
    again = run([str(source), "--out", str(out)], openai_server, tmp_path)
    assert again.exit_code == 0
    assert len(openai_server.completions) == sent == 6
    report = json.loads((out / "report.json").read_text())
    assert report["counts"]["already_done"] == 6 and report["requests"] == 0
    assert len(lines(out / "briefs.jsonl")) == 6, "nothing appended twice"
    # A new output directory with the same cache: written from the cache, still no request.
    assert run([str(source), "--out", str(tmp_path / "out2")], openai_server, tmp_path).exit_code == 0
    assert len(openai_server.completions) == 6
    assert json.loads((tmp_path / "out2" / "report.json").read_text())["counts"]["cached"] == 6


def test_a_failing_article_is_recorded_and_the_run_goes_on(openai_server, tmp_path: Path) -> None:
    openai_server.script(refusal())
    source = feed(tmp_path / "feed.jsonl", sample_rows(5))
    out = tmp_path / "out"
    result = run([str(source), "--out", str(out), "--concurrency", "1"], openai_server, tmp_path)
    assert result.exit_code == 1
    report = json.loads((out / "report.json").read_text())
    assert report["counts"]["done"] == 4 and report["counts"]["failed"] == 1
    assert "refused" in report["failures"][0]["reason"]
    assert "failed:" in result.stderr and "refused" in result.stderr
    # Without --retry-failed the failure is not retried; with it, it is.
    assert run([str(source), "--out", str(out)], openai_server, tmp_path).exit_code == 0
    assert len(openai_server.completions) == 5
    assert run([str(source), "--out", str(out), "--retry-failed"], openai_server, tmp_path).exit_code == 0
    assert len(openai_server.completions) == 6
    assert len(lines(out / "briefs.jsonl")) == 5


def test_malformed_jsonl_lines_are_reported_with_line_numbers(openai_server, tmp_path: Path) -> None:
    rows = sample_rows(3)
    source = feed(
        tmp_path / "feed.jsonl",
        rows,
        ("{not json\n", '["a list"]\n', '{"id": "x"}\n', '{"id": "y", "text": 5}\n'),
    )
    out = tmp_path / "out"
    result = run([str(source), "--out", str(out)], openai_server, tmp_path)
    assert result.exit_code == 1
    report = json.loads((out / "report.json").read_text())
    assert report["counts"]["done"] == 3
    reasons = sorted(f["reason"] for f in report["failures"])
    assert [r.split(": ", 1)[0] for r in reasons] == [f"{source}:{n}" for n in (4, 5, 6, 7)]
    assert "not JSON" in reasons[0] and "not a JSON object" in reasons[1]
    assert 'needs "text", "html" or "url"' in reasons[2] and "must be a string" in reasons[3]


def test_duplicate_and_unsafe_ids_are_made_unique_and_safe(openai_server, tmp_path: Path) -> None:
    text = sample_rows(2)
    rows = [
        {"id": "../../etc/passwd", "text": text[0]["text"]},
        {"id": "Story", "text": text[1]["text"]},
        {"id": "story", "text": text[0]["text"] + " Updated."},
    ]
    out = tmp_path / "out"
    assert (
        run([str(feed(tmp_path / "f.jsonl", rows)), "--out", str(out)], openai_server, tmp_path).exit_code
        == 0
    )
    assert sorted(p.name for p in out.glob("*.json") if p.name != "report.json") == [
        "Story.json",
        "etc_passwd.json",
        "story-2.json",
    ]
    assert json.loads((out / "report.json").read_text())["duplicate_ids"] == ["story"]


def test_429_storm_pauses_the_whole_run_and_everything_finishes(tmp_path: Path) -> None:
    arrivals: list[float] = []
    with OpenAIServer(status(429, retry_after=0.6)) as server:
        record = server.record
        server.record = lambda request: (  # type: ignore[method-assign]
            request.method == "POST" and arrivals.append(time.monotonic()),
            record(request),
        )
        source = feed(tmp_path / "feed.jsonl", sample_rows(8))
        out = tmp_path / "out"
        result = run([str(source), "--out", str(out), "--concurrency", "4"], server, tmp_path)
    assert result.exit_code == 0, result.stderr
    report = json.loads((out / "report.json").read_text())
    assert report["counts"]["done"] == 8 and report["retries"] >= 1
    # While the pause lasts, only requests already on their way when the 429 came back may
    # arrive (at most concurrency - 1 of them); every request sent later waited it out.
    first_429 = arrivals[0]
    during = [t for t in arrivals[1:] if t < first_429 + 0.55]
    after = [t for t in arrivals[1:] if t >= first_429 + 0.55]
    assert len(during) <= 3 and len(after) >= 8 - len(during)


def test_server_errors_are_retried_with_backoff(tmp_path: Path) -> None:
    with OpenAIServer(status(500, times=2)) as server:
        out = tmp_path / "out"
        result = run([str(feed(tmp_path / "f.jsonl", sample_rows(1))), "--out", str(out)], server, tmp_path)
    assert result.exit_code == 0, result.stderr
    assert json.loads((out / "report.json").read_text())["retries"] == 2


def test_retries_running_out_fail_only_that_article(tmp_path: Path) -> None:
    with OpenAIServer(status(503, times=3)) as server:
        out = tmp_path / "out"
        args = [
            str(feed(tmp_path / "f.jsonl", sample_rows(3))),
            "--out",
            str(out),
            "--max-attempts",
            "3",
            "--concurrency",
            "1",
        ]
        result = run(args, server, tmp_path)
    report = json.loads((out / "report.json").read_text())
    assert result.exit_code == 1 and report["counts"] == report["counts"] | {"done": 2, "failed": 1}
    assert "503" in report["failures"][0]["reason"]


def test_a_server_that_stays_down_stops_the_run_and_the_next_run_does_the_rest(
    tmp_path: Path, fast_retries
) -> None:
    rows = sample_rows(8)
    args = [str(feed(tmp_path / "f.jsonl", rows)), "--out", str(tmp_path / "out"), "--concurrency", "1"]
    with OpenAIServer(default=status(503)) as down:
        result = run([*args, "--max-attempts", "2"], down, tmp_path)
        asked = len(down.completions)
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1].endswith(
        "3 articles in a row got no answer, so the server looks down: run the same command again once it answers"
    )
    assert asked == 3 * 2, "it stopped at the third article, not after trying all eight"
    report = json.loads((tmp_path / "out" / "report.json").read_text())
    assert report["counts"]["failed"] == 2 and len(report["unanswered"]) == 2
    with OpenAIServer() as up:
        again = run(args, up, tmp_path)
    assert again.exit_code == 0, again.stderr
    assert sorted(r["id"] for r in lines(tmp_path / "out" / "briefs.jsonl")) == sorted(r["id"] for r in rows)


def test_dry_run_sends_nothing(openai_server, tmp_path: Path) -> None:
    source = feed(tmp_path / "feed.jsonl", sample_rows(3))
    result = run([str(source), "--out", str(tmp_path / "out"), "--dry-run"], openai_server, tmp_path)
    assert result.exit_code == 0 and len(openai_server.completions) == 0
    assert [line.split("\t")[1] for line in result.stdout.splitlines()] == ["to brief"] * 3


def test_sigint_stops_cleanly_and_the_next_run_resumes(tmp_path: Path) -> None:
    rows = sample_rows(10)
    source = feed(tmp_path / "feed.jsonl", rows)
    out, cache = tmp_path / "out", tmp_path / "cache.sqlite3"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "BRIEFER_"))}
    with OpenAIServer(default=slow(0.3)) as server:
        command = [
            sys.executable,
            "-m",
            "briefer",
            "batch",
            str(source),
            "--out",
            str(out),
            "--cache",
            str(cache),
            "--base-url",
            server.base_url,
            "--concurrency",
            "2",
            "--no-repair",
        ]
        # Its own process group, signalled whole: what Ctrl-C in a terminal does (pool workers included).
        process = subprocess.Popen(
            command, env=env, stderr=subprocess.PIPE, text=True, start_new_session=True
        )
        deadline = time.monotonic() + 20
        while not (out / "briefs.jsonl").exists() or len((out / "briefs.jsonl").read_text().splitlines()) < 2:
            assert time.monotonic() < deadline, f"the batch never got going: {_stopped(process)}"
            time.sleep(0.05)
        os.killpg(process.pid, signal.SIGINT)
        try:
            _, stderr = process.communicate(timeout=15)
        except subprocess.TimeoutExpired:
            pytest.fail(f"still running 15 s after Ctrl-C: {_stopped(process)}")
        assert process.returncode == 130, stderr
        assert "interrupted" in stderr
        report = json.loads((out / "report.json").read_text())
        finished = lines(out / "briefs.jsonl")
        assert report["interrupted"] is True and 2 <= len(finished) < len(rows)
        assert report["counts"]["failed"] == 0, report["failures"]
        sent_before = len(server.completions)
        resumed = subprocess.run(command, env=env, capture_output=True, text=True, timeout=60)
        assert resumed.returncode == 0, resumed.stderr
        assert sorted(r["id"] for r in lines(out / "briefs.jsonl")) == sorted(r["id"] for r in rows)
        # Only the articles not finished before the interrupt were requested again.
        assert len(server.completions) - sent_before == len(rows) - len(finished)


def test_out_of_credit_stops_the_run_instead_of_failing_every_article(tmp_path: Path) -> None:
    with OpenAIServer(default=status(429, code="insufficient_quota")) as server:
        out = tmp_path / "out"
        args = [str(feed(tmp_path / "f.jsonl", sample_rows(8))), "--out", str(out), "--concurrency", "2"]
        result = run(args, server, tmp_path)
        sent = len(server.completions)
    assert result.exit_code == 1 and "stopped the run: quota exceeded" in result.stderr
    report = json.loads((out / "report.json").read_text())
    assert report["aborted"].startswith("quota exceeded") and report["retries"] == 0
    assert sent <= 3, (
        "no request after the first answer said the account is out of credit (but those in flight)"
    )


def test_extractive_batch_runs_offline_on_a_process_pool(tmp_path: Path) -> None:
    out = tmp_path / "out"
    args = [
        "batch",
        str(REPO / "seeds"),
        "--out",
        str(out),
        "--engine",
        "extractive",
        "--cache",
        str(tmp_path / "c.sqlite3"),
    ]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.stderr
    report = json.loads((out / "report.json").read_text())
    assert (report["engine"], report["counts"]["done"], report["requests"]) == ("extractive", len(SEEDS), 0)
    assert {r["provenance"]["engine"] for r in lines(out / "briefs.jsonl")} == {"extractive"}
    assert all(r["grounding"] is not None for r in lines(out / "briefs.jsonl"))


def test_an_unexpected_error_in_one_article_is_reported_and_the_run_goes_on(
    openai_server, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from briefer.loading.inputs import BatchItem

    original = BatchItem.load

    def flaky(self: BatchItem):
        if self.id == sample_rows(2)[1]["id"]:
            raise RuntimeError("boom")
        return original(self)

    monkeypatch.setattr(BatchItem, "load", flaky)
    out = tmp_path / "out"
    result = run(
        [str(feed(tmp_path / "f.jsonl", sample_rows(3))), "--out", str(out)], openai_server, tmp_path
    )
    report = json.loads((out / "report.json").read_text())
    assert result.exit_code == 1 and report["counts"]["done"] == 2
    assert report["failures"][0]["reason"].startswith("internal error (RuntimeError: boom)")


def _stopped(process: subprocess.Popen[str]) -> str:
    """Stop a batch that hangs and say what it printed, so a rare failure names its cause."""
    os.killpg(process.pid, signal.SIGKILL)
    _, stderr = process.communicate()
    return f"exit {process.returncode}; stderr: {stderr[-2000:]}"
