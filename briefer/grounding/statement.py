"""Is a claim stated by the article, or pieced together from its words? A calibrated doubt.

No single structural check tells a relation the article states from the same words in another
relation: each one tried (docs/grounding-frank.md) flagged good summaries about as often as bad
ones. Together they do better, so each claim gets a few cheap measurements (``measure``) and
one score combines them: a logistic regression whose weights ``benchmarks/fit_statements.py``
fits on the tune half of FRANK and stores in ``statement_weights.json`` (versioned, so anyone
can refit). ``risk`` is the calibrated chance that people would judge the claim wrong; a claim
made of the article's words (at most ``max_unseen`` of it new) at or above the stored
threshold is *doubtful*, and the reason given is the measurement that weighed most ("the
article has 'Derby' and 'win', but never in one sentence"). Doubts flag a claim only when
asked (``verify_brief(..., statements=True)``): see docs/grounding-frank.md for why.

The measurements, all from the article index (no model, a fraction of a millisecond a claim):

- ``together``: the share of the claim (IDF-weighted content words) its best article sentence holds;
- ``unseen``: the share of it the article never uses;
- ``pairs_apart``: the share of its adjacent content-word pairs that no article sentence near the
  best one holds together (who with what, what with when);
- ``triples_apart``: the share of its runs of three content words no article sentence holds together;
- ``names_elsewhere``: the share of its names (capitalised words past the first) that the
  best sentence lacks though the article has them; a name the writer inserted for a pronoun
  ('[Steve] was diagnosed') may stand in the LOOKBACK sentences before instead, and is left
  out of the pairs and triples (the article says 'he' there);
- ``negation``: the claim and its best sentence disagree on "not", "never", "denied" and kin.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

from briefer.grounding.context import best_sentence
from briefer.grounding.index import ArticleIndex
from briefer.grounding.names import editorial_insertions
from briefer.text.words import WORD, is_content, match_stem

NEAR = 1
"""Sentences either side of the best one that may hold a pair: reporters carry a subject on."""
LOOKBACK = 3
"""Sentences before the best one that may name whom an inserted '[Steve]' stands for ('he' there)."""
_NEGATION = re.compile(
    r"\b(?:not|never|no|nor|neither|without|denie[sd]|deny|refus\w*|fail\w*)\b|n['’]t\b", re.I
)


@dataclass(frozen=True)
class Model:
    """A fitted logistic regression: each feature standardised, weighted, summed with the bias."""

    version: int
    features: list[str]
    mean: dict[str, float]
    scale: dict[str, float]
    weights: dict[str, float]
    bias: float
    threshold: float
    """Risk at which a claim is doubtful, chosen on the tune half."""
    max_unseen: float
    """Claims with more of their words new to the article are paraphrases: never doubtful here."""

    def contributions(self, features: dict[str, float]) -> dict[str, float]:
        """Each feature's push on the log-odds that the claim is wrong."""
        return {
            name: self.weights[name] * (features[name] - self.mean[name]) / (self.scale[name] or 1.0)
            for name in self.features
        }

    def risk(self, features: dict[str, float]) -> float:
        log_odds = self.bias + sum(self.contributions(features).values())
        return 1 / (1 + math.exp(-max(-30.0, min(30.0, log_odds))))


@cache
def stored_model() -> Model:
    """The weights shipped with briefer (``statement_weights.json``)."""
    data = json.loads(resources.files("briefer.grounding").joinpath("statement_weights.json").read_text())
    return Model(**{k: v for k, v in data.items() if k in Model.__dataclass_fields__})


@dataclass(frozen=True)
class Measured:
    """A claim's measurements and what to say about each if it tips the verdict."""

    features: dict[str, float]
    reasons: dict[str, str]
    """Only for the measurements that found something wrong."""


Word = tuple[str, str, int]
"""A content word of a claim: as written, its stem, its offset."""


def _words(text: str) -> list[Word]:
    """(word, stem, offset) of each content word of ``text``."""
    return [(m[0], match_stem(m[0]), m.start()) for m in WORD.finditer(text) if is_content(m[0])]


def _together_in(stems: tuple[str, ...], article: ArticleIndex) -> set[int]:
    """The article sentences holding every one of ``stems``."""
    found = set(article.postings.get(stems[0], ()))
    for stem in stems[1:]:
        found &= set(article.postings.get(stem, ()))
    return found


def _runs_apart(
    words: list[Word], size: int, near: range | None, article: ArticleIndex
) -> tuple[list[list[Word]], list[list[Word]]]:
    """Runs of ``size`` consecutive content words no article sentence (in ``near``, if given) holds together."""
    runs = [words[i : i + size] for i in range(len(words) - size + 1)]
    apart = []
    for run in runs:
        holding = _together_in(tuple(stem for _, stem, _ in run), article)
        if not (holding & set(near) if near is not None else holding):
            apart.append(run)
    return runs, apart


def _apart(runs: list[list[Word]]) -> str:
    """'the article has 'Derby' and 'beat', but never in one sentence' for the first run apart."""
    if not runs:
        return ""
    return "the article has {}, but never in one sentence".format(
        " and ".join(f"'{w}'" for w, _, _ in runs[0])
    )


def measure(text: str, article: ArticleIndex, found: tuple[int, float] | None = None) -> Measured:
    """The claim's features (see the module docstring) and a reason for each; ``found``: the
    claim's ``best_sentence``, when the caller has it already."""
    words = _words(text)
    inserted = [m.span() for m in editorial_insertions(text, article)]
    own = [w for w in words if not any(start <= w[2] < end for start, end in inserted)]
    weights = {stem: article.idf(stem) for _, stem, _ in words}
    total = sum(weights.values()) or 1.0
    best, together = found or best_sentence(text, article)
    best_stems = article.sentence_stems[best].keys() if best >= 0 else set()
    unseen = [w for w, stem, _ in words if stem not in article.stems]
    pairs, pairs_apart = _runs_apart(own, 2, range(best - NEAR, best + NEAR + 1), article)
    triples, triples_apart = _runs_apart(own, 3, None, article)
    referred = {s for i in range(max(0, best - LOOKBACK), best) for s in article.sentence_stems[i]}
    names = [w for w in words if w[2] > 0 and w[0][0].isupper() and w[1] in article.stems]
    elsewhere = [
        word
        for word, stem, at in names
        if stem not in best_stems and not (stem in referred and (word, stem, at) not in own)
    ]
    best_text = article.sentences[best].of(article.text) if best >= 0 else ""
    claim_negates, article_negates = bool(_NEGATION.search(text)), bool(_NEGATION.search(best_text))
    features = {
        "together": together,
        "unseen": sum(weights[match_stem(w)] for w in dict.fromkeys(unseen)) / total,
        "pairs_apart": len(pairs_apart) / len(pairs) if pairs else 0.0,
        "triples_apart": len(triples_apart) / len(triples) if triples else 0.0,
        "names_elsewhere": len(elsewhere) / len(names) if names else 0.0,
        "negation": float(claim_negates != article_negates),
    }
    reasons = {
        "together": f"no article sentence says it: the closest holds {together:.0%} of it",
        "unseen": f"words the article never uses: {', '.join(dict.fromkeys(unseen))}",
        "pairs_apart": _apart(pairs_apart),
        "triples_apart": _apart(triples_apart),
        "names_elsewhere": f"{' and '.join(elsewhere)} {'is' if len(elsewhere) == 1 else 'are'} in the article, "
        "but not in the sentence that says the rest",
        "negation": f"the article says {'not' if article_negates else 'so'}, the claim says "
        f"{'not' if claim_negates else 'so'}: {best_text.strip()[:120]!r}",
    }
    shown = {
        "together": together < 1.0,
        "pairs_apart": bool(pairs_apart),
        "triples_apart": bool(triples_apart),
        "unseen": bool(unseen),
        "names_elsewhere": bool(elsewhere),
        "negation": claim_negates != article_negates,
    }
    return Measured(features, {name: reason for name, reason in reasons.items() if shown[name]})


def doubtful(model: Model, features: dict[str, float]) -> bool:
    """The verdict: a claim of the article's own words this likely wrong is flagged (when statements are checked).

    A paraphrase's words are new to the article, so the relations among them cannot be looked up:
    on FRANK's tune half every consistent XSum summary scored as risky as the inconsistent ones.
    """
    return features["unseen"] <= model.max_unseen and model.risk(features) >= model.threshold


def doubt(
    text: str, article: ArticleIndex, found: tuple[int, float] | None = None
) -> tuple[float, str | None]:
    """The claim's risk, and, when it is doubtful, the reason that weighed most."""
    model = stored_model()
    measured = measure(text, article, found)
    risk = model.risk(measured.features)
    if not doubtful(model, measured.features):
        return round(risk, 3), None
    pushes = model.contributions(measured.features)
    heaviest = max(measured.reasons, key=pushes.__getitem__, default=None)
    why = measured.reasons[heaviest] if heaviest else "no article sentence says it"
    return round(risk, 3), f"likely not what the article says ({risk:.0%}): {why}"
