"""Takeaways that stand alone: a bullet opening with "He" or "It" leans on a sentence the reader
of a brief does not have.

"He"/"She" (and "His"/"Her") at the start of a sentence are resolved the way attribution resolves
them for quotes (``People.subject_before``: the person named just before whose gender does not
contradict the pronoun) and written in the newsroom's convention, "[Khawaja Asif] emphasized …",
which grounding accepts when the bracket names someone the article names. A sentence opening
with a pronoun that names no one person ("It", "They", "We", "Their") is passed over for another,
unless the article has no other.
"""

from __future__ import annotations

import re

from briefer.engines.extractive.people import People
from briefer.models import MAX_TAKEAWAY_CHARS
from briefer.text.sentences import Span

_OPENING = re.compile(r"([\"“‘'(]*)([A-Za-z]+)\b")
_PERSONAL = {"he": ("he", False), "she": ("she", False), "his": ("he", True), "her": ("she", True)}
_NO_ONE = frozenset({"it", "its", "they", "their", "them", "we", "our", "us", "him"})


class Standalone:
    """Which sentences can open a bullet, and how they read as one."""

    def __init__(self, text: str, spans: list[Span], sentences: list[str], people: People) -> None:
        self.text, self.spans, self.sentences, self.people = text, spans, sentences, people
        self.rewritten: dict[int, str | None] = {}

    def bullet(self, i: int) -> str | None:
        """Sentence ``i`` as a bullet that stands alone, or None when it cannot be one."""
        if i not in self.rewritten:
            self.rewritten[i] = self._rewrite(i)
        return self.rewritten[i]

    def _rewrite(self, i: int) -> str | None:
        sentence = self.sentences[i]
        match = _OPENING.match(sentence)
        if not match:
            return sentence
        word = match.group(2).lower()
        if word in _NO_ONE:
            return None
        if word not in _PERSONAL:
            return sentence
        pronoun, possessive = _PERSONAL[word]
        name = self.people.subject_before(self.text, self.spans[i].start, pronoun)
        if name is None:
            return None
        name = self.people.resolve(name)
        insertion = f"[{name}'s]" if possessive else f"[{name}]"
        bullet = sentence[: match.start(2)] + insertion + sentence[match.end(2) :]
        return bullet if len(bullet) <= MAX_TAKEAWAY_CHARS else None
