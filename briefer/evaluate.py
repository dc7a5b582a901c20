"""ROUGE evaluation against human-written highlights, with baselines scored in the same run.

Every claim about summary quality should be reproducible with one command. The engine under
test and the Lead-k, LexRank-k and TextRank-k baselines therefore see the same articles and
the same scorer (rouge-score, stemmed, ROUGE-Lsum over one sentence per line), and the
baselines pick from the body sentences the offline engine itself works on
(``briefer.engines.extractive.layout``: "(CNN)" datelines, Daily Mail bylines and page furniture removed,
``briefer.text.sentences`` segmentation), so the table compares systems, not set-ups.

Rows are JSON objects, one a line: ``{"id", "text", "highlights": [...], "title"?}`` — the format
of the CNN/DailyMail and BBC samples. A row with a ``title`` whose text starts with it (BBC) is
split into title and body: every system sees the body and Lead-k really is the first k body
sentences; the engine also gets the title as the article's metadata.
"""

from __future__ import annotations

import importlib.util
import json
import re
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from statistics import fmean
from typing import TYPE_CHECKING, Any, Literal, TextIO

from pydantic import BaseModel, Field

from briefer.config import Settings
from briefer.engines import Engine, make_engine
from briefer.engines.extractive.layout import parse
from briefer.errors import BrieferError, ConfigError, EngineError, InputError
from briefer.loading.articles import check_article_text
from briefer.models import Article
from briefer.pipeline import summarise_article

if TYPE_CHECKING:
    from rich.console import Console
    from rich.table import Table

ROUGE_TYPES = ("rouge1", "rouge2", "rougeLsum")


@dataclass(frozen=True)
class EvalRow:
    id: str
    text: str
    highlights: list[str]
    title: str | None = None

    def article(self) -> Article:
        return Article(text=self.text, title=self.title)


class BadLine(BaseModel):
    line: int
    error: str


class Failure(BaseModel):
    id: str
    error: str


@dataclass
class Dataset:
    source: str
    rows: list[EvalRow]
    bad_lines: list[BadLine]


class SystemScore(BaseModel):
    system: str
    kind: Literal["engine", "baseline"]
    articles: int
    failures: int = 0
    rouge1: float
    rouge2: float
    rougeLsum: float
    articles_per_s: float | None = Field(description="Articles / wall-clock seconds, segmentation included.")


class EvalReport(BaseModel):
    """What ``briefer eval`` measured: mean F1 ×100 per system over the same articles."""

    data: str
    articles: int
    k: int
    engine: str
    model: str
    prompt: str | None = Field(
        description="name@version of the engine's prompt; null for the extractive engine."
    )
    cost_usd: float | None = Field(description="Total engine cost; null when the model's price is unknown.")
    systems: list[SystemScore]
    failures: list[Failure]
    bad_lines: list[BadLine]


# ---------------------------------------------------------------- loading


def _parse_row(line: str) -> EvalRow:
    """One row, or ValueError saying what is wrong with it (reported with its line number)."""
    try:
        data = json.loads(line)
    except json.JSONDecodeError as exc:
        raise ValueError(f"not JSON ({exc.msg})") from exc
    if not isinstance(data, dict):
        raise ValueError("not a JSON object")
    row_id, text, highlights, title = (data.get(key) for key in ("id", "text", "highlights", "title"))
    if not isinstance(row_id, str | int) or isinstance(row_id, bool) or str(row_id) == "":
        raise ValueError("'id' must be a non-empty string")
    if not isinstance(text, str):
        raise ValueError("'text' must be a string")
    if not (
        isinstance(highlights, list)
        and highlights
        and all(isinstance(h, str) and h.strip() for h in highlights)
    ):
        raise ValueError("'highlights' must be a non-empty list of non-empty strings")
    if title is not None and not isinstance(title, str):
        raise ValueError("'title' must be a string")
    if title and text.startswith(title):
        text = text[len(title) :].strip()
    try:
        check_article_text(text, where="'text'")
    except InputError as exc:
        raise ValueError(str(exc)) from exc
    return EvalRow(id=str(row_id), text=text, highlights=highlights, title=title or None)


def load_rows(path: Path, limit: int | None = None) -> Dataset:
    """The first ``limit`` valid rows of a JSONL file; bad lines are collected, not fatal."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a directory, not a JSONL file") from None
    except UnicodeDecodeError:
        raise InputError(f"{path}: not UTF-8 text; expected JSON lines") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror})") from None
    rows: list[EvalRow] = []
    bad: list[BadLine] = []
    seen: set[str] = set()
    for lineno, line in enumerate(lines, start=1):
        if limit is not None and len(rows) >= limit:
            break
        if not line.strip():
            continue
        try:
            row = _parse_row(line)
            if row.id in seen:
                raise ValueError(f"duplicate id {row.id!r}")
        except ValueError as exc:
            bad.append(BadLine(line=lineno, error=str(exc)))
            continue
        seen.add(row.id)
        rows.append(row)
    if not rows:
        first = f"; line {bad[0].line}: {bad[0].error} ({len(bad)} bad lines)" if bad else ""
        raise InputError(f"{path}: no valid rows{first}")
    return Dataset(source=str(path), rows=rows, bad_lines=bad)


# ---------------------------------------------------------------- scoring


@cache
def _scorer() -> Any:
    from rouge_score import rouge_scorer

    return rouge_scorer.RougeScorer(list(ROUGE_TYPES), use_stemmer=True)


def _one_line(text: str) -> str:
    return " ".join(text.split())


def rouge(summary: Sequence[str], highlights: Sequence[str]) -> dict[str, float]:
    """F1 ×100 of ``summary`` sentences against ``highlights``, one sentence a line (for Lsum)."""
    target = "\n".join(_one_line(h) for h in highlights)
    prediction = "\n".join(_one_line(s) for s in summary)
    scores = _scorer().score(target, prediction)
    return {name: scores[name].fmeasure * 100 for name in ROUGE_TYPES}


# ---------------------------------------------------------------- baselines


_WORD = re.compile(r"\w+(?:['’]\w+)*")


class _WordTokenizer:
    """sumy's own tokenizer needs NLTK's punkt data, a download. Sentences come from briefer's
    segmentation (the document is built from them), so sumy only ever asks for words."""

    def to_words(self, sentence: str) -> tuple[str, ...]:
        return tuple(_WORD.findall(sentence))


@cache
def _sumy(name: str) -> Any:
    from sumy.nlp.stemmers import Stemmer
    from sumy.summarizers.lex_rank import LexRankSummarizer
    from sumy.summarizers.text_rank import TextRankSummarizer
    from sumy.utils import get_stop_words

    summarizer = {"LexRank": LexRankSummarizer, "TextRank": TextRankSummarizer}[name](Stemmer("english"))
    summarizer.stop_words = get_stop_words("english")
    return summarizer


def _sumy_pick(name: str, sents: list[str], k: int) -> list[str]:
    from sumy.models.dom import ObjectDocumentModel, Paragraph, Sentence

    tokenizer = _WordTokenizer()
    document = ObjectDocumentModel([Paragraph([Sentence(s, tokenizer) for s in sents])])
    return [str(s) for s in _sumy(name)(document, k)]


def lead(sents: list[str], k: int) -> list[str]:
    return sents[:k]


def lexrank(sents: list[str], k: int) -> list[str]:
    return _sumy_pick("LexRank", sents, k)


def textrank(sents: list[str], k: int) -> list[str]:
    return _sumy_pick("TextRank", sents, k)


BASELINES: dict[str, Callable[[list[str], int], list[str]]] = {
    "Lead": lead,
    "LexRank": lexrank,
    "TextRank": textrank,
}


def article_sentences(text: str, title: str | None = None) -> list[str]:
    """The body sentences every baseline picks from, as the offline engine parses them: a
    Lead-3 that starts with "By . Daily Mail Reporter . PUBLISHED: ..." would be a straw man."""
    return [_one_line(sentence) for sentence in parse(text, title).body_sentences()]


# ---------------------------------------------------------------- running


def engine_label(engine: Engine) -> str:
    return f"briefer {engine.name}" + (f" ({engine.model})" if engine.capabilities.llm else "")


def estimate_cost(rows: Sequence[EvalRow], settings: Settings, engine: Engine | None = None) -> str:
    """One line, before any request is made: tokens and dollars, so runs of prompts and models can be
    compared before paying for them. Same cost model as ``briefer estimate`` (map-reduce included)."""
    from briefer.estimate import estimate
    from briefer.loading.inputs import BatchItem

    items = [BatchItem(id=row.id, origin=row.id, text=row.text, title=row.title) for row in rows]
    result = estimate(items, settings, engine=engine)
    cost = (
        "unknown (no price for this model/server)" if result.cost_usd is None else f"~${result.cost_usd:.4f}"
    )
    return (
        f"estimate for {result.articles} articles on {result.model}: {result.requests:,} requests, "
        f"{result.prompt_tokens:,} input + ~{result.completion_tokens:,} output tokens; cost {cost}"
    )


def evaluate(
    dataset: Dataset,
    engine: Engine,
    settings: Settings,
    *,
    k: int = 3,
    baselines: bool = True,
    out: TextIO | None = None,
    on_article: Callable[[EvalRow, Failure | None], None] | None = None,
) -> EvalReport:
    """Run ``engine`` (and the baselines) on every row and score the first ``k`` takeaways.

    An engine failure (a ``BrieferError``) is recorded and scores 0, so every system is averaged
    over the same articles; anything else is a bug and propagates. ``out`` gets one BriefResult
    JSON per line, ``id`` set, for other scorers to check the numbers.
    """
    label = engine_label(engine)
    scores: dict[str, list[dict[str, float]]] = {label: []}
    elapsed: dict[str, float] = {label: 0.0}
    if baselines:
        for name in BASELINES:
            scores[f"{name}-{k}"], elapsed[f"{name}-{k}"] = [], 0.0
    failures: list[Failure] = []
    total_cost: float | None = 0.0
    model, prompt = settings.model, None
    for row in dataset.rows:
        failure = None
        started = time.perf_counter()
        try:
            result = summarise_article(row.article(), settings, engine)
        except BrieferError as exc:
            elapsed[label] += time.perf_counter() - started
            failure = Failure(id=row.id, error=str(exc))
            failures.append(failure)
            scores[label].append(dict.fromkeys(ROUGE_TYPES, 0.0))
        else:
            elapsed[label] += time.perf_counter() - started
            result = result.model_copy(update={"id": row.id})
            if out is not None:
                out.write(result.model_dump_json() + "\n")
                out.flush()
            scores[label].append(rouge(result.brief.key_takeaways[:k], row.highlights))
            model, prompt, cost = (
                result.provenance.model,
                result.provenance.prompt,
                result.provenance.cost_usd,
            )
            total_cost = None if total_cost is None or cost is None else total_cost + cost
        if baselines:
            started = time.perf_counter()
            sents = article_sentences(row.text, row.title)
            segmenting = time.perf_counter() - started
            for name, pick in BASELINES.items():
                started = time.perf_counter()
                summary = pick(sents, k)
                elapsed[f"{name}-{k}"] += segmenting + time.perf_counter() - started
                scores[f"{name}-{k}"].append(rouge(summary, row.highlights))
        if on_article is not None:
            on_article(row, failure)
    systems = [
        SystemScore(
            system=name,
            kind="engine" if name == label else "baseline",
            articles=len(per_article),
            failures=len(failures) if name == label else 0,
            articles_per_s=round(len(per_article) / elapsed[name], 2) if elapsed[name] > 0 else None,
            **{t: round(fmean(s[t] for s in per_article), 4) for t in ROUGE_TYPES},
        )
        for name, per_article in scores.items()
    ]
    return EvalReport(
        data=dataset.source,
        articles=len(dataset.rows),
        k=k,
        engine=engine.name,
        model=model,
        prompt=prompt,
        cost_usd=round(total_cost, 6) if total_cost is not None else None,
        systems=systems,
        failures=failures,
        bad_lines=dataset.bad_lines,
    )


@contextmanager
def _progress(console: Console, total: int, show: bool) -> Iterator[Callable[[], None]]:
    """A rich progress bar on ``console`` (stderr); a no-op tick when not shown."""
    if not show:
        yield lambda: None
        return
    from briefer.progress import progress_bar

    with progress_bar(console, "eval", transient=True) as progress:
        task = progress.add_task("eval", total=total)
        yield lambda: progress.advance(task)


def run_eval(
    path: Path,
    settings: Settings,
    console: Console,
    *,
    engine: Engine | None = None,
    k: int = 3,
    limit: int | None = None,
    out_path: Path | None = None,
    baselines: bool = True,
) -> EvalReport:
    """``briefer eval``: load, warn about bad lines, estimate cost (LLM), run with progress, report.

    Diagnostics go to ``console`` (stderr in the CLI); the report is the caller's to render.
    """

    def say(message: str) -> None:
        console.print(f"briefer: {message}", markup=False, highlight=False, soft_wrap=True)

    missing = [name for name in ("rouge_score", "sumy") if importlib.util.find_spec(name) is None]
    if missing:  # optional dependencies: the core install does not need them
        raise ConfigError(f"briefer eval needs {' and '.join(missing)}: pip install 'briefer[eval]'")
    dataset = load_rows(path, limit)
    for bad in dataset.bad_lines:
        say(f"{path}:{bad.line}: skipped: {bad.error}")
    engine = engine or make_engine(settings)
    if engine.capabilities.llm:
        say(estimate_cost(dataset.rows, settings, engine))
    elif settings.offline_by_default:
        say("no OPENAI_API_KEY or --base-url set, so evaluating the offline extractive engine")
    try:
        sink = nullcontext(None) if out_path is None else out_path.open("w", encoding="utf-8")
    except OSError as exc:
        raise InputError(f"{out_path}: cannot write ({exc.strerror})") from None
    show = engine.capabilities.llm or console.is_terminal
    with sink as out, _progress(console, len(dataset.rows), show) as tick:

        def on_article(row: EvalRow, failure: Failure | None) -> None:
            tick()
            if failure is not None:
                say(f"{row.id}: failed: {failure.error}")

        report = evaluate(dataset, engine, settings, k=k, baselines=baselines, out=out, on_article=on_article)
    if len(report.failures) == report.articles:  # a table of zeros would hide a broken set-up
        raise EngineError(
            f"the engine failed on all {report.articles} articles; first: {report.failures[0].error}"
        )
    if out_path is not None:
        say(f"wrote {len(dataset.rows) - len(report.failures)} briefs to {out_path}")
    return report


# ---------------------------------------------------------------- rendering


def render_table(report: EvalReport) -> Table:
    from rich.table import Table

    caption = "rouge-score, stemmed; Lsum: one sentence a line\nan engine failure scores 0"
    if report.prompt is not None:  # an LLM was asked: say with what, and what it cost
        cost = "unknown" if report.cost_usd is None else f"${report.cost_usd:.4f}"
        caption += f"\nprompt {report.prompt}, model {report.model}, cost {cost}"
    table = Table(
        title=f"{Path(report.data).name}: {report.articles} articles, ROUGE F1 ×100 of the first {report.k}",
        caption=caption,
    )
    for column in ("system", "R-1", "R-2", "R-Lsum", "articles/s", "failures"):
        table.add_column(column, justify="left" if column == "system" else "right")
    for s in report.systems:
        speed = "-" if s.articles_per_s is None else f"{s.articles_per_s:,.1f}"
        table.add_row(
            s.system, f"{s.rouge1:.2f}", f"{s.rouge2:.2f}", f"{s.rougeLsum:.2f}", speed, str(s.failures)
        )
    return table


def render_json(report: EvalReport) -> str:
    return report.model_dump_json(indent=2)
