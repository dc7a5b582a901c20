"""Every option and argument of ``briefer``, defined once, so the same flag means the same everywhere.

The options that become ``Settings`` come in groups (``ENGINE``, ``RUN``) that ``command()`` adds
to a command whole: a command that builds an engine cannot lack one of them. Their defaults are
None, so ``Settings.from_env`` decides (flag, then $BRIEFER_*/$OPENAI_*, then its own default);
``show_default`` only says what that default is.

Only typer and the standard library here: ``briefer --help`` imports this module.
"""

import inspect
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, Literal

import typer

from briefer.choices import EngineChoice, Route, ServerChoice

# -- settings: the groups command() adds whole -------------------------------------------------


@dataclass(frozen=True)
class Setting:
    """A flag for the ``Settings`` field ``field``; ``shown``: the default the help names."""

    name: str
    kind: Any
    flags: tuple[str, ...]
    help: str
    shown: str
    field: str

    def parameter(self, default: object = None) -> inspect.Parameter:
        """The command's parameter; a command's own ``default`` is shown instead of ``shown``."""
        info = typer.Option(*self.flags, help=self.help, show_default=default is not None or self.shown)
        return inspect.Parameter(
            self.name,
            inspect.Parameter.KEYWORD_ONLY,
            default=default,
            annotation=Annotated[self.kind | None, info],
        )


def _setting(name: str, kind: Any, *flags: str, help: str, shown: str, field: str = "") -> Setting:
    return Setting(name, kind, flags, help, shown, field or name)


MODEL = _setting("model", str, "--model", "-m", help="Model name.", shown="gpt-4o-mini, or $BRIEFER_MODEL")

PROMPTS_DIR = _setting(
    "prompts_dir",
    Path,
    "--prompts-dir",
    help="Directory of prompt files adding to or overriding the built-in ones.",
    shown="built-in only, or $BRIEFER_PROMPTS_DIR",
)

ENGINE = (
    _setting(
        "engine",
        EngineChoice,
        "--engine",
        help="auto: hybrid for a local --base-url, the LLM for another or a key, else offline.",
        shown="auto, or $BRIEFER_ENGINE",
    ),
    MODEL,
    _setting(
        "base_url",
        str,
        "--base-url",
        help="OpenAI-compatible server, e.g. http://localhost:11434/v1.",
        shown="api.openai.com, or $OPENAI_BASE_URL",
    ),
    _setting(
        "server",
        ServerChoice,
        "--server",
        help="The kind of server at --base-url, for asking it for JSON its own way; auto asks it (GET /models).",
        shown="auto, or $BRIEFER_SERVER",
    ),
    _setting(
        "prompt",
        str,
        "--prompt",
        help="Prompt NAME or NAME@VERSION.",
        shown="latest 'brief', or $BRIEFER_PROMPT",
    ),
    PROMPTS_DIR,
    _setting(
        "max_chunk_tokens",
        int,
        "--max-chunk-tokens",
        help="Map-reduce articles longer than this many tokens.",
        shown="from the model's context, or $BRIEFER_MAX_CHUNK_TOKENS",
    ),
)
"""Which engine, model and prompts, and how long an article may be before it is split: for every
command that makes or plans an engine (brief, batch, estimate, eval, serve)."""

RUN = (
    _setting(
        "structured",
        Literal["auto", "json_schema", "json_object", "text"],
        "--structured",
        help="How to ask for JSON; auto falls back when the server rejects json_schema.",
        shown="auto, or $BRIEFER_STRUCTURED",
    ),
    _setting(
        "max_repairs", int, "--max-repairs", help="Validation-repair rounds fed back to the model.", shown="2"
    ),
    _setting(
        "repair",
        bool,
        "--repair/--no-repair",
        help="Ask the LLM once to fix items the grounding check flags.",
        shown="repair",
        field="repair_grounding",
    ),
    _setting(
        "timeout",
        float,
        "--timeout",
        help="Seconds to wait for each LLM answer.",
        shown="120; 600 for a server on this machine or network",
        field="timeout_s",
    ),
)
"""How the LLM is asked: for every command that runs an engine in this process (brief, batch, eval)."""

STATEMENTS_HELP = (
    "Also flag claims the statement check doubts (who did what, when, where, said in one "
    "article sentence?), each with its reason: catches more wrong claims, flags more right ones."
)
STATEMENTS = _setting(
    "statements",
    bool,
    "--statements/--no-statements",
    help=STATEMENTS_HELP + " With --repair, the LLM is asked to fix them too.",
    shown="off, or $BRIEFER_STATEMENTS",
)
"""How briefs are grounded: for the commands that brief and ground in this process (brief, batch);
``verify`` has its own ``--statements`` (``Statements``), with the same meaning."""

Verbose = Annotated[bool, typer.Option("--verbose", "-v", help="Show the traceback of an error.")]

# -- inputs and outputs -----------------------------------------------------------------------

Article = Annotated[
    str, typer.Argument(help="Article: a .txt/.md/.html file, '-' for stdin, or an http(s) URL.")
]
Articles = Annotated[list[str], typer.Argument(help="Files ('-' for stdin) whose article text to count.")]
Inputs = Annotated[
    list[str],
    typer.Argument(
        help="Files, directories (recursive .txt/.md/.html), globs, JSONL feeds, or '-' for JSONL on stdin."
    ),
]
BriefFile = Annotated[
    str, typer.Argument(metavar="BRIEF.json", help="A BriefResult or a bare Brief (JSON); '-' for stdin.")
]
EvalData = Annotated[
    Path, typer.Argument(help="JSONL rows {id, text, highlights: [...]}, e.g. cnndm_dev.jsonl.")
]
JudgedData = Annotated[
    Path,
    typer.Argument(
        help="FRANK-format JSONL: {id, dataset, text, summaries: [{system, sentences, factuality, errors, published_metrics}]}."
    ),
]
JudgedHalf = Annotated[
    Literal["all", "tune", "held-out"],
    typer.Option(
        help="Articles to score: all, or the half tuned on / held out (by the SHA-256 of the id: even first byte is 'tune')."
    ),
]
PromptSpec = Annotated[str, typer.Argument(help="NAME or NAME@VERSION, e.g. brief@1.")]
OutFile = Annotated[
    Path | None, typer.Option("--out", "-o", help="Write to FILE (atomically) instead of stdout.")
]
OutJsonl = Annotated[
    Path | None,
    typer.Option("--out", "-o", help="Write each BriefResult (with its row id) to FILE as JSONL."),
]
BatchApiDir = Annotated[
    Path, typer.Argument(metavar="DIR", help="The --out directory of a `briefer batch --via batch-api` run.")
]
OutDir = Annotated[
    str | None,
    typer.Option("--out", "-o", help="Output directory, or '-' to stream BriefResult JSONL to stdout."),
]
BriefFormat = Annotated[Literal["md", "json", "text"], typer.Option("--format", "-f", help="Output format.")]
ReportFormat = Annotated[Literal["text", "json"], typer.Option("--format", "-f", help="Output format.")]
TableFormat = Annotated[Literal["table", "json"], typer.Option("--format", "-f", help="Output format.")]


class FileFormat(StrEnum):  # typer takes a list of Enum, not of Literal
    json = "json"
    md = "md"


FileFormats = Annotated[
    list[FileFormat],
    typer.Option("--format", "-f", help="Per-article files to write: json and/or md (repeat the flag)."),
]
SchemaOf = Annotated[
    Literal["result", "brief"], typer.Option("--of", help="result: BriefResult; brief: what the LLM fills.")
]
Strict = Annotated[
    bool, typer.Option(help="Exit 3 when any item stays unsupported by the article (output still written).")
]
Statements = Annotated[bool, typer.Option("--statements", help=STATEMENTS_HELP)]

# -- many articles: batch, estimate, cache ----------------------------------------------------

Concurrency = Annotated[int, typer.Option(min=1, help="Articles in flight at once.")]
Rpm = Annotated[float | None, typer.Option(help="Requests per minute never to exceed.")]
Tpm = Annotated[
    float | None, typer.Option(help="Tokens per minute never to exceed (counted before sending).")
]
MaxAttempts = Annotated[
    int, typer.Option(help="Tries per request on 429/5xx/timeouts before an article fails.")
]
Latency = Annotated[float, typer.Option(help="Assumed seconds per LLM answer.")]
RetryFailed = Annotated[
    bool, typer.Option(help="Retry articles that failed in an earlier run into the same --out.")
]
Ordered = Annotated[bool, typer.Option(help="With --out -: emit results in input order.")]
Via = Annotated[
    Route,
    typer.Option(
        help="live: ask now, within --rpm/--tpm. batch-api: OpenAI's Batch API, at half price within "
        "--completion-window; ids kept in --out, so a re-run re-attaches."
    ),
]
CompletionWindow = Annotated[
    str,
    typer.Option(help="With --via batch-api: the time the Batch API has for each batch (OpenAI takes 24h)."),
]
RepairLive = Annotated[
    bool,
    typer.Option(
        help="With --via batch-api: ask repairs (validation, grounding) live, not in a further batch."
    ),
]
BatchTokens = Annotated[
    int,
    typer.Option(
        min=1000,
        help="With --via batch-api: prompt tokens the model may have enqueued at once (your account's "
        "Batch API queue limit); more is split into batches submitted as the queue allows.",
    ),
]
DryRun = Annotated[bool, typer.Option(help="List what would be done (cached or not) and stop.")]
CachePath = Annotated[
    Path | None,
    typer.Option("--cache", help="SQLite cache file (default: the user cache dir, or $BRIEFER_CACHE)."),
]
NoCache = Annotated[bool, typer.Option("--no-cache", help="Neither read nor write the cache.")]
OlderThan = Annotated[float | None, typer.Option("--older-than", help="Only entries older than DAYS.")]

# -- eval ---------------------------------------------------------------------------------------

K = Annotated[
    int, typer.Option("--k", min=1, help="Score the first K takeaways; baselines pick K sentences.")
]
Limit = Annotated[int | None, typer.Option(min=1, help="Only the first N valid rows.")]
Baselines = Annotated[
    bool, typer.Option("--baselines/--no-baselines", help="Also score Lead-K, LexRank-K and TextRank-K.")
]

EvalBriefs = Annotated[
    Path | None,
    typer.Option(
        "--briefs",
        help="Score the briefs in this JSONL (BriefResult lines with the row ids) instead of running an engine.",
    ),
]
Reference = Annotated[
    bool | None,
    typer.Option(
        "--reference/--no-reference",
        help="Check entity kinds and topics against spaCy (briefer[nlp]); default: when installed.",
        show_default=False,
    ),
]

# -- serve --------------------------------------------------------------------------------------

Host = Annotated[str, typer.Option(help="Address to listen on.")]
Port = Annotated[int, typer.Option(help="Port to listen on.")]
Workers = Annotated[int, typer.Option(min=1, help="Worker processes (uvicorn).")]
AllowUrlFetch = Annotated[
    bool, typer.Option("--allow-url-fetch", help="Accept {url} articles (public addresses only).")
]
Insecure = Annotated[
    bool, typer.Option("--insecure", help="Listen on a non-loopback address without a token.")
]
MaxBodyBytes = Annotated[int, typer.Option(min=1, help="Largest request body in bytes (413 above).")]
MaxInFlight = Annotated[int, typer.Option(min=1, help="Briefing requests at once per worker (429 above).")]
RequestTimeout = Annotated[float, typer.Option(min=0.001, help="Seconds per brief (504 after).")]
Grace = Annotated[
    float, typer.Option(min=0, help="On SIGTERM, seconds the requests in flight get to finish.")
]
