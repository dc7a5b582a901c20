"""Notes on the parts of a long article, as the combine step reads them: compact, and bounded.

Notes go back to the model as plain lines, not JSON (a third of the tokens). When the notes
of every part together exceed what one request may carry (a model with a 2,048-token context
reads about 500 tokens of notes), neighbouring parts are merged first, LangChain's "collapse"
step: each part's notes are cut to half the budget, so any two fit in one merge request, and
every round at least halves their number.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from briefer.models import ChunkNotes
from briefer.tokens import count_tokens


@dataclass(frozen=True)
class PartNotes:
    """The notes on parts ``first``..``last`` (1-based) of the article, as lines for the model."""

    first: int
    last: int
    text: str

    @classmethod
    def of(cls, first: int, last: int, notes: ChunkNotes) -> PartNotes:
        return cls(first, last, "\n".join(_lines(notes)))

    @property
    def label(self) -> str:
        return f"Part {self.first}" if self.first == self.last else f"Parts {self.first}-{self.last}"

    def rendered(self) -> str:
        return f"{self.label}:\n{self.text}"

    def cut_to(self, tokens: int, model: str) -> PartNotes:
        """These notes within ``tokens``: whole lines dropped from the end (names and quotes go first)."""
        part = self
        while count_tokens(part.rendered(), model) > tokens and "\n" in part.text:
            part = PartNotes(self.first, self.last, part.text.rsplit("\n", 1)[0])
        return part


def _lines(notes: ChunkNotes) -> Iterable[str]:
    """Most useful first, since a cut drops lines from the end."""
    if notes.dateline and any(notes.dateline.model_dump().values()):
        d = notes.dateline
        yield "Dateline: " + " · ".join(part or "?" for part in (d.place, d.date, d.outlet))
    yield from (f"- {fact}" for fact in notes.facts)
    if notes.sources:
        yield "Sources: " + "; ".join(notes.sources)
    yield from (f'Quote: {q.speaker}: "{q.text}"' for q in notes.quotes)
    yield from (f"Name: {e.name} ({e.kind}, {e.role})" for e in notes.entities)


def joined(parts: list[PartNotes]) -> str:
    return "\n\n".join(part.rendered() for part in parts)


def fits(parts: list[PartNotes], tokens: int, model: str) -> bool:
    return count_tokens(joined(parts), model) <= tokens


def merge_groups(parts: list[PartNotes], tokens: int, model: str) -> list[list[PartNotes]]:
    """Neighbouring parts in groups of at least two (a last one may be alone) that fit ``tokens`` each."""
    cut = [part.cut_to((tokens - 4) // 2, model) for part in parts]  # 4: the blank line between two
    groups: list[list[PartNotes]] = []
    for part in cut:
        group = groups[-1] if groups else None
        if group is not None and (len(group) < 2 or fits([*group, part], tokens, model)):
            group.append(part)
        else:
            groups.append([part])
    return groups
