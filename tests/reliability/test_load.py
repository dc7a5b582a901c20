"""``briefer serve`` under load: only successes or 429s (never a 5xx, never a hang), steady memory,
a consistent cache; the in-flight cap refusing at once; SIGTERM draining in the middle of it."""

from __future__ import annotations

import json
import signal
import threading
import time
from pathlib import Path

import pytest
from support.processes import HAS_PROC, memory_mb
from support.service_server import serve_process

from reliability.figures import LOAD_S
from reliability.llm_process import llm_process
from reliability.load import hammer, latencies, retrievable

pytestmark = [pytest.mark.slow, pytest.mark.skipif(not HAS_PROC, reason="reads memory from /proc (Linux)")]

CLIENTS = 64
WARM_UP_S = 5.0


def test_64_clients_on_the_offline_engine_get_answers_or_429_and_memory_stays_flat(
    tmp_path: Path, figures
) -> None:
    case = figures(f"serve: {CLIENTS} clients × {LOAD_S:g} s, offline engine")
    with serve_process("--engine", "extractive", "--cache", str(tmp_path / "c.sqlite3")) as served:
        pid = served.process.pid
        warm = hammer(served.url, CLIENTS, WARM_UP_S)
        after_warm_up = memory_mb(pid)
        started = time.monotonic()
        outcomes = hammer(served.url, CLIENTS, LOAD_S, first=len(warm) + 1)
        wall = time.monotonic() - started
        after = memory_mb(pid)
        case.memory(memory_mb(pid, "VmHWM"))
        answered = {o.sha256 for o in warm + outcomes if o.status == 201}
        found = retrievable(served.url, answered)

    held = [o for o in outcomes if o.status in (201, 429)]
    case.count(len(outcomes), len(held), max(o.seconds for o in outcomes))
    created = sum(o.status == 201 for o in outcomes)
    case.note(f"{created / wall:.1f} briefs/s; {latencies(outcomes, 201)}; {latencies(outcomes, 429)}")
    case.note(
        f"server memory {after_warm_up:.0f} MB after warm-up, {after:.0f} MB after ({after / after_warm_up - 1:+.1%})"
    )
    case.note(f"cache: {len(found)} of {len(answered)} answered briefs retrievable by sha256")
    assert len(held) == len(outcomes), {(o.status, o.error) for o in outcomes} - {(201, None), (429, None)}
    assert all(o.retry_after for o in outcomes if o.status == 429)
    assert created > 0
    assert after <= after_warm_up * 1.10, "memory grew by more than 10% after warm-up"
    assert found == answered, "every answered brief is in the cache"


def test_over_the_in_flight_cap_a_slow_llm_means_429_at_once_not_a_queue(tmp_path: Path, figures) -> None:
    cap, (low, high) = 4, (1.0, 3.0)
    case = figures(f"serve: 16 clients, LLM {low:g}–{high:g} s/answer, cap {cap}")
    with llm_process((low, high), tmp_path) as llm:
        args = ("--base-url", llm.base_url, "--cache", str(tmp_path / "c.sqlite3"), "--no-repair")
        with serve_process(*args, "--max-in-flight", str(cap)) as served:
            hammer(served.url, cap, 1.0, first=10**6)  # warm-up: both servers' first briefs load their models
            outcomes = hammer(served.url, 16, max(8.0, LOAD_S / 2))
            case.memory(memory_mb(served.process.pid, "VmHWM"))
        most = llm.figures()["most"]

    refused = [o for o in outcomes if o.status == 429]
    held = [
        o
        for o in outcomes
        if (o.status == 201 and o.seconds < high + 1)
        or (o.status == 429 and o.seconds < 0.5 and o.retry_after)
    ]
    case.count(len(outcomes), len(held), max(o.seconds for o in outcomes))
    case.note(f"{latencies(outcomes, 201)}; {latencies(outcomes, 429)}; at most {most} at the LLM at once")
    assert refused, "16 clients over a cap of 4 must meet 429s"
    assert len(held) == len(outcomes), sorted(
        (o.status, round(o.seconds, 2)) for o in outcomes if o not in held
    )
    assert most <= cap


def test_sigterm_under_load_finishes_what_was_accepted_refuses_the_rest_and_exits_0(
    tmp_path: Path, figures
) -> None:
    case = figures("serve: SIGTERM under 32 clients")
    with serve_process("--engine", "extractive", "--cache", str(tmp_path / "c.sqlite3")) as served:
        threading.Timer(3.0, served.process.send_signal, args=(signal.SIGTERM,)).start()
        with case.attempt():
            outcomes = hammer(served.url, 32, 30)
            code, stderr = served.process.wait(30), served.stderr()
            case.memory(0)
            served_lines = [
                line for line in stderr.splitlines() if '"event": "request"' in line and "/v1/briefs" in line
            ]
            answered = [o for o in outcomes if o.status is not None]
            case.note(
                f"{len(answered)} answered ({sum(o.status == 201 for o in answered)} × 201), then "
                f"{len(outcomes) - len(answered)} connections refused or closed unanswered; exit {code}"
            )
            assert code == 0, stderr[-2000:]
            assert stderr.splitlines()[-1].startswith("briefer: stopped")
            assert {o.status for o in answered} <= {201, 429}
            # No answer: refused at connect, or reset in the backlog / on an idle connection as it closed.
            assert {o.error for o in outcomes if o.status is None} <= {
                "ConnectError",
                "ReadError",
                "RemoteProtocolError",
            }
            statuses = [json.loads(line)["status"] for line in served_lines]
            assert set(statuses) <= {201, 429}, "the server answered everything it took, none cut off"
            assert len(statuses) == len(answered), "and every answer it sent arrived"
