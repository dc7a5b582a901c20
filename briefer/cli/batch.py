"""Many articles: ``batch`` briefs them, ``estimate`` says what that would cost first, and
``batch-api status|cancel`` look at and cancel the batches of a ``--via batch-api`` run."""

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from briefer.cli import options as o
from briefer.cli.command import announce_engine, command, fail, say, write_output

if TYPE_CHECKING:
    from briefer.batch import BatchOptions, BatchReport
    from briefer.batch.api import BatchProgress
    from briefer.cache import BriefCache
    from briefer.config import Settings
    from briefer.estimate import Estimate
    from briefer.loading.inputs import UniqueIds


@command(o.ENGINE, o.RUN, o.STATEMENTS)
def batch(
    inputs: o.Inputs,
    out: o.OutDir = None,
    format: o.FileFormats = [o.FileFormat.json],  # noqa: B006 - typer needs a literal default
    concurrency: o.Concurrency = 8,
    rpm: o.Rpm = None,
    tpm: o.Tpm = None,
    max_attempts: o.MaxAttempts = 6,
    retry_failed: o.RetryFailed = False,
    ordered: o.Ordered = False,
    via: o.Via = "live",
    completion_window: o.CompletionWindow = "24h",
    repair_live: o.RepairLive = False,
    batch_tokens: o.BatchTokens = 2_000_000,
    dry_run: o.DryRun = False,
    cache: o.CachePath = None,
    no_cache: o.NoCache = False,
    *,
    settings: "Settings",
) -> None:
    """Brief many articles: concurrent, within rate limits, resumable.

    Writes <id>.json (and/or .md) per article, briefs.jsonl (one BriefResult per line, as each
    finishes) and report.json to --out. Re-running the same command briefs nothing twice;
    Ctrl-C stops cleanly (exit 130) and the next run resumes. Exit 1 when an article failed.

    --via batch-api sends the requests through OpenAI's Batch API instead (half price, answers
    within --completion-window): the batch ids are kept in --out, so Ctrl-C loses nothing and
    the same command re-attaches. `briefer batch-api status DIR` and `briefer batch-api cancel
    DIR` look at and cancel the batches of a run.

    Examples:

    \b
        briefer batch articles/ --out briefs/
        briefer batch feed.jsonl --out briefs/ --concurrency 32 --rpm 500 --tpm 200000
        cat feed.jsonl | briefer batch - --out - | jq -r .brief.headline
        briefer batch 'archive/**/*.html' --out briefs/ --format md --format json
        briefer batch archive/ --out briefs/ --via batch-api -m gpt-4o-mini
        briefer batch feed.jsonl --out - --statements | jq '.grounding.claims[] | select(.supported | not)'
    """
    if len(inputs) == 2 and inputs[0] in BATCH_API_ACTIONS and not Path(inputs[0]).exists():
        say(f"warning: `batch {inputs[0]} DIR` is deprecated: use `briefer batch-api {inputs[0]} DIR`")
        BATCH_API_ACTIONS[inputs[0]](Path(inputs[1]), settings)
        return
    options = _batch_options(
        out,
        format,
        concurrency=concurrency,
        rpm=rpm,
        tpm=tpm,
        max_attempts=max_attempts,
        retry_failed=retry_failed,
        ordered=ordered,
        via=via,
        completion_window=completion_window,
        repair_live=repair_live,
        batch_tokens=batch_tokens,
    )
    _run(inputs, options, settings, None if no_cache else _open_cache(cache), dry_run)


def _batch_options(out: str | None, formats: list[o.FileFormat], **fields: Any) -> "BatchOptions":
    """The run's options, checked: a bad value is a usage error (exit 2), not a traceback."""
    from pydantic import ValidationError

    from briefer.batch import BatchOptions
    from briefer.errors import ConfigError

    if out is None:
        raise ConfigError("give --out DIR (or --out - to stream JSONL to stdout)")
    try:
        return BatchOptions(
            out=None if out == "-" else Path(out),
            formats=list(dict.fromkeys(f.value for f in formats)),
            **fields,
        )
    except ValidationError as exc:
        first = exc.errors()[0]
        raise ConfigError(f"invalid option: {first['loc'][0]}: {first['msg']}") from exc


def _run(
    inputs: list[str],
    options: "BatchOptions",
    settings: "Settings",
    cache_db: "BriefCache | None",
    dry_run: bool,
) -> None:
    """The plan (--dry-run), or the run, its summary on stderr and its exit code."""
    from briefer.batch import plan
    from briefer.errors import InputError
    from briefer.loading.inputs import UniqueIds, iter_items

    ids = UniqueIds()
    announce_engine(settings)
    if dry_run:
        for item, state, detail in plan(
            iter_items(inputs, unique=ids, allow_private=True), settings, cache_db
        ):
            typer.echo(f"{item.id}\t{state}\t{detail}")
        return
    if options.via == "batch-api":
        from briefer.batch.api import run_batch_api

        report = run_batch_api(
            iter_items(inputs, unique=ids, allow_private=True),
            settings,
            options,
            cache_db,
            _batch_progress(),
            ids.duplicates,
        )
    else:
        report = _run_live(inputs, ids, settings, options, cache_db)
    if cache_db is not None and cache_db.problem:
        say(f"warning: {cache_db.problem}")
    if report.counts.seen == 0:
        raise InputError(
            f"no articles found in {' '.join(inputs)} (looked for .txt .md .html files and JSONL feeds)"
        )
    _summarise(report, options.out)


def _run_live(
    inputs: list[str],
    ids: "UniqueIds",
    settings: "Settings",
    options: "BatchOptions",
    cache_db: "BriefCache | None",
) -> "BatchReport":
    """Live requests under a progress bar (on a terminal)."""
    from briefer.batch import run_batch
    from briefer.loading.inputs import iter_items

    with _progress(
        None if "-" in inputs else sum(1 for _ in iter_items(inputs, allow_private=True))
    ) as update:
        report = run_batch(
            iter_items(inputs, unique=ids, allow_private=True),
            settings,
            options,
            cache_db,
            update,
            ids.duplicates,
        )
    return report


@command(o.ENGINE)
def status(directory: o.BatchApiDir, *, settings: "Settings") -> None:
    """One line per batch of a --via batch-api run: its id, round, status and how much is done.

    Example:

    \b
        briefer batch-api status briefs/
    """
    _status(directory, settings)


@command(o.ENGINE)
def cancel(directory: o.BatchApiDir, *, settings: "Settings") -> None:
    """Cancel the batches of a --via batch-api run that still run; the same `briefer batch`
    command, run again, collects what they finished.

    Example:

    \b
        briefer batch-api cancel briefs/
    """
    _cancel(directory, settings)


def _status(directory: Path, settings: "Settings") -> None:
    from briefer.batch.client import batch_status

    for s in batch_status(directory, settings):
        done = "collected" if s.collected else f"{s.completed}/{len(s.requests)} done, {s.failed} failed"
        typer.echo(f"{s.batch_id or '(not created)'}\tround {s.round}\t{s.status}\t{done}")


def _cancel(directory: Path, settings: "Settings") -> None:
    from briefer.batch.client import cancel_batches

    cancelled = cancel_batches(directory, settings)
    for submitted in cancelled:
        say(f"{submitted.batch_id}: {submitted.status}")
    say(
        f"asked to cancel {len(cancelled)} batch(es); run the same batch command again to collect what they finished"
        if cancelled
        else f"nothing to cancel: every batch of {directory} has ended"
    )


# The old spelling, ``briefer batch status DIR``: told from a folder named "status" only by whether
# such a path exists, so it is deprecated for ``briefer batch-api status DIR``.
BATCH_API_ACTIONS: dict[str, Callable[[Path, "Settings"], None]] = {"status": _status, "cancel": _cancel}


def _batch_progress() -> Callable[["BatchProgress"], None]:
    """A line on stderr whenever a batch's status or counts change: logs and terminals alike."""
    seen: dict[str, tuple[str, int, int]] = {}

    def show(event: "BatchProgress") -> None:
        now = (event.status, event.completed, event.failed)
        if seen.get(event.batch_id) == now:
            return
        seen[event.batch_id] = now
        minutes, seconds = divmod(int(event.elapsed_s), 60)
        after = f"; next look in {event.next_check_s:.0f} s" if event.next_check_s else ""
        say(
            f"{event.batch_id} (round {event.round}): {event.status}, {event.completed}/{event.total} done, "
            f"{event.failed} failed, {minutes}m{seconds:02d}s{after}"
        )

    return show


def _open_cache(path: Path | None) -> "BriefCache | None":
    """The cache, or None with a warning when it cannot be opened (damaged, locked, read-only):
    the output directory knows what is done, so going on without it loses nothing; it only
    costs repeats of articles briefed elsewhere."""
    from briefer.cache import BriefCache
    from briefer.errors import ConfigError

    try:
        return BriefCache(path)
    except ConfigError as exc:
        say(f"warning: {exc}; going on without the cache")
        return None


def _summarise(report: "BatchReport", out: Path | None) -> None:
    """The run in a few lines on stderr, its failures first and then its counts, named as
    report.json names them; and its exit code: 1 when anything failed, 130 interrupted."""
    c = report.counts
    where = f" → {out}" if out else ""
    for failure in report.failures[:10]:
        say(f"failed: {failure.id}: {failure.reason}")
    if len(report.failures) > 10:
        say(f"… {len(report.failures) - 10} more failures in report.json")
    retry = " (--retry-failed tries them again)" if c.skipped_failed else ""
    say(
        f"{c.seen} articles: {c.done} briefed, {c.cached} from cache, {c.already_done} already done, "
        f"{c.failed} failed, {c.skipped_failed} skipped (failed earlier){retry}"
        + (f", {c.left} left for the next run" if c.left else "")
        + f" in {report.wall_s:.1f} s{where}"
    )
    if report.via == "batch-api":
        cost = "cost unknown" if report.cost_usd is None else f"${report.cost_usd:.4f} at batch rates"
        waiting = f", {report.waiting} articles still waiting on the Batch API" if report.waiting else ""
        say(f"{report.requests} requests in {len(report.batches)} batch(es), {cost}{waiting}")
    if report.aborted:
        raise fail(f"stopped the run: {report.aborted}", report.aborted_exit_code or 1)
    if report.interrupted:
        kept = "; the batches go on" if report.via == "batch-api" else ""
        raise fail(f"interrupted{kept}; run the same command again to resume", 130)
    if c.failed:
        raise typer.Exit(1)


@contextmanager
def _progress(total: int | None) -> Iterator[Callable[["BatchReport"], None]]:
    """``update(report)`` after each article draws a bar on stderr, if a terminal (logs stay clean)."""
    from rich.console import Console

    from briefer.progress import progress_bar

    console = Console(stderr=True)
    if not console.is_terminal:
        yield lambda report: None
        return
    began = time.monotonic()
    with progress_bar(console, "briefing", status=True) as bar:
        task = bar.add_task("batch", total=total, status="")

        def update(report: "BatchReport") -> None:
            c = report.counts
            finished = c.done + c.cached + c.already_done + c.failed + c.skipped_failed
            rate = f"{finished / max(1e-9, time.monotonic() - began):.1f}/s"
            spend = "cost unknown" if report.cost_usd is None else f"${report.cost_usd:.4f}"
            status = (
                f"done {c.done} · cached {c.cached + c.already_done} · failed {c.failed} · {rate} · {spend}"
            )
            bar.update(task, completed=finished, status=status)

        yield update


@command(o.ENGINE, engine="openai")
def estimate(
    inputs: o.Inputs,
    concurrency: o.Concurrency = 8,
    rpm: o.Rpm = None,
    tpm: o.Tpm = None,
    latency: o.Latency = 4.0,
    format: o.ReportFormat = "text",
    via: o.Via = "live",
    *,
    settings: "Settings",
) -> None:
    """Tokens, requests, cost and wall time of a batch, without calling any LLM.

    With --via batch-api, the cost through OpenAI's Batch API is shown next to the live one.

    Examples:

    \b
        briefer estimate articles/ -m gpt-4o-mini
        briefer estimate feed.jsonl -m gpt-4o --rpm 500 --tpm 30000 --format json
        briefer estimate articles/ --prompts-dir ./my-prompts --max-chunk-tokens 4000
        briefer estimate archive/ -m gpt-4o-mini --via batch-api
    """
    from briefer.estimate import estimate as run_estimate
    from briefer.loading.inputs import iter_items

    result = run_estimate(
        iter_items(inputs, allow_private=True),
        settings,
        rpm=rpm,
        tpm=tpm,
        concurrency=concurrency,
        latency_s=latency,
        via=via,
    )
    write_output(result.model_dump_json(indent=2) + "\n" if format == "json" else _estimate_text(result))


def _estimate_text(result: "Estimate") -> str:
    unreadable = f" ({result.unreadable} unreadable)" if result.unreadable else ""
    lines = [
        f"articles        {result.articles}{unreadable}",
        f"article tokens  {result.article_tokens:,} ({result.model}; {result.long_articles} map-reduced)",
    ]
    if result.urls_not_fetched:
        lines.append(f"urls            {result.urls_not_fetched} not fetched (not counted)")
    if not result.llm:
        lines.append(f"engine          {result.engine}: no requests, no cost")
        return "\n".join(lines) + "\n"
    cost = (
        "unknown (no price for this model/server)" if result.cost_usd is None else f"${result.cost_usd:.4f}"
    )
    if result.via == "batch-api":
        batch = "unknown" if result.batch_cost_usd is None else f"${result.batch_cost_usd:.4f}"
        cost = f"{batch} through the Batch API ({cost} live)"
        wall = "within the Batch API's completion window (24h), rate limits aside"
    else:
        wall = f"{result.wall_s:,.0f} s (limited by {result.limited_by})"
    lines += [
        f"requests        {result.requests:,}",
        f"tokens          {result.prompt_tokens:,} in + {result.completion_tokens:,} out (expected)",
        f"cost            {cost}",
        f"wall time       {wall}",
    ]
    return "\n".join(lines) + "\n"
