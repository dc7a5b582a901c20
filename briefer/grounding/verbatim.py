"""Finding a quote verbatim: typography folded, an ellipsis allowed, offsets kept.

'Verbatim' must survive what editors and models do to typography (curly quotes, dashes,
spacing, case) and nothing else, and report where in the original text the words stand.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from briefer.grounding.folding import fold
from briefer.text.sentences import Span

if TYPE_CHECKING:
    from briefer.grounding.index import ArticleIndex

ELLIPSIS_GAP = 600
"""How far (normalised characters) the parts of an elided quote may stand apart."""
BRACKET_GAP = 40
"""How many (normalised) characters of the article an editor's bracketed insertion may stand for:
"[Netanyahu] said" for "he said", "[the deal]" for "it"; nothing ("[also]" added) is fine too."""

_ELLIPSIS = re.compile(r"\s*(?:\[\.\.\.\]|\(\.\.\.\)|\.{3,}|…)\s*")
_BRACKETED = re.compile(r"\s*\[(?!\.\.\.\])[^\[\]]*\]\s*")
BRACKETS = re.compile(r"\[(?!\.\.\.\])([^\[\]]+)\]")
"""An editor's insertion: '[Netanyahu]', not an elision '[...]'."""


@dataclass
class Match:
    """A quote found in the article: its parts' spans in the original text."""

    parts: list[Span]

    @property
    def start(self) -> int:
        return self.parts[0].start

    @property
    def end(self) -> int:
        return self.parts[-1].end


def quote_parts(quote: str) -> list[str]:
    """The normalised pieces of a quote that an ellipsis separates, outer punctuation trimmed."""
    return [part for part, _ in _gapped_parts(quote)]


def _gapped_parts(quote: str, own_brackets: bool = False) -> list[tuple[str, int]]:
    """(piece, how far it may stand from the one before): pieces split at ellipses and at
    bracketed insertions, which stand for a few words of the article at most; with
    ``own_brackets``, brackets are the article's own words and split nothing."""
    pieces: list[tuple[str, int]] = []
    for i, elided in enumerate(_ELLIPSIS.split(quote)):
        for j, piece in enumerate([elided] if own_brackets else _BRACKETED.split(elided)):
            folded, _ = fold(piece)
            folded = folded.strip(" .,;:!?-")
            if folded:
                pieces.append((folded, ELLIPSIS_GAP if j == 0 and i > 0 else BRACKET_GAP))
    return pieces


def find_quote(quote: str, article: ArticleIndex) -> Match | None:
    """First place where all parts of the quote occur in order, each within ELLIPSIS_GAP of the last
    (BRACKET_GAP across an editor's bracketed insertion, whose words are checked elsewhere).

    Brackets the article itself has ('chain migration [where families …]') are tried as words first.
    """
    if BRACKETS.search(quote) and (match := _find(_gapped_parts(quote, own_brackets=True), article)):
        return match
    return _find(_gapped_parts(quote), article)


def _find(gapped: list[tuple[str, int]], article: ArticleIndex) -> Match | None:
    if not gapped:
        return None
    parts = [part for part, _ in gapped]
    folded, where = article.folded, article.folded_map
    start = folded.find(parts[0])
    while start >= 0:
        spans, pos = [Span(start, start + len(parts[0]))], start + len(parts[0])
        for part, gap in gapped[1:]:
            nxt = folded.find(part, pos, pos + gap + len(part) + 1)
            if nxt < 0:
                break
            spans.append(Span(nxt, nxt + len(part)))
            pos = nxt + len(part)
        else:
            return Match([Span(where[s.start], where[s.end - 1] + 1) for s in spans])
        start = folded.find(parts[0], start + 1)
    return None
