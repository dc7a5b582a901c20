"""One article at a time: ``brief``, ``verify``, ``tokens``, ``schema``."""

import sys
from typing import TYPE_CHECKING

import typer

from briefer.cli import options as o
from briefer.cli.command import announce_engine, command, say, write_markdown, write_output

if TYPE_CHECKING:
    from briefer.config import Settings
    from briefer.models import GroundingReport


@command(o.ENGINE, o.RUN, o.STATEMENTS)
def brief(
    input: o.Article,
    format: o.BriefFormat = "md",
    out: o.OutFile = None,
    strict: o.Strict = False,
    *,
    settings: "Settings",
) -> None:
    """Brief one article.

    With --statements, grounding also flags a claim whose every word is in the article when no
    sentence of it says the claim (as `briefer verify --statements` does), with the reason.

    Examples:

    \b
        briefer brief seeds/pakistan-taliban-warning.txt
        briefer brief story.html --format json --out story.brief.json
        curl -s https://example.com/story | briefer brief - -m gpt-4o
        briefer brief story.txt --base-url http://localhost:11434/v1 -m llama3.1
        briefer brief story.txt --statements --format json
    """
    from briefer.loading.articles import load_article
    from briefer.pipeline import brief_article
    from briefer.render import render

    article = load_article(input, allow_private=True)
    announce_engine(settings)
    _say_progress()
    result = brief_article(article, settings)
    (write_markdown if format == "md" else write_output)(render(result, format), out)
    for warning in result.provenance.warnings:
        say(f"warning: {warning}")
    if result.grounding is not None and not result.grounding.ok:
        _warn_flagged(result.grounding, strict)


def _say_progress() -> None:
    """Each request's step on stderr as it starts: a local model's brief takes minutes, said as they pass."""
    import logging

    class Say(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            say(f"step: {record.getMessage()}")

    logger = logging.getLogger("briefer.progress")
    if not logger.handlers:
        logger.addHandler(Say())
        logger.setLevel(logging.INFO)


def _warn_flagged(report: "GroundingReport", strict: bool) -> None:
    """Say what grounding flagged; with --strict, exit 3 (the brief is already written)."""
    say(f"warning: {len(report.flagged())} item(s) not backed by the article (marked ⚠)")
    if strict:
        raise typer.Exit(3)


@command()
def verify(
    brief_file: o.BriefFile,
    article: o.Article,
    format: o.ReportFormat = "text",
    statements: o.Statements = False,
) -> None:
    """Check a brief (from briefer, a person or another tool) against its article.

    A brief with fields missing (only a headline and takeaways, say) is checked for what it has;
    the report says which fields it checked. Each flagged item is shown whole, the words the
    article does not back marked »so«, a misquote with the article's closest wording.

    With --statements, a claim whose every word is in the article is also flagged when the
    article never says it in one sentence (a name moved onto another event, a "not" dropped),
    with the reason: it catches more wrong claims, and flags more right ones.

    Exit 0 when every quote, claim, name and number is backed by the article, 3 when anything
    is flagged, 2 on bad input.

    Examples:

    \b
        briefer verify story.brief.json story.txt
        briefer brief story.txt -f json | briefer verify - story.txt --format json
        briefer verify story.brief.json story.txt --statements
    """
    from pathlib import Path

    from briefer.api import parse_brief
    from briefer.api import verify as api_verify
    from briefer.errors import InputError
    from briefer.grounding import render_report_text
    from briefer.loading.articles import load_article
    from briefer.loading.decode import decode_bytes
    from briefer.render import exact_json, visible

    if brief_file == "-" and article == "-":
        raise InputError("the brief and the article cannot both come from stdin")
    if brief_file != "-" and not Path(brief_file).is_file():
        raise InputError(f"{brief_file}: no such file")
    raw = sys.stdin.buffer.read() if brief_file == "-" else Path(brief_file).read_bytes()
    source = load_article(article, allow_private=True)
    report = api_verify(parse_brief(decode_bytes(raw, brief_file), brief_file), source, statements)
    text = exact_json(report) if format == "json" else visible(render_report_text(report, source.text))
    write_output(text + "\n")
    if not report.ok:
        raise typer.Exit(3)


@command(o.MODEL)
def tokens(paths: o.Articles, format: o.ReportFormat = "text", *, settings: "Settings") -> None:
    """Exact token counts (tiktoken, offline) of the article text briefer would send.

    Examples:

    \b
        briefer tokens seeds/*.txt
        briefer tokens story.html -m gpt-4 --format json
    """
    import json

    from briefer.loading.articles import load_article
    from briefer.tokens import count_tokens, encoding_name_for_model, is_stand_in

    model = settings.model
    encoding, stand_in = encoding_name_for_model(model), is_stand_in(model)
    counts = [
        (path, count_tokens(load_article(path, check=False, allow_private=True).text, model))
        for path in paths
    ]
    if format == "json":
        rows = [{"input": path, "tokens": n} for path, n in counts]
        payload = {"model": model, "encoding": encoding, "stand_in": stand_in, "inputs": rows}
        write_output(json.dumps(payload, indent=2) + "\n")
        return
    if stand_in:
        say(f"{model}: tokenizer not known here; counted with {encoding} as a stand-in (its own will differ)")
    if len(counts) > 1:
        counts.append(("total", sum(n for _, n in counts)))
    width = max(len(str(n)) for _, n in counts)
    write_output("".join(f"{n:>{width}}  {path}\n" for path, n in counts))


@command()
def schema(of: o.SchemaOf = "result") -> None:
    """Print the JSON Schema of BriefResult (or of Brief).

    Examples:

    \b
        briefer schema > brief-result.schema.json
        briefer schema --of brief
    """
    import json

    from briefer.models import Brief, BriefResult

    model = BriefResult if of == "result" else Brief
    write_output(json.dumps(model.model_json_schema(), indent=2) + "\n")
