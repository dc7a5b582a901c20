"""The layout of a news article: headline, the outlet's own takeaways block, byline, dateline, body.

Wire copy and scraped pages carry furniture before the reporting starts — a headline line,
a "Key Takeaways" block, "By ... | PUBLISHED: ..." lines, an "Islamabad, Oct 29 (NationPress) -"
or "(CNN)" dateline. A summariser that scores that furniture as prose picks it as a takeaway and
a quote finder reads the byline as a speaker, so it is parsed (and kept) here, once, and
everything downstream works on the body sentences. The offline engine's Lead-k baseline in
evaluation must use the same body, or the comparison is unfair.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from briefer.models import Dateline
from briefer.text.dates import DATE, iso_date
from briefer.text.sentences import Span, sentences

_PLACE_WORD = r"[A-Z][A-Za-z.'’-]*"
_PLACE = rf"{_PLACE_WORD}(?:[ -]{_PLACE_WORD}){{0,3}}(?:,\s+{_PLACE_WORD}(?:\s{_PLACE_WORD}){{0,2}})?"
_OUTLET = r"\((?P<outlet>(?:the\s+)?[A-Z][^()\n]{0,40}?)\)"
_DASH = r"\s*(?:--?|[–—:])\s*"
_SEPARATOR = r"(?:\s*(?:--?|[–—])\s*|(?=\S))"  # "(CNN) -- The" or "(CNN)The", not "(P2P) networks"

# Datelines, tried in order at the start of the body.
_DATELINES = [
    # Islamabad, Oct 29 (NationPress) -      WASHINGTON, March 3, 2015 (Reuters) -
    re.compile(rf"(?P<place>{_PLACE}),\s+(?P<date>{DATE})\s*(?:{_OUTLET})?{_DASH}"),
    # Sanaa, Yemen (CNN)The      WASHINGTON (Reuters) -
    re.compile(rf"(?P<place>{_PLACE})\s*{_OUTLET}{_SEPARATOR}"),
    # (CNN) --      (The Hollywood Reporter)It's
    re.compile(rf"{_OUTLET}{_SEPARATOR}"),
    # LONDON --      PARIS, Jan. 3 -      (not "EU-US seeking deal")
    re.compile(rf"(?P<place>[A-Z]{{2,}}(?:[ -][A-Z]{{2,}})*)(?:,\s+(?P<date>{DATE}))?\s+(?:--?|[–—])\s+"),
    # March 11, 2015 .   (CNN Student News)
    re.compile(rf"(?P<date>{DATE})\s+\.\s+"),
]

# A block the outlet wrote to summarise its own story: a header line followed by bullets.
_TAKEAWAYS_HEADER = re.compile(
    r"[ \t]*(?:key takeaways|key points|story highlights|highlights|at a glance|in brief|tl;dr)[ \t]*:?[ \t]*\n",
    re.IGNORECASE,
)
_BULLET_LINE = re.compile(r"[ \t]*(?:[-•*–·▪]|\d+[.)])[ \t]+[^\n]*(?:\n|$)")

# Bylines: "By Jane Doe" on its own line, or the Daily Mail run
# "By . Daily Mail Reporter . PUBLISHED: . 14:11 EST, 25 October 2013 . | . UPDATED: ... . "
_BYLINE_LINE = re.compile(r"[ \t]*By\s+[A-Z][^\n.]{0,80}\n")
_DM_BYLINE = re.compile(r"\s*By\s+\.\s+(?P<by>[^.|\n]{1,100}?)\s+\.\s+")
_DM_STAMP = re.compile(
    rf"\s*(?:\|\s*\.\s*)?(?:PUBLISHED|UPDATED|Last updated)\s*:?\s*\.?\s*(?:at\s+)?"
    rf"[^|\n]{{0,40}}?(?P<date>{DATE})\s*\.\s*"
)
_FOLLOW = re.compile(r"\s*Follow\s+\.?\s*@\w+\s*\.\s*")

# Sentences that are page furniture wherever they stand.
_BOILERPLATE_START = re.compile(
    r"(?:Scroll down for video|Read more\b|READ\b|CLICK HERE|Click here|Follow @|PUBLISHED:|UPDATED:|"
    r"Last updated|Sign up\b|Watch the video|Video:|Photos?:)"
)
_BOILERPLATE_END = re.compile(r"contributed to this (?:report|story)(?: from [^.]{1,40})?\.?$")
# Credits and rights lines: "CNN's Harmeet Singh reported from New Delhi.", "©2015 Billboard. All Rights Reserved."
_REPORTER = r"[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,3}"
_REPORTERS = rf"{_REPORTER}(?:(?:,\s+|,?\s+and\s+){_REPORTER})*"
_CREDIT = re.compile(
    rf"{_REPORTERS}\s+(?:wrote and )?(?:reported|wrote) from [A-Z][^.]{{0,40}}"
    rf"(?:,?\s+and\s+{_REPORTERS}\s+(?:reported|wrote) from [A-Z][^.]{{0,40}})?\.?"
)
_RIGHTS = re.compile(r"(?:©|\(c\)\s*\d|Copyright\s+(?:©|\(c\)|\d{4}))|All [Rr]ights [Rr]eserved\.?$")


def _is_boilerplate(sentence: str) -> bool:
    """Page furniture ("Scroll down for video", "... contributed to this report", a reporter's
    credit, a copyright line), not reporting: nor is anyone it names part of the story."""
    return bool(
        _BOILERPLATE_START.match(sentence)
        or ("contributed to this" in sentence and _BOILERPLATE_END.search(sentence))
        or (" from " in sentence and _CREDIT.fullmatch(sentence.strip()))
        or _RIGHTS.search(sentence)
    )


_HEADLINE_MAX_WORDS = 20


def _no_dateline() -> Dateline:
    """Nothing found yet: the model's fields have no defaults, so that an LLM must fill them."""
    return Dateline(place=None, date=None, outlet=None)


@dataclass
class Layout:
    """What precedes the reporting, and where the reporting is."""

    text: str
    headline: str | None
    dateline: Dateline
    body_start: int
    body: list[Span]
    spoken: list[Span]
    """Every sentence from the body's start, furniture too: where grounding looks for a quote's speaker."""

    def body_sentences(self) -> list[str]:
        """The body as text: what the evaluation's baselines pick from."""
        return [span.of(self.text) for span in self.body]


def _headline_line(text: str, title: str | None) -> tuple[str | None, int]:
    """The first line if it reads as a headline (short, no closing full stop, more text follows),
    or equals the title the source gave; with the offset just after it."""
    first, newline, rest = text.lstrip().partition("\n")
    first = first.strip()
    if not newline or not rest.strip() or not first:
        return None, 0
    if title is not None and " ".join(first.split()) != " ".join(title.split()):
        return None, 0
    if len(first.split()) > _HEADLINE_MAX_WORDS or first[-1] in ".,;:" or first.startswith("By "):
        return None, 0
    if any(p.match(first) for p in _DATELINES):
        return None, 0
    return first, text.index(newline, text.index(first)) + 1


def _skip(pattern: re.Pattern[str], text: str, pos: int) -> int:
    match = pattern.match(text, pos)
    return match.end() if match else pos


def _skip_whitespace(text: str, pos: int) -> int:
    while pos < len(text) and text[pos].isspace():
        pos += 1
    return pos


def _furniture(text: str, pos: int) -> tuple[int, Dateline]:
    """Skip the takeaways block and bylines after ``pos``; return the new position and what the byline says."""
    # The outlet's own "Key Takeaways" bullets are not reporting: we skip them rather than reuse
    # them, so the brief's takeaways are always sentences of the body (checkable by grounding),
    # and a summary-of-the-summary does not dominate centrality scores.
    header = _TAKEAWAYS_HEADER.match(text, pos)
    if header:
        pos = header.end()
        while bullet := _BULLET_LINE.match(text, pos):
            pos = bullet.end()
    pos = _skip_whitespace(text, pos)
    pos = _skip(_BYLINE_LINE, text, pos)
    found = _no_dateline()
    byline = _DM_BYLINE.match(text, pos)
    if byline:
        pos = byline.end()
        outlet = "Daily Mail" if "Daily Mail" in byline.group("by") else None
        while stamp := _DM_STAMP.match(text, pos):
            found = Dateline(place=None, date=found.date or iso_date(stamp.group("date")), outlet=outlet)
            pos = stamp.end()
        pos = _skip(_FOLLOW, text, pos)
        found = Dateline(place=None, date=found.date, outlet=outlet)
    return _skip_whitespace(text, pos), found


def _dateline(text: str, pos: int) -> tuple[int, Dateline]:
    """The dateline at ``pos`` (the first pattern that matches), and the position after it."""
    for pattern in _DATELINES:
        match = pattern.match(text, pos)
        if match:
            groups = match.groupdict()
            date = groups.get("date")
            return match.end(), Dateline(
                place=(groups.get("place") or "").strip() or None,
                date=iso_date(date) if date else None,
                outlet=groups.get("outlet"),
            )
    return pos, _no_dateline()


def parse(text: str, title: str | None = None) -> Layout:
    """Split an article into headline, dateline and body sentences (furniture excluded).

    ``title`` (when the source gave one) wins over a headline line found in the text; a
    first line equal to the title is still skipped so it does not become a body sentence.
    """
    found_headline, pos = _headline_line(text, title)
    pos, by = _furniture(text, pos)
    pos, dateline = _dateline(text, pos)
    dateline = Dateline(
        place=dateline.place, date=dateline.date or by.date, outlet=dateline.outlet or by.outlet
    )
    rest = text[pos:]
    spoken = [Span(span.start + pos, span.end + pos) for span in sentences(rest)]
    body = [span for span in spoken if not _is_boilerplate(span.of(text))]
    return Layout(
        text=text,
        headline=title or found_headline,
        dateline=dateline,
        body_start=pos,
        body=body,
        spoken=spoken,
    )
