"""Claims (headline, summary sentences, takeaways, what to watch) must be backed by the article.

A claim is aligned to the article sentences that back it (BM25 over crude stems, numbers as
tokens); every number, date, proper name and quoted phrase in it must occur in the article,
and every number and date with what the claim says about it (``context``). Words in quote
marks are the article's words or not: checked verbatim, never as names.
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Literal

from briefer.grounding.context import best_sentence, misplaced
from briefer.grounding.index import ArticleIndex, tokens, total
from briefer.grounding.names import unnamed_insertions, unsupported_names
from briefer.grounding.numbers import Date, Figure, Number, figures, number_supported
from briefer.grounding.statement import doubt
from briefer.grounding.verbatim import find_quote
from briefer.models import ItemCheck, SupportSpan
from briefer.text.words import WORD

ClaimField = Literal["headline", "summary", "key_takeaways", "what_to_watch"]

MIN_CLAIM_SCORE = 0.3
"""Share of a claim's (IDF-weighted) words its best article sentences must contain."""
MAX_SUPPORT = 3
"""A claim may merge facts from a few sentences; more than three is no longer 'backed'."""
INJECTED_SHARE = 0.2
"""Share of a claim an instruction to the model may back before the claim is taken for its echo."""

# "Double", “curly” or 'single' quote marks; an apostrophe inside a word ('Pakistan's') opens or closes nothing.
_QUOTED = re.compile(r"[\"“”]([^\"“”]{3,}?)[\"“”]|(?<!\w)['‘]((?:[^'‘’\"“”\n]|['’](?=\w)){3,}?)['’](?!\w)")


def _bm25(query: list[str], article: ArticleIndex, k1: float = 1.2, b: float = 0.75) -> dict[int, float]:
    """BM25 score of each article sentence sharing a stem with ``query`` (sentences as documents)."""
    scores: dict[int, float] = defaultdict(float)
    for stem in set(query):
        idf = article.idf(stem)
        for i in article.postings.get(stem, ()):
            tf = article.sentence_stems[i][stem]
            norm = 1 - b + b * total(article.sentence_stems[i]) / article.avg_len
            scores[i] += idf * tf * (k1 + 1) / (tf + k1 * norm)
    return scores


def best_support(query: list[str], article: ArticleIndex) -> list[SupportSpan]:
    """Up to MAX_SUPPORT sentences, best BM25 first, each adding words of the claim the rest lack.

    Each span's score is the share of the claim's IDF weight it newly covers, so the scores of
    a claim's support add up to its coverage.
    """
    weights = {stem: article.idf(stem) for stem in set(query)}
    total_weight = sum(weights.values()) or 1.0
    uncovered = set(weights)
    support: list[SupportSpan] = []
    ranked = sorted(_bm25(query, article).items(), key=lambda kv: -kv[1])
    for i, _ in ranked:
        gained = uncovered & article.sentence_stems[i].keys()
        if not gained:
            continue
        uncovered -= gained
        span = article.sentences[i]
        support.append(
            SupportSpan(
                sentence=i,
                start=span.start,
                end=span.end,
                score=round(sum(weights[s] for s in gained) / total_weight, 3),
            )
        )
        if len(support) == MAX_SUPPORT or not uncovered:
            break
    return support


def _absent(claimed: list[Figure], article: ArticleIndex) -> tuple[list[str], list[str]]:
    """(numbers, dates) of the claim that the article never gives; weekdays are left to the name check."""
    absent_numbers = [
        n.text for n in claimed if isinstance(n, Number) and not number_supported(n, article.numbers)
    ]
    absent_dates = [d.text for d in claimed if isinstance(d, Date) and d.month and not article.saying(d)]
    return absent_numbers, absent_dates


def _misplaced(text: str, claimed: list[Figure], article: ArticleIndex) -> list[str]:
    """'March 24 is in the article, but ...' for figures the article gives only about something else."""
    elsewhere = [f.text for f in misplaced(text, claimed, article)]
    if not elsewhere:
        return []
    verb = "is" if len(elsewhere) == 1 else "are"
    return [f"{' and '.join(elsewhere)} {verb} in the article, but not with what this sentence says"]


def _misquoted(text: str, article: ArticleIndex) -> list[str]:
    """Words a claim puts in quote marks ('Total Obliteration') that the article does not have verbatim."""
    quoted = (m[1] or m[2] for m in _QUOTED.finditer(text))
    return [f'"{q}"' for q in quoted if find_quote(q, article) is None]


def _unquoted(text: str) -> str:
    """``text`` with its quoted words blanked: they are checked as quotes, not as names."""
    return _QUOTED.sub(lambda m: " " * len(m[0]), text)


def check_claim(
    field_name: ClaimField, index: int, text: str, article: ArticleIndex, statements: bool = False
) -> ItemCheck:
    """The claim's backing sentences, and a problem for each name, number or quote the article lacks.

    Its score is the share of it one article sentence holds (``context.best_sentence``): the claim
    stated together, not pieced from words scattered over the article. Its risk is the
    calibrated chance it is wrong (``statement``); with ``statements``, a doubtful claim is flagged.
    """
    support = best_support(tokens(text), article)
    coverage = round(min(1.0, sum(s.score for s in support)), 3)
    claimed = figures(text)
    absent_numbers, absent_dates = _absent(claimed, article)
    in_dates = {w for d in absent_dates for w in WORD.findall(d)}  # 'March' of 'March 29': one problem
    names = [n for n in unsupported_names(_unquoted(text), article) if n not in in_dates]
    quotes = _misquoted(text, article)
    insertions = unnamed_insertions(text, article)
    problems = [
        f"{label} not in the article: {', '.join(terms)}"
        for label, terms in (
            ("names", names),
            ("numbers", absent_numbers),
            ("dates", absent_dates),
            ("quoted words", quotes),
            ("bracketed insertions", insertions),
        )
        if terms
    ]
    problems += _misplaced(text, claimed, article)
    if any(s.sentence in article.instructions and s.score >= INJECTED_SHARE for s in support):
        problems.append(
            "backed by an instruction to the model in the article, not by its reporting (prompt injection?)"
        )
    if coverage < MIN_CLAIM_SCORE:
        problems.append(f"weakly backed by the article (its best sentences hold {coverage:.0%} of it)")
    best = best_sentence(text, article)
    risk, reason = doubt(text, article, best)
    if statements and reason and not problems:
        problems.append(reason)
    return ItemCheck(
        field=field_name,
        index=index,
        text=text,
        supported=not problems,
        score=round(best[1], 3),
        support=support,
        unsupported_terms=names + absent_numbers + absent_dates + quotes + insertions,
        problems=problems,
        risk=risk,
    )
