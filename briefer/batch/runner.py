"""Brief thousands of articles: concurrent, within rate limits, resumable, never losing work.

- One asyncio loop; ``concurrency`` articles in flight. LLM requests go through one
  ``briefer.engines.llm.limits.Limits`` shared by the whole run: requests and tokens per minute are paced
  before sending, a 429 pauses every request (honouring ``retry-after``), 5xx and timeouts
  back off with full jitter.
- CPU-bound engines (the extractive one) and the grounding of LLM briefs run in a process
  pool. The pool starts in the background once a second article arrives, so a one-article
  run pays nothing for it; until it is ready, work runs in a thread.
- Each result is stored in the cache, written to ``<id>.json``/``.md`` (atomically) and
  appended to ``briefs.jsonl`` the moment it is done. A re-run finds everything in the
  output directory (or the cache); an interrupted run resumes where it stopped.
- An error no other article can get past (out of credit, a full disk) stops the run: the
  articles it hit are left undone, not failed, so the next run does them. So does a server
  that leaves several articles in a row unanswered after every retry: it is down.
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
import time
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import UTC, datetime
from typing import IO, Any

from briefer.batch.output import Output
from briefer.batch.pool import CpuPool
from briefer.batch.report import BatchOptions, BatchReport
from briefer.cache import BriefCache
from briefer.config import Settings
from briefer.engines import Engine, Limits, make_engine
from briefer.errors import BrieferError
from briefer.loading.inputs import BatchItem
from briefer.models import Article, BriefResult, Failure
from briefer.pipeline import abrief_cached, build_result, cache_key_for

STOP_GRACE_S = 5.0
SERVER_DOWN_AFTER = 3  # articles in a row whose retries all went unanswered

Progress = Callable[[BatchReport], None]


class BatchRunner:
    """Runs one batch; see the module docstring. ``run`` returns the report (also in report.json)."""

    def __init__(
        self,
        settings: Settings,
        options: BatchOptions,
        cache: BriefCache | None,
        progress: Progress | None = None,
        stream: IO[str] | None = None,
    ) -> None:
        self.settings = settings
        self.options = options
        self.cache = cache
        self.progress = progress or (lambda report: None)
        self.stream = stream
        self.limits = Limits(rpm=options.rpm, tpm=options.tpm, max_retries=options.max_attempts - 1)
        self.engine: Engine = make_engine(settings, self.limits)
        self.report = BatchReport(
            engine=self.engine.name, model=self.engine.model, started_at=datetime.now(UTC)
        )
        self._stopping = asyncio.Event()
        self._unanswered_in_a_row = 0
        self._pool = CpuPool(self.engine, options.workers)
        self.engine.warm_up()

    async def _brief(self, article: Article) -> BriefResult:
        if self.engine.capabilities.cpu_bound:
            return await self._pool.brief(article)
        started = time.perf_counter()
        output = await self.engine.arun(article)
        elapsed = time.perf_counter() - started
        if output.grounding is None:  # checking costs milliseconds of CPU: keep it off the event loop
            output = replace(output, grounding=await self._pool.verify_brief(output.brief, article.full_text))
        return build_result(article, self.engine, output, elapsed)

    # -- items -----------------------------------------------------------------------------------

    async def _process(self, index: int, item: BatchItem, out: Output) -> None:
        counts = self.report.counts
        if out.skip_if_failed_before(index, item, self.report):
            return
        try:
            article = await asyncio.to_thread(item.load)
            if out.has(item.id, article.sha256):
                counts.already_done += 1
                out.skip(index)
                return
            result, hit = await abrief_cached(article, self.engine, self.cache, make=self._brief)
            if not hit:
                self._add_cost(result)  # spent, whether or not its output can be written
            out.write(index, item, result.model_copy(update={"id": item.id}))
            if hit:
                counts.cached += 1
            else:
                counts.done += 1
            self._unanswered_in_a_row = 0
        except BrieferError as exc:
            if getattr(exc, "fatal", False):  # not this article's fault: left undone for the next run
                self._abort(str(exc), exc.exit_code)
                out.skip(index)
            elif getattr(exc, "retryable", False):
                self._unanswered(index, item, out, exc)
            else:
                self._fail(index, item, out, str(exc), getattr(exc, "raw_answer", None))
        except Exception as exc:  # a bug or a broken worker: record it, keep the run going
            self._fail(index, item, out, f"internal error ({type(exc).__name__}: {exc}); please report it")
        finally:
            self.report.requests, self.report.retries = self.limits.sent, self.limits.retried

    def _abort(self, reason: str, exit_code: int) -> None:
        """Stop the run for an error no other article can get past (out of credit, a full disk)."""
        if self.report.aborted is None:
            self.report.aborted, self.report.aborted_exit_code = reason, exit_code
        self._stopping.set()

    def _unanswered(self, index: int, item: BatchItem, out: Output, exc: BrieferError) -> None:
        """Every retry of a transient error (5xx, timeout, lost connection) ran out: the server's
        fault, not the article's, so the next run tries it again without --retry-failed. So many
        in a row mean the server is down: the run stops, leaving the rest for the next run."""
        self._unanswered_in_a_row += 1
        if self._unanswered_in_a_row >= SERVER_DOWN_AFTER:
            self._abort(
                f"{exc}; {self._unanswered_in_a_row} articles in a row got no answer, so the server "
                "looks down: run the same command again once it answers",
                exc.exit_code,
            )
            out.skip(index)
            return
        self.report.unanswered.append(item.id)
        self._fail(index, item, out, str(exc))

    def _add_cost(self, result: BriefResult) -> None:
        self.report.usage = self.report.usage + result.provenance.usage
        if result.provenance.cost_usd is None or self.report.cost_usd is None:
            self.report.cost_usd = None
        else:
            self.report.cost_usd += result.provenance.cost_usd

    def _fail(
        self, index: int, item: BatchItem, out: Output, reason: str, raw_answer: str | None = None
    ) -> None:
        self.report.counts.failed += 1
        self.report.failures.append(
            Failure(id=item.id, origin=item.origin, reason=reason, raw_answer=raw_answer)
        )
        out.skip(index)

    async def run(self, items: Iterator[BatchItem], duplicates: list[str] | None = None) -> BatchReport:
        out = Output(self.options, self.stream or _stdout())
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
                loop.add_signal_handler(sig, self._stopping.set)
        limit = self.options.concurrency
        if self.engine.capabilities.cpu_bound:
            limit = max(limit, 2 * self._pool.workers)
        started = time.perf_counter()
        in_flight: set[asyncio.Task[None]] = set()
        iterator = iter(items)
        try:
            index = 0
            while not self._stopping.is_set():
                item = await asyncio.to_thread(next, iterator, None)
                if item is None:
                    break
                if index == 1:
                    self._pool.worth_starting = True  # more than one article: worth the pool's start-up
                self.report.counts.seen += 1
                task = asyncio.create_task(self._process(index, item, out))
                task.add_done_callback(lambda t: self.progress(self.report))
                in_flight.add(task)
                index += 1
                if len(in_flight) >= limit:
                    _, in_flight = await _wait_first(in_flight, self._stopping)
            if in_flight:
                await self._drain(in_flight)
        finally:
            for sig in (signal.SIGINT, signal.SIGTERM):
                with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
                    loop.remove_signal_handler(sig)
            self._pool.shutdown()
            self._finish(out, duplicates, time.perf_counter() - started)
        return self.report

    def _finish(self, out: Output, duplicates: list[str] | None, wall_s: float) -> None:
        self.report.interrupted = self._stopping.is_set() and self.report.aborted is None
        self.report.duplicate_ids = duplicates or []
        self.report.finished_at = datetime.now(UTC)
        self.report.wall_s = round(wall_s, 3)
        finished_count = self.report.counts.done + self.report.counts.cached
        self.report.articles_per_s = (
            round(finished_count / self.report.wall_s, 2) if self.report.wall_s else 0.0
        )
        try:
            out.finish(self.report)
        except BrieferError as exc:  # report.json could not be written: the run still ends in one line
            self._abort(str(exc), exc.exit_code)
        self.progress(self.report)

    async def _drain(self, in_flight: set[asyncio.Task[None]]) -> None:
        """Let in-flight work finish; after a stop request, give it a few seconds, then cancel it."""
        while in_flight:
            if self._stopping.is_set():
                _, pending = await asyncio.wait(in_flight, timeout=STOP_GRACE_S)
                for task in pending:
                    task.cancel()
                await asyncio.gather(*pending, return_exceptions=True)
                return
            _, in_flight = await _wait_first(in_flight, self._stopping)


async def _wait_first(tasks: set[asyncio.Task[None]], stopping: asyncio.Event) -> tuple[set[Any], set[Any]]:
    """Wait until one task finishes or a stop is requested."""
    stop = asyncio.ensure_future(stopping.wait())
    done, pending = await asyncio.wait({*tasks, stop}, return_when=asyncio.FIRST_COMPLETED)
    if not stop.done():
        stop.cancel()
    return {t for t in done if t is not stop}, {t for t in pending if t is not stop}


def _stdout() -> IO[str]:
    import sys

    return sys.stdout


def plan(
    items: Iterator[BatchItem], settings: Settings, cache: BriefCache | None
) -> Iterator[tuple[BatchItem, str, str]]:
    """What a run would do, without doing it: (item, "cached" | "to brief" | "unreadable", detail)."""
    engine = make_engine(settings, planning=True)
    for item in items:
        try:
            article = item.load()
        except BrieferError as exc:
            yield item, "unreadable", str(exc)
            continue
        cached = cache is not None and cache.get(cache_key_for(article, engine)) is not None
        yield item, "cached" if cached else "to brief", item.origin


def run_batch(
    items: Iterator[BatchItem],
    settings: Settings,
    options: BatchOptions,
    cache: BriefCache | None,
    progress: Progress | None = None,
    duplicates: list[str] | None = None,
) -> BatchReport:
    """Synchronous entry point (the CLI's): runs the batch on a fresh event loop."""
    runner = BatchRunner(settings, options, cache, progress)
    return asyncio.run(runner.run(items, duplicates))
