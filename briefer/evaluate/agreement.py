"""How far a checker agrees with people: balanced accuracy and partial correlation.

The field's conventions (FRANK, AggreFact): a verdict is scored by balanced accuracy against
*consistent* (so a checker cannot look good by flagging everything on a set that is mostly
wrong), a continuous score by its threshold tuned for balanced accuracy on the same split, and
by its partial correlation with the human score controlling for the summarising system (so it
is not credited for telling a good system from a bad one, only good summaries from bad ones).
Pure Python: a few hundred items, no numpy needed at run time.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Verdicts:
    """A binary checker against people: flagging inconsistent summaries is a hit."""

    balanced_accuracy: float
    inconsistent_flagged: float
    consistent_flagged: float


def verdicts(flagged: Sequence[bool], inconsistent: Sequence[bool]) -> Verdicts:
    """Balanced accuracy and the two flag rates; a class with no items counts as half right."""
    bad = [f for f, i in zip(flagged, inconsistent, strict=True) if i]
    good = [f for f, i in zip(flagged, inconsistent, strict=True) if not i]
    hit = sum(bad) / len(bad) if bad else math.nan
    false_alarm = sum(good) / len(good) if good else math.nan
    halves = [0.5 if math.isnan(r) else r for r in (hit, 1 - false_alarm)]
    return Verdicts(sum(halves) / 2, hit, false_alarm)


def tuned_threshold(scores: Sequence[float], inconsistent: Sequence[bool]) -> float:
    """The threshold t (flag when score < t) with the best balanced accuracy on these items."""
    bad_total = sum(inconsistent) or 1
    good_total = (len(inconsistent) - sum(inconsistent)) or 1
    pairs = sorted(zip(scores, inconsistent, strict=True))
    best, best_t = -1.0, pairs[0][0] if pairs else 0.0
    bad_below = good_below = 0
    for k, (score, is_bad) in enumerate(pairs):
        if k == 0 or score != pairs[k - 1][0]:  # flag everything strictly below `score`
            accuracy = (bad_below / bad_total + 1 - good_below / good_total) / 2
            if accuracy > best:
                best, best_t = accuracy, score
        bad_below += is_bad
        good_below += not is_bad
    if (bad_below / bad_total + 1 - good_below / good_total) / 2 > best:
        best_t = math.inf  # flag everything
    return best_t


def ranks(values: Sequence[float]) -> list[float]:
    """1-based ranks, ties sharing their mean rank (as Spearman's correlation wants)."""
    order = sorted(range(len(values)), key=lambda i: values[i])
    result = [0.0] * len(values)
    start = 0
    while start < len(order):
        end = start
        while end + 1 < len(order) and values[order[end + 1]] == values[order[start]]:
            end += 1
        for k in range(start, end + 1):
            result[order[k]] = (start + end) / 2 + 1
        start = end + 1
    return result


def _within_group(values: Sequence[float], groups: Sequence[str]) -> list[float]:
    """Residuals of ``values`` regressed on the groups (one-hot): each value less its group's mean."""
    sums: dict[str, float] = defaultdict(float)
    counts: dict[str, int] = defaultdict(int)
    for v, g in zip(values, groups, strict=True):
        sums[g] += v
        counts[g] += 1
    return [v - sums[g] / counts[g] for v, g in zip(values, groups, strict=True)]


def pearson(x: Sequence[float], y: Sequence[float]) -> float:
    """Pearson's r; NaN when either side does not vary."""
    n = len(x)
    if n < 2:
        return math.nan
    mx, my = sum(x) / n, sum(y) / n
    sxy = sum((a - mx) * (b - my) for a, b in zip(x, y, strict=True))
    sxx = sum((a - mx) ** 2 for a in x)
    syy = sum((b - my) ** 2 for b in y)
    return sxy / math.sqrt(sxx * syy) if sxx > 0 and syy > 0 else math.nan


def partial_correlation(
    x: Sequence[float], y: Sequence[float], groups: Sequence[str], *, rank: bool = False
) -> float:
    """Correlation of x and y with the groups' effect removed (Spearman's when ``rank``)."""
    if rank:
        x, y = ranks(x), ranks(y)
    return pearson(_within_group(x, groups), _within_group(y, groups))
