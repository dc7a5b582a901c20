"""Whether a quote's speaker is named where a reader looks for them.

Grounding flags a quote whose speaker is not named near it; the offline engine keeps only
quotes that pass the same check. One check, here, so the engine never offers a quote that
grounding would flag.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from functools import lru_cache

from briefer.text.dates import MONTHS, WEEKDAYS
from briefer.text.sentences import Span, paragraphs
from briefer.text.titles import is_title
from briefer.text.words import WORD, is_content, match_stem

PRONOUN_LOOKBACK = 3
"""Sentences to look back for the speaker when a quote is attributed by a pronoun or description."""
PARAGRAPH_SENTENCES = 6
"""A block longer than this is no paragraph but a text without breaks (wire copy on one line)."""

_SPEECH = (
    r"(?:said|says|added|adds|told|tells|continued|explained|claimed|wrote|writes|declared|insisted|"
    r"stated|argued|noted|warned|asked|replied|recalled|according\s+to)"
)
# "he added", "said the 25-year-old", "the minister said": someone named earlier is speaking.
_ANAPHORIC_ATTRIBUTION = re.compile(
    rf"\b(?:he|she|they|it)\s+(?:\w+\s+)?{_SPEECH}\b|\b{_SPEECH}\s+(?:he|she|they)\b"
    rf"|\b{_SPEECH}\s+(?:the|his|her|their)\s|\b(?:the|this|that)\s+(?:[a-z0-9][\w'’-]*\s+){{1,3}}{_SPEECH}\b",
    re.IGNORECASE,
)
# Who follows "told" is the listener ('he told Reuters'), not the speaker.
_SPOKEN_BY = _SPEECH.replace("told|tells|", "")
_NAME = r"[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)*"
_NAMED_ATTRIBUTION = re.compile(
    rf"\b{_SPOKEN_BY}\s+(?:[a-z]+\s+){{0,3}}(?P<after>{_NAME})|(?P<before>{_NAME})(?:,[^,]{{1,80}},)?\s+{_SPEECH}\b"
)
_DAYS = frozenset((*MONTHS, *WEEKDAYS))  # 'she said on Monday': a date, not a speaker
_QUOTED = re.compile(r"\"[^\"]*\"|“[^”]*”")


@lru_cache(maxsize=4096)
def _speaker_keys(speaker: str) -> list[str]:
    """What must be seen near the quote: the surname, or the content words of a description."""
    names = [w for w in WORD.findall(speaker) if w[0].isupper() and not is_title(w)]
    if names:
        return [match_stem(names[-1])]
    return [match_stem(w) for w in WORD.findall(speaker) if is_content(w)]


def _attributed(text: str) -> list[str]:
    """The names ``text`` gives speech to ('..., said Mr Smith'); 'He said' names no one."""
    named = [m["after"] or m["before"] for m in _NAMED_ATTRIBUTION.finditer(text)]
    return [
        name
        for name in named
        if (is_content(name.split()[0]) or len(name.split()) > 1) and name.split()[0].lower() not in _DAYS
    ]


class SpeakerCheck:
    """Whether a quote's speaker is named near it in ``text`` (split into ``spans``).

    Near means: if the quote's own sentences attach a name to a speech verb ('..., said Mr
    Smith'), that name must be the speaker; otherwise the speaker is named in the quote's
    sentences, the one either side, anywhere in its paragraph, or along its attribution chain:
    after "he added" or "said the 25-year-old", PRONOUN_LOOKBACK sentences before, and as many
    again before each earlier attribution of that kind ("said the 25-year-old … he added"), and
    never after: "he said" points back. A sentence giving speech to someone named ends the
    search: a "he" beyond it is another man. Who was told ('she told Reuters') and when ('said
    on Monday') name no speaker.
    """

    def __init__(self, text: str, spans: list[Span]) -> None:
        self.text, self.spans = text, spans
        self.starts = [span.start for span in spans]
        self._blocks: list[tuple[int, int]] | None = None
        self._speech: dict[int, tuple[bool, bool]] = {}

    def __call__(self, quote_start: int, quote_end: int, speaker: str) -> bool:
        spans, text = self.spans, self.text
        if not spans:
            return True
        first = max(0, bisect_right(self.starts, quote_start) - 1)
        last = max(first, bisect_right(self.starts, quote_end - 1) - 1)
        keys = _speaker_keys(speaker)
        own = f"{text[spans[first].start : quote_start]} | {text[quote_end : spans[last].end]}"
        named = _attributed(own)
        if named:  # the quote's own sentences name who said it
            return any(_names_speaker(keys, name) for name in named)
        low, high = self._reach(first, last)
        return self._names(keys, spans[low].start, spans[high].end)

    def _reach(self, first: int, last: int) -> tuple[int, int]:
        """The sentences (first and last index) where the speaker of a quote in ``first..last`` may be named."""
        low, high = max(0, first - 1), min(len(self.spans) - 1, last + 1)
        if (block := self._paragraph(first)) is not None:
            low, high = min(low, block[0]), max(high, block[1])
        if any(self._speech_in(i)[1] for i in range(first, last + 1)):  # "he said" points back only
            low, high = min(low, self._chain_start(first)), last
        elif any(self._speech_in(i)[1] for i in (max(0, first - 1), min(len(self.spans) - 1, last + 1))):
            low = min(low, self._chain_start(first))  # '"…," he added. "But …"'
        # The nearest sentence either side that gives speech to a name ends the reach.
        low = next((i for i in range(first - 1, low - 1, -1) if self._speech_in(i)[0]), low)
        high = next((i for i in range(last + 1, high + 1) if self._speech_in(i)[0]), high)
        return low, high

    def _chain_start(self, first: int) -> int:
        """How far back "he said" reaches: PRONOUN_LOOKBACK sentences, more along a chain of attributions."""
        reach, i = first - PRONOUN_LOOKBACK, first - 1
        while i >= max(0, reach):
            named, anaphoric = self._speech_in(i)
            if named:
                return i
            if anaphoric:
                reach = i - PRONOUN_LOOKBACK
            i -= 1
        return max(0, reach)

    def _paragraph(self, first: int) -> tuple[int, int] | None:
        """First and last sentence of the paragraph holding sentence ``first``; None when the text
        has no paragraphs to speak of (one block, or blocks too long to be paragraphs)."""
        if self._blocks is None:
            starts = [p.start for p in paragraphs(self.text)]
            owner = [bisect_right(starts, span.start) - 1 for span in self.spans]
            bounds: dict[int, list[int]] = {}
            for i, block in enumerate(owner):
                bounds.setdefault(block, [i, i])[1] = i
            self._blocks = (
                [(bounds[block][0], bounds[block][1]) for block in owner] if len(bounds) > 1 else []
            )
        if not self._blocks:
            return None
        low, high = self._blocks[first]
        return (low, high) if high - low < PARAGRAPH_SENTENCES else None

    def _speech_in(self, i: int) -> tuple[bool, bool]:
        """Whether sentence ``i`` (its quotes aside) gives speech to a name, and to a pronoun or description."""
        if i not in self._speech:
            said = _QUOTED.sub(" | ", self.spans[i].of(self.text))
            anaphoric = bool(_ANAPHORIC_ATTRIBUTION.search(said))  # 'he said, according to Reuters' too
            self._speech[i] = (not anaphoric and bool(_attributed(said)), anaphoric)
        return self._speech[i]

    def _names(self, keys: list[str], start: int, end: int) -> bool:
        """Whether ``text[start:end]`` names the speaker ``keys`` stand for."""
        window = self.text[start:end]
        if len(keys) == 1 and len(keys[0]) > 3 and keys[0].isalpha():
            # A surname: its stem is the word's start ('clark' of "Clarke's"; 'humphr(y)' of
            # "Humphries"), so find that, then compare stems, instead of stemming every word.
            key = keys[0]
            probe, lowered = key[:-1], window.lower()
            at = lowered.find(probe)
            while at >= 0:
                if at == 0 or not lowered[at - 1].isalpha():
                    word = WORD.match(window, at)
                    if word and match_stem(word.group()) == key:
                        return True
                at = lowered.find(probe, at + 1)
            return False
        return _names_speaker(keys, window)


def _names_speaker(keys: list[str], text: str) -> bool:
    """At least half the speaker's keys occur among the stems of ``text``."""
    stems = {match_stem(w) for w in WORD.findall(text)}
    return bool(keys) and sum(k in stems for k in keys) * 2 >= len(keys)
