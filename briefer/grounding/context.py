"""A claim's numbers and dates must stand in the article with what the claim says about them.

'Netanyahu will visit Washington on March 24' is not backed by an article whose March 24 is the
deadline for an Iran deal: the figure occurs, the fact does not. So a figure is backed only by
a sentence that gives it and carries the claim's subject, one of:

- a sentence sharing at least SHARE of what the claim's best-matching sentence shares with it
  (IDF-weighted content words; the figures' own words, such as a date's month, left out);
- a sentence giving the figure together with the one it is paired with in the claim ('from
  2001 to 2005', '3-0', '59, 76 and 84');
- a sentence within NEAR of the best match, since reporters carry a subject on ('Pero has
  died ... Pero was 55.'), unless the best match gives another figure of the same kind among
  the same words: then the claim has swapped its figure for one from elsewhere. A year frames
  a whole story ('in 2015'), so a year anywhere in the article is only caught by that swap.

A claim whose best match covers less than CLEAR of it is worded too loosely to tell where it
is said; its figures need only occur. So must a number word that a definite determiner opens
('the two nations', 'their three children'): it points back at people or things the story has
already counted, so it states no figure of its own; a time or measure ('the two years', 'the
three-day talks') still does. A lone 1 is not checked: the article's 'one' is no
number to the index (see ``numbers.words_value``), so where it says 1 is not known.

Measured in benchmarks/bench_grounding.py ("misplaced" and "ok" rows).
"""

from __future__ import annotations

import re
from collections import defaultdict

from briefer.grounding.index import ArticleIndex
from briefer.grounding.numbers import Figure, Number
from briefer.text.words import WORD, is_content, match_stem, wordset

SHARE = 0.4
NEAR = 3
CLEAR = 0.5
WINDOW = 2
"""Content words either side of a figure that say what it counts."""
_PAIRED = re.compile(r"\W{0,4}(?:to|and|or)?\W{0,4}")
_DEFINITE = re.compile(r"\b(?:the|these|those|its|their|his|her|our|your|all)\s+$", re.IGNORECASE)
_MEASURED = wordset(
    """second seconds minute minutes hour hours day days night nights week weeks month months year
    years decade decades century centuries time times per"""
)
_NEXT_WORD = re.compile(r"\s+([a-z]+)")


def _coverage(text: str, skip: list[tuple[int, int]], article: ArticleIndex) -> dict[int, float]:
    """Share of the claim's content (IDF-weighted, words inside ``skip`` left out) each sentence has."""
    stems = dict.fromkeys(  # in the claim's order: sums and ties come out the same in every run
        match_stem(m.group(0))
        for m in WORD.finditer(text)
        if is_content(m.group(0)) and not any(a <= m.start() < b for a, b in skip)
    )
    weights = {s: article.idf(s) for s in stems}
    total = sum(weights.values()) or 1.0
    coverage: dict[int, float] = defaultdict(float)
    for stem, weight in weights.items():
        for i in article.postings.get(stem, ()):
            coverage[i] += weight / total
    return coverage


def best_sentence(text: str, article: ArticleIndex) -> tuple[int, float]:
    """The article sentence holding most of the claim (IDF-weighted content words), and that share (-1, 0: none).

    The share is a claim's score: a claim whose words are scattered over the article states
    something no sentence states; on FRANK it tracks people's judgement better than any
    published metric there."""
    coverage = _coverage(text, [], article)
    best = max(coverage, key=coverage.__getitem__, default=-1)
    return best, coverage.get(best, 0.0)


def _neighbours(text: str, figure: Figure, lo: int, hi: int) -> set[str]:
    """Stems of the WINDOW content words either side of ``figure`` within text[lo:hi]."""
    end = figure.start + len(figure.text)
    before = [m.group(0) for m in WORD.finditer(text, lo, figure.start) if is_content(m.group(0))]
    after = [m.group(0) for m in WORD.finditer(text, end, hi) if is_content(m.group(0))]
    return {match_stem(w) for w in before[-WINDOW:] + after[:WINDOW]}


def _swapped(text: str, figure: Figure, claimed: list[Figure], sentence: int, article: ArticleIndex) -> bool:
    """The sentence gives, among the words around ``figure`` in the claim, another figure of its kind."""
    span = article.sentences[sentence]
    around = _neighbours(text, figure, 0, len(text))
    return any(
        f.kind == figure.kind
        and not any(c.matches(f) for c in claimed)
        and around & _neighbours(article.text, f, span.start, span.end)
        for f in article.sentence_figures[sentence]
    )


def _paired(text: str, a: Figure, b: Figure) -> bool:
    """Figures written as one: a range, a score, a list, a conversion ('$100,000 (£52,000)')."""
    first, second = sorted((a, b), key=lambda f: f.start)
    return a is not b and bool(_PAIRED.fullmatch(text, first.start + len(first.text), second.start))


def _is_reference(text: str, figure: Figure) -> bool:
    """Whether ``figure`` is a number word a definite determiner opens ('the two nations'):
    a reference to what the story has counted, not a count of what this sentence says."""
    if not isinstance(figure, Number) or not figure.text[:1].isalpha():
        return False
    end = figure.start + len(figure.text)
    if (
        figure.kind != "count"
        or text[end : end + 1] == "-"
        or not _DEFINITE.search(text, max(0, figure.start - 8), figure.start)
    ):
        return False
    following = _NEXT_WORD.match(text, end)
    return not (following and following.group(1).lower() in _MEASURED)


def misplaced(text: str, claimed: list[Figure], article: ArticleIndex) -> list[Figure]:
    """Figures of the claim that the article gives, but only in sentences about something else."""
    coverage = _coverage(text, [(f.start, f.start + len(f.text)) for f in claimed], article)
    top = max(coverage, key=coverage.__getitem__, default=0)
    best = coverage.get(top, 0.0)
    if best < CLEAR:
        return []
    out = []
    for figure in claimed:
        saying = article.saying(figure)
        lone_one = isinstance(figure, Number) and figure.kind == "count" and figure.value == 1
        if not saying or lone_one or _is_reference(text, figure):
            continue
        partners = [g for g in claimed if _paired(text, figure, g)]
        if any(
            coverage.get(i, 0.0) >= SHARE * best
            or any(g.matches(f) for g in partners for f in article.sentence_figures[i])
            for i in saying
        ):
            continue
        near = figure.kind == "year" or any(abs(i - top) <= NEAR for i in saying)
        if not near or _swapped(text, figure, claimed, top, article):
            out.append(figure)
    return out
