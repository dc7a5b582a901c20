"""A batch's CPU work (briefer/batch/pool.py): in this process until the pool is started and ready,
then in worker processes that ignore Ctrl-C and go away with the pool."""

from __future__ import annotations

import asyncio
import os
import signal
import time
from dataclasses import replace

import pytest

from briefer.batch.pool import CpuPool
from briefer.engines import EngineOutput
from briefer.engines.extractive import ExtractiveEngine
from briefer.grounding import ground
from briefer.models import Article, BriefResult


class WhereEngine(ExtractiveEngine):
    """The offline engine, saying in the brief's provenance which process briefed it."""

    def run(self, article: Article) -> EngineOutput:
        return replace(super().run(article), model=f"pid {os.getpid()}")


def briefed_by(result: BriefResult) -> int:
    return int(result.provenance.model.removeprefix("pid "))


def test_a_pool_never_started_briefs_and_grounds_in_this_process(short_article: Article) -> None:
    pool = CpuPool(WhereEngine(), workers=1)

    result = asyncio.run(pool.brief(short_article))
    report = asyncio.run(pool.ground(result.brief, short_article.full_text))

    assert briefed_by(result) == os.getpid()
    assert report == ground(result.brief, short_article.full_text)
    pool.shutdown()  # nothing to shut down: no error


def test_a_started_pool_briefs_in_a_worker_that_survives_ctrl_c_and_ends_with_the_pool(
    short_article: Article,
) -> None:
    pool = CpuPool(WhereEngine(), workers=1)
    pool.start()

    async def in_a_worker() -> BriefResult:
        deadline = time.monotonic() + 30
        while briefed_by(result := await pool.brief(short_article)) == os.getpid():
            assert time.monotonic() < deadline, "the worker never came up"
            await asyncio.sleep(0.05)  # meanwhile the work runs in this process
        return result

    try:
        first = asyncio.run(in_a_worker())
        worker = briefed_by(first)
        os.kill(worker, signal.SIGINT)  # Ctrl-C reaches the whole process group
        again = asyncio.run(pool.brief(short_article))
        report = asyncio.run(pool.ground(first.brief, short_article.full_text))
    finally:
        pool.shutdown()

    assert briefed_by(again) == worker, "the worker ignored SIGINT and briefed the next article"
    assert again.brief == first.brief
    assert report == ground(first.brief, short_article.full_text)
    with pytest.raises(ProcessLookupError):
        os.kill(worker, 0)  # no worker outlives its pool
