"""``briefer batch --via batch-api``: the live path's steps, answered through OpenAI's Batch API.

Each article's steps (``engines/llm/steps.py``) run as a generator, exactly as live. A round
gathers the request every article waits on (``custom_id`` = article id + step number), writes
them as JSONL within the per-file request and size limits and the model's enqueued-token limit
(several batches when needed, each submitted as the queue allows), uploads, creates, follows
the batches with backoff, and sends each answer back to its article's steps. Map-reduce and
repairs are further rounds (``repair_live``: repairs are asked live instead). Briefs are
grounded, cached and written as a live batch writes them; cost is at batch rates.

Ids are saved in the output directory the moment they exist, and answers as they are
downloaded (``state``): a re-run replays the steps over the stored answers and
re-attaches to the batches still open, so Ctrl-C or a crash loses nothing and nothing is paid
twice.
"""

from __future__ import annotations

import io
import signal
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from briefer.batch.client import (
    BatchClient,
    Outcome,
    batch_engine,
    batch_failure,
    batch_transport_of,
    within_limits,
)
from briefer.batch.output import Output
from briefer.batch.report import BatchOptions, BatchReport
from briefer.batch.state import FINAL_STATUSES, BatchStore, StoredAnswer, Submitted
from briefer.batch.work import Ask, Work
from briefer.cache import BriefCache
from briefer.config import Settings
from briefer.engines import Limits, make_engine
from briefer.engines.llm.exchange import Rejected
from briefer.errors import BrieferError, ConfigError, EngineError
from briefer.loading.inputs import BatchItem
from briefer.models import Failure
from briefer.pipeline import build_result, cache_key_for
from briefer.tokens import count_tokens

FIRST_POLL_S, LONGEST_POLL_S = 5.0, 60.0
MISSED_LOOKS = 5  # looks at a batch in a row that may fail (5xx, no connection) before the run stops


@dataclass
class BatchProgress:
    """What the display shows after each look at a batch."""

    batch_id: str
    status: str
    completed: int
    failed: int
    total: int
    round: int
    elapsed_s: float
    next_check_s: float


class BatchApiRun:
    """One ``--via batch-api`` run into ``options.out``; ``run`` returns the report (also in report.json)."""

    def __init__(
        self,
        settings: Settings,
        options: BatchOptions,
        cache: BriefCache | None,
        progress: Callable[[BatchProgress], None] | None = None,
        *,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if options.out is None:
            raise ConfigError("--via batch-api needs --out DIR: the batch ids and answers are kept there")
        self.options, self.cache = options, cache
        self.progress = progress or (lambda event: None)
        self.sleep = sleep
        # --repair-live's requests go through the same limits and retries as a live run's.
        limits = Limits(rpm=options.rpm, tpm=options.tpm, max_retries=options.max_attempts - 1)
        self.engine = batch_engine(make_engine(settings, limits))
        self.transport = batch_transport_of(self.engine)
        self.client = BatchClient(self.transport)
        self.report = BatchReport(
            engine=self.engine.name, model=self.engine.model, started_at=datetime.now(UTC), via="batch-api"
        )
        self.works: dict[str, Work] = {}  # custom_id of the request waited on -> the article
        self._ended: dict[str | None, Any] = {}  # batch id -> the batch object that said it ended
        self.began = time.monotonic()

    # -- the run --------------------------------------------------------------------------------

    def run(self, items: Iterator[BatchItem], duplicates: list[str] | None = None) -> BatchReport:
        out = Output(self.options, io.StringIO())  # a directory always: nothing is streamed
        store = BatchStore(self.options.out, self.engine.model, self.options.completion_window)  # type: ignore[arg-type]
        with _stop_signals_as_interrupt():
            try:
                self.transport.prepare()
                for index, item in enumerate(items):
                    self.report.counts.seen += 1
                    self._start(index, item, out, store)
                while self.works:
                    self._ask_live(out, store)
                    self._submit(store, out)
                    if not self.options.wait or not self.works:
                        break
                    for submitted in self._follow(store):
                        self._collect(submitted, out, store)
            except KeyboardInterrupt:
                self.report.interrupted = True
            except BrieferError as exc:
                if not getattr(exc, "fatal", False) and not isinstance(exc, EngineError):
                    raise
                self.report.aborted, self.report.aborted_exit_code = str(exc), exc.exit_code
            finally:
                store.close()
                self._finish(out, store, duplicates)
        return self.report

    def _start(self, index: int, item: BatchItem, out: Output, store: BatchStore) -> None:
        """Skip what is done (output, cache, earlier failure); replay the rest up to its first unanswered request."""
        counts = self.report.counts
        if out.skip_if_failed_before(index, item, self.report):
            return
        try:
            article = item.load()
        except BrieferError as exc:
            self._fail(item, out, index, str(exc))
            return
        if out.has(item.id, article.sha256):
            counts.already_done += 1
            return
        if (
            self.cache is not None
            and (hit := self.cache.get(cache_key_for(article, self.engine))) is not None
        ):
            out.write(index, item, hit.model_copy(update={"id": item.id}))
            counts.cached += 1
            return
        briefing = self.engine.unbounded_run(article)
        self._advance(Work(index, item, article, briefing), out, store)

    def _advance(self, work: Work, out: Output, store: BatchStore) -> None:
        """Run the article's steps as far as answers allow: it then waits, is done, or failed."""
        try:
            waiting = work.advance(self.transport, store)
        except BrieferError as exc:
            self._fail(work.item, out, work.index, str(exc), getattr(exc, "raw_answer", None))
            return
        if waiting:
            self.works.update(dict.fromkeys(work.asks, work))
        else:
            self._done(work, out)

    def _answered(
        self, work: Work, custom_id: str, outcome: Outcome, out: Output, store: BatchStore, *, live: bool
    ) -> None:
        """An answer (or error) for one request: the article goes on once its step is all answered."""
        if isinstance(outcome, EngineError):
            if outcome.fatal:
                raise outcome
            self._drop(work)
            self._fail(work.item, out, work.index, str(outcome), outcome.raw_answer)
            return
        del self.works[custom_id]
        store.keep([StoredAnswer.of(custom_id, work.asks[custom_id].sha, outcome, live=live)])
        if work.take(custom_id, outcome, live=live):
            self._advance(work, out, store)

    def _drop(self, work: Work) -> None:
        for custom_id in work.asks:
            self.works.pop(custom_id, None)

    # -- live repairs -----------------------------------------------------------------------------

    def _ask_live(self, out: Output, store: BatchStore) -> None:
        """``--repair-live``: repair requests (validation or grounding) go to the live endpoint now."""
        if not self.options.repair_live:
            return
        sent = store.state.sent()
        while repairs := [
            (c, w) for c, w in self.works.items() if w.asks[c].is_repair and sent.get(c) != w.asks[c].sha
        ]:
            for custom_id, work in repairs:
                if self.works.get(custom_id) is not work:
                    continue  # its article failed meanwhile
                self.report.requests += 1
                try:
                    outcome: Outcome = self.engine.complete(work.asks[custom_id].request)
                except (Rejected, EngineError) as exc:
                    outcome = exc
                self._answered(work, custom_id, outcome, out, store, live=True)

    # -- submitting -------------------------------------------------------------------------------

    def _submit(self, store: BatchStore, out: Output) -> None:
        """Upload and create batches for every request not yet sent, as the model's queue allows."""
        for submitted in store.state.submitted:  # uploaded before a stop; its batch may exist
            if submitted.batch_id is None:
                self._create(submitted, store, self.client.made_from(submitted.input_file_id))
        sent = store.state.sent()
        fresh = [w.asks[c] for c, w in self.works.items() if sent.get(c) != w.asks[c].sha]
        for ask in fresh:
            ask.tokens = count_tokens(ask.request.text(), self.engine.model)
            work = self.works.get(ask.custom_id)
            if ask.tokens > self.options.batch_tokens and work is not None:
                self._drop(work)
                self._fail(
                    work.item,
                    out,
                    work.index,
                    f"a request of {ask.tokens:,} tokens is more than the {self.options.batch_tokens:,} "
                    "the Batch API may hold for this model (--batch-tokens); use a smaller --max-chunk-tokens",
                )
        fresh = [ask for ask in fresh if ask.custom_id in self.works]
        for group in within_limits(fresh, self.options.batch_tokens):
            queued = store.state.enqueued_tokens()
            if queued and queued + sum(a.tokens for a in group) > self.options.batch_tokens:
                return  # the queue is full: the rest goes once a batch ends
            rounds = max(self.works[a.custom_id].step for a in group)
            file_id = self.client.upload(b"".join(a.line for a in group), f"briefer-round-{rounds}.jsonl")
            submitted = Submitted(
                input_file_id=file_id,
                requests={a.custom_id: a.sha for a in group},
                tokens=sum(a.tokens for a in group),
                round=rounds,
            )
            store.state.submitted.append(submitted)
            store.save()
            self._create(submitted, store)
            self.report.requests += len(group)

    def _create(self, submitted: Submitted, store: BatchStore, batch: Any = None) -> None:
        batch = batch or self.client.create(
            submitted.input_file_id,
            self.options.completion_window,
            {"briefer": f"round {submitted.round}", "model": self.engine.model},
        )
        submitted.batch_id, submitted.status = batch.id, batch.status
        store.save()

    # -- following and collecting --------------------------------------------------------------------

    def _follow(self, store: BatchStore) -> list[Submitted]:
        """Look at the open batches that hold requests still waited on (else at all open ones: they
        hold the model's queue), with growing pauses, until at least one has ended."""
        delay, misses = FIRST_POLL_S, 0
        wanted = [s for s in store.state.open() if any(self._asked(c, s) for c in s.requests)]
        while True:
            ended = []
            for submitted in wanted or store.state.open():
                try:
                    batch = self.client.retrieve(submitted.batch_id)  # type: ignore[arg-type]
                except EngineError as exc:  # a 5xx or a lost connection: look again later, a few times
                    misses += 1
                    if not exc.retryable or misses > MISSED_LOOKS:
                        raise
                    continue
                misses = 0
                submitted.update(batch)
                if batch.status in FINAL_STATUSES:
                    ended.append((submitted, batch))
                self.progress(
                    BatchProgress(
                        batch.id,
                        batch.status,
                        submitted.completed,
                        submitted.failed,
                        len(submitted.requests),
                        submitted.round,
                        time.monotonic() - self.began,
                        0.0 if ended else delay,
                    )
                )
            store.save()
            if ended:
                self._ended = dict((s.batch_id, b) for s, b in ended)
                return [s for s, _ in ended]
            self.sleep(delay)
            delay = min(LONGEST_POLL_S, delay * 2)

    def _collect(self, submitted: Submitted, out: Output, store: BatchStore) -> None:
        """Download the answers and errors of an ended batch and send each to its article."""
        outcomes: dict[str, Outcome] = {}
        for line in self.client.lines(submitted.output_file_id) + self.client.lines(submitted.error_file_id):
            custom_id = line.get("custom_id", "")
            if (ask := self._asked(custom_id, submitted)) is not None:
                outcomes[custom_id] = self.client.outcome(line, ask.request)
        unanswered = batch_failure(self._ended[submitted.batch_id])
        for custom_id in submitted.requests:
            if self._asked(custom_id, submitted) is not None:
                outcome = outcomes.get(custom_id, unanswered)
                self._answered(self.works[custom_id], custom_id, outcome, out, store, live=False)
        submitted.collected = True
        store.save()
        self.report.batches = list(dict.fromkeys([*self.report.batches, submitted.batch_id or ""]))

    def _asked(self, custom_id: str, submitted: Submitted) -> Ask | None:
        """The request still waited on under ``custom_id``, if ``submitted`` carried this very one."""
        work = self.works.get(custom_id)
        ask = work.asks.get(custom_id) if work is not None else None
        return ask if ask is not None and submitted.requests.get(custom_id) == ask.sha else None

    # -- results ------------------------------------------------------------------------------------

    def _done(self, work: Work, out: Output) -> None:
        output = work.briefing.result
        result = build_result(work.article, self.engine, output, time.monotonic() - work.started)
        batch_cost = self.engine.cost_usd(work.batch_usage(output.usage), batch=True)
        live_cost = self.engine.cost_usd(work.live_usage)
        cost = None if batch_cost is None or live_cost is None else round(batch_cost + live_cost, 8)
        result.provenance.cost_usd = cost
        if self.cache is not None:
            self.cache.put(cache_key_for(work.article, self.engine), result)
        out.write(work.index, work.item, result.model_copy(update={"id": work.item.id}))
        self.report.counts.done += 1
        self.report.usage = self.report.usage + result.provenance.usage
        self.report.cost_usd = (
            None if cost is None or self.report.cost_usd is None else self.report.cost_usd + cost
        )

    def _fail(self, item: BatchItem, out: Output, index: int, reason: str, raw: str | None = None) -> None:
        self.report.counts.failed += 1
        self.report.failures.append(Failure(id=item.id, origin=item.origin, reason=reason, raw_answer=raw))
        out.skip(index)

    def _finish(self, out: Output, store: BatchStore, duplicates: list[str] | None) -> None:
        self.report.waiting = len({w.item.id for w in self.works.values()})
        self.report.batches = list(
            dict.fromkeys([*self.report.batches, *(s.batch_id for s in store.state.open() if s.batch_id)])
        )
        self.report.duplicate_ids = duplicates or []
        self.report.finished_at = datetime.now(UTC)
        self.report.wall_s = round(time.monotonic() - self.began, 3)
        finished = self.report.counts.done + self.report.counts.cached
        self.report.articles_per_s = round(finished / self.report.wall_s, 2) if self.report.wall_s else 0.0
        out.finish(self.report)


def run_batch_api(
    items: Iterator[BatchItem],
    settings: Settings,
    options: BatchOptions,
    cache: BriefCache | None,
    progress: Callable[[BatchProgress], None] | None = None,
    duplicates: list[str] | None = None,
) -> BatchReport:
    """The CLI's and the API's entry point: one run of ``options.out`` through the Batch API."""
    return BatchApiRun(settings, options, cache, progress).run(items, duplicates)


@contextmanager
def _stop_signals_as_interrupt() -> Iterator[None]:
    """Ctrl-C and SIGTERM (systemd, ``docker stop``) stop a run alike: report written, batches
    kept. Both handlers are set explicitly, as the live runner sets its own: a process started with
    SIGINT ignored (a background job of a script) would otherwise never see Ctrl-C's KeyboardInterrupt."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    previous = {sig: signal.signal(sig, interrupt) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
