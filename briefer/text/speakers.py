"""Whether a quote's speaker is named where a reader looks for them.

Grounding flags a quote whose speaker is not named near it; the offline engine keeps only
quotes that pass the same check. One check, here, so the engine never offers a quote that
grounding would flag.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from functools import lru_cache

from briefer.text.sentences import Span
from briefer.text.titles import is_title
from briefer.text.words import WORD, is_content, match_stem

PRONOUN_LOOKBACK = 3
"""Sentences to look back for the speaker when a quote is attributed by a pronoun."""

_SPEECH = (
    r"(?:said|says|added|adds|told|tells|continued|explained|claimed|wrote|writes|declared|insisted|"
    r"stated|argued|noted|warned|asked|replied|recalled|according\s+to)"
)
_PRONOUN_ATTRIBUTION = re.compile(
    rf"\b(?:he|she|they|it)\s+(?:\w+\s+)?{_SPEECH}\b|\b{_SPEECH}\s+(?:he|she|they)\b", re.IGNORECASE
)
_NAME = r"[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)*"
_NAMED_ATTRIBUTION = re.compile(
    rf"\b{_SPEECH}\s+(?:[a-z]+\s+){{0,3}}(?P<after>{_NAME})|(?P<before>{_NAME})(?:,[^,]{{1,80}},)?\s+{_SPEECH}\b"
)


@lru_cache(maxsize=4096)
def _speaker_keys(speaker: str) -> list[str]:
    """What must be seen near the quote: the surname, or the content words of a description."""
    names = [w for w in WORD.findall(speaker) if w[0].isupper() and not is_title(w)]
    if names:
        return [match_stem(names[-1])]
    return [match_stem(w) for w in WORD.findall(speaker) if is_content(w)]


class SpeakerCheck:
    """Whether a quote's speaker is named near it in ``text`` (split into ``spans``).

    Near means: if the quote's own sentences attach a name to a speech verb ('..., said Mr
    Smith'), that name must be the speaker; otherwise the speaker is named in the quote's
    sentences or the one either side, or, when those attribute by "he"/"she", within
    PRONOUN_LOOKBACK sentences before.
    """

    def __init__(self, text: str, spans: list[Span]) -> None:
        self.text, self.spans = text, spans
        self.starts = [span.start for span in spans]

    def __call__(self, quote_start: int, quote_end: int, speaker: str) -> bool:
        spans, text = self.spans, self.text
        if not spans:
            return True
        first = max(0, bisect_right(self.starts, quote_start) - 1)
        last = max(first, bisect_right(self.starts, quote_end - 1) - 1)
        keys = _speaker_keys(speaker)
        own = f"{text[spans[first].start : quote_start]} | {text[quote_end : spans[last].end]}"
        named = [m["after"] or m["before"] for m in _NAMED_ATTRIBUTION.finditer(own)]
        named = [name for name in named if is_content(name.split()[0]) or len(name.split()) > 1]
        if named:  # the quote's own sentences name who said it
            return any(_names_speaker(keys, name) for name in named)
        end = spans[min(last + 1, len(spans) - 1)].end
        if self._names(keys, spans[max(0, first - 1)].start, end):
            return True
        # After "he said" look further back (a wider window: checked only when needed).
        return bool(_PRONOUN_ATTRIBUTION.search(text, spans[first].start, end)) and self._names(
            keys, spans[max(0, first - PRONOUN_LOOKBACK)].start, end
        )

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
