"""Refit the statement check's weights (briefer/grounding/statement_weights.json) on FRANK's tune half.

Run: .venv/bin/python benchmarks/fit_statements.py ../shared/eval/frank_valid.jsonl [--write]

Each judged summary of the tune half (``briefer.evaluate.factuality.in_half``) of one dataset
(CNN/DM: summaries that reuse the article's words, what the check can judge) is measured claim
by claim (``briefer.grounding.statement.measure``); a summary takes each feature's worst value
over its claims (the lowest ``together``, the highest of the rest), since one wrong sentence
makes it inconsistent. A logistic regression (standardised features, classes weighted equally,
a little L2) is fitted by gradient descent in pure Python. The threshold is the risk with the
best balanced accuracy of today's verdict joined with "doubtful" (claims at most MAX_UNSEEN new
to the article) among those flagging at most MAX_FALSE_ALARMS of the consistent summaries.
The held-out half is never read: confirm there with ``briefer eval-factuality --half held-out``.
"""

from __future__ import annotations

import argparse
import json
import math
from pathlib import Path
from statistics import fmean, pstdev

from briefer.evaluate.factuality import in_half
from briefer.evaluate.frank import article_casing, load_judged, readable
from briefer.grounding.claims import check_claim
from briefer.grounding.index import index_article
from briefer.grounding.statement import Model, measure

WEIGHTS = Path(__file__).resolve().parents[1] / "briefer" / "grounding" / "statement_weights.json"
VERSION = 1
L2 = 1.0
STEPS = 3000
RATE = 0.5
MAX_UNSEEN = 0.1
MAX_FALSE_ALARMS = 0.1
"""The issue's bound on consistent summaries flagged."""


Row = tuple[dict[str, float], bool, bool, list[dict[str, float]]]


def summary_rows(path: Path, dataset: str) -> list[Row]:
    """(worst features, inconsistent, flagged today, each claim's features) per tune summary of ``dataset``."""
    rows = []
    for judged in load_judged(path).articles:
        if judged.dataset != dataset or not in_half(judged.id, "tune"):
            continue
        article, casing = index_article(judged.text), article_casing(judged.text)
        for summary in judged.summaries:
            claims = [readable(s, casing) for s in summary.sentences]
            each = [measure(c, article).features for c in claims]
            worst = {n: (min if n == "together" else max)(f[n] for f in each) for n in each[0]}
            flagged = any(check_claim("key_takeaways", i, c, article).problems for i, c in enumerate(claims))
            rows.append((worst, not summary.consistent, flagged, each))
    return rows


def fit(xs: list[list[float]], ys: list[bool]) -> tuple[list[float], float]:
    """Weights and bias of a class-balanced, L2-penalised logistic regression on standardised ``xs``."""
    positives = sum(ys)
    sample = [0.5 / positives if y else 0.5 / (len(ys) - positives) for y in ys]
    weights, bias = [0.0] * len(xs[0]), 0.0
    for _ in range(STEPS):
        grad, grad_bias = [L2 * w / len(ys) for w in weights], 0.0
        for x, y, s in zip(xs, ys, sample, strict=True):
            z = bias + sum(w * v for w, v in zip(weights, x, strict=True))
            error = s * (1 / (1 + math.exp(-max(-30.0, min(30.0, z)))) - y)
            grad = [g + error * v for g, v in zip(grad, x, strict=True)]
            grad_bias += error
        weights = [w - RATE * g for w, g in zip(weights, grad, strict=True)]
        bias -= RATE * grad_bias
    return weights, bias


def balanced_accuracy(flags: list[bool], truth: list[bool]) -> float:
    caught = fmean(f for f, t in zip(flags, truth, strict=True) if t)
    passed = fmean(not f for f, t in zip(flags, truth, strict=True) if not t)
    return (caught + passed) / 2


def best_threshold(model: Model, rows: list[Row]) -> float:
    """The risk whose doubts, with today's flags, give the best balanced accuracy within MAX_FALSE_ALARMS."""
    risks = [
        max((model.risk(f) for f in each if f["unseen"] <= MAX_UNSEEN), default=0.0) for *_, each in rows
    ]
    truth = [r[1] for r in rows]

    def flags(t: float) -> list[bool]:
        return [r[2] or risk >= t for r, risk in zip(rows, risks, strict=True)]

    def false_alarms(t: float) -> float:
        return fmean(f for f, bad in zip(flags(t), truth, strict=True) if not bad)

    allowed = [t for t in sorted(set(risks)) if t > 0 and false_alarms(t) <= MAX_FALSE_ALARMS]
    return max(allowed, key=lambda t: balanced_accuracy(flags(t), truth), default=1.0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", type=Path, help="FRANK-format JSONL (its tune half is used)")
    parser.add_argument("--dataset", default="cnndm", help="the FRANK dataset to fit on (default: cnndm)")
    parser.add_argument("--write", action="store_true", help=f"write {WEIGHTS.name}, else print")
    args = parser.parse_args()
    rows = summary_rows(args.data, args.dataset)
    names = list(rows[0][0])
    mean = {n: fmean(r[0][n] for r in rows) for n in names}
    scale = {n: pstdev([r[0][n] for r in rows]) or 1.0 for n in names}
    xs = [[(r[0][n] - mean[n]) / scale[n] for n in names] for r in rows]
    weights, bias = fit(xs, [r[1] for r in rows])
    model = Model(VERSION, names, mean, scale, dict(zip(names, weights, strict=True)), bias, 1.0, MAX_UNSEEN)
    threshold = best_threshold(model, rows)
    data = {
        "version": VERSION,
        "fitted_on": f"{args.data.name}, tune half, {args.dataset}: {len(rows)} summaries",
        "features": names,
        "mean": {n: round(v, 4) for n, v in mean.items()},
        "scale": {n: round(v, 4) for n, v in scale.items()},
        "weights": {n: round(w, 4) for n, w in zip(names, weights, strict=True)},
        "bias": round(bias, 4),
        "threshold": round(threshold, 4),
        "max_unseen": MAX_UNSEEN,
    }
    text = json.dumps(data, indent=2) + "\n"
    if args.write:
        WEIGHTS.write_text(text)
    print(text, end="")


if __name__ == "__main__":
    main()
