"""Who said what, and on whose reporting: quotes with speakers, cited sources, named entities.

Rules, not a model: they read the conventions of English news copy — ``"...," he added``,
``X declared, "..."``, ``according to Geo News``, ``Ariana News reported`` — and resolve "he"/"she"
to the person named in the sentence before. They are fast, offline and checkable, and they miss
things a reader would not:

- names are runs of capitalised words, so lower-case particles ("al Qaeda"), names split by a
  line break, and entities never named with a capital are missed;
- "he"/"she" is resolved to the first known person named in the current or previous sentence —
  known: named with a title, as a speaker, or as the subject of a speech or action verb ("Mr Clarke
  dismissed", "Gerti concedes") — whose gender does not contradict it (gender comes from titles,
  earlier pronouns and the first "his"/"her" after the name), else to the last named speaker;
  "they" is nobody in particular, so its quotes are dropped; a description ("the prime minister")
  is the person with that role, or the titled subject of the sentence before, or kept as written;
- kinds are guessed from title words (Minister, Chief -> person), organisation words (Ministry,
  News -> organisation) and prepositions (in/from/near X -> place); a name with no such clue is
  left out rather than guessed, and a company after "from" can pass for a place;
- quotes need a speaker within the same paragraph or an adjacent quote's speaker; quotes whose
  speaker cannot be found are dropped (a Quote must name its speaker), and so are quotes whose
  speaker is not named where ``briefer.grounding`` looks (the quote's sentences and the one either
  side, more after "he said"): a continuation three sentences from its speaker's name is left out
  rather than shown with a warning. The check is grounding's own (``briefer.text.speakers``),
  so it also inherits grounding's misreadings ('he told BBC Radio' names BBC Radio).

Modules: ``scan`` (one pass over the capitalised runs), ``people``, ``quotes``, ``outlets``,
``entities``; ``names`` and ``cues`` hold the vocabulary they share.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from briefer.engines.extractive.entities import story_entities
from briefer.engines.extractive.names import split_title
from briefer.engines.extractive.outlets import cited_outlets
from briefer.engines.extractive.people import People
from briefer.engines.extractive.quotes import SpeakerNamed, find_quotes
from briefer.engines.extractive.scan import Scan
from briefer.text.sentences import Span, sentences
from briefer.text.speakers import SpeakerCheck
from briefer.text.titles import ROLE_TITLES


@dataclass
class Attribution:
    """Everything attribution found in one article body."""

    quotes: list[tuple[str, str]] = field(default_factory=list)  # (speaker, verbatim text)
    quoted: list[Span] = field(default_factory=list)  # every quoted passage, scare quotes included
    sources: list[str] = field(default_factory=list)
    entities: list[tuple[str, str, str]] = field(default_factory=list)  # (name, kind, role)
    people: People = field(default_factory=People)  # who "he" and "she" may be, for takeaways


def _people(scan: Scan) -> People:
    """The people the body names with a title ("Defence Minister Khawaja Asif") or as the subject
    of speech or action, before any quote is read: a pronoun may stand for any of them."""
    people = People()
    people.runs, people.run_starts = scan.runs, [at for at, _, _ in scan.runs]
    for at, _, run in scan.runs:
        if " " not in run or ROLE_TITLES.isdisjoint(run.lower().split()[:-1]):
            continue
        title, name = split_title(run)
        if name and title and any(t.lower() in ROLE_TITLES for t in title.split()):
            full = people.add(run)
            if full:
                people.mentions.append((at, full))
    for _, _, match in scan.speech:
        speaker = people.subject(match.group("who"), match.start("who"), match.group("app"))
        if speaker:
            people.events.append((match.start("who"), speaker))
    for at, run, app in scan.actors:
        people.subject(run, at, app)
    return people


def _anyone_named(start: int, end: int, speaker: str) -> bool:
    """``checked=False``: every speaker passes."""
    return True


def attribute(
    text: str,
    body_start: int,
    own_outlet: str | None = None,
    place: str | None = None,
    body: list[Span] | None = None,
    checked: bool = True,
    headline: str | None = None,
) -> Attribution:
    """Quotes, sources and entities of the article body ``text[body_start:]``.

    ``body``: the body's sentence spans, if the caller has them (else they are split here).
    ``headline``: names in it are more central to the story.
    ``checked``: keep a quote only when its speaker is named where grounding will look for them
    (off only to measure how often the rules alone go wrong).
    """
    scan = Scan(text, body_start)
    people = _people(scan)
    if body is None:
        body = [Span(s.start + body_start, s.end + body_start) for s in sentences(text[body_start:])]
    speaker_named: SpeakerNamed = SpeakerCheck(text, body) if checked else _anyone_named
    result = Attribution(people=people)
    result.quotes, result.quoted = find_quotes(text, body_start, people, speaker_named)
    body_text = text[body_start:]
    result.sources = cited_outlets(body_text, scan, people, own_outlet)
    result.quotes = [(people.resolve(speaker), quote) for speaker, quote in result.quotes]
    speakers = [s for s, _ in result.quotes]
    result.entities = story_entities(scan, people, speakers, result.sources, place, headline, own_outlet)
    return result
