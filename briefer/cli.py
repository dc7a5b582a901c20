"""The ``briefer`` command: argument parsing and rendering over the library API, nothing else.

Exit codes: 0 success · 1 the engine/LLM failed · 2 bad input, flag or configuration ·
130 interrupted. Output goes to stdout, diagnostics to stderr, so pipes stay clean.
"""

from __future__ import annotations

import functools
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, Literal, TypeVar

import typer

from briefer.errors import BrieferError

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
    engine: Annotated[
        Literal["auto", "openai", "extractive"],
        typer.Option(
            help="auto: the LLM when a key or --base-url is set, else the offline extractive engine."
        ),
    ] = "auto",
    model: Model = None,
    base_url: BaseUrl = None,
    prompt: Annotated[
        str | None, typer.Option(help="Prompt NAME or NAME@VERSION (default: latest 'brief').")
    ] = None,
    prompts_dir: PromptsDir = None,
    max_chunk_tokens: Annotated[
        int | None,
        typer.Option(help="Longer articles are summarised map-reduce (default: from the model's context)."),
    ] = None,
    structured: Annotated[
        Literal["auto", "json_schema", "json_object", "text"],
        typer.Option(help="How to ask for JSON; auto falls back when the server rejects json_schema."),
    ] = "auto",
    max_repairs: Annotated[int, typer.Option(help="Validation-repair rounds fed back to the model.")] = 2,
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
        timeout_s=timeout,
    )
    article = load_article(input)
    if settings.engine_name == "extractive" and settings.engine == "auto":
        typer.echo(
            "briefer: no OPENAI_API_KEY or --base-url set, so using the offline extractive engine; "
            "set one to brief with an LLM.",
            err=True,
        )
    result = summarise_article(article, settings)
    _write_output(render(result, format), out)


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
    data: Annotated[Path, typer.Argument(help="JSONL rows {id, text, highlights: [...]}, e.g. cnndm_dev.jsonl.")],
    engine: Annotated[
        Literal["auto", "openai", "extractive"],
        typer.Option(help="auto: the LLM when a key or --base-url is set, else the offline extractive engine."),
    ] = "auto",
    model: Model = None,
    base_url: BaseUrl = None,
    prompt: Annotated[str | None, typer.Option(help="Prompt NAME or NAME@VERSION (default: latest 'brief').")] = None,
    prompts_dir: PromptsDir = None,
    k: Annotated[int, typer.Option("--k", min=1, help="Score the first K takeaways; baselines pick K sentences.")] = 3,
    limit: Annotated[int | None, typer.Option(min=1, help="Only the first N valid rows.")] = None,
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="Write each BriefResult (with its row id) to FILE as JSONL.")
    ] = None,
    format: Annotated[Literal["table", "json"], typer.Option("--format", "-f", help="Output format.")] = "table",
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

    settings = _settings(engine=engine, model=model, base_url=base_url, prompt=prompt, prompts_dir=prompts_dir)
    report = run_eval(data, settings, Console(stderr=True), k=k, limit=limit, out_path=out, baselines=baselines)
    if format == "json":
        _write_output(render_json(report) + "\n", None)
    else:
        Console().print(render_table(report))


def main() -> None:
    app()
