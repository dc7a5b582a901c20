"""Sentence segmentation that survives news text, with character offsets into the original.

Offsets matter: chunking must cover the text exactly, and grounding reports where in the
article a quote or a supporting sentence stands.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache


@dataclass(frozen=True, slots=True)
class Span:
    start: int
    end: int

    def of(self, text: str) -> str:
        return text[self.start : self.end]


_BLANK_LINE = re.compile(r"\n[ \t\r\f\v]*\n\s*")
_LINE_BREAK = re.compile(r"\n\s*")


@cache
def _segmenter():
    import pysbd  # lazy: only the engines that need sentences pay for it

    return pysbd.Segmenter(language="en", clean=False, char_span=True)


def paragraphs(text: str) -> list[Span]:
    """Spans of paragraphs, leading/trailing whitespace excluded.

    Paragraphs are separated by blank lines; a text with no blank line at all (one paragraph
    per line, as wire copy and the seed are written) is split at every line break.
    """
    separator = _BLANK_LINE if _BLANK_LINE.search(text) else _LINE_BREAK
    spans, pos = [], 0
    for brk in [*separator.finditer(text), None]:
        end = brk.start() if brk else len(text)
        chunk = text[pos:end]
        stripped = chunk.strip()
        if stripped:
            start = pos + chunk.index(stripped[0])
            spans.append(Span(start, start + len(stripped)))
        pos = brk.end() if brk else len(text)
    return spans


def sentences(text: str) -> list[Span]:
    """Spans of sentences, in order, never crossing a paragraph break, whitespace trimmed."""
    spans: list[Span] = []
    for para in paragraphs(text):
        body = para.of(text)
        for piece in _segmenter().segment(body):
            stripped = piece.sent.strip()
            if not stripped:
                continue
            start = para.start + piece.start + piece.sent.index(stripped[0])
            spans.append(Span(start, start + len(stripped)))
    return spans
