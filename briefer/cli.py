"""The ``briefer`` command: argument parsing and rendering over the library API, nothing else.

Exit codes: 0 success · 1 the engine/LLM failed · 2 bad input, flag or configuration ·
3 grounding flagged items (brief --strict, verify) · 130 interrupted. Output goes to stdout, diagnostics to stderr, so pipes stay clean.
"""

from __future__ import annotations

import functools
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, Literal, TypeVar

import typer

from briefer.errors import BrieferError, ConfigError, InputError

app = typer.Typer(
    name="briefer",
    help="Turn news articles into briefs an editor can trust: key takeaways and a validated structured brief.\n\n"
    "With OPENAI_API_KEY (or --base-url for any OpenAI-compatible server) briefer uses an LLM; "
    "without, it runs its offline extractive engine.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="markdown",
    context_settings={"help_option_names": ["-h", "--help"]},
)
prompts_app = typer.Typer(help="List and show the versioned prompts.", no_args_is_help=True)
app.add_typer(prompts_app, name="prompts")

F = TypeVar("F", bound=Callable[..., Any])

Verbose = Annotated[
    bool, typer.Option("--verbose", "-v", help="Show tracebacks and debug details on errors.")
]
Model = Annotated[
    str | None, typer.Option("--model", "-m", help="Model name (default gpt-4o-mini, or $BRIEFER_MODEL).")
]
BaseUrl = Annotated[
    str | None,
    typer.Option(
        "--base-url", help="OpenAI-compatible server, e.g. http://localhost:11434/v1 (or $OPENAI_BASE_URL)."
    ),
]
PromptsDir = Annotated[
    Path | None,
    typer.Option(
        "--prompts-dir", help="Directory of prompt files overriding the built-in ones ($BRIEFER_PROMPTS_DIR)."
    ),
]
EngineOpt = Annotated[
    Literal["auto", "openai", "extractive"],
    typer.Option(help="auto: the LLM when a key or --base-url is set, else the offline extractive engine."),
]
PromptOpt = Annotated[
    str | None, typer.Option(help="Prompt NAME or NAME@VERSION (default: the latest 'brief').")
]
MaxChunkTokens = Annotated[
    int | None,
    typer.Option(
        help="Map-reduce articles longer than this many tokens (default: from the model's context)."
    ),
]


def _fail(message: str, code: int) -> typer.Exit:
    typer.echo(f"briefer: error: {message}", err=True)
    return typer.Exit(code)


def handle_errors(command: F) -> F:
    """Turn user-caused errors into one stderr line and an exit code; ``--verbose`` adds the traceback."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except BrieferError as exc:
            if kwargs.get("verbose"):
                traceback.print_exc()
            raise _fail(str(exc), exc.exit_code) from None
        except KeyboardInterrupt:
            raise _fail("interrupted", 130) from None
        except BrokenPipeError:  # `briefer ... | head`: the reader left; not an error of ours
            sys.stderr.close()
            raise typer.Exit(0) from None

    return wrapper  # type: ignore[return-value]


def _settings(**overrides: Any):
    from briefer.config import Settings

    return Settings.from_env(**overrides)


def _write_output(text: str, out: Path | None) -> None:
    if out is None:
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    from briefer.fileio import write_atomic

    write_atomic(out, text)
    typer.echo(f"briefer: wrote {out}", err=True)


@app.command()
@handle_errors
def brief(
    input: Annotated[
        str, typer.Argument(help="Article: a .txt/.md/.html file, '-' for stdin, or an http(s) URL.")
    ],
    format: Annotated[
        Literal["md", "json", "text"], typer.Option("--format", "-f", help="Output format.")
    ] = "md",
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="Write to FILE (atomically) instead of stdout.")
    ] = None,
    engine: EngineOpt = "auto",
    model: Model = None,
    base_url: BaseUrl = None,
    prompt: PromptOpt = None,
    prompts_dir: PromptsDir = None,
    max_chunk_tokens: MaxChunkTokens = None,
    structured: Annotated[
        Literal["auto", "json_schema", "json_object", "text"],
        typer.Option(help="How to ask for JSON; auto falls back when the server rejects json_schema."),
    ] = "auto",
    max_repairs: Annotated[int, typer.Option(help="Validation-repair rounds fed back to the model.")] = 2,
    repair: Annotated[
        bool,
        typer.Option("--repair/--no-repair", help="Ask the LLM once to fix items the grounding check flags."),
    ] = True,
    strict: Annotated[
        bool,
        typer.Option(help="Exit 3 when any item stays unsupported by the article (output still written)."),
    ] = False,
    timeout: Annotated[float, typer.Option(help="Seconds to wait for each LLM answer.")] = 120.0,
    verbose: Verbose = False,
) -> None:
    """Brief one article.

    Examples:

        briefer brief seeds/pakistan-taliban-warning.txt

        briefer brief story.html --format json --out story.brief.json

        curl -s https://example.com/story | briefer brief - -m gpt-4o

        briefer brief story.txt --base-url http://localhost:11434/v1 -m llama3.1
    """
    from briefer.pipeline import summarise_article
    from briefer.render import render
    from briefer.sources import load_article

    settings = _settings(
        engine=engine,
        model=model,
        base_url=base_url,
        prompt=prompt,
        prompts_dir=prompts_dir,
        max_chunk_tokens=max_chunk_tokens,
        structured=structured,
        max_repairs=max_repairs,
        repair_grounding=repair,
        timeout_s=timeout,
    )
    article = load_article(input)
    if settings.offline_by_default:
        typer.echo(
            "briefer: no OPENAI_API_KEY or --base-url set, so using the offline extractive engine; "
            "set one to brief with an LLM.",
            err=True,
        )
    result = summarise_article(article, settings)
    _write_output(render(result, format), out)
    _exit_on_flags(result.grounding, strict)


def _exit_on_flags(report: Any, strict: bool) -> None:
    """Say what grounding flagged (on stderr), and with --strict make it exit 3."""
    if report is None or report.ok:
        return
    flagged = report.flagged()
    typer.echo(f"briefer: warning: {len(flagged)} item(s) not backed by the article (marked ⚠)", err=True)
    if strict:
        raise typer.Exit(3)


@app.command()
@handle_errors
def verify(
    brief_file: Annotated[
        str, typer.Argument(metavar="BRIEF.json", help="A BriefResult or a bare Brief (JSON); '-' for stdin.")
    ],
    article: Annotated[
        str, typer.Argument(help="The article: a .txt/.md/.html file, '-' or an http(s) URL.")
    ],
    format: Annotated[Literal["text", "json"], typer.Option("--format", "-f")] = "text",
    verbose: Verbose = False,
) -> None:
    """Check a brief (from briefer, a person or another tool) against its article.

    Exit 0 when every quote, claim, name and number is backed by the article, 3 when anything
    is flagged, 2 on bad input.

    Examples:

        briefer verify story.brief.json story.txt

        briefer brief story.txt -f json | briefer verify - story.txt --format json
    """
    from briefer.grounding import render_report_text
    from briefer.sources import decode_bytes, load_article

    if brief_file == "-" and article == "-":
        raise InputError("the brief and the article cannot both come from stdin")
    if brief_file == "-":
        raw = decode_bytes(sys.stdin.buffer.read(), "stdin")
    else:
        path = Path(brief_file)
        if not path.is_file():
            raise InputError(f"{brief_file}: no such file")
        raw = decode_bytes(path.read_bytes(), brief_file)
    from briefer.api import parse_brief
    from briefer.api import verify as verify_brief

    report = verify_brief(parse_brief(raw, brief_file), load_article(article))
    text = report.model_dump_json(indent=2) if format == "json" else render_report_text(report)
    _write_output(text + "\n", None)
    if not report.ok:
        raise typer.Exit(3)


@app.command()
@handle_errors
def tokens(
    paths: Annotated[list[str], typer.Argument(help="Files ('-' for stdin) whose article text to count.")],
    model: Annotated[
        str, typer.Option("--model", "-m", help="Model whose tokenizer to use.")
    ] = "gpt-4o-mini",
    format: Annotated[Literal["text", "json"], typer.Option("--format", "-f")] = "text",
    verbose: Verbose = False,
) -> None:
    """Exact token counts (tiktoken, offline) of the article text briefer would send.

    Examples:

        briefer tokens seeds/*.txt

        briefer tokens story.html -m gpt-4 --format json
    """
    import json

    from briefer.sources import load_article
    from briefer.tokens import count_tokens, encoding_name_for_model

    counts = [(path, count_tokens(load_article(path, check=False).text, model)) for path in paths]
    if format == "json":
        rows = [{"input": path, "tokens": n} for path, n in counts]
        payload = {"model": model, "encoding": encoding_name_for_model(model), "inputs": rows}
        _write_output(json.dumps(payload, indent=2) + "\n", None)
        return
    if len(counts) > 1:
        counts.append(("total", sum(n for _, n in counts)))
    width = max(len(str(n)) for _, n in counts)
    lines = [f"{n:>{width}}  {path}" for path, n in counts]
    _write_output("\n".join(lines) + "\n", None)


@app.command()
@handle_errors
def schema(
    of: Annotated[
        Literal["result", "brief"],
        typer.Option("--of", help="result: BriefResult (default); brief: what the LLM fills."),
    ] = "result",
    verbose: Verbose = False,
) -> None:
    """Print the JSON Schema of BriefResult (or of Brief).

    Examples:

        briefer schema > brief-result.schema.json

        briefer schema --of brief
    """
    import json

    from briefer.models import Brief, BriefResult

    model = BriefResult if of == "result" else Brief
    _write_output(json.dumps(model.model_json_schema(), indent=2) + "\n", None)


@prompts_app.command("list")
@handle_errors
def prompts_list(prompts_dir: PromptsDir = None, verbose: Verbose = False) -> None:
    """Names, versions, hashes and files of every prompt.

    Example:

        briefer prompts list --prompts-dir ./my-prompts
    """
    from briefer.prompts import PromptRegistry

    rows = [f"{p.ref:<16} sha256:{p.sha256[:16]}  {p.path}" for p in PromptRegistry(prompts_dir).all()]
    _write_output("\n".join(rows) + "\n", None)


@prompts_app.command("show")
@handle_errors
def prompts_show(
    spec: Annotated[str, typer.Argument(help="NAME or NAME@VERSION, e.g. brief@1.")],
    prompts_dir: PromptsDir = None,
    verbose: Verbose = False,
) -> None:
    """Show one prompt: its file's hash, notes, system and user templates.

    Examples:

        briefer prompts show brief

        briefer prompts show chunk_notes@1
    """
    from briefer.prompts import PromptRegistry

    p = PromptRegistry(prompts_dir).get(spec)
    text = (
        f"# {p.ref}  sha256:{p.sha256}\n# {p.path}\n\n"
        f"## notes\n{p.notes}\n\n## system\n{p.system.strip()}\n\n## user\n{p.user.strip()}\n"
    )
    _write_output(text, None)


@app.command("eval")
@handle_errors
def eval_(
    data: Annotated[
        Path, typer.Argument(help="JSONL rows {id, text, highlights: [...]}, e.g. cnndm_dev.jsonl.")
    ],
    engine: EngineOpt = "auto",
    model: Model = None,
    base_url: BaseUrl = None,
    prompt: PromptOpt = None,
    prompts_dir: PromptsDir = None,
    k: Annotated[
        int, typer.Option("--k", min=1, help="Score the first K takeaways; baselines pick K sentences.")
    ] = 3,
    limit: Annotated[int | None, typer.Option(min=1, help="Only the first N valid rows.")] = None,
    out: Annotated[
        Path | None,
        typer.Option("--out", "-o", help="Write each BriefResult (with its row id) to FILE as JSONL."),
    ] = None,
    format: Annotated[
        Literal["table", "json"], typer.Option("--format", "-f", help="Output format.")
    ] = "table",
    baselines: Annotated[
        bool, typer.Option("--baselines/--no-baselines", help="Also score Lead-K, LexRank-K and TextRank-K.")
    ] = True,
    verbose: Verbose = False,
) -> None:
    """ROUGE-1/2/Lsum of the key takeaways against human highlights, with baselines in the same run.

    Examples:

        briefer eval ../shared/eval/cnndm_dev.jsonl

        briefer eval rows.jsonl -m gpt-4o-mini --limit 50 --out briefs.jsonl --format json
    """
    from rich.console import Console

    from briefer.evaluate import render_json, render_table, run_eval

    settings = _settings(
        engine=engine, model=model, base_url=base_url, prompt=prompt, prompts_dir=prompts_dir
    )
    report = run_eval(
        data, settings, Console(stderr=True), k=k, limit=limit, out_path=out, baselines=baselines
    )
    if format == "json":
        _write_output(render_json(report) + "\n", None)
    else:
        Console().print(render_table(report))


cache_app = typer.Typer(help="Inspect or clear the SQLite cache of briefs.", no_args_is_help=True)
app.add_typer(cache_app, name="cache")

CachePath = Annotated[
    Path | None,
    typer.Option("--cache", help="SQLite cache file (default: the user cache dir, or $BRIEFER_CACHE)."),
]
Inputs = Annotated[
    list[str],
    typer.Argument(
        help="Files, directories (recursive .txt/.md/.html), globs, JSONL feeds, or '-' for JSONL on stdin."
    ),
]


def _open_cache(path: Path | None, enabled: bool = True):
    from briefer.cache import BriefCache

    return BriefCache(path) if enabled else None


def _batch_progress(total: int | None):
    """A progress bar on stderr when it is a terminal; otherwise nothing (logs stay clean)."""
    import time

    from rich.console import Console

    from briefer.progress import progress_bar

    console = Console(stderr=True)
    if not console.is_terminal:
        return None, lambda report: None
    progress = progress_bar(console, "briefing", status=True)
    task = progress.add_task("batch", total=total, status="")
    began = time.monotonic()

    def update(report) -> None:
        c = report.counts
        finished = c.done + c.cached + c.already_done + c.failed + c.skipped_failed
        rate = f"{finished / max(1e-9, time.monotonic() - began):.1f}/s"
        spend = "cost unknown" if report.cost_usd is None else f"${report.cost_usd:.4f}"
        progress.update(
            task,
            completed=finished,
            status=f"done {c.done} · cached {c.cached + c.already_done} · failed {c.failed} · {rate} · {spend}",
        )

    return progress, update


@app.command()
@handle_errors
def batch(
    inputs: Inputs,
    out: Annotated[
        str,
        typer.Option("--out", "-o", help="Output directory, or '-' to stream BriefResult JSONL to stdout."),
    ],
    concurrency: Annotated[int, typer.Option(help="Articles in flight at once.")] = 8,
    rpm: Annotated[float | None, typer.Option(help="Requests per minute never to exceed.")] = None,
    tpm: Annotated[
        float | None, typer.Option(help="Tokens per minute never to exceed (counted before sending).")
    ] = None,
    engine: EngineOpt = "auto",
    model: Model = None,
    base_url: BaseUrl = None,
    prompt: PromptOpt = None,
    prompts_dir: PromptsDir = None,
    max_chunk_tokens: MaxChunkTokens = None,
    format: Annotated[
        list[str],
        typer.Option("--format", "-f", help="Per-article files to write: json and/or md (repeat the flag)."),
    ] = ["json"],  # noqa: B006 - typer needs a literal default
    retry_failed: Annotated[
        bool, typer.Option(help="Retry articles that failed in an earlier run into the same --out.")
    ] = False,
    ordered: Annotated[bool, typer.Option(help="With --out -: emit results in input order.")] = False,
    dry_run: Annotated[bool, typer.Option(help="List what would be done (cached or not) and stop.")] = False,
    cache: CachePath = None,
    no_cache: Annotated[bool, typer.Option("--no-cache", help="Neither read nor write the cache.")] = False,
    max_attempts: Annotated[
        int, typer.Option(help="Tries per request on 429/5xx/timeouts before an article fails.")
    ] = 6,
    repair: Annotated[bool, typer.Option("--repair/--no-repair", help="As for 'brief'.")] = True,
    timeout: Annotated[float, typer.Option(help="Seconds to wait for each LLM answer.")] = 120.0,
    verbose: Verbose = False,
) -> None:
    """Brief many articles: concurrent, within rate limits, resumable.

    Writes <id>.json (and/or .md) per article, briefs.jsonl (one BriefResult per line, as each
    finishes) and report.json to --out. Re-running the same command briefs nothing twice;
    Ctrl-C stops cleanly (exit 130) and the next run resumes. Exit 1 when an article failed.

    Examples:

        briefer batch articles/ --out briefs/

        briefer batch feed.jsonl --out briefs/ --concurrency 32 --rpm 500 --tpm 200000

        cat feed.jsonl | briefer batch - --out - | jq -r .brief.headline

        briefer batch 'archive/**/*.html' --out briefs/ --format md --format json
    """
    from briefer.batch import BatchOptions, run_batch
    from briefer.inputs import UniqueIds, iter_items

    bad = sorted(set(format) - {"json", "md"})
    if bad:
        raise ConfigError(f"--format takes json or md, not {', '.join(bad)}")
    settings = _settings(
        engine=engine,
        model=model,
        base_url=base_url,
        prompt=prompt,
        prompts_dir=prompts_dir,
        max_chunk_tokens=max_chunk_tokens,
        timeout_s=timeout,
        repair_grounding=repair,
    )
    if settings.offline_by_default:
        typer.echo(
            "briefer: no OPENAI_API_KEY or --base-url set, so using the offline extractive engine.", err=True
        )
    try:
        options = BatchOptions(
            out=None if out == "-" else Path(out),
            formats=list(dict.fromkeys(format)),
            concurrency=concurrency,
            rpm=rpm,
            tpm=tpm,
            max_attempts=max_attempts,
            retry_failed=retry_failed,
            ordered=ordered,
        )
    except ValueError as exc:
        raise ConfigError(f"invalid option: {exc.errors()[0]['loc'][0]}: {exc.errors()[0]['msg']}") from exc
    ids = UniqueIds()
    if dry_run:
        _dry_run(iter_items(inputs, unique=ids), settings, _open_cache(cache, not no_cache))
        return
    cache_db = _open_cache(cache, not no_cache)
    total = _count_items(inputs)
    progress, update = _batch_progress(total)
    if progress is not None:
        progress.start()
    try:
        report = run_batch(
            iter_items(inputs, unique=ids), settings, options, cache_db, update, ids.duplicates
        )
    finally:
        if progress is not None:
            progress.stop()
    c = report.counts
    if c.seen == 0:
        raise InputError(
            f"no articles found in {' '.join(inputs)} (looked for .txt .md .html files and JSONL feeds)"
        )
    where = f" → {options.out}" if options.out else ""
    typer.echo(
        f"briefer: {c.seen} articles: {c.done} briefed, {c.cached + c.already_done} from cache, "
        f"{c.failed} failed, {c.skipped_failed} skipped (failed earlier) in {report.wall_s:.1f} s{where}",
        err=True,
    )
    for failure in report.failures[:10]:
        typer.echo(f"briefer: failed: {failure.id}: {failure.reason}", err=True)
    if len(report.failures) > 10:
        typer.echo(f"briefer: … {len(report.failures) - 10} more failures in report.json", err=True)
    if report.aborted:
        raise _fail(f"stopped the run: {report.aborted}", 1)
    if report.interrupted:
        raise _fail("interrupted; run the same command again to resume", 130)
    if c.failed:
        raise typer.Exit(1)


def _count_items(inputs: list[str]) -> int | None:
    """How many items the inputs hold, when that is cheap to know (not for stdin)."""
    if "-" in inputs:
        return None
    from briefer.inputs import iter_items

    return sum(1 for _ in iter_items(inputs))


def _dry_run(items, settings, cache_db) -> None:
    from briefer.batch import plan

    for item, state, detail in plan(items, settings, cache_db):
        typer.echo(f"{item.id}\t{state}\t{detail}")


@app.command()
@handle_errors
def estimate(
    inputs: Inputs,
    model: Model = None,
    base_url: BaseUrl = None,
    engine: EngineOpt = "openai",
    prompt: PromptOpt = None,
    max_chunk_tokens: MaxChunkTokens = None,
    concurrency: Annotated[int, typer.Option(help="Articles in flight at once.")] = 8,
    rpm: Annotated[float | None, typer.Option(help="Requests-per-minute limit.")] = None,
    tpm: Annotated[float | None, typer.Option(help="Tokens-per-minute limit.")] = None,
    latency: Annotated[float, typer.Option(help="Assumed seconds per LLM answer.")] = 4.0,
    format: Annotated[Literal["text", "json"], typer.Option("--format", "-f")] = "text",
    verbose: Verbose = False,
) -> None:
    """Tokens, requests, cost and wall time of a batch, without calling any LLM.

    Examples:

        briefer estimate articles/ -m gpt-4o-mini

        briefer estimate feed.jsonl -m gpt-4o --rpm 500 --tpm 30000 --format json
    """
    from briefer.estimate import estimate as run_estimate
    from briefer.inputs import iter_items

    settings = _settings(
        engine=engine, model=model, base_url=base_url, prompt=prompt, max_chunk_tokens=max_chunk_tokens
    )
    result = run_estimate(
        iter_items(inputs), settings, rpm=rpm, tpm=tpm, concurrency=concurrency, latency_s=latency
    )
    if format == "json":
        _write_output(result.model_dump_json(indent=2) + "\n", None)
        return
    cost = (
        "unknown (no price for this model/server)" if result.cost_usd is None else f"${result.cost_usd:.4f}"
    )
    lines = [
        f"articles        {result.articles}"
        + (f" ({result.unreadable} unreadable)" if result.unreadable else ""),
        f"article tokens  {result.article_tokens:,} ({result.model}; {result.long_articles} map-reduced)",
    ]
    if result.urls_not_fetched:
        lines.append(f"urls            {result.urls_not_fetched} not fetched (not counted)")
    if result.llm:
        lines += [
            f"requests        {result.requests:,}",
            f"tokens          {result.prompt_tokens:,} in + {result.completion_tokens:,} out (expected)",
            f"cost            {cost}",
            f"wall time       {result.wall_s:,.0f} s (limited by {result.limited_by})",
        ]
    else:
        lines.append(f"engine          {result.engine}: no requests, no cost")
    _write_output("\n".join(lines) + "\n", None)


@cache_app.command("stats")
@handle_errors
def cache_stats(cache: CachePath = None, verbose: Verbose = False) -> None:
    """Entries, size and age of the cache.

    Example:

        briefer cache stats --cache ./briefs.sqlite3
    """
    import json
    from dataclasses import asdict

    with _open_cache(cache) as db:
        _write_output(json.dumps(asdict(db.stats()), indent=2) + "\n", None)


@cache_app.command("clear")
@handle_errors
def cache_clear(
    older_than: Annotated[
        float | None, typer.Option("--older-than", help="Only entries older than DAYS.")
    ] = None,
    cache: CachePath = None,
    verbose: Verbose = False,
) -> None:
    """Delete cached briefs (all, or those older than N days).

    Examples:

        briefer cache clear --older-than 30

        briefer cache clear
    """
    with _open_cache(cache) as db:
        deleted = db.clear(older_than)
    typer.echo(f"briefer: deleted {deleted} cached brief(s)", err=True)


@app.command()
@handle_errors
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8080,
    workers: Annotated[int, typer.Option(min=1, help="Worker processes (uvicorn).")] = 1,
    engine: EngineOpt = "auto",
    model: Model = None,
    base_url: BaseUrl = None,
    prompt: PromptOpt = None,
    cache: CachePath = None,
    allow_url_fetch: Annotated[
        bool, typer.Option("--allow-url-fetch", help="Accept {url} articles (public addresses only).")
    ] = False,
    insecure: Annotated[
        bool, typer.Option("--insecure", help="Listen on a non-loopback address without a token.")
    ] = False,
    max_body_bytes: Annotated[
        int, typer.Option(min=1, help="Largest request body in bytes (413 above).")
    ] = 10_485_760,
    max_in_flight: Annotated[
        int, typer.Option(min=1, help="Briefing requests at once per worker (429 above).")
    ] = 32,
    request_timeout: Annotated[float, typer.Option(min=0.001, help="Seconds per brief (504 after).")] = 300.0,
    verbose: Verbose = False,
) -> None:
    """Serve briefs over HTTP: POST /v1/briefs, POST /v1/briefs/stream (NDJSON), GET /v1/briefs/{sha256}.

    With BRIEFER_SERVICE_TOKEN set, every request but /healthz needs `Authorization: Bearer <token>`;
    without one, only a loopback address is served unless --insecure. OpenAPI docs at /docs.

    Examples:

        briefer serve

        BRIEFER_SERVICE_TOKEN=s3cret briefer serve --host 0.0.0.0 --workers 4 --cache /var/cache/briefs.sqlite3

        curl -s localhost:8080/v1/briefs -H 'content-type: application/json' -d '{"text": "..."}'
    """
    import os

    from briefer.service import ServeConfig
    from briefer.service import serve as run_service

    env_cache = os.environ.get("BRIEFER_CACHE")
    config = ServeConfig(
        engine=engine,
        model=model,
        base_url=base_url,
        prompt=prompt,
        cache_path=cache or (Path(env_cache) if env_cache else None),
        allow_url_fetch=allow_url_fetch,
        max_body_bytes=max_body_bytes,
        max_in_flight=max_in_flight,
        request_timeout_s=request_timeout,
    )
    run_service(config, host=host, port=port, workers=workers, insecure=insecure)


def main() -> None:
    app()
