"""A batch's CPU work (briefer/batch/pool.py): in this process until the pool is started and ready,
then in worker processes that ignore Ctrl-C and go away with the pool, or with their parent when it
is killed."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import subprocess
import sys
import time
from dataclasses import replace

import pytest
from support.processes import HAS_PROC, alive, descendants
from support.statement_cases import DERBY, SPLICED, SPLICED_BRIEF

from briefer.batch.pool import CpuPool
from briefer.engines import EngineOutput
from briefer.engines.extractive import ExtractiveEngine
from briefer.grounding import verify_brief
from briefer.models import Article, Brief, BriefResult


class WhereEngine(ExtractiveEngine):
    """The offline engine, saying in the brief's provenance which process briefed it."""

    def run(self, article: Article) -> EngineOutput:
        return replace(super().run(article), model=f"pid {os.getpid()}")


def briefed_by(result: BriefResult) -> int:
    return int(result.provenance.model.removeprefix("pid "))


def test_a_pool_never_started_briefs_and_grounds_in_this_process(short_article: Article) -> None:
    pool = CpuPool(WhereEngine(), workers=1)

    result = asyncio.run(pool.brief(short_article))
    report = asyncio.run(pool.verify_brief(result.brief, short_article.full_text))

    assert briefed_by(result) == os.getpid()
    assert report == verify_brief(result.brief, short_article.full_text)
    pool.shutdown()  # nothing to shut down: no error


async def in_a_worker(pool: CpuPool, article: Article) -> BriefResult:
    """A brief of ``article`` by a worker of the started ``pool``, once one is up."""
    deadline = time.monotonic() + 30
    while briefed_by(result := await pool.brief(article)) == os.getpid():
        assert time.monotonic() < deadline, "the worker never came up"
        await asyncio.sleep(0.05)  # meanwhile the work runs in this process
    return result


def test_a_started_pool_briefs_in_a_worker_that_survives_ctrl_c_and_ends_with_the_pool(
    short_article: Article,
) -> None:
    pool = CpuPool(WhereEngine(), workers=1)
    pool.start()

    try:
        first = asyncio.run(in_a_worker(pool, short_article))
        worker = briefed_by(first)
        os.kill(worker, signal.SIGINT)  # Ctrl-C reaches the whole process group
        again = asyncio.run(pool.brief(short_article))
        report = asyncio.run(pool.verify_brief(first.brief, short_article.full_text))
    finally:
        pool.shutdown()

    assert briefed_by(again) == worker, "the worker ignored SIGINT and briefed the next article"
    assert again.brief == first.brief
    assert report == verify_brief(first.brief, short_article.full_text)
    with pytest.raises(ProcessLookupError):
        os.kill(worker, 0)  # no worker outlives its pool


def test_grounding_here_and_in_a_worker_runs_the_statement_check_when_the_engine_asks(
    short_article: Article,
) -> None:
    """A worker holds no LLM engine: the flag goes with each brief to ground, and is honoured there."""
    brief = Brief.model_validate(SPLICED_BRIEF)
    pool = CpuPool(WhereEngine(statements=True), workers=1)
    here = asyncio.run(pool.verify_brief(brief, DERBY))
    pool.start()
    try:
        asyncio.run(in_a_worker(pool, short_article))
        there = asyncio.run(pool.verify_brief(brief, DERBY))
    finally:
        pool.shutdown()

    assert here == there == verify_brief(brief, DERBY, statements=True)
    assert [item.text for item in there.flagged()] == [SPLICED]
    assert verify_brief(brief, DERBY).ok, "flagged for the statement check alone"


@pytest.mark.skipif(not HAS_PROC, reason="reads the process tree from /proc (Linux)")
def test_kill_9_of_the_parent_takes_workers_forkserver_and_resource_tracker_with_it() -> None:
    script = (
        "import time\n"
        "from briefer.batch.pool import CpuPool\n"
        "from briefer.engines.extractive import ExtractiveEngine\n"
        "pool = CpuPool(ExtractiveEngine(), workers=2)\n"
        "pool.start()\n"
        "time.sleep(120)\n"
    )
    parent = subprocess.Popen([sys.executable, "-c", script])
    family: set[int] = set()
    try:
        deadline = time.monotonic() + 60
        while len(family := descendants(parent.pid)) < 4:  # resource tracker, forkserver, 2 workers
            assert time.monotonic() < deadline, f"the pool never started: {family}"
            time.sleep(0.1)
        time.sleep(0.5)  # the workers' initializers have run
        parent.kill()
        parent.wait(10)
        deadline = time.monotonic() + 10
        while survivors := {pid for pid in family if alive(pid)}:
            assert time.monotonic() < deadline, f"outlived their parent: {survivors}"
            time.sleep(0.1)
    finally:
        for pid in family:
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)  # only what this test started, if it failed
