"""Quotes and who said them, by the conventions of English news copy.

``"...," he added``, ``X declared, "..."``, ``"...," said Police Chief Cassandra Jones``: a quote
takes the speaker its attribution names, "he"/"she" the person named just before, and a quote
with no attribution of its own the speaker of the quote it continues. A quote whose speaker
cannot be found, or is not named where grounding looks, is dropped: a Quote must name its
speaker, and the brief must pass grounding.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from briefer.engines.extractive.cues import (
    APPOSITIVE,
    CAPRUN,
    SENTENCE_END,
    SUBJECT_WINDOW,
    VERBS,
)
from briefer.engines.extractive.names import clean_run
from briefer.engines.extractive.people import People
from briefer.text.sentences import Span, paragraphs
from briefer.text.titles import ROLE_TITLES

SpeakerNamed = Callable[[int, int, str], bool]
"""(quote start, quote end, speaker) -> whether the speaker is named where a reader looks."""

_PRONOUN = r"(?:he|she|they|He|She|They)"
_PRONOUNS = frozenset({"he", "she", "they", "He", "She", "They"})
# 'said the Sale player', 'said the prime minister': a description, kept as written unless it is
# the role of a person the article names.
_DESCRIPTION = r"[Tt]he\s+(?:[\w'’-]+\s+){0,3}?[\w'’-]+(?=\s*[,.;!?])"
_WHO = rf"(?P<pre>(?:[\w'’-]+\s+){{0,4}}?)(?P<who>{CAPRUN}|{_PRONOUN}|[Tt]he\s+[a-z]+(?:\s+[a-z]+)?)"

# Attribution after a quote: ', he added.'  ', said Police Chief Cassandra Jones.'  ', leading ... NDTV reported.'
_AFTER_WHO_VERB = re.compile(rf"\s*,?\s*{_WHO}{APPOSITIVE}\s+(?:has\s+|had\s+|also\s+)?{VERBS}\b")
_AFTER_VERB_WHO = re.compile(rf"\s*,?\s*{VERBS}\s+(?P<who>{CAPRUN}|{_PRONOUN}|{_DESCRIPTION}){APPOSITIVE}")
# A speech verb right after a quote that the patterns above could not read ('..., said one fan
# who ...'): the quote has a speaker of its own, so it is not the previous speaker's.
_UNREAD_ATTRIBUTION = re.compile(rf"\s*,?\s*(?:[\w'’.-]+\s+){{0,4}}?{VERBS}\b")
# Attribution before a quote: 'Minister Asif declared, '  'He said: '  'The prime minister told MPs: '
_BEFORE = re.compile(
    rf"{_WHO}{APPOSITIVE}\s+(?:has\s+|had\s+|also\s+)?{VERBS}(?:\s+[\w'’-]+){{0,4}}?\s*[:,]?\s*$"
)

_MIN_QUOTE_WORDS = 5
_ATTRIBUTION_WINDOW = 160
_CONTINUATION = 100  # max characters between a quote and an unattributed one that continues it


_QUOTE_MARK = re.compile(r"[\"“”]")


def _quoted_spans(text: str, para: Span) -> list[Span]:
    """Inner spans of double-quoted passages in one paragraph.

    A straight quote mark opens when it follows whitespace or the paragraph start and closes
    otherwise; an opening mark while a quote is open ends the open one (the news convention of
    not closing a quote whose next paragraph or sentence reopens it).
    """
    spans: list[Span] = []
    open_at: int | None = None
    for match in _QUOTE_MARK.finditer(text, para.start, para.end):
        at = match.start()
        mark = match.group()
        opening = mark == "“" or (mark == '"' and (at == para.start or text[at - 1] in " \t\n([{—–-"))
        if opening:
            if open_at is not None:
                spans.append(Span(open_at + 1, at))
            open_at = at
        elif open_at is not None:
            spans.append(Span(open_at + 1, at))
            open_at = None
    if open_at is not None:
        spans.append(Span(open_at + 1, para.end))
    return [_trim(text, s) for s in spans if text[s.start : s.end].strip()]


def _trim(text: str, span: Span) -> Span:
    """The span without the whitespace just inside its quote marks."""
    inner = text[span.start : span.end]
    lead = len(inner) - len(inner.lstrip())
    return Span(span.start + lead, span.start + len(inner.rstrip()))


def _is_utterance(quote: str) -> bool:
    """A full quoted statement rather than a scare-quoted phrase ('own peril and doom')."""
    if len(quote.split()) < _MIN_QUOTE_WORDS:
        return False
    return next((c for c in quote if c.isalpha()), "a").isupper()


def _speaker(match: re.Match[str], people: People, text: str, at: int) -> tuple[str | None, bool]:
    """The speaker a matched attribution names, and whether it named them by a pronoun."""
    who = match.group("who")
    if who in _PRONOUNS:
        name = people.subject_before(text, at, who)
        if name and name not in people.gender:
            people.gender[name] = who.lower()  # "she said" of Gregory: Gregory is not a "he"
        return name, True
    if who[0].islower() or who.startswith(("The ", "the ")):
        return _described(" ".join(who.split()), people, text, at), False
    app = match.groupdict().get("app")
    name = people.add(who, app)
    if name:
        people.events.append((at, name))
        people.mentions.append((at, name))
        return name, False
    name = clean_run(who) or None
    if name and " " not in name:
        people.subjects.add(name)
        people.events.append((at, name))
    return name, False


def _described(description: str, people: People, text: str, at: int) -> str:
    """'the prime minister' -> the person whose role the article gave as Prime Minister, if exactly
    one; else, for a title, the first person named in this or the previous sentence when no known
    role of theirs contradicts it ('Mr Blair was asked ... The prime minister told MPs'); else the
    description as written ('The Sale player')."""
    words = description.lower().split()[1:]
    matches = [
        person.name
        for person in people.by_name.values()
        if person.role and _ends_with(person.role.lower().split(), words)
    ]
    if len(matches) == 1:
        return matches[0]
    if words and words[-1] in ROLE_TITLES:
        ends = [m.end() for m in SENTENCE_END.finditer(text, max(0, at - SUBJECT_WINDOW), at)]
        start = ends[-2] if len(ends) >= 2 else max(0, at - SUBJECT_WINDOW)
        for name in people.named_between(text, start, at):
            person = people.by_name.get(name)
            if person is None or person.role is None:
                return name
            break
    return description[0].upper() + description[1:]


def _ends_with(tokens: list[str], words: list[str]) -> bool:
    """Whether a role ends with a description's words ('Defence Minister' ends with 'minister')."""
    return len(words) <= len(tokens) and tokens[len(tokens) - len(words) :] == words


def _attribute(text: str, para: Span, span: Span, people: People) -> tuple[str | None, bool, bool]:
    """(speaker, named by a pronoun, the quote has an attribution of its own we could not read)."""
    end = text.find('"', span.end + 1, para.end)
    after = text[
        span.end + 1 : min(para.end, span.end + 1 + _ATTRIBUTION_WINDOW, end if end > 0 else para.end)
    ]
    quote = text[span.start : span.end]
    if quote[-1:] in ",?!—-" or after.lstrip().startswith(","):
        match = _AFTER_WHO_VERB.match(after) or _AFTER_VERB_WHO.match(after)
        if match:
            speaker, pronoun = _speaker(match, people, text, span.start)
            return speaker, pronoun, speaker is None  # "they said": someone, but not one person
        if _UNREAD_ATTRIBUTION.match(after):
            return None, False, True
    window = text[max(para.start, span.start - 1 - _ATTRIBUTION_WINDOW) : span.start - 1]
    window = re.split(r"[.!?\"“”]\s", window)[-1]
    match = _BEFORE.search(window)
    if match:
        speaker, pronoun = _speaker(match, people, text, span.start)
        return speaker, pronoun, speaker is None
    return None, False, False


def find_quotes(
    text: str, body_start: int, people: People, speaker_named: SpeakerNamed
) -> tuple[list[tuple[str, str]], list[Span]]:
    """(speaker as attributed, verbatim quote) of the body's utterances, in order, and every quoted
    passage (scare quotes included, for ranking); ``speaker_named`` vets each speaker."""
    quotes: list[tuple[str, str]] = []
    quoted: list[Span] = []
    pending: list[Span] = []
    last_speaker: tuple[int, str] | None = None
    for para in paragraphs(text[body_start:]):
        para = Span(para.start + body_start, para.end + body_start)
        for span in _quoted_spans(text, para):
            quoted.append(span)
            quote = span.of(text)
            if not _is_utterance(quote):
                continue
            speaker, _, own = _attribute(text, para, span, people)
            if speaker is None and not own and last_speaker and span.start - last_speaker[0] < _CONTINUATION:
                speaker = last_speaker[1]  # the next paragraph or sentence of the previous speaker's quote
            if speaker is None:
                if own:  # someone we could not name said it: not the previous speaker
                    last_speaker = None
                    pending = []
                else:
                    pending.append(span)
                continue
            for earlier in pending:  # a quote run whose attribution comes at its end
                if span.start - earlier.end < 4 and speaker_named(
                    earlier.start, earlier.end, people.resolve(speaker)
                ):
                    quotes.append((speaker, earlier.of(text).removesuffix(",")))
            pending = []
            if speaker_named(span.start, span.end, people.resolve(speaker)):
                quotes.append((speaker, quote.removesuffix(",")))
            last_speaker = (span.end, speaker)
    return quotes, quoted
