"""Faults under ``briefer batch``: kill -9 at random moments, an LLM server that dies (and comes back,
or not), a disk that fills up, an output place that cannot be written. After each, the next run
ends with every article done exactly once, no torn file, nothing orphaned."""

from __future__ import annotations

import contextlib
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from support.processes import HAS_PROC, alive, descendants, memory_mb

from reliability.figures import KILLS
from reliability.llm_process import llm_process

pytestmark = [pytest.mark.slow, pytest.mark.skipif(not HAS_PROC, reason="reads processes from /proc (Linux)")]

SAMPLE = Path(__file__).parents[1] / "data" / "eval_sample.jsonl"


def feed(path: Path, n: int) -> list[str]:
    """``n`` distinct real articles (the sample, each copy numbered); their ids."""
    rows = [json.loads(line) for line in SAMPLE.read_text().splitlines() if line.strip()]
    ids = [f"story-{i}" for i in range(n)]
    path.write_text(
        "".join(
            json.dumps({"id": i, "text": f"Dispatch {n}. {rows[n % len(rows)]['text']}"}) + "\n"
            for n, i in enumerate(ids)
        )
    )
    return ids


class Batch:
    """``briefer batch ARGS`` as a process: stderr to a file, its peak memory sampled."""

    def __init__(self, tmp: Path, *args: str) -> None:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "BRIEFER_"))}
        env["BRIEFER_ENGINE"] = "openai"  # these runs test the LLM engine (auto: the hybrid locally)
        self.log = tmp / f"batch-{time.monotonic_ns()}.log"
        with self.log.open("w") as stderr:
            command = [sys.executable, "-m", "briefer", "batch", *args]
            self.process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=stderr)
        self.started = time.perf_counter()
        self.peak_mb = 0.0
        threading.Thread(target=self._sample, daemon=True).start()

    def _sample(self) -> None:
        while self.process.poll() is None:
            family = {self.process.pid} | descendants(self.process.pid)
            self.peak_mb = max(self.peak_mb, sum(memory_mb(pid) for pid in family))
            time.sleep(0.1)

    def wait(self, timeout: float = 300) -> tuple[int, str, float]:
        code = self.process.wait(timeout)
        return code, self.log.read_text(), time.perf_counter() - self.started

    def stderr(self) -> str:
        return self.log.read_text()


def done_once(out: Path, ids: list[str]) -> None:
    """Every article exactly once in briefs.jsonl, each with its whole <id>.json; nothing torn."""
    records = [json.loads(line) for line in (out / "briefs.jsonl").read_text().splitlines()]
    counted = Counter(r["id"] for r in records)
    assert set(counted) == set(ids), (
        f"missing {set(ids) - set(counted)}, unexpected {set(counted) - set(ids)}"
    )
    assert max(counted.values()) == 1, [i for i, n in counted.items() if n > 1]
    for i in ids:
        assert json.loads((out / f"{i}.json").read_text())["id"] == i
    assert not list(out.glob(".*.tmp"))


def whole_lines(out: Path) -> list[str]:
    """The ids of briefs.jsonl's complete lines (a last line cut by kill -9 is repaired on resume)."""
    path = out / "briefs.jsonl"
    if not path.exists():
        return []
    text = path.read_text()
    complete = text[: text.rfind("\n") + 1] if "\n" in text else ""
    return [json.loads(line)["id"] for line in complete.splitlines()]


def line_count(out: Path) -> int:
    """Cheap progress: newlines in briefs.jsonl (polled while a batch runs)."""
    with contextlib.suppress(OSError):
        return (out / "briefs.jsonl").read_bytes().count(b"\n")
    return 0


@contextlib.contextmanager
def reaped(pids: set[int]) -> Iterator[None]:
    """Kill what the test started, whatever happened (only these pids: never by name)."""
    try:
        yield
    finally:
        for pid in pids:
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)


def test_kill_9_at_random_moments_then_resume_gives_every_article_once(tmp_path: Path, figures) -> None:
    case = figures(f"batch: kill -9 at {KILLS} random moments, then resume")
    ids = feed(tmp_path / "feed.jsonl", 1000)
    out, cache = tmp_path / "out", tmp_path / "cache.sqlite3"
    rng = random.Random(15)
    orphans: set[int] = set()
    with reaped(orphans):
        for round in range(KILLS):
            # Half the rounds without the cache: then only the output directory knows what is done.
            store = ["--no-cache"] if round % 2 else ["--cache", str(cache)]
            args = [str(tmp_path / "feed.jsonl"), "--out", str(out), "--engine", "extractive", *store]
            with case.attempt():
                before = line_count(out)
                batch = Batch(tmp_path, *args)
                if round % 5 == 4:  # while it starts up
                    time.sleep(rng.uniform(0.2, 1.5))
                else:  # in the middle of the work: after 1 to 60 more articles, at any instant
                    more, deadline = rng.randint(1, 60), time.monotonic() + 60
                    while line_count(out) < before + more and time.monotonic() < deadline:
                        time.sleep(0.02)
                    time.sleep(rng.uniform(0, 0.1))
                family = descendants(batch.process.pid)
                batch.process.kill()
                batch.wait()
                deadline = time.monotonic() + 10
                while survivors := {pid for pid in family if alive(pid)}:
                    orphans |= survivors
                    assert time.monotonic() < deadline, f"round {round}: outlived the batch: {survivors}"
                    time.sleep(0.1)
                finished = whole_lines(out)
                assert len(finished) == len(set(finished)), f"round {round}: an id twice"
                case.memory(batch.peak_mb)
        case.note(f"{len(set(whole_lines(out)))} of {len(ids)} articles finished between kills")
        with case.attempt():
            code, stderr, _ = Batch(
                tmp_path,
                str(tmp_path / "feed.jsonl"),
                "--out",
                str(out),
                "--engine",
                "extractive",
                "--cache",
                str(cache),
            ).wait()
            assert code == 0, stderr
            done_once(out, ids)
    with sqlite3.connect(cache) as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)


def test_the_llm_server_dies_mid_batch_and_comes_back(tmp_path: Path, figures) -> None:
    case = figures("batch: LLM server killed mid-batch, back 2 s later")
    ids = feed(tmp_path / "feed.jsonl", 40)
    out = tmp_path / "out"
    with llm_process(0.2, tmp_path) as llm, case.attempt():
        args = ["--out", str(out), "--base-url", llm.base_url, "--no-repair", "--concurrency", "4"]
        batch = Batch(tmp_path, str(tmp_path / "feed.jsonl"), *args, "--max-attempts", "10", "--no-cache")
        deadline = time.monotonic() + 60
        while line_count(out) < 8:
            assert time.monotonic() < deadline and batch.process.poll() is None, batch.stderr()
            time.sleep(0.05)
        llm.kill()
        time.sleep(2)
        llm.start()
        code, stderr, _ = batch.wait()
        case.memory(batch.peak_mb)
        assert code == 0, stderr
        done_once(out, ids)
        report = json.loads((out / "report.json").read_text())
        case.note(f"{report['retries']} retries bridged the outage; {report['counts']['done']} briefed")
        assert report["retries"] > 0


def test_an_llm_server_that_never_comes_back_stops_the_run_in_one_line_and_the_next_run_resumes(
    tmp_path: Path, figures
) -> None:
    case = figures("batch: LLM server killed for good, then a new one")
    ids = feed(tmp_path / "feed.jsonl", 30)
    out = tmp_path / "out"
    with llm_process(0.2, tmp_path) as llm:
        args = [str(tmp_path / "feed.jsonl"), "--out", str(out), "--base-url", llm.base_url, "--no-repair"]
        args += ["--concurrency", "2", "--max-attempts", "3", "--no-cache"]
        with case.attempt():
            batch = Batch(tmp_path, *args)
            while line_count(out) < 4:
                assert batch.process.poll() is None, batch.stderr()
                time.sleep(0.05)
            llm.kill()
            code, stderr, _ = batch.wait()
            case.memory(batch.peak_mb)
            last = stderr.splitlines()[-1]
            assert code == 1 and last.startswith("briefer: error: stopped the run: cannot connect to"), stderr
            assert last.endswith("so the server looks down: run the same command again once it answers")
            assert "Traceback" not in stderr
        with case.attempt():
            llm.start()
            code, stderr, _ = Batch(tmp_path, *args).wait()
            assert code == 0, stderr
            done_once(out, ids)


@contextlib.contextmanager
def tmpfs(where: Path, size: str, *options: str) -> Iterator[Path]:
    """A small tmpfs mounted at ``where`` (needs root); skips the test where mounting is impossible."""
    where.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", ",".join([f"size={size}", *options]), "tmpfs", str(where)],
        capture_output=True,
        text=True,
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here ({mounted.stderr.strip() or 'mount failed'}): needs root")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], check=False)


def test_a_full_disk_stops_the_batch_in_one_line_tears_nothing_and_the_resume_completes(
    tmp_path: Path, figures
) -> None:
    case = figures("batch: disk full (3 MB tmpfs), then space freed")
    ids = feed(tmp_path / "feed.jsonl", 200)
    with tmpfs(tmp_path / "disk", "3m") as disk:
        out, cache = disk / "out", disk / "cache.sqlite3"
        args = [
            str(tmp_path / "feed.jsonl"),
            "--out",
            str(out),
            "--engine",
            "extractive",
            "-f",
            "json",
            "-f",
            "md",
        ]
        with case.attempt():
            batch = Batch(tmp_path, *args, "--cache", str(cache))
            code, stderr, _ = batch.wait()
            case.memory(batch.peak_mb)
            last = stderr.splitlines()[-1]
            assert code == 2, stderr
            assert last.startswith("briefer: error: stopped the run: ") and last.endswith(
                "cannot write (No space left on device); free some space, then run the same command again to resume"
            ), stderr
            assert "Traceback" not in stderr and "internal error" not in stderr
            assert not list(out.glob(".*.tmp"))
            finished = whole_lines(out)
            assert (out / "briefs.jsonl").read_bytes().endswith(b"\n"), "no half line"
            for i in finished:
                json.loads((out / f"{i}.json").read_text())
            with sqlite3.connect(cache) as db:
                assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
            case.note(
                f"{len(finished)} of {len(ids)} done when the disk filled: {last.replace(str(disk), '…')}"
            )
        with case.attempt():
            subprocess.run(["mount", "-o", "remount,size=64m", str(disk)], check=True)
            code, stderr, _ = Batch(tmp_path, *args, "--cache", str(cache)).wait()
            assert code == 0, stderr
            done_once(out, ids)


def test_a_cache_on_a_full_disk_is_a_warning_and_the_briefs_still_arrive(tmp_path: Path, figures) -> None:
    case = figures("batch: the cache's disk full (1 MB tmpfs)")
    ids = feed(tmp_path / "feed.jsonl", 100)
    with tmpfs(tmp_path / "disk", "1m") as disk, case.attempt():
        out = tmp_path / "out"
        batch = Batch(
            tmp_path,
            str(tmp_path / "feed.jsonl"),
            "--out",
            str(out),
            "--engine",
            "extractive",
            "--cache",
            str(disk / "c.sqlite3"),
        )
        code, stderr, _ = batch.wait()
        case.memory(batch.peak_mb)
        assert code == 0, stderr
        assert (
            f"briefer: warning: cache {disk / 'c.sqlite3'}: database or disk is full; went on without the cache"
            in stderr
        )
        done_once(out, ids)


@pytest.mark.parametrize("place", ["a file", "a read-only mount"])
def test_an_output_place_that_cannot_be_written_is_exit_2_in_one_line(
    tmp_path: Path, figures, place: str
) -> None:
    case = figures(f"batch: --out is {place}")
    feed(tmp_path / "feed.jsonl", 3)
    with contextlib.ExitStack() as stack:
        if place == "a file":
            out = tmp_path / "out"
            out.write_text("not a folder\n")
        else:
            out = stack.enter_context(tmpfs(tmp_path / "ro", "1m", "ro")) / "out"
        with case.attempt():
            code, stderr, _ = Batch(
                tmp_path,
                str(tmp_path / "feed.jsonl"),
                "--out",
                str(out),
                "--engine",
                "extractive",
                "--no-cache",
            ).wait()
            assert code == 2, stderr
            lines = stderr.strip().splitlines()
            assert len(lines) == 1 and lines[0].startswith(f"briefer: error: {out}: "), stderr
            case.note(lines[0].replace(str(tmp_path), "…"))


@pytest.mark.parametrize("trouble", ["damaged", "locked by another process", "on a read-only mount"])
def test_a_cache_in_trouble_is_one_warning_the_batch_goes_on_and_cache_stats_says_how_to_repair(
    tmp_path: Path, figures, trouble: str
) -> None:
    case = figures(f"batch: the cache {trouble}")
    ids = feed(tmp_path / "feed.jsonl", 20)
    with contextlib.ExitStack() as stack:
        folder = stack.enter_context(tmpfs(tmp_path / "disk", "16m")) if "read-only" in trouble else tmp_path
        cache = folder / "c.sqlite3"
        first = [str(tmp_path / "feed.jsonl"), "--out", str(tmp_path / "first"), "--engine", "extractive"]
        assert Batch(tmp_path, *first, "--cache", str(cache)).wait()[0] == 0
        if trouble == "damaged":
            with cache.open("r+b") as db:
                db.seek(4096)
                db.write(b"\xde\xad" * 8192)
        elif trouble.startswith("locked"):
            holder = sqlite3.connect(cache, isolation_level=None)
            stack.callback(holder.close)
            holder.execute("PRAGMA locking_mode = EXCLUSIVE")
            holder.execute("BEGIN EXCLUSIVE")
            holder.execute("DELETE FROM briefs WHERE 0")
        else:
            subprocess.run(["mount", "-o", "remount,ro", str(folder)], check=True)
        out = tmp_path / "out"
        with case.attempt():
            batch = Batch(
                tmp_path,
                str(tmp_path / "feed.jsonl"),
                "--out",
                str(out),
                "--engine",
                "extractive",
                "--cache",
                str(cache),
            )
            code, stderr, _ = batch.wait()
            case.memory(batch.peak_mb)
            warnings = [line for line in stderr.splitlines() if line.startswith("briefer: warning: cache")]
            assert code == 0 and len(warnings) == 1 and "Traceback" not in stderr, stderr
            done_once(out, ids)
            advice = {"damaged": "delete it with its -wal and -shm files", "locked": "wait for that one"}
            assert advice.get(trouble.split()[0], "its folder must be writable") in warnings[0]
            case.note(warnings[0].replace(str(folder), "…")[:160])
        if trouble == "damaged":
            with case.attempt():
                stats = subprocess.run(
                    [sys.executable, "-m", "briefer", "cache", "stats", "--cache", str(cache)],
                    capture_output=True,
                    text=True,
                )
                assert stats.returncode == 2 and "delete it with its -wal and -shm files" in stats.stderr, (
                    stats.stderr
                )
                assert len(stats.stderr.splitlines()) == 1
