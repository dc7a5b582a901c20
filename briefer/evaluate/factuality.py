"""``briefer eval-factuality``: briefer's grounding against people's judgements, next to published metrics.

Each judged summary's sentences are checked as a brief's claims against their article
(``briefer.grounding.check_claims``). briefer's verdict flags a summary when any sentence is
flagged; its score (for the correlations) is the mean of its claims' scores: the share of each
sentence that one article sentence holds (``briefer.grounding.context.best_sentence``). The row
"briefer statements" checks the claims again with the opt-in statement check on
(``briefer.grounding.statement``); its score is 1 - the riskiest claim's risk. Every published metric in the file is
scored beside it, its threshold tuned on the same items (``agreement``). Figures are given for
all summaries, by dataset, and, for the inconsistent ones, by FRANK's error kind.
"""

from __future__ import annotations

import hashlib
import math
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from statistics import fmean
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, Field

from briefer.evaluate.agreement import partial_correlation, tuned_threshold, verdicts
from briefer.evaluate.data import BadLine
from briefer.evaluate.frank import JudgedArticle, JudgedSummary, article_casing, load_judged, readable
from briefer.grounding import check_claims
from briefer.grounding.index import index_article

if TYPE_CHECKING:
    from rich.table import Table

BRIEFER = "briefer"
STATEMENTS = "briefer statements"
"""briefer's verdict with the calibrated statement check on (``grounding.statement``); its score is 1 - the worst claim's risk."""
BRIEFER_SCORE = "briefer score"
"""briefer's score with a threshold tuned like the published metrics': what the score could tell, not the verdict."""
STATEMENTS_SCORE = "briefer risk"
"""1 - the riskiest claim's risk, its threshold tuned the same way."""
Half = Literal["all", "tune", "held-out"]


@dataclass(frozen=True)
class Scored:
    """One judged summary with every checker's verdict (True: flagged) and score (higher: more consistent)."""

    dataset: str
    system: str
    summary: JudgedSummary
    flagged: dict[str, bool]
    scores: dict[str, float]
    problems: list[str]


class CheckerScore(BaseModel):
    checker: str
    summaries: int
    balanced_accuracy: float | None
    inconsistent_flagged: float | None
    consistent_flagged: float | None
    threshold: float | None = Field(description="Flag below this score; null for briefer's own verdict.")
    partial_pearson: float | None = Field(description="With factuality, controlling for the system.")
    partial_spearman: float | None


class SliceScore(BaseModel):
    name: str = Field(description="'all' or a dataset ('cnndm', 'bbc').")
    summaries: int
    inconsistent: int
    checkers: list[CheckerScore]
    by_error: dict[str, dict[str, float]] = Field(
        description="Per FRANK error kind: its number of summaries ('summaries') and each checker's share flagged."
    )


class FactualityReport(BaseModel):
    data: str
    half: Half
    thresholds_tuned_on: Literal["these summaries", "the tune half"] = Field(
        description="Where the published metrics' thresholds were tuned: held-out figures use the tune half's."
    )
    articles: int
    summaries: int
    grounding_ms_per_article: float
    slices: list[SliceScore]
    bad_lines: list[BadLine]


def in_half(article_id: str, half: Half) -> bool:
    """The fixed split: an article is in 'tune' when the SHA-256 of its id starts with an even byte."""
    if half == "all":
        return True
    tune = hashlib.sha256(article_id.encode()).digest()[0] % 2 == 0
    return tune == (half == "tune")


def score_article(article: JudgedArticle) -> Iterator[Scored]:
    """Every summary of ``article`` with briefer's verdict and the published metrics' scores."""
    casing = article_casing(article.text)
    indexed = index_article(article.text)  # once for all its summaries, checked twice each
    for summary in article.summaries:
        claims = [readable(s, casing) for s in summary.sentences]
        checks = check_claims(claims, indexed)
        doubted = check_claims(claims, indexed, statements=True)
        score = fmean(c.score for c in checks)
        risk = max(c.risk or 0.0 for c in checks)
        yield Scored(
            dataset=article.dataset,
            system=summary.system,
            summary=summary,
            flagged={
                BRIEFER: not all(c.supported for c in checks),
                STATEMENTS: not all(c.supported for c in doubted),
            },
            scores={
                BRIEFER: score,
                STATEMENTS: 1 - risk,
                BRIEFER_SCORE: score,
                STATEMENTS_SCORE: 1 - risk,
                **summary.published_metrics,
            },
            problems=[p for c in doubted for p in c.problems],
        )


def _none(value: float) -> float | None:
    return None if math.isnan(value) else round(value, 3)


def tuned_thresholds(items: list[Scored]) -> dict[str, float]:
    """Each scoring checker's threshold with the best balanced accuracy on ``items``."""
    names = dict.fromkeys(n for s in items for n in s.scores if n not in (BRIEFER, STATEMENTS))
    return {
        name: tuned_threshold(
            [s.scores[name] for s in items if name in s.scores],
            [not s.summary.consistent for s in items if name in s.scores],
        )
        for name in names
    }


def _checker(name: str, items: list[Scored], threshold: float | None) -> tuple[CheckerScore, list[bool]]:
    """One checker on ``items`` (those it scored), and its verdict on each (None: its own verdict)."""
    items = [s for s in items if name in s.scores]
    inconsistent = [not s.summary.consistent for s in items]
    scores = [s.scores[name] for s in items]
    flagged = [s.flagged[name] if threshold is None else s.scores[name] < threshold for s in items]
    agreement = verdicts(flagged, inconsistent)
    human, systems = [s.summary.factuality for s in items], [s.system for s in items]
    return CheckerScore(
        checker=name,
        summaries=len(items),
        balanced_accuracy=_none(agreement.balanced_accuracy),
        inconsistent_flagged=_none(agreement.inconsistent_flagged),
        consistent_flagged=_none(agreement.consistent_flagged),
        threshold=None if threshold is None or math.isinf(threshold) else round(threshold, 4),
        partial_pearson=_none(partial_correlation(scores, human, systems)),
        partial_spearman=_none(partial_correlation(scores, human, systems, rank=True)),
    ), flagged


def score_slice(name: str, items: list[Scored], thresholds: dict[str, float] | None = None) -> SliceScore:
    """All checkers on ``items``, and the share of each error kind's summaries each one flags.

    Scores are thresholded at ``thresholds`` (tuned elsewhere), else at those tuned on ``items``.
    """
    thresholds = {**tuned_thresholds(items), **(thresholds or {})}
    names = list(dict.fromkeys(n for s in items for n in s.scores))
    checkers: list[CheckerScore] = []
    by_error: dict[str, dict[str, float]] = {}
    for checker in names:
        score, flagged = _checker(checker, items, thresholds.get(checker))
        checkers.append(score)
        scored = [s for s in items if checker in s.scores]
        for kind in sorted({e for s in scored for e in s.summary.errors}):
            hits = [f for f, s in zip(flagged, scored, strict=True) if kind in s.summary.errors]
            row = by_error.setdefault(kind, {"summaries": len(hits)})
            row[checker] = round(fmean(hits), 3)
    return SliceScore(
        name=name,
        summaries=len(items),
        inconsistent=sum(not s.summary.consistent for s in items),
        checkers=checkers,
        by_error=by_error,
    )


def evaluate_factuality(path: Path, half: Half = "all") -> tuple[FactualityReport, list[Scored]]:
    """Score every summary of the file's articles in ``half``; the report and each summary's verdicts."""
    judged = load_judged(path)
    articles = [a for a in judged.articles if in_half(a.id, half)]
    started = time.perf_counter()
    scored = [s for article in articles for s in score_article(article)]
    elapsed = time.perf_counter() - started
    tuning = scored
    if half == "held-out":
        tuning = [s for a in judged.articles if in_half(a.id, "tune") for s in score_article(a)]
    datasets = list(dict.fromkeys(s.dataset for s in scored))
    parts = [
        (d, [s for s in scored if s.dataset == d], [s for s in tuning if s.dataset == d]) for d in datasets
    ]
    if len(datasets) > 1:
        parts.append(("all", scored, tuning))
    slices = [score_slice(name, items, tuned_thresholds(tune)) for name, items, tune in parts]
    report = FactualityReport(
        data=str(path),
        half=half,
        thresholds_tuned_on="the tune half" if half == "held-out" else "these summaries",
        articles=len(articles),
        summaries=len(scored),
        grounding_ms_per_article=round(1000 * elapsed / max(1, len(articles)), 1),
        slices=slices,
        bad_lines=judged.bad_lines,
    )
    return report, scored


def _cell(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def render_factuality(report: FactualityReport) -> list[Table]:
    """One table a slice (checkers as rows), then one of the error kinds (share flagged)."""
    from rich.table import Table

    tables = []
    for part in report.slices:
        table = Table(
            title=f"{part.name}: {part.summaries} summaries, {part.inconsistent} inconsistent",
            caption=f"scores: threshold tuned on {report.thresholds_tuned_on}; partial r: controlling for the system",
        )
        for column in ("checker", "bal. acc.", "incons. flagged", "cons. flagged", "partial r", "partial ρ"):
            table.add_column(column, justify="left" if column == "checker" else "right")
        for c in part.checkers:
            table.add_row(
                c.checker,
                *map(_cell, (c.balanced_accuracy, c.inconsistent_flagged, c.consistent_flagged)),
                *map(_cell, (c.partial_pearson, c.partial_spearman)),
            )
        tables.append(table)
        tables.append(_errors_table(part))
    return tables


def _errors_table(part: SliceScore) -> Table:
    from rich.table import Table

    checkers = [c.checker for c in part.checkers]
    table = Table(title=f"{part.name}: share of the summaries with each error kind that are flagged")
    for column in ("error kind", "summaries", *checkers):
        table.add_column(column, justify="left" if column == "error kind" else "right")
    for kind, row in part.by_error.items():
        table.add_row(kind, str(int(row["summaries"])), *(_cell(row.get(c)) for c in checkers))
    return table
