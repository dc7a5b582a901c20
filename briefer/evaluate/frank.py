"""Summaries judged by people for factual errors, in FRANK's layout, one article a line.

``{"id", "dataset", "text", "summaries": [{"system", "sentences": [...], "factuality",
"errors": [...], "published_metrics": {name: score}}]}``: FRANK (Pagnoni et al., NAACL 2021)
as the project's eval data lays it out. A user's own labelled briefs in the same layout are
scored the same way.

FRANK's CNN/DM summaries are tokenised (``kilmarnock 's``, ``-lrb-``, ``is n't``) and all but
BART's lower-cased. A summariser briefer checks writes ordinary text, so ``readable`` undoes the
tokenisation and gives a lower-cased sentence each word's case as its article writes it (a word
the article never has stays lower-case: it is not made to look like a name).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from briefer.errors import InputError
from briefer.evaluate.data import BadLine, json_object, read_lines

_LETTERS = re.compile(r"[^\W\d_]+")
CONSISTENT = 1.0
"""A summary is consistent when the annotators found none of its sentences wrong."""

_BRACKETS = {"-lrb-": "(", "-rrb-": ")", "-lsb-": "[", "-rsb-": "]", "-lcb-": "{", "-rcb-": "}"}
_SPACING = [
    (re.compile(r"``\s*|\s*''"), '"'),
    (re.compile(r"\s+(n't|'s|'re|'ve|'ll|'d|'m)\b", re.IGNORECASE), r"\1"),
    (re.compile(r"\s+([.,;:!?%)\]}])"), r"\1"),
    (re.compile(r"([(\[{$£])\s+"), r"\1"),
]


@dataclass(frozen=True)
class JudgedSummary:
    system: str
    sentences: list[str]
    factuality: float
    errors: list[str] = field(default_factory=list)
    published_metrics: dict[str, float] = field(default_factory=dict)

    @property
    def consistent(self) -> bool:
        return self.factuality >= CONSISTENT


@dataclass(frozen=True)
class JudgedArticle:
    id: str
    dataset: str
    text: str
    summaries: list[JudgedSummary]


@dataclass
class JudgedSet:
    source: str
    articles: list[JudgedArticle]
    bad_lines: list[BadLine]


def _summary(data: object) -> JudgedSummary:
    """One judged summary, or ValueError saying what is wrong with it."""
    if not isinstance(data, dict):
        raise ValueError("each summary must be a JSON object")
    sentences, factuality = data.get("sentences"), data.get("factuality")
    if not (isinstance(sentences, list) and sentences and all(isinstance(s, str) for s in sentences)):
        raise ValueError("'sentences' must be a non-empty list of strings")
    if isinstance(factuality, bool) or not isinstance(factuality, int | float) or not 0 <= factuality <= 1:
        raise ValueError("'factuality' must be a number from 0 to 1")
    metrics = data.get("published_metrics") or {}
    if not isinstance(metrics, dict) or not all(
        isinstance(v, int | float) and not isinstance(v, bool) for v in metrics.values()
    ):
        raise ValueError("'published_metrics' must map names to numbers")
    return JudgedSummary(
        system=str(data.get("system") or "unknown"),
        sentences=sentences,
        factuality=float(factuality),
        errors=[str(e) for e in data.get("errors") or []],
        published_metrics={str(k): float(v) for k, v in metrics.items()},
    )


def _article(line: str) -> JudgedArticle:
    """One article with its judged summaries, or ValueError."""
    data = json_object(line)
    text, summaries = data.get("text"), data.get("summaries")
    if not isinstance(text, str) or not text.strip():
        raise ValueError("'text' must be a non-empty string")
    if not isinstance(summaries, list) or not summaries:
        raise ValueError("'summaries' must be a non-empty list")
    return JudgedArticle(
        id=str(data.get("id") or ""),
        dataset=str(data.get("dataset") or "all"),
        text=text,
        summaries=[_summary(s) for s in summaries],
    )


def load_judged(path: Path) -> JudgedSet:
    """Every valid article of a FRANK-format file; bad lines are collected, not fatal."""
    articles: list[JudgedArticle] = []
    bad: list[BadLine] = []
    for lineno, line in enumerate(read_lines(path), start=1):
        if not line.strip():
            continue
        try:
            articles.append(_article(line))
        except ValueError as exc:
            bad.append(BadLine(line=lineno, error=str(exc)))
    if not articles:
        first = f"; line {bad[0].line}: {bad[0].error}" if bad else ""
        raise InputError(f"{path}: no valid articles{first}")
    return JudgedSet(source=str(path), articles=articles, bad_lines=bad)


def article_casing(text: str) -> dict[str, str]:
    """Each word's usual form in the article (lower-case key): 'Kilmarnock' for 'kilmarnock'."""
    forms: dict[str, Counter[str]] = {}
    for word in _LETTERS.findall(text):
        forms.setdefault(word.lower(), Counter())[word] += 1
    return {low: counts.most_common(1)[0][0] for low, counts in forms.items()}


def readable(sentence: str, casing: dict[str, str]) -> str:
    """A tokenised sentence as a summariser would write it, in the article's case if all lower-case."""
    text = " ".join(_BRACKETS.get(t, t) for t in sentence.split())
    for pattern, replacement in _SPACING:
        text = pattern.sub(replacement, text)
    if any(c.isupper() for c in sentence.replace("UNK", "")):  # seq2seq systems' unknown-word token
        return text
    text = _LETTERS.sub(lambda m: casing.get(m[0], m[0]), text)
    return text[:1].upper() + text[1:]
