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

_TYPO = str.maketrans(
    {
        **dict.fromkeys("‘’‚‛′`´", "'"),
        **dict.fromkeys("“”„‟″«»", '"'),
        **dict.fromkeys("‐‑‒–—―−", "-"),
        "…": "...",
    }
)
_ELLIPSIS = re.compile(r"\s*(?:\[\.\.\.\]|\(\.\.\.\)|\.{3,})\s*")


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
    folded, _ = fold(quote)
    pieces = (p.strip(" .,;:!?-") for p in _ELLIPSIS.split(folded))
    return [p for p in pieces if p]


def find_quote(quote: str, article: ArticleIndex) -> Match | None:
    """First place where all parts of the quote occur in order, each within ELLIPSIS_GAP of the last."""
    parts = quote_parts(quote)
    if not parts:
        return None
    folded, where = article.folded, article.folded_map
    start = folded.find(parts[0])
    while start >= 0:
        spans, pos = [Span(start, start + len(parts[0]))], start + len(parts[0])
        for part in parts[1:]:
            nxt = folded.find(part, pos, pos + ELLIPSIS_GAP + len(part))
            if nxt < 0:
                break
            spans.append(Span(nxt, nxt + len(part)))
            pos = nxt + len(part)
        else:
            return Match([Span(where[s.start], where[s.end - 1] + 1) for s in spans])
        start = folded.find(parts[0], start + 1)
    return None
