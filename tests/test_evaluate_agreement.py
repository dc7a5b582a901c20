"""briefer/evaluate/agreement.py: balanced accuracy, the tuned threshold, partial correlation."""

import math
import random

import numpy as np
import pytest

from briefer.evaluate.agreement import partial_correlation, pearson, ranks, tuned_threshold, verdicts


def test_balanced_accuracy_weighs_both_classes_equally() -> None:
    # 3 of 4 inconsistent flagged, 1 of 2 consistent flagged: (0.75 + 0.5) / 2
    flagged = [True, True, True, False, True, False]
    inconsistent = [True, True, True, True, False, False]
    v = verdicts(flagged, inconsistent)
    assert (v.balanced_accuracy, v.inconsistent_flagged, v.consistent_flagged) == (0.625, 0.75, 0.5)


def test_flagging_everything_is_chance_whatever_the_mix() -> None:
    assert verdicts([True] * 10, [True] * 9 + [False]).balanced_accuracy == 0.5


def test_a_class_with_no_items_counts_half_and_its_rate_is_nan() -> None:
    v = verdicts([True, True], [True, True])
    assert v.balanced_accuracy == 0.75 and math.isnan(v.consistent_flagged)


def test_tuned_threshold_separates_separable_scores() -> None:
    scores = [0.1, 0.2, 0.3, 0.8, 0.9]
    inconsistent = [True, True, True, False, False]
    t = tuned_threshold(scores, inconsistent)
    assert 0.3 < t <= 0.8
    assert verdicts([s < t for s in scores], inconsistent).balanced_accuracy == 1.0


def test_tuned_threshold_is_the_best_of_every_cut() -> None:
    rng = random.Random(7)
    scores = [round(rng.random(), 2) for _ in range(60)]
    inconsistent = [rng.random() < 0.4 + 0.3 * (s < 0.5) for s in scores]
    t = tuned_threshold(scores, inconsistent)
    best = max(verdicts([s < c for s in scores], inconsistent).balanced_accuracy for c in [*scores, 2.0])
    assert verdicts([s < t for s in scores], inconsistent).balanced_accuracy == pytest.approx(best)


def test_ranks_share_ties() -> None:
    assert ranks([10, 20, 20, 5]) == [2.0, 3.5, 3.5, 1.0]


def test_partial_correlation_matches_regression_on_one_hot_systems() -> None:
    rng = np.random.default_rng(3)
    groups = [f"s{i % 4}" for i in range(80)]
    effect = np.array([int(g[1]) for g in groups], dtype=float)
    x = effect + rng.normal(size=80)
    y = 2 * effect + 0.5 * x + rng.normal(size=80)
    design = np.column_stack([np.array([g == f"s{k}" for g in groups], dtype=float) for k in range(4)])
    rx = x - design @ np.linalg.lstsq(design, x, rcond=None)[0]
    ry = y - design @ np.linalg.lstsq(design, y, rcond=None)[0]
    expected = float(np.corrcoef(rx, ry)[0, 1])
    assert partial_correlation(list(x), list(y), groups) == pytest.approx(expected)
    assert partial_correlation(list(x), list(y), groups) < pearson(list(x), list(y)), (
        "the system effect removed"
    )


def test_partial_spearman_is_pearson_on_ranks() -> None:
    x, y, groups = [1.0, 5.0, 2.0, 9.0, 3.0, 4.0], [0.0, 1.0, 0.5, 1.0, 0.2, 0.9], list("aabbcc")
    assert partial_correlation(x, y, groups, rank=True) == pytest.approx(
        partial_correlation(ranks(x), ranks(y), groups)
    )


def test_constant_scores_correlate_with_nothing() -> None:
    assert math.isnan(partial_correlation([1.0] * 4, [0.0, 1.0, 0.0, 1.0], list("abab")))
