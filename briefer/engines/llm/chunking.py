"""Token-budgeted chunking for map-reduce over long articles.

Chunks end on paragraph boundaries when they can, else on sentence boundaries; a sentence is
cut only when it alone exceeds the budget. Each chunk after the first repeats the last
sentence(s) of the previous one (a small overlap) so a fact straddling a boundary is not lost.
Chunks are character spans of the original text, so their union covers it and order is kept.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from briefer.errors import ConfigError
from briefer.text.sentences import Span, paragraphs, sentences
from briefer.tokens import encoding_for_model

_WORD = re.compile(r"\S+\s*")


@dataclass(frozen=True, slots=True)
class Chunk:
    index: int
    start: int
    end: int
    text: str
    tokens: int


@dataclass(frozen=True, slots=True)
class _Unit:
    span: Span
    paragraph_start: bool  # the first unit of a paragraph: a preferred place to start a chunk


def _split_oversized(text: str, span: Span, budget: int, count: Callable[[str], int]) -> list[Span]:
    """Cut one over-budget sentence at word boundaries (or inside a word longer than the budget)."""
    pieces: list[Span] = []
    start = end = span.start
    for word in _WORD.finditer(text, span.start, span.end):
        if end > start and count(text[start : word.end()]) > budget:
            pieces.append(Span(start, end))
            start = word.start()
        end = min(word.end(), span.end)
        while count(text[start:end]) > budget:  # a single "word" longer than the budget
            lo, hi = start + 1, end
            while lo < hi:  # the longest prefix within budget
                mid = (lo + hi + 1) // 2
                lo, hi = (mid, hi) if count(text[start:mid]) <= budget else (lo, mid - 1)
            pieces.append(Span(start, lo))
            start = lo
    if end > start:
        pieces.append(Span(start, end))
    return [Span(p.start, p.start + len(p.of(text).rstrip())) for p in pieces if p.of(text).strip()]


def _units(text: str, budget: int, count: Callable[[str], int]) -> list[_Unit]:
    paragraph_starts = {p.start for p in paragraphs(text)}
    units = []
    for span in sentences(text):
        first = span.start in paragraph_starts
        pieces = [span] if count(span.of(text)) <= budget else _split_oversized(text, span, budget, count)
        units += [_Unit(piece, first and i == 0) for i, piece in enumerate(pieces)]
    return units


def chunk_text(
    text: str, max_tokens: int, *, model: str = "gpt-4o-mini", overlap_tokens: int | None = None
) -> list[Chunk]:
    """Split ``text`` into chunks of at most ``max_tokens`` tokens (exact, for ``model``'s encoding).

    ``overlap_tokens`` (default: a tenth of the budget, at most 200) bounds the repeated tail.
    """
    if max_tokens < 8:
        raise ConfigError(f"max chunk tokens must be at least 8, got {max_tokens}")
    encoding = encoding_for_model(model)

    def count(piece: str) -> int:
        return len(encoding.encode_ordinary(piece))

    overlap_budget = min(200, max_tokens // 10) if overlap_tokens is None else overlap_tokens
    units = _units(text, max_tokens, count)
    chunks: list[Chunk] = []
    first = 0  # index of the first new (non-overlap) unit of the next chunk
    previous_start = -1  # a chunk's overlap never reaches back to where the previous chunk began
    while first < len(units):
        start_unit = first
        if chunks:
            start_unit = max(previous_start + 1, _overlap_start(units, first, overlap_budget, text, count))
        last = _pack(units, start_unit, first, max_tokens, text, count)
        if last < first:  # overlap left no room for a new unit: drop the overlap
            start_unit, last = first, _pack(units, first, first, max_tokens, text, count)
        start, end = units[start_unit].span.start, units[last].span.end
        chunks.append(Chunk(len(chunks), start, end, text[start:end], count(text[start:end])))
        previous_start, first = start_unit, last + 1
    return chunks


def _overlap_start(
    units: list[_Unit], first: int, budget: int, text: str, count: Callable[[str], int]
) -> int:
    """The earliest unit before ``first`` whose tail up to ``first`` fits in the overlap budget."""
    start = first
    while start > 0 and count(text[units[start - 1].span.start : units[first - 1].span.end]) <= budget:
        start -= 1
    return start


def _pack(
    units: list[_Unit], start: int, first: int, budget: int, text: str, count: Callable[[str], int]
) -> int:
    """Index of the last unit of a chunk from ``start``: as many as fit, ending on a paragraph if possible.

    Returns ``first - 1`` when not even unit ``first`` fits after the overlap.
    """
    begin = units[start].span.start
    last = first - 1
    for i in range(first, len(units)):
        if count(text[begin : units[i].span.end]) > budget:
            break
        last = i
    if last < first or last == len(units) - 1:
        return last
    # Prefer to end where the next unit starts a paragraph, if that keeps at least half the chunk.
    for i in range(last, first - 1, -1):
        if units[i + 1].paragraph_start:
            kept = count(text[begin : units[i].span.end])
            return i if kept * 2 >= count(text[begin : units[last].span.end]) else last
    return last
