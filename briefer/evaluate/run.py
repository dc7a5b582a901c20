"""``briefer eval``: the engine and the baselines over the same rows, scored, reported."""

from __future__ import annotations

import importlib.util
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, nullcontext
from pathlib import Path
from statistics import fmean
from typing import TYPE_CHECKING, Literal, TextIO

from pydantic import BaseModel, Field

from briefer.config import Settings
from briefer.engines import Engine, make_engine
from briefer.errors import BrieferError, ConfigError, EngineError, InputError
from briefer.evaluate.baselines import BASELINES, ROUGE_TYPES, article_sentences, rouge
from briefer.evaluate.data import BadLine, Dataset, EvalRow, load_rows
from briefer.models import Failure
from briefer.pipeline import summarise_article

if TYPE_CHECKING:
    from rich.console import Console
    from rich.table import Table


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
            failure = Failure(id=row.id, reason=str(exc), raw_answer=getattr(exc, "raw_answer", None))
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
    show = console.is_terminal  # a log gets one line per failure, not a bar
    with sink as out, _progress(console, len(dataset.rows), show) as tick:

        def on_article(row: EvalRow, failure: Failure | None) -> None:
            tick()
            if failure is not None:
                say(f"{row.id}: failed: {failure.reason}")

        report = evaluate(dataset, engine, settings, k=k, baselines=baselines, out=out, on_article=on_article)
    if len(report.failures) == report.articles:  # a table of zeros would hide a broken set-up
        raise EngineError(
            f"the engine failed on all {report.articles} articles; first: {report.failures[0].reason}"
        )
    if out_path is not None:
        say(f"wrote {len(dataset.rows) - len(report.failures)} briefs to {out_path}")
    return report


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
