"""Runs of capitalised words and their acronyms: the candidate names of a text, article or claim."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from briefer.text.words import GROUNDING_STOPWORDS, WORD

_CLAUSE_OPENERS = frozenset(".:;!?\"“‘'([-—–")
_JOINS_NAME = re.compile(r"[ \t-]*")


@dataclass(frozen=True, slots=True)
class Run:
    """Consecutive capitalised words ('Afghan Ministry of Interior'): a name, or a clause opener."""

    words: list[str]
    initial: bool
    """Starts a sentence or clause, where any word is capitalised: its first word may be no name."""


def _starts_clause(text: str, pos: int) -> bool:
    """Whether a word at ``pos`` opens a sentence or clause, so is capitalised anyway."""
    before = text[:pos].rstrip()
    return not before or before[-1] in _CLAUSE_OPENERS


def capitalised_runs(text: str) -> Iterator[Run]:
    """The runs of ``text``, joined across 'of', 'the', 'and', 'for' ('Ministry of Interior')."""
    run: list[str] = []
    initial, last_end = False, 0
    for m in WORD.finditer(text):
        word = m.group(0)
        if run and not _JOINS_NAME.fullmatch(text, last_end, m.start()):
            yield Run(run, initial)
            run = []
        last_end = m.end()
        if word[0].isupper():
            initial = initial if run else _starts_clause(text, m.start())
            run.append(word)
        elif word in ("of", "the", "and", "for") and run:
            continue
        elif run:
            yield Run(run, initial)
            run = []
    if run:
        yield Run(run, initial)


def acronym(words: list[str]) -> str:
    """'United Nations' -> 'un'; empty when fewer than two words would make it."""
    initials = [w[0] for w in words if w[0].isupper() and w.lower() not in GROUNDING_STOPWORDS]
    return "".join(initials).lower() if len(initials) > 1 else ""


def acronyms(words: list[str]) -> Iterator[str]:
    """Acronyms of every stretch of a run: 'Prime Minister Benjamin Netanyahu' gives 'pm' too."""
    for i in range(len(words)):
        for j in range(i + 2, len(words) + 1):
            yield acronym(words[i:j])
