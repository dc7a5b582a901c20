"""Finding a quote verbatim: typography folded, an ellipsis allowed, offsets kept.

'Verbatim' must survive what editors and models do to typography (curly quotes, dashes,
spacing, case) and nothing else, and report where in the original text the words stand.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from briefer.text.sentences import Span

if TYPE_CHECKING:
    from briefer.grounding.index import ArticleIndex

ELLIPSIS_GAP = 600
"""How far (normalised characters) the parts of an elided quote may stand apart."""
BRACKET_GAP = 40
"""How many (normalised) characters of the article an editor's bracketed insertion may stand for:
"[Netanyahu] said" for "he said", "[the deal]" for "it"; nothing ("[also]" added) is fine too."""

_TYPO = str.maketrans(
    {
        **dict.fromkeys("‘’‚‛′`´", "'"),
        **dict.fromkeys("“”„‟″«»", '"'),
        **dict.fromkeys("‐‑‒–—―−", "-"),
        "…": "...",
    }
)
_ELLIPSIS = re.compile(r"\s*(?:\[\.\.\.\]|\(\.\.\.\)|\.{3,}|…)\s*")
_BRACKETED = re.compile(r"\s*\[(?!\.\.\.\])[^\[\]]*\]\s*")
BRACKETS = re.compile(r"\[(?!\.\.\.\])([^\[\]]+)\]")
"""An editor's insertion: '[Netanyahu]', not an elision '[...]'."""


def fold(text: str) -> tuple[str, list[int]]:
    """Fold typography so only words count: returns the folded text and, per character, its offset.

    Quote marks go (apostrophes inside words stay), dashes become '-', whitespace runs one
    space, no space before punctuation or around dashes, and letters are lower case.
    """
    out: list[str] = []
    where: list[int] = []
    pending_space = -1
    n = len(text)
    for i, raw in enumerate(text):
        for ch in raw.translate(_TYPO):
            if ch.isspace():
                pending_space = i if pending_space < 0 else pending_space
                continue
            if ch in "'\"" and not (0 < i < n - 1 and text[i - 1].isalnum() and text[i + 1].isalnum()):
                continue
            if pending_space >= 0 and out and ch not in ".,;:!?-" and out[-1] != "-":
                out.append(" ")
                where.append(pending_space)
            pending_space = -1
            low = ch.lower()
            out.append(low if len(low) == 1 else ch)
            where.append(i)
    return "".join(out), where


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
