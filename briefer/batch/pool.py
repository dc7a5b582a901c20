"""CPU work of a batch on every core: a CPU-bound engine's briefs and the grounding of LLM briefs.

The pool (forkserver: this process already runs threads, and forking them is unsafe) starts in
the background at the first CPU work of a run with more than one article; until it is ready,
and when it is never started (one article, or everything cached), the same work runs in a
thread of this process. Workers ignore
SIGINT/SIGTERM: Ctrl-C reaches the whole process group, and a worker must finish its article.

Workers die with this process, even when it is killed with SIGKILL: each holds the read end of
a pipe whose only write end is here, and a thread in the worker exits the process when that
pipe reaches end-of-file, which the kernel delivers however this process ends. (PR_SET_PDEATHSIG
would not do: a worker's parent is the forkserver, not this process; and polling for our pid
would be slower and fooled by pid reuse.) With the workers gone, the forkserver and the
resource tracker see their own pipes close and exit too.
"""

from __future__ import annotations

import asyncio
import contextlib
import multiprocessing
import os
import signal
import threading
from concurrent.futures import Future, ProcessPoolExecutor
from multiprocessing.connection import Connection

from briefer.engines import Engine
from briefer.models import Article, Brief, BriefResult, GroundingReport

_ENGINE: Engine | None = None  # the engine of this worker process


def _init_worker(engine: Engine | None, lifeline: Connection) -> None:
    global _ENGINE
    _ENGINE = engine
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    threading.Thread(target=_exit_when_cut, args=(lifeline,), daemon=True).start()
    import briefer.grounding  # noqa: F401  # imported once, before the first article


def _exit_when_cut(lifeline: Connection) -> None:
    """Block until the parent's end of the lifeline closes (it never sends), then end this worker."""
    with contextlib.suppress(EOFError, OSError):
        lifeline.recv_bytes()
    os._exit(1)


def _ready(_: int) -> None:
    """Nothing: proves a worker is up."""


def brief_json(article_json: str) -> str:
    """One article through this worker's engine, JSON in and out."""
    from briefer.pipeline import brief_cached

    assert _ENGINE is not None
    result, _ = brief_cached(Article.model_validate_json(article_json), _ENGINE, None)
    return result.model_dump_json()


def verify_brief_json(brief: str, text: str, statements: bool) -> str:
    """The grounding report of a brief, JSON in and out (``statements``: as ``verify_brief``'s)."""
    from briefer.grounding import verify_brief

    return verify_brief(Brief.model_validate_json(brief), text, statements=statements).model_dump_json()


class CpuPool:
    """A process pool started on demand in the background, with an in-process fallback meanwhile."""

    def __init__(self, engine: Engine, workers: int | None = None) -> None:
        self.engine = engine
        self.workers = workers or os.cpu_count() or 1
        self._pool: ProcessPoolExecutor | None = None
        self._ready: Future[None] | None = None
        self._lock = threading.Lock()
        self._lifeline: Connection | None = None  # the write end workers watch; never written
        self.worth_starting = False  # set once a run has more than one article

    def start(self) -> None:
        """Start the workers in the background (idempotent)."""
        with self._lock:
            if self._pool is not None:
                return
            lifeline, self._lifeline = multiprocessing.Pipe(duplex=False)
            self._pool = ProcessPoolExecutor(
                max_workers=self.workers,
                mp_context=multiprocessing.get_context("forkserver"),
                initializer=_init_worker,
                initargs=(self.engine if self.engine.capabilities.cpu_bound else None, lifeline),
            )
            self._ready = Future()
            pool, ready = self._pool, self._ready
        threading.Thread(target=_warm, args=(pool, self.workers, ready), daemon=True).start()

    def _started(self) -> ProcessPoolExecutor | None:
        """The pool once every worker is up; None before (or if it broke).

        Asked for work in a run worth it, it starts the workers; a re-run that finds everything
        in the cache never asks, and never pays for them.
        """
        if self.worth_starting and self._pool is None:
            self.start()
        ready = self._ready
        if ready is not None and ready.done() and ready.exception() is None:
            return self._pool
        return None

    async def brief(self, article: Article) -> BriefResult:
        """A CPU-bound engine's brief of ``article``, in a worker when one is up."""
        if pool := self._started():
            payload = await asyncio.get_running_loop().run_in_executor(
                pool, brief_json, article.model_dump_json()
            )
            return BriefResult.model_validate_json(payload)
        from briefer.pipeline import brief_cached

        result, _ = await asyncio.to_thread(brief_cached, article, self.engine, None)
        return result

    async def verify_brief(self, brief: Brief, text: str) -> GroundingReport:
        """The grounding report of an LLM brief, in a worker when one is up, checked as the
        engine asks (``statements``: told each call, since a worker holds no LLM engine)."""
        statements = self.engine.statements
        if pool := self._started():
            payload = await asyncio.get_running_loop().run_in_executor(
                pool, verify_brief_json, brief.model_dump_json(), text, statements
            )
            return GroundingReport.model_validate_json(payload)
        from briefer.grounding import verify_brief

        return await asyncio.to_thread(verify_brief, brief, text, statements=statements)

    def shutdown(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
        if self._lifeline is not None:  # only once the workers have finished and left
            self._lifeline.close()
            self._lifeline = None


def _warm(pool: ProcessPoolExecutor, workers: int, ready: Future[None]) -> None:
    """Start every worker (each imports what it needs), then mark the pool ready."""
    try:
        list(pool.map(_ready, range(workers)))
    except Exception as exc:  # a broken pool: keep working in-process
        ready.set_exception(exc)
        return
    ready.set_result(None)
