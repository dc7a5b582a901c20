"""What to watch: the developments the article says are expected or pending."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable

from briefer.models import MAX_TAKEAWAY_CHARS

_MAX_WATCH = 3
_MIN_WORDS = 6
_ASIDE = re.compile(r"[\"“‘'(]*(?:nor|neither|or|and|but|so)\b", re.IGNORECASE)

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


def _looks_ahead(sentence: str) -> bool:
    """A statement of what is to come, not a remark that happens to hold "will": long enough to say
    what ("Nor should -- or will -- it now." says nothing), and no question."""
    return (
        len(sentence.split()) >= _MIN_WORDS
        and not sentence.rstrip("\"”’' ").endswith("?")
        and not _ASIDE.match(sentence)
    )


def what_to_watch(
    sentences: list[str],
    lowered: list[str],
    shares: list[float],
    scores: list[float],
    bullet: Callable[[int], str | None] | None = None,
) -> list[str]:
    """The most important forward-looking sentences ("will", "is expected to", "plans to") outside
    quotes, in article order; ``bullet`` gives a sentence as it stands alone (None: it cannot)."""
    forward = _forward_sentences(lowered)
    picks: dict[int, str] = {}
    for i in sorted(forward, key=lambda i: -scores[i]):
        if len(picks) == _MAX_WATCH:
            break
        text = sentences[i] if bullet is None else bullet(i)
        if text and shares[i] < 0.5 and len(text) <= MAX_TAKEAWAY_CHARS and _looks_ahead(text):
            picks[i] = text
    return [picks[i] for i in sorted(picks)]
