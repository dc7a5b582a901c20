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
from collections.abc import Sequence

from briefer.engines.extractive.people import People
from briefer.models import MAX_TAKEAWAY_CHARS
from briefer.text.sentences import Span

_OPENING = re.compile(r"([\"“‘'(]*)([A-Za-z]+)\b")
_PERSONAL = {"he": ("he", False), "she": ("she", False), "his": ("he", True), "her": ("she", True)}
_NO_ONE = frozenset({"it", "its", "they", "their", "them", "we", "our", "us", "him"})
_MID_THOUGHT = frozenset({"so", "or", "nor", "plus", "i", "me", "my", "you", "your"})
"""Openings that lean on what came before ("So ...") or on a speaker the bullet does not name ("I ...")."""
_SO_NOT_MID_THOUGHT = re.compile(r"so(?:\s+far\b|-called\b)", re.IGNORECASE)
"""An adverb, not a conjunction: "So far, ..." opens no thought of another sentence."""
_CONJUNCTIONS = frozenset({"and", "but", "yet"})
"""Openings that only join the sentence to the one before: dropped, the next word capitalised."""


_FIRST_PERSON_OR_YOU = frozenset({"i", "me", "my", "we", "our", "us", "you", "your"})
# A sentence that is one quote and its attribution: '"I was scared," she said.'
_QUOTE_AND_TAIL = re.compile(
    r"(?P<open>[\"“])(?P<quote>[^\"“”]{3,}?)[,.!?]?(?P<close>[\"”])(?P<tail>[^\"“”]{0,60})"
)
_MAX_TAIL_WORDS = 6


_FIRST_PERSON = frozenset({"i", "my", "you", "your"})
_AUTHORS_VOICE = 4
"""Sentences opening with an unquoted "I" or "We" that make an article its author's own account."""


def _first_person_piece(sentences: list[str]) -> bool:
    """Whether the article is written in the first person (an opinion piece, a diary): its "I" is
    the author, not a speaker the bullet fails to name."""
    count = 0
    for sentence in sentences:
        match = _OPENING.match(sentence)
        count += match is not None and not match.group(1) and match.group(2).lower() in _FIRST_PERSON
        if count >= _AUTHORS_VOICE:
            return True
    return False


class Standalone:
    """Which sentences can open a bullet, and how they read as one."""

    def __init__(
        self,
        text: str,
        spans: list[Span],
        sentences: list[str],
        people: People,
        quotes: Sequence[tuple[str, str]] = (),
    ) -> None:
        self.text, self.spans, self.sentences, self.people = text, spans, sentences, people
        self.speakers = {quote: speaker for speaker, quote in quotes}
        self.authors_voice = _first_person_piece(sentences)
        self.rewritten: dict[int, str | None] = {}

    def bullet(self, i: int) -> str | None:
        """Sentence ``i`` as a bullet that stands alone, or None when it cannot be one."""
        if i not in self.rewritten:
            self.rewritten[i] = self._rewrite(i)
        return self.rewritten[i]

    def _attributed(self, sentence: str) -> str | None:
        """A quote in the first or second person, as its speaker's words: '"I was scared," she
        said.' -> 'Jane Doe said: "I was scared."', when attribution found who said it."""
        match = _QUOTE_AND_TAIL.fullmatch(sentence)
        if not match or len(match.group("tail").split()) > _MAX_TAIL_WORDS:
            return None
        quote = match.group("quote")
        speaker = next((who for said, who in self.speakers.items() if said in quote or quote in said), None)
        if speaker is None:
            return None
        bullet = f"{speaker} said: {match.group('open')}{quote}.{match.group('close')}"
        return bullet if len(bullet) <= MAX_TAKEAWAY_CHARS else None

    def _rewrite(self, i: int, sentence: str | None = None) -> str | None:
        sentence = self.sentences[i] if sentence is None else sentence
        match = _OPENING.match(sentence)
        if not match:
            return sentence
        word = match.group(2).lower()
        if match.group(1) and word in _FIRST_PERSON_OR_YOU:
            return self._attributed(sentence)
        if self.authors_voice and word in _FIRST_PERSON:
            return sentence  # an opinion piece: "I" is its author, whose byline heads the brief
        if word in _NO_ONE or (
            word in _MID_THOUGHT and not _SO_NOT_MID_THOUGHT.match(sentence, match.start(2))
        ):
            return None
        if word in _CONJUNCTIONS:  # "But the army said ..." stands alone as "The army said ..."
            rest = sentence[match.end(2) :].lstrip(" ,")
            if not rest[:1].isalpha() or rest.split()[0].lower() in _CONJUNCTIONS:
                return None
            return self._rewrite(i, match.group(1) + rest[:1].upper() + rest[1:])
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
