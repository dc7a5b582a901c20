"""Brief thousands of articles: concurrent, within rate limits, resumable, never losing work.

- One asyncio loop; ``concurrency`` articles in flight. LLM requests go through the async
  client with the SDK's own retries off: this module retries instead, so that a 429 pauses
  the whole run (honouring ``retry-after``/``x-ratelimit-reset-*``), and 5xx/timeouts back
  off with full jitter. Requests and tokens per minute are paced before sending.
- The extractive engine runs on every CPU core in a process pool.
- Each result is stored in the cache, appended to ``briefs.jsonl`` and written to
  ``<id>.json``/``.md`` (atomically) the moment it is done. A re-run finds everything in the
  cache; an interrupted run resumes where it stopped.
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib
import json
import multiprocessing
import os
import signal
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any, Literal

from pydantic import BaseModel, Field

from briefer.cache import BriefCache, cache_key
from briefer.config import Settings
from briefer.engines import make_engine
from briefer.engines.openai import is_out_of_credit
from briefer.errors import BrieferError, ConfigError
from briefer.fileio import write_atomic
from briefer.grounding import ground
from briefer.inputs import BatchItem
from briefer.models import Article, Brief, BriefResult, GroundingReport, Usage
from briefer.pipeline import build_result, summarise_article
from briefer.ratelimit import Pacer, RunGate, backoff_seconds, retry_after_seconds
from briefer.render import render
from briefer.tokens import count_tokens, encoding_for_model

STOP_GRACE_S = 5.0
EXPECTED_OUTPUT_TOKENS = 600  # what one brief answer costs, for pacing tokens/minute before sending


class Failure(BaseModel):
    id: str
    origin: str
    reason: str


class Counts(BaseModel):
    seen: int = 0
    done: int = Field(0, description="Briefed in this run.")
    cached: int = Field(0, description="Found in the cache, written to the output.")
    already_done: int = Field(0, description="Already in briefs.jsonl from an earlier run.")
    failed: int = 0
    skipped_failed: int = Field(
        0, description="Failed in an earlier run; not retried without --retry-failed."
    )


class BatchReport(BaseModel):
    engine: str
    model: str
    started_at: datetime
    finished_at: datetime | None = None
    wall_s: float = 0.0
    interrupted: bool = False
    aborted: str | None = Field(None, description="Why the run stopped early: an error no retry can fix.")
    counts: Counts = Field(default_factory=Counts)
    failures: list[Failure] = Field(default_factory=list)
    duplicate_ids: list[str] = Field(default_factory=list)
    usage: Usage = Field(default_factory=Usage)
    requests: int = Field(0, description="HTTP requests sent, retries included.")
    retries: int = 0
    cost_usd: float | None = 0.0
    articles_per_s: float = 0.0


class BatchOptions(BaseModel):
    out: Path | None = Field(None, description="Output directory; None streams BriefResult JSONL to stdout.")
    formats: list[Literal["json", "md"]] = ["json"]
    concurrency: int = Field(8, ge=1, le=1024)
    rpm: float | None = Field(None, gt=0)
    tpm: float | None = Field(None, gt=0)
    max_attempts: int = Field(6, ge=1, le=50)
    retry_failed: bool = False
    ordered: bool = False
    workers: int | None = Field(
        None, ge=1, description="Processes for the extractive engine (default: all cores)."
    )


def _leave_signals_to_the_parent() -> None:
    """Ctrl-C reaches the whole process group: workers must finish their article, not die with it."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)


def _warm_up(_: int) -> None:
    """Start a pool worker and import what it will need (grounding comes with this module)."""
    importlib.import_module("briefer.engines.extractive")


def _ground_in_process(brief_json: str, text: str) -> str:
    """Process-pool worker: the grounding report of a brief, JSON in and out."""
    return ground(Brief.model_validate_json(brief_json), text).model_dump_json()


def _extractive_in_process(article_json: str, settings_json: str) -> str:
    """Process-pool worker: one article through the extractive engine, JSON in and out."""
    result = summarise_article(
        Article.model_validate_json(article_json), Settings.model_validate_json(settings_json)
    )
    return result.model_dump_json()


class _Output:
    """Where results go: a directory (files + briefs.jsonl + report.json) or a JSONL stream."""

    def __init__(self, options: BatchOptions, stream: IO[str]) -> None:
        self.options, self.stream = options, stream
        self.directory = options.out
        self.already_done: set[str] = set()
        self.previous_failures: set[str] = set()
        self._jsonl: IO[str] | None = None
        self._pending: dict[int, str | None] = {}  # --ordered: index -> line (None: failed)
        self._next_index = 0
        if self.directory is not None:
            self._open_directory(self.directory)

    def _open_directory(self, directory: Path) -> None:
        try:
            directory.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise ConfigError(
                f"{directory}: cannot create the output directory ({exc.strerror or exc})"
            ) from exc
        jsonl = directory / "briefs.jsonl"
        if jsonl.exists():
            self._repair_tail(jsonl)
            with jsonl.open(encoding="utf-8") as handle:
                for line in handle:
                    with contextlib.suppress(json.JSONDecodeError, AttributeError):
                        self.already_done.add(json.loads(line).get("id"))
        report = directory / "report.json"
        if report.exists():
            with contextlib.suppress(ValueError, OSError):
                previous = BatchReport.model_validate_json(report.read_text(encoding="utf-8"))
                self.previous_failures = {f.id for f in previous.failures}
        self._jsonl = jsonl.open("a", encoding="utf-8")

    @staticmethod
    def _repair_tail(path: Path) -> None:
        """Drop a half-written last line (a ``kill -9`` during a write) so the file stays valid JSONL."""
        with path.open("rb+") as handle:
            size = handle.seek(0, os.SEEK_END)
            if size == 0:
                return
            handle.seek(max(0, size - 1))
            if handle.read(1) == b"\n":
                return
            position = size
            while position > 0:  # walk back to the last newline
                step = min(65536, position)
                handle.seek(position - step)
                chunk = handle.read(step)
                cut = chunk.rfind(b"\n")
                if cut >= 0:
                    handle.truncate(position - step + cut + 1)
                    return
                position -= step
            handle.truncate(0)

    def write(self, index: int, item: BatchItem, result: BriefResult) -> None:
        line = result.model_dump_json()
        if self.directory is None:
            self._emit(index, line)
            return
        for fmt in self.options.formats:
            write_atomic(self.directory / f"{item.id}.{fmt}", render(result, fmt))
        assert self._jsonl is not None
        self._jsonl.write(line + "\n")
        self._jsonl.flush()

    def skip(self, index: int) -> None:
        """Nothing to emit for ``index`` (failed, or done earlier); lets --ordered move on."""
        if self.directory is None:
            self._emit(index, None)

    def _emit(self, index: int, line: str | None) -> None:
        if not self.options.ordered:
            if line is not None:
                self.stream.write(line + "\n")
                self.stream.flush()
            return
        self._pending[index] = line
        while self._next_index in self._pending:
            ready = self._pending.pop(self._next_index)
            if ready is not None:
                self.stream.write(ready + "\n")
            self._next_index += 1
        self.stream.flush()

    def finish(self, report: BatchReport) -> None:
        if self._jsonl is not None:
            self._jsonl.close()
        if self.directory is not None:
            write_atomic(self.directory / "report.json", report.model_dump_json(indent=2) + "\n")


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
        # The SDK's retries would hide 429s from the run-wide pause: this runner retries instead.
        self.settings = settings.model_copy(update={"max_retries": 0})
        self.options = options
        self.cache = cache
        self.progress = progress or (lambda report: None)
        self.stream = stream
        self.engine = make_engine(self.settings)
        self.report = BatchReport(
            engine=self.engine.name, model=self.settings.model, started_at=datetime.now(UTC)
        )
        self._gate = RunGate()
        self._requests = Pacer(options.rpm)
        self._tokens = Pacer(options.tpm)
        self._stopping = asyncio.Event()
        self._pool: ProcessPoolExecutor | None = None
        # Pay the one-time costs (SDK import, BPE load, worker start-up) before the clock starts.
        if self.engine.name == "openai":
            self.engine.async_client  # type: ignore[attr-defined]  # noqa: B018
            encoding_for_model(self.settings.model)
        pool = self._cpu_pool()
        list(pool.map(_warm_up, range(pool._max_workers)))

    # -- requests -----------------------------------------------------------------------------

    async def _send(self, **request: Any) -> Any:
        """One chat-completions request, paced, retried, and pausing the run on 429."""
        import openai

        tokens = 0
        if self.options.tpm:
            text = "\n".join(str(m.get("content", "")) for m in request["messages"])
            tokens = count_tokens(text, self.settings.model) + EXPECTED_OUTPUT_TOKENS
        attempt = 0
        while True:
            await self._gate.wait()
            await self._requests.acquire()
            await self._tokens.acquire(tokens)
            self.report.requests += 1
            try:
                return await self.engine.async_client.chat.completions.create(**request)  # type: ignore[attr-defined]
            except openai.RateLimitError as exc:
                if is_out_of_credit(exc.body) or attempt + 1 >= self.options.max_attempts:
                    raise
                wait = retry_after_seconds(exc.response.headers)
                self._gate.pause(wait if wait is not None else backoff_seconds(attempt + 1, base=1.0))
                self._requests.hold_until(self._gate.paused_until)
            except (openai.InternalServerError, openai.APITimeoutError, openai.APIConnectionError) as exc:
                if attempt + 1 >= self.options.max_attempts or (
                    isinstance(exc, openai.APIStatusError) and exc.status_code < 500
                ):
                    raise
                await asyncio.sleep(backoff_seconds(attempt + 1))
            attempt += 1
            self.report.retries += 1

    async def _brief(self, article: Article) -> BriefResult:
        loop = asyncio.get_running_loop()
        if self.engine.name == "extractive":
            payload = await loop.run_in_executor(
                self._cpu_pool(),
                _extractive_in_process,
                article.model_dump_json(),
                self.settings.model_dump_json(),
            )
            return BriefResult.model_validate_json(payload)
        started = time.perf_counter()
        output = await self.engine.arun(article, send=self._send)  # type: ignore[attr-defined]
        elapsed = time.perf_counter() - started
        if output.grounding is None:  # checking costs milliseconds of CPU: keep it off the event loop
            report = await loop.run_in_executor(
                self._cpu_pool(), _ground_in_process, output.brief.model_dump_json(), article.full_text
            )
            output = replace(output, grounding=GroundingReport.model_validate_json(report))
        return build_result(article, self.settings, self.engine.name, output, elapsed)

    def _cpu_pool(self) -> ProcessPoolExecutor:
        if self._pool is None:
            # forkserver, not fork: this process already runs threads, and forking them is unsafe.
            self._pool = ProcessPoolExecutor(
                max_workers=self.options.workers or os.cpu_count() or 1,
                mp_context=multiprocessing.get_context("forkserver"),
                initializer=_leave_signals_to_the_parent,
            )
        return self._pool

    # -- items -----------------------------------------------------------------------------------

    async def _process(self, index: int, item: BatchItem, out: _Output) -> None:
        counts = self.report.counts
        if (
            item.id in out.previous_failures
            and not self.options.retry_failed
            and item.id not in out.already_done
        ):
            counts.skipped_failed += 1
            self.report.failures.append(
                Failure(id=item.id, origin=item.origin, reason="failed in an earlier run")
            )
            out.skip(index)
            return
        try:
            article = await asyncio.to_thread(item.load)
            key = cache_key(article.sha256, self.engine.fingerprint)  # type: ignore[attr-defined]
            cached = self.cache.get(key) if self.cache else None
            if cached is not None and item.id in out.already_done:
                counts.already_done += 1
                out.skip(index)
                return
            if cached is None:
                result = await self._brief(article)
                if self.cache:
                    self.cache.put(key, result)
                counts.done += 1
                self.report.usage = self.report.usage + result.provenance.usage
                if result.provenance.cost_usd is None or self.report.cost_usd is None:
                    self.report.cost_usd = None
                else:
                    self.report.cost_usd += result.provenance.cost_usd
            else:
                result = cached
                counts.cached += 1
            out.write(index, item, result.model_copy(update={"id": item.id}))
        except BrieferError as exc:
            self._fail(index, item, out, str(exc))
            if getattr(exc, "fatal", False) and self.report.aborted is None:
                self.report.aborted = str(exc)
                self._stopping.set()
        except Exception as exc:  # a bug or a broken worker: record it, keep the run going
            self._fail(index, item, out, f"internal error ({type(exc).__name__}: {exc}); please report it")

    def _fail(self, index: int, item: BatchItem, out: _Output, reason: str) -> None:
        self.report.counts.failed += 1
        self.report.failures.append(Failure(id=item.id, origin=item.origin, reason=reason))
        out.skip(index)

    async def run(self, items: Iterator[BatchItem], duplicates: list[str] | None = None) -> BatchReport:
        out = _Output(self.options, self.stream or _stdout())
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
                loop.add_signal_handler(sig, self._stopping.set)
        limit = self.options.concurrency
        if self.engine.name == "extractive":
            limit = max(limit, 2 * (self.options.workers or os.cpu_count() or 1))
        started = time.perf_counter()
        in_flight: set[asyncio.Task[None]] = set()
        iterator = iter(items)
        try:
            index = 0
            while not self._stopping.is_set():
                item = await asyncio.to_thread(next, iterator, None)
                if item is None:
                    break
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
            if self._pool is not None:
                self._pool.shutdown(cancel_futures=True)
            self.report.interrupted = self._stopping.is_set() and self.report.aborted is None
            self.report.duplicate_ids = duplicates or []
            self.report.finished_at = datetime.now(UTC)
            self.report.wall_s = round(time.perf_counter() - started, 3)
            finished_count = self.report.counts.done + self.report.counts.cached
            self.report.articles_per_s = (
                round(finished_count / self.report.wall_s, 2) if self.report.wall_s else 0.0
            )
            out.finish(self.report)
            self.progress(self.report)
        return self.report

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
    engine = make_engine(settings)
    for item in items:
        try:
            article = item.load()
        except BrieferError as exc:
            yield item, "unreadable", str(exc)
            continue
        cached = cache is not None and cache.get(cache_key(article.sha256, engine.fingerprint)) is not None  # type: ignore[attr-defined]
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
