"""What to watch: the developments the article says are expected or pending."""

from __future__ import annotations

import re
from bisect import bisect_right

from briefer.models import MAX_TAKEAWAY_CHARS

_MAX_WATCH = 3

# Searched in lower-cased text (IGNORECASE makes this regex several times slower), with the
# alternatives grouped by first letter: each position then costs one letter test, not a dozen
# alternatives. The word boundary before a match is checked in _forward_sentences.
_EXPECTED = r"(?:expected|due|set|scheduled|planning|likely|poised)\s+to"
_FORWARD = re.compile(
    rf"(?:w(?:ill|as\s+{_EXPECTED}|ere\s+{_EXPECTED})"
    rf"|i(?:s\s+{_EXPECTED}|ntends?\s+to|n\s+the\s+coming\s+(?:days|weeks|months))"
    rf"|a(?:re\s+{_EXPECTED})"
    r"|p(?:lans?\s+to|romis(?:es|ed)\s+to|ending)"
    r"|t(?:hreaten(?:s|ed)?\s+to)"
    r"|v(?:ow(?:s|ed)?\s+to)"
    r"|n(?:ext\s+(?:week|month|year))"
    r"|l(?:ater\s+this\s+(?:week|month|year))"
    r"|u(?:pcoming))\b"
)


def _forward_sentences(lowered: list[str]) -> list[int]:
    """Indices of the lower-cased sentences that say what happens next, in one scan of them all
    (joined by NUL: neither a word character nor whitespace, so no match crosses a sentence)."""
    text = "\0".join(lowered)
    starts, at = [], 0
    for sentence in lowered:
        starts.append(at)
        at += len(sentence) + 1
    found: list[int] = []
    for match in _FORWARD.finditer(text):
        at = match.start()
        if at == 0 or not (text[at - 1].isalnum() or text[at - 1] == "_"):
            i = bisect_right(starts, at) - 1
            if not found or found[-1] != i:
                found.append(i)
    return found


def what_to_watch(
    sentences: list[str], lowered: list[str], shares: list[float], scores: list[float]
) -> list[str]:
    """The most important forward-looking sentences ("will", "is expected to", "plans to") outside
    quotes, in article order."""
    forward = _forward_sentences(lowered)
    picks: list[int] = []
    for i in sorted(forward, key=lambda i: -scores[i]):
        if len(picks) == _MAX_WATCH:
            break
        if shares[i] < 0.5 and len(sentences[i]) <= MAX_TAKEAWAY_CHARS:
            picks.append(i)
    return [sentences[i] for i in sorted(picks)]
