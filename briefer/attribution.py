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
  rather than shown with a warning. The check borrows grounding's own window and name matching,
  so it also inherits grounding's misreadings ('he told BBC Radio' names BBC Radio).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field

from briefer.text.sentences import Span, paragraphs, sentences
from briefer.text.speakers import SpeakerCheck

_PARTICLE = r"(?:de|da|del|der|di|du|van|von|bin|ibn|al|el|la|le)"
# A capitalised word; full stops only in initialisms ("U.S.") and titles ("Sgt."), so a run never
# crosses a sentence end ("Geo News. The").
_CAPWORD = r"(?=[A-Z])(?:[A-Z]\.(?:[A-Z]\.)+|(?:Mr|Mrs|Ms|Dr|Sen|Rep|Gen|Gov|Lt|Col|Sgt|Capt|Prof|Rev|St|Jr)\.|[A-Z][\w'’&-]*\w|[A-Z])"
_CAPRUN = rf"{_CAPWORD}(?:\s+(?:{_PARTICLE}\s+)?{_CAPWORD}){{0,5}}"
_VERBS = (
    r"(?:said|says|say|added|adds|told|tells|claimed|claims|declared|declares|stated|states|explained|"
    r"explains|wrote|writes|asked|asks|insisted|insists|warned|warns|noted|notes|argued|argues|"
    r"continued|recalled|replied|responded|admitted|acknowledged|announced|tweeted|posted|concluded|"
    r"suggested|urged|vowed|promised|cautioned|demanded|conceded|confirmed|joked|shouted|agreed|"
    r"stressed|emphasi[sz]ed|commented|quipped|reported|telling|saying|adding)"
)
_PRONOUN = r"(?:he|she|they|He|She|They)"
_PRONOUNS = frozenset({"he", "she", "they", "He", "She", "They"})
# 'said the Sale player', 'said the prime minister': a description, kept as written unless it is
# the role of a person the article names.
_DESCRIPTION = r"[Tt]he\s+(?:[\w'’-]+\s+){0,3}?[\w'’-]+(?=\s*[,.;!?])"
_WHO = rf"(?P<pre>(?:[\w'’-]+\s+){{0,4}}?)(?P<who>{_CAPRUN}|{_PRONOUN}|[Tt]he\s+[a-z]+(?:\s+[a-z]+)?)"
_APPOSITIVE = r"(?:,\s+(?P<app>[^,\"“”]{2,90}),)?"

# Attribution after a quote: ', he added.'  ', said Police Chief Cassandra Jones.'  ', leading ... NDTV reported.'
_AFTER_WHO_VERB = re.compile(rf"\s*,?\s*{_WHO}{_APPOSITIVE}\s+(?:has\s+|had\s+|also\s+)?{_VERBS}\b")
_AFTER_VERB_WHO = re.compile(rf"\s*,?\s*{_VERBS}\s+(?P<who>{_CAPRUN}|{_PRONOUN}|{_DESCRIPTION}){_APPOSITIVE}")
# A speech verb right after a quote that the patterns above could not read ('..., said one fan
# who ...'): the quote has a speaker of its own, so it is not the previous speaker's.
_UNREAD_ATTRIBUTION = re.compile(rf"\s*,?\s*(?:[\w'’.-]+\s+){{0,4}}?{_VERBS}\b")
# Attribution before a quote: 'Minister Asif declared, '  'He said: '  'The prime minister told MPs: '
_BEFORE = re.compile(
    rf"{_WHO}{_APPOSITIVE}\s+(?:has\s+|had\s+|also\s+)?{_VERBS}(?:\s+[\w'’-]+){{0,4}}?\s*[:,]?\s*$"
)
# Speech anywhere, quoted or not ("Abdul Mateen Qani, spokesperson for ..., stated that"): names
# pronouns. Read at a capitalised run followed by a speech verb (see _Scan): a search starting at
# every capital letter of the article would cost more than the whole summariser.
_AUXILIARY = r"\s+(?:has\s+|had\s+|also\s+)?$"
_SPEAKER_BEFORE = re.compile(rf"(?P<who>{_CAPRUN}){_APPOSITIVE}{_AUXILIARY}")
# ... and speakers after the verb: 'says Philip Kusseler, co-owner of Wait A Little horse safaris.'
_SPEAKER_AFTER = re.compile(rf"\s+(?P<who>{_CAPRUN})(?:,\s+(?P<app>[^,\"“”]{{2,90}})[,.])?")
_LOOK_BACK = 150
_SUBJECT_WINDOW = 400
_SENTENCE_END = re.compile(r"[.!?][\"”’]?\s+")

# fmt: off
_TITLE_WORDS = frozenset({
    "minister", "president", "secretary", "chief", "spokesman", "spokeswoman", "spokesperson", "governor",
    "senator", "sen.", "rep.", "representative", "mayor", "general", "gen.", "colonel", "col.",
    "lieutenant", "lt.", "sergeant", "sgt.", "captain", "capt.", "commander", "admiral", "director",
    "chairman", "chairwoman", "ceo", "judge", "justice", "dr", "dr.", "mr", "mr.", "mrs", "mrs.", "ms",
    "ms.", "prof", "prof.", "professor", "sir", "lord", "lady", "dame", "king", "queen", "prince",
    "princess", "pope", "coach", "manager", "commissioner", "inspector", "detective", "officer",
    "ambassador", "attorney", "deputy", "leader", "speaker", "chancellor", "premier", "sheriff",
    "prosecutor", "superintendent", "bishop", "archbishop", "rev.", "imam", "rabbi", "co-chairman",
    "vice-president"
})
# fmt: on
# fmt: off
_OUTLET_WORDS = frozenset({
    "news", "press", "times", "post", "journal", "network", "tv", "radio", "television", "channel", "daily",
    "herald", "guardian", "telegraph", "tribune", "standard", "mail", "reuters", "broadcasting", "gazette",
    "observer", "express", "magazine", "wire", "reporter", "agency", "bloomberg", "xinhua", "bbc", "cnn"
})
# fmt: on
# fmt: off
_ORG_WORDS = _OUTLET_WORDS | frozenset({
    "ministry", "department", "police", "party", "council", "committee", "commission", "office",
    "bureau", "court", "army", "navy", "forces", "government", "university", "college", "school",
    "institute", "foundation", "association", "union", "bank", "group", "company", "corp", "corp.", "inc",
    "inc.", "ltd", "plc", "corporation", "organisation", "organization", "society", "club", "fc", "league",
    "federation", "assembly", "parliament", "congress", "senate", "airlines", "airways", "authority",
    "board", "service", "services", "centre", "center", "hospital", "museum", "church", "nations",
    "alliance", "coalition", "trust", "fund", "reserve", "exchange", "studios", "project", "administration",
})
# fmt: on
_ORG_APPOSITIVE = re.compile(
    r"^(?:the|an?)\s+(?:[\w-]+\s+){0,5}?(?:group|company|firm|organi[sz]ation|agency|party|network|outlet|"
    r"militia|movement|maker|carmaker|retailer|bank|charity|union|team|club|band|body|department|ministry)\b"
)
_ADJECTIVE_SUFFIXES = ("-based", "-owned", "-run", "-backed")
_MALE_TITLES = frozenset({"mr", "sir", "lord", "king", "prince", "father", "brother", "mister"})
_FEMALE_TITLES = frozenset({"mrs", "ms", "miss", "dame", "lady", "queen", "princess", "sister", "madam"})
_POSSESSIVE = re.compile(r"['’]s$")
_GENDERED = re.compile(r"\b(?:[Hh]e|[Hh]is|him|himself|[Ss]he|[Hh]er|hers|herself)\b")
_HE = frozenset({"he", "his", "him", "himself"})
_HONORIFICS = frozenset({"mr", "mrs", "ms", "miss", "dr", "sir", "dame", "lord", "lady"})
_COUNTRY_ACRONYMS = frozenset({"US", "UK", "UN", "EU", "USA", "UAE"})
_OUTLET_CUES = re.compile(
    r"\b(?:outlet|network|agency|newspaper|broadcaster|channel|website|daily|magazine|tabloid)\b"
)
# fmt: off
_NOT_NAMES = frozenset({
    "the", "a", "an", "he", "she", "it", "they", "we", "i", "you", "this", "that", "these", "those", "his",
    "her", "its", "their", "our", "in", "on", "at", "but", "and", "monday", "tuesday", "wednesday",
    "thursday", "friday", "saturday", "sunday", "january", "february", "march", "april", "may", "june",
    "july", "august", "september", "october", "november", "december", "there", "here", "then", "now",
    "today", "yesterday", "meanwhile", "however", "earlier", "later"
})
# fmt: on
# Not followed by a lower-case noun: "Afghan media", "Chinese state press" are adjectives, not names.
_NOT_ADJECTIVE = (
    r"(?!\s+(?!(?:on|in|at|and|or|to|for|with|after|before|last|this|since|where|which|who|that|as|by|of|"
    r"from|when|while|but|is|was|were|has|had|have|will|would|said|says)\b)[a-z])"
)
_TITLED_NAME = re.compile(_CAPRUN)
_SOURCE_PATTERNS = [
    # (pattern, accept any organisation-like name rather than only outlets)
    (
        re.compile(
            rf"according to\s+(?:the\s+)?(?P<pre>(?:[a-z][\w-]*\s+){{0,3}})(?P<x>(?>{_CAPRUN})){_NOT_ADJECTIVE}"
        ),
        True,
    ),
    (
        re.compile(
            rf"citing\s+(?:an?\s+)?(?:reports?\s+(?:from|by|in)\s+)?(?:the\s+)?(?P<pre>)(?P<x>{_CAPRUN})"
        ),
        True,
    ),
    (
        re.compile(rf"reported\s+(?:by|in)\s+(?:the\s+)?(?P<pre>(?:[a-z][\w-]*\s+){{0,3}})(?P<x>{_CAPRUN})"),
        False,
    ),
]  # and "told|interview with|speaking to (the) X", read off the runs (see _Scan)
# "Ariana News reported", "leading Indian news network NDTV reported": verb first, name before it.
_REPORTED = re.compile(r"\b(?=[rq])(?:reported|reports|quoted)\b")
_POSSESSOR = re.compile(r"^[A-Z][\w-]*['’]s\s+")
_OUTLET_BEFORE = re.compile(rf"(?P<pre>(?:[a-z][\w-]*\s+){{0,4}})(?P<x>{_CAPRUN}){_AUXILIARY}")

# One pass over the body finds the capitalised runs; every other cue is read next to a run, with
# an anchored match (cheap) rather than by another scan of the article (each costs as much as the
# ranking): what follows a run ("..., the minister, said", "... reported"), and the words before
# it ("says Philip Kusseler", "told the BBC", "in Turkey"), read backwards in the reversed text.
_RUN_TAIL = re.compile(rf"{_APPOSITIVE}\s+(?:has\s+|had\s+|also\s+)?(?P<verb>\w+)")
_REVERSED_WORDS = re.compile(r"(\s+)(\w+)(?:(\s+)(\w+)(?:(\s+)(\w+))?)?")
_SPEECH_WORDS = frozenset(_VERBS[3:-1].replace("emphasi[sz]ed", "emphasised|emphasized").split("|"))
_REPORT_WORDS = frozenset({"reported", "reports", "quoted"})
# Verbs that make their subject someone a later "he"/"she" may stand for, though they introduce no
# quote themselves: 'Mr Clarke dismissed the latest Tory attack.', 'Gerti concedes ...'.
# fmt: off
_ACTION_WORDS = frozenset({
    "dismissed", "accused", "accuses", "relayed", "denied", "denies", "testified", "revealed", "reveals",
    "described", "describes", "criticised", "criticized", "welcomed", "praised", "defended", "expressed",
    "pointed", "condemned", "rejected", "predicted", "believes", "believed", "thinks", "feels", "concedes",
    "maintained", "maintains", "questioned", "spoke", "speaks", "countered", "disagreed", "apologised",
    "apologized", "explained", "answered", "hit", "called", "blamed", "told", "referenced", "remembered",
})
# fmt: on
# Places: "in Turkey", "from Omaha", "in the United States"; not "in the Quran" (one word after
# "the"), and not "at": "at Microsoft" names a company more often than a place.
_PLACE_PREPOSITIONS = frozenset(
    {"in", "into", "within", "throughout", "near", "across", "outside", "inside", "from"}
)
_RUN_CONTINUES = re.compile(rf"\s+(?:{_PARTICLE}\s+)?")  # a gap a single run could have spanned
_OF_THE = re.compile(r"\s+of\s+(?:the\s+)?")
_THE_PLACE = re.compile(
    rf"(?>{_CAPWORD}(?:\s+{_CAPWORD})+|{'|'.join(sorted(_COUNTRY_ACRONYMS))})" + _NOT_ADJECTIVE
)
_NOT_ADJECTIVE_AT = re.compile(_NOT_ADJECTIVE)

_MIN_QUOTE_WORDS = 5
_ATTRIBUTION_WINDOW = 160
_CONTINUATION = 100  # max characters between a quote and an unattributed one that continues it


@dataclass
class Person:
    name: str
    role: str | None = None


@dataclass
class Attribution:
    """Everything attribution found in one article body."""

    quotes: list[tuple[str, str]] = field(default_factory=list)  # (speaker, verbatim text)
    quoted: list[Span] = field(default_factory=list)  # every quoted passage, scare quotes included
    sources: list[str] = field(default_factory=list)
    entities: list[tuple[str, str, str]] = field(default_factory=list)  # (name, kind, role)


def _is_title(token: str) -> bool:
    return token.lower() in _TITLE_WORDS or token.endswith(("'s", "’s"))


def _is_org(run: str) -> bool:
    return not _ORG_WORDS.isdisjoint([t.strip(".,") for t in run.lower().split()])


def _is_acronym(run: str) -> bool:
    return run.isupper() and 2 <= len(run) <= 6 and " " not in run and run not in _COUNTRY_ACRONYMS


def _is_outlet(run: str, pre: str = "") -> bool:
    tokens = run.lower().split()
    return any(t in _OUTLET_WORDS for t in tokens) or _is_acronym(run) or bool(_OUTLET_CUES.search(pre))


def _split_title(run: str) -> tuple[str, str]:
    """'Pakistan's Defence Minister Khawaja Asif' -> ("Pakistan's Defence Minister", 'Khawaja Asif')."""
    tokens = run.split()
    last_title = max((i for i, t in enumerate(tokens) if _is_title(t)), default=-1)
    if last_title == len(tokens) - 1:
        return run, ""
    return " ".join(tokens[: last_title + 1]), " ".join(tokens[last_title + 1 :])


def _clean_run(run: str) -> str:
    """Drop a leading article and adjectives such as 'Pakistan-based' from a capitalised run."""
    tokens = [t for t in run.split() if not t.endswith(_ADJECTIVE_SUFFIXES)]
    while tokens and tokens[0].lower() in _NOT_NAMES:
        tokens.pop(0)
    return " ".join(tokens).rstrip(".,")


class _People:
    """Person names seen so far, so that 'Asif' resolves to 'Khawaja Asif' and 'he' to the last speaker."""

    def __init__(self) -> None:
        self.by_name: dict[str, Person] = {}
        self.events: list[tuple[int, str]] = []  # (position, full name) of named speech
        self.mentions: list[tuple[int, str]] = []  # (position, full name) of every person mention found
        self.not_people: set[str] = set()
        self.subjects: set[str] = set()  # one-word names that spoke or acted ('Gerti concedes')
        self.gender: dict[str, str] = {}  # full name -> "he"/"she", from titles and resolved pronouns
        self.runs: list[tuple[int, int, str]] = []
        self.run_starts: list[int] = []

    def add(self, run: str, role: str | None = None) -> str | None:
        title, name = _split_title(_clean_run(run))
        if not name or _is_org(name) or _is_outlet(name) or name.lower() in _NOT_NAMES:
            return None
        if name in self.not_people:
            return None
        if role and _ORG_APPOSITIVE.search(role):
            self.not_people.add(name)
            return None  # "Boko Haram, the Islamist extremist group ..."
        if " " not in name and not title and self.resolve(name) == name:
            return None  # one unknown word with no title: "Rover said" is as likely a company
        full = self.resolve(name)
        person = self.by_name.setdefault(full, Person(full))
        if not role and title and not all(t.lower().rstrip(".") in _HONORIFICS for t in title.split()):
            role = title
        if role and not person.role:
            person.role = role.strip()
        if title and full not in self.gender:
            gender = _gender_of(title)
            if gender:
                self.gender[full] = gender
        return full

    def resolve(self, name: str) -> str:
        """The longest known name that ends with ``name`` ('Asif' -> 'Khawaja Asif')."""
        matches = [known for known in self.by_name if known == name or known.endswith(" " + name)]
        return max(matches, key=len) if matches else name

    def mention(self, run: str) -> str | None:
        """The person a capitalised run names, if it names one we know ('Mr Clarke's' -> 'Charles Clarke')."""
        title, name = _split_title(_clean_run(_POSSESSIVE.sub("", run)))
        if not name:
            return None
        full = self.resolve(name)
        if full in self.by_name or full in self.subjects:
            if title and full not in self.gender:
                gender = _gender_of(title)
                if gender:
                    self.gender[full] = gender
            return full
        return None

    def subject_before(self, text: str, pos: int, pronoun: str) -> str | None:
        """Who "he"/"she" at ``pos`` most likely is: the first person named in the previous or the
        current sentence ("Mr Clarke dismissed the attack. "...," he said") whose known gender does
        not contradict the pronoun, else the last named speaker. "They" is no one person: None."""
        pronoun = pronoun.lower()
        if pronoun == "they":
            return None
        window = max(0, pos - _SUBJECT_WINDOW)
        ends = [m.end() for m in _SENTENCE_END.finditer(text, window, pos)]
        start = ends[-2] if len(ends) >= 2 else window
        for name in self.named_between(text, start, pos):
            if self.gender.get(name, pronoun) == pronoun:
                return name
        for _, name in sorted((at, name) for at, name in self.events if at < pos)[::-1]:
            name = self.resolve(name)
            if self.gender.get(name, pronoun) == pronoun:
                return name
        return None

    def named_between(self, text: str, start: int, end: int) -> Iterator[str]:
        """Known people named in ``text[start:end]``, in order; a person's gender is guessed, when
        unknown, from the first personal pronoun after the name in its sentence ('Kusseler is
        looking to grow his current stock' -> he)."""
        first = bisect_left(self.run_starts, start)
        for _, run_end, run in self.runs[first : bisect_left(self.run_starts, end, first)]:
            name = self.mention(run)
            if name:
                if name not in self.gender:
                    stop = _SENTENCE_END.search(text, run_end, run_end + _SUBJECT_WINDOW)
                    pronoun = _GENDERED.search(text, run_end, stop.start() if stop else run_end)
                    if pronoun:
                        self.gender[name] = "he" if pronoun.group().lower() in _HE else "she"
                yield name

    def subject(self, run: str, at: int, role: str | None = None) -> str | None:
        """Note a run that spoke or acted ('Gerti concedes'); a one-word name is kept for pronouns only."""
        name = self.add(run, role)
        if name is None:
            word = _clean_run(run)
            if not word or " " in word or _is_org(word) or _is_outlet(word) or word.lower() in _NOT_NAMES:
                return None
            if word in self.not_people or any(map(_is_title, word.split())):
                return None
            self.subjects.add(word)
            name = word
        self.mentions.append((at, name))
        return name


def _gender_of(title: str) -> str | None:
    words = {t.lower().rstrip(".") for t in title.split()}
    if words & _MALE_TITLES:
        return "he"
    if words & _FEMALE_TITLES:
        return "she"
    return None


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
    inner = text[span.start : span.end]
    lead = len(inner) - len(inner.lstrip())
    return Span(span.start + lead, span.start + len(inner.rstrip()))


def _is_utterance(quote: str) -> bool:
    """A full quoted statement rather than a scare-quoted phrase ('own peril and doom')."""
    if len(quote.split()) < _MIN_QUOTE_WORDS:
        return False
    return next((c for c in quote if c.isalpha()), "a").isupper()


def _speaker(match: re.Match[str], people: _People, text: str, at: int) -> tuple[str | None, bool]:
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
    name = _clean_run(who) or None
    if name and " " not in name:
        people.subjects.add(name)
        people.events.append((at, name))
    return name, False


def _described(description: str, people: _People, text: str, at: int) -> str:
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
    if words and words[-1] in _TITLE_WORDS:
        ends = [m.end() for m in _SENTENCE_END.finditer(text, max(0, at - _SUBJECT_WINDOW), at)]
        start = ends[-2] if len(ends) >= 2 else max(0, at - _SUBJECT_WINDOW)
        for name in people.named_between(text, start, at):
            person = people.by_name.get(name)
            if person is None or person.role is None:
                return name
            break
    return description[0].upper() + description[1:]


def _ends_with(tokens: list[str], words: list[str]) -> bool:
    return len(words) <= len(tokens) and tokens[len(tokens) - len(words) :] == words


def _attribute(text: str, para: Span, span: Span, people: _People) -> tuple[str | None, bool, bool]:
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


def _sources(body: str, scan: _Scan, people: _People, own_outlet: str | None) -> list[str]:
    found: list[tuple[int, str]] = []
    cues = [
        (m.start("x"), m.group("x"), m.group("pre"), any_org)
        for pattern, any_org in _SOURCE_PATTERNS
        for m in pattern.finditer(body)
    ]
    base = scan.start
    cues += [(at - base, run, "", False) for at, run in scan.told]
    for hit in scan.reported:  # "Ariana News reported": the name just before the verb
        match = _OUTLET_BEFORE.search(scan.text, max(base, hit - _LOOK_BACK), hit)
        if match:
            cues.append((match.start("x") - base, match.group("x"), match.group("pre"), False))
    for at, run, pre, any_org in cues:
        name = _clean_run(_POSSESSOR.sub("", run))  # "London's Evening Standard"
        if not name or (own_outlet and run.startswith(own_outlet)) or name == own_outlet:
            continue
        if people.resolve(name) in people.by_name:
            continue
        if _is_outlet(name, pre) or (any_org and (_is_org(name) or " " not in name)):
            found.append((at, name))
    ordered: list[str] = []
    for _, name in sorted(found):
        if name.lower() not in (s.lower() for s in ordered):
            ordered.append(name)
    return ordered


def _entities(
    scan: _Scan, people: _People, speakers: list[str], sources: list[str], place: str | None
) -> list[tuple[str, str, str]]:
    """Speakers and titled people, cited sources, the most-named organisations and places."""
    mentions = Counter(scan.org_names())
    entities: list[tuple[str, str, str]] = []
    for name in dict.fromkeys(speakers):
        person = people.by_name.get(name)
        if person:
            entities.append((name, "person", person.role or "quoted"))
    for person in people.by_name.values():
        if person.name not in speakers and person.role and people.resolve(person.name) == person.name:
            entities.append((person.name, "person", person.role))
    entities.extend((name, "organisation", "cited as a source") for name in sources)
    known = {e[0] for e in entities}
    orgs: Counter[str] = Counter()
    for run, n in mentions.items():
        # one-word names are orgs only if the word says so; a run with no organisation word
        # cannot gain one by cleaning
        if (" " in run or run.lower() in _ORG_WORDS) and _is_org(run):
            name = _clean_run(run)
            if name and _is_org(name) and name not in known and not any(map(_is_title, name.split())):
                orgs[name] += n
    entities.extend((name, "organisation", "named in the story") for name, _ in orgs.most_common(4))
    places = Counter(
        name
        for run in scan.places
        if (name := _clean_run(run))
        and name.lower() not in _NOT_NAMES
        and (not _is_acronym(name) or name in _COUNTRY_ACRONYMS)
        and not _is_org(name)
        and people.resolve(name) not in people.by_name
        and name not in known
    )
    if place:
        entities.append((place, "place", "dateline"))
    entities.extend(
        (name, "place", "place in the story") for name, _ in places.most_common(4) if name != place
    )
    return entities


class _Scan:
    """The capitalised runs of the article body, with what stands before and after each."""

    def __init__(self, text: str, start: int) -> None:
        self.text, self.start = text, start
        self.runs = [(m.start(), m.end(), m.group()) for m in _TITLED_NAME.finditer(text, start)]
        # (verb position, 0 for a speaker before the verb / 1 after it, match naming the speaker)
        self.speech: list[tuple[int, int, re.Match[str]]] = []
        self.told: list[tuple[int, str]] = []  # "told (the) X", "interview with X": X may be an outlet
        self.reported: list[int] = []  # positions of "reported" right after a run
        self.places: list[str] = []  # "in Turkey", "from the United States"
        self.actors: list[tuple[int, str, str | None]] = []  # (position, run, appositive) of 'X dismissed'
        n = len(text)
        reverse = text[::-1]
        previous_end = -1
        for at, end, run in self.runs:
            if " " not in run and run.lower() in _NOT_NAMES:  # 'The', 'He', 'But': no name to read
                previous_end = end
                continue
            before = _REVERSED_WORDS.match(reverse, n - at, n - start)
            if before:
                self._read_before(before, at, end, run, reverse)
            tail = _RUN_TAIL.match(text, end)
            if tail:
                verb = tail.group("verb")
                hit = tail.start("verb")
                if verb in _SPEECH_WORDS:
                    if at < hit - _LOOK_BACK or (
                        previous_end >= 0 and _RUN_CONTINUES.fullmatch(text, previous_end, at)
                    ):  # the run may start before the look-back window, or be a long name's tail
                        match = _SPEAKER_BEFORE.search(text, max(start, hit - _LOOK_BACK), hit)
                    else:
                        match = _SPEAKER_BEFORE.match(text, at, hit)
                    if match:
                        self.speech.append((hit, 0, match))
                elif verb in _ACTION_WORDS:  # speech verbs are read above
                    self.actors.append((at, run, tail.group("app")))
                if verb in _REPORT_WORDS and tail.group("app") is None:
                    self.reported.append(hit)
            previous_end = end
        self.speech.sort(key=lambda event: event[:2])

    def _read_before(self, before: re.Match[str], at: int, end: int, run: str, reverse: str) -> None:
        """Cues in the words just before a run (``before`` matched the reversed text there)."""
        word = before.group(2)[::-1]
        word_at = at - len(before.group(1)) - len(word)
        if word in _SPEECH_WORDS and word[0].islower():  # 'says Philip Kusseler, co-owner of ...'
            match = _SPEAKER_AFTER.match(self.text, word_at + len(word))
            if match:
                self.speech.append((word_at, 1, match))
        if word.endswith("told"):
            self.told.append((at, run))
        second = before.group(4) and before.group(4)[::-1]
        if before.group(3) == " " and (
            (word == "with" and second.endswith("interview"))
            or (word == "to" and second.endswith("speaking"))
        ):
            self.told.append((at, run))
        if word in _PLACE_PREPOSITIONS:
            if _NOT_ADJECTIVE_AT.match(self.text, end):
                self.places.append(run)
        elif word == "the" and second:
            third = before.group(6) and before.group(6)[::-1]
            if (
                second.endswith("told")
                or (second == "with" and before.group(5) == " " and third and third.endswith("interview"))
                or (second == "to" and before.group(5) == " " and third and third.endswith("speaking"))
            ):
                self.told.append((at, run))
            if second in _PLACE_PREPOSITIONS:
                place = _THE_PLACE.match(self.text, at)
                if place:
                    self.places.append(place.group())

    def org_names(self) -> list[str]:
        """Runs, two joined by 'of (the)': "Afghan Ministry of Interior"."""
        names: list[str] = []
        runs, text = self.runs, self.text
        i = 0
        while i < len(runs):
            at, end, run = runs[i]
            if (
                i + 1 < len(runs)
                and text.find("of", end, runs[i + 1][0]) >= 0
                and _OF_THE.fullmatch(text, end, runs[i + 1][0])
            ):
                names.append(text[at : runs[i + 1][1]])
                i += 2
            else:
                names.append(run)
                i += 1
        return names


def attribute(
    text: str,
    body_start: int,
    own_outlet: str | None = None,
    place: str | None = None,
    body: list[Span] | None = None,
    checked: bool = True,
) -> Attribution:
    """Quotes, sources and entities of the article body ``text[body_start:]``.

    ``body``: the body's sentence spans, if the caller has them (else they are split here).
    ``checked``: keep a quote only when its speaker is named where grounding will look for them
    (off only to measure how often the rules alone go wrong).
    """
    scan = _Scan(text, body_start)
    people = _People()
    people.runs, people.run_starts = scan.runs, [at for at, _, _ in scan.runs]
    for at, _, run in scan.runs:  # "Defence Minister Khawaja Asif"
        if " " not in run or _TITLE_WORDS.isdisjoint(run.lower().split()[:-1]):
            continue
        title, name = _split_title(run)
        if name and title and any(t.lower() in _TITLE_WORDS for t in title.split()):
            full = people.add(run)
            if full:
                people.mentions.append((at, full))
    for _, _, match in scan.speech:
        name = people.subject(match.group("who"), match.start("who"), match.group("app"))
        if name:
            people.events.append((match.start("who"), name))
    for at, run, app in scan.actors:
        people.subject(run, at, app)
    if body is None:
        body = [Span(s.start + body_start, s.end + body_start) for s in sentences(text[body_start:])]
    checkable = SpeakerCheck(text, body) if checked else lambda start, end, speaker: True
    result = Attribution()
    pending: list[Span] = []
    last_speaker: tuple[int, str] | None = None
    for para in paragraphs(text[body_start:]):
        para = Span(para.start + body_start, para.end + body_start)
        for span in _quoted_spans(text, para):
            result.quoted.append(span)
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
                if span.start - earlier.end < 4 and checkable(
                    earlier.start, earlier.end, people.resolve(speaker)
                ):
                    result.quotes.append((speaker, earlier.of(text).removesuffix(",")))
            pending = []
            if checkable(span.start, span.end, people.resolve(speaker)):
                result.quotes.append((speaker, quote.removesuffix(",")))
            last_speaker = (span.end, speaker)
    body_text = text[body_start:]
    result.sources = _sources(body_text, scan, people, own_outlet)
    result.quotes = [(people.resolve(speaker), quote) for speaker, quote in result.quotes]
    speakers = [s for s, _ in result.quotes]
    result.entities = _entities(scan, people, speakers, result.sources, place)
    return result
