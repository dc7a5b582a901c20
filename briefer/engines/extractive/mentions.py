"""Every name an article body uses, grouped by what it names: 'Ricciardo' is 'Daniel Ricciardo'.

Names are the capitalised runs ``scan`` found, cleaned of what is no part of a name: words
capitalised only because they open a sentence (the article writes them in lower case elsewhere:
"Police said", "No"), titles ("Defence Minister", kept as the person's role) and possessors
("South Korea's", a name of its own). A one-word name that ends a longer one is a short mention
of it (a surname). Around each mention the cues to its kind and role are noted: a title, a role
noun before it ("first officer Andreas Lubitz"), an appositive after it ("Boko Haram, the
Islamist group,"), "the" before it, a lower-case noun after it, a work's noun before it ("the
film Run All Night") or quote marks around it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from briefer.engines.extractive.cues import NOT_ADJECTIVE
from briefer.engines.extractive.names import NOT_NAMES, ORG_WORDS, clean_run, given_names, split_title
from briefer.engines.extractive.places import PLACE_FIRST, PLACE_LAST
from briefer.text.titles import HONORIFICS, NAME_TITLES, ROLE_TITLES
from briefer.text.words import STOPWORDS, wordset

# fmt: off
ROLE_NOUNS = ROLE_TITLES | wordset("""
    officer pilot co-pilot copilot actor actress singer rapper star player driver striker midfielder defender
    goalkeeper quarterback pitcher fly-half scrum-half winger flanker full-back wicketkeeper batsman bowler
    coach manager captain producer writer author novelist journalist reporter
    correspondent editor lawyer attorney judge founder co-founder owner boss executive businessman
    businesswoman tycoon billionaire candidate activist campaigner comedian host presenter anchor musician
    guitarist drummer frontman designer chef artist photographer filmmaker scientist researcher economist
    analyst expert doctor surgeon nurse teacher student cleric militant gunman suspect victim champion legend
    teammate rival son daughter wife husband mother father brother sister widow grandson granddaughter
    girlfriend boyfriend fiancee fiance spokesman spokeswoman official envoy diplomat lawmaker congressman
    congresswoman politician dictator ruler monarch emperor president-elect nominee hopeful veteran soldier
    marine agent investigator prosecutor sheriff deputy warden priest pastor cardinal rabbi imam astronaut
    headmaster headteacher principal dean co-host co-star co-author
""")
NUMBER_WORDS = wordset("""
    two three four five six seven eight nine ten eleven twelve dozens hundreds thousands millions several
    both many most some all every each
""")
WORK_NOUNS = wordset("""
    film movie show series song album book novel play musical single programme program sitcom drama
    franchise documentary track memoir opera game
""")
# fmt: on
# ", the Islamist extremist group," / ", a former soldier." after a name.
_APPOSITIVE = re.compile(r",\s+(?:the|an?)\s+(?P<role>[^,.;:\"“”()]{3,60}?)\s*[,.;]")
_NOT_ADJECTIVE = re.compile(NOT_ADJECTIVE)
_OF = re.compile(r"\s+of\s+(?:the\s+)?")
_OF_JOINS = ORG_WORDS | PLACE_LAST | {"hall"}  # "University of Oklahoma", "Gulf of Mexico", "Hall of Fame"
_CHECKABLE = re.compile(r"[^\W\d_]{2,}(?:[-'’][^\W\d_]+)*\.?|(?:[A-Z]\.)+")
"""A word grounding can find in the article: letters (a hyphen or an apostrophe inside), or an initialism."""
_NO_NAME_WORDS = NOT_NAMES | wordset(
    "when if what while where why how as so no not yes me am own my we us since after before until because unless once"
)
_ROLE_WORD = re.compile(r"[\w.-]+|[A-Z][\w-]*['’]s")
_OPENS_AFTER = frozenset(".!?:;\"“”‘’'([—–-")
_DESCRIBING = tuple(wordset("er ers or ors man men an ans ist ists ese ite ites ee le"))
"""Endings of the words that say who someone is ('Londoner', 'Frenchman', 'Italian', 'Beatle')."""
ACRONYMS = {
    "U.S.": "United States",
    "US": "United States",
    "U.S.A.": "United States",
    "USA": "United States",
    "UK": "United Kingdom",
    "U.K.": "United Kingdom",
    "UAE": "United Arab Emirates",
    "U.N.": "United Nations",
    "UN": "United Nations",
    "EU": "European Union",
}
"""Acronyms news copy writes for names it also writes in full."""
_QUOTE_MARKS = frozenset('"“”‘’')
_CLOSING = re.compile(r"[,.!?]?[\"”’']")
_AGE = re.compile(r",\s+\d{1,3}\s*[,.]")
_INITIALISM = re.compile(r"(?:[A-Z]\.)+[A-Z]$")
_COMMON = re.compile(r"(?<![\w'’-])[a-z][a-z'’-]*")


@dataclass
class Name:
    """A name and what its mentions say about it."""

    text: str
    first: int
    mentions: int = 0
    short: int = 0
    """Mentions by the last word alone ('Lubitz'): how people are written after their first mention."""
    titles: list[str] = field(default_factory=list)
    """Words before a mention that are no part of the name: 'Mr', "Pakistan's Defence Minister"."""
    roles: list[str] = field(default_factory=list)
    """Its role as the article gives it: a title with an office, a role noun before it, an appositive."""
    after_the: int = 0
    adjectival: int = 0
    """Mentions followed by a lower-case word ('Boko Haram militants', 'South African company')."""
    work: str | None = None
    """The noun before a work's title ('film' in 'the film Run All Night'), '' for a title in quote
    marks, None for no work."""
    aged: bool = False
    """Followed by an age ('Andreas Lubitz, 27,'): a person."""
    owns: bool = False
    """Owns a title ("Red Bull's No.1 driver", "Pakistan's Defence Minister"): a team, a country, no person."""

    @property
    def words(self) -> int:
        return len(self.text.split())


def common_words(text: str) -> frozenset[str]:
    """The words ``text`` writes in lower case: a capitalised one of them opens a sentence, it names nothing."""
    return frozenset(_COMMON.findall(text))


def _possessors(title: str) -> list[str]:
    """The names that own a title: "Pakistan's Defence Minister" -> ["Pakistan"]."""
    names, words = [], []
    for word in title.split():
        if word.endswith(("'s", "’s")):
            words.append(word[:-2])
            _, name = split_title(" ".join(words))
            if name:
                names.append(name)
            words = []
        else:
            words.append(word)
    return names


def _role_before(words: list[str]) -> str | None:
    """A role noun phrase right before a name ("first officer", "Red Bull's No.1 driver"), from the
    words before it: a role noun last, and what qualifies it up to the first function word."""
    if not words or words[-1] not in ROLE_NOUNS:
        return None
    start = len(words) - 1
    while start > 0 and len(words) - start < 4 and words[start - 1].lower() not in STOPWORDS:
        if not _ROLE_WORD.fullmatch(words[start - 1]):
            break
        start -= (
            1  # "had with the star" -> "star"; "against former military ruler" -> "former military ruler"
        )
    return " ".join(words[start:])


def _appositive(text: str, end: int) -> str | None:
    """', the Islamist extremist group,' right after a name: its role, if it has a role noun or says group."""
    match = _APPOSITIVE.match(text, end)
    if not match:
        return None
    role = match.group("role")
    return role if not ROLE_NOUNS.isdisjoint(role.lower().split()) else None


class Names:
    """The names of one article body, grouped, with their cues (see the module docstring)."""

    def __init__(self, text: str, start: int, runs: list[tuple[int, int, str]]) -> None:
        self.text, self.start = text, start
        self.common = common_words(text[start:])
        self.by_text: dict[str, Name] = {}
        for at, end, run in _joined(text, runs):
            if " " not in run and (run.lower() in NOT_NAMES or run.lower() in self.common):
                continue
            if text[at - 1 : at].isalnum():
                continue  # the tail of a word: "eBay"
            opens = self._opens_sentence(at)
            title, name = split_title(run)
            if not title and opens and " " in run and run.split()[0].lower() in ROLE_NOUNS:
                title, name = run.split(" ", 1)  # "Headmaster Ulrich Wessel", "Actor Liam Neeson"
            elif not title and _descriptor(run):
                title, name = run.split(" ", 1)  # "Beatle Ringo Starr", "Londoner Tony Francis"
            for possessor in _possessors(title):
                self._mention(self._clean(possessor, opens), at, at, None, owns=True)
            name = self._clean(name, opens and not title)
            if name:
                self._mention(name, at, end, title or None)
        self._merge_short_mentions()
        self._merge_acronyms()

    def _opens_sentence(self, at: int) -> bool:
        before = self.text[max(self.start, at - 4) : at].rstrip()
        return not before or before[-1] in _OPENS_AFTER

    def _clean(self, name: str, opens: bool) -> str:
        """The name without leading openers, or '' when it names nothing (a common word, one letter)."""
        cleaned = clean_run(name)
        if _INITIALISM.match(cleaned) and name.endswith("."):
            cleaned += "."  # "U.S.", not "U.S"
        words = cleaned.split()
        if words and opens and _opener(words[0].lower(), self.common):
            words = words[1:]  # "Since Jeb Bush", "Eight French" at a sentence start: no name
        while words and words[0].lower() in _NO_NAME_WORDS:
            words = words[1:]  # "When I", "If I"
        if "I" in words or not any(
            _CHECKABLE.fullmatch(w) and w.lower() not in _NO_NAME_WORDS for w in words
        ):
            return ""  # no name a reader (or grounding) could check: "F1", "G7", "ME"
        if len(words) == 1:
            word = words[0].lower()
            if word in self.common or word in NAME_TITLES or len(word) < 2:
                return ""
        return " ".join(words)

    def _mention(self, name: str, at: int, end: int, title: str | None, owns: bool = False) -> None:
        if not name:
            return
        entry = self.by_text.get(name)
        before: list[str] | None = None
        if entry is None:
            entry = self.by_text[name] = Name(name, at)
            quoted = _quoted(self.text, at, end)
            before = _words_before(self.text, at, quoted)
            if before and before[-1].lower() in WORK_NOUNS and before[-2:-1] != ["to"]:
                entry.work = before[-1].lower()
            elif quoted:
                entry.work = ""
        entry.mentions += 1
        entry.owns = entry.owns or owns
        if title:
            entry.titles.append(title)
            if not _only_possessive_or_honorific(title):
                entry.roles.append(title)
        elif not entry.roles:
            if before is None:
                before = _words_before(self.text, at, False)
            role = _role_before(before) or _appositive(self.text, end)
            if role:
                entry.roles.append(role)
        adjectival = not _NOT_ADJECTIVE.match(self.text, end)
        if self.text.startswith(("the ", "The "), max(0, at - 4)) and not _article_of_another(
            name, title, adjectival
        ):
            entry.after_the += 1
        if adjectival:
            entry.adjectival += 1
        elif not entry.aged and _AGE.match(self.text, end):
            entry.aged = True

    def _merge_short_mentions(self) -> None:
        """'Ricciardo' into 'Daniel Ricciardo': a name that ends a longer one, into the longer one
        mentioned most (the longest, on a tie)."""
        longer: dict[str, list[Name]] = {}
        for entry in self.by_text.values():
            words = entry.text.split()
            for i in range(1, len(words)):
                longer.setdefault(" ".join(words[i:]), []).append(entry)
        for text, owners in longer.items():
            short = self.by_text.get(text)
            if short is None:
                continue
            owner = max(owners, key=lambda e: (e.mentions, e.words))
            owner.short += short.mentions
            self._absorb(owner, short)

    def _absorb(self, owner: Name, other: Name) -> None:
        """Another way of writing ``owner``'s name: its mentions and cues are ``owner``'s."""
        owner.mentions += other.mentions
        owner.first = min(owner.first, other.first)
        owner.titles += other.titles
        owner.roles += other.roles
        owner.after_the += other.after_the
        owner.aged = owner.aged or other.aged
        owner.owns = owner.owns or other.owns
        del self.by_text[other.text]

    def _merge_acronyms(self) -> None:
        """'U.S.' into 'United States' when the article writes both: one place, named in full."""
        for acronym, full in ACRONYMS.items():
            short, entry = self.by_text.get(acronym), self.by_text.get(full)
            if short is not None and entry is not None:
                self._absorb(entry, short)

    def get(self, name: str) -> Name | None:
        """The entry a name (full, or a short mention merged away) belongs to."""
        entry = self.by_text.get(name)
        if entry is None:
            ending = [e for e in self.by_text.values() if e.text.endswith(" " + name)]
            entry = max(ending, key=lambda e: e.mentions, default=None)
        return entry


def _joined(text: str, runs: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """The runs, two joined by 'of (the)' when the first ends with an organisation's or a place's
    word ("University of Oklahoma", "Church of Jesus Christ") or both stand in quote marks, a
    title ("Game of Thrones")."""
    joined: list[tuple[int, int, str]] = []
    i = 0
    while i < len(runs):
        at, end, run = runs[i]
        if (
            i + 1 < len(runs)
            and (run.rsplit(" ", 1)[-1].lower() in _OF_JOINS or _quoted(text, at, runs[i + 1][1]))
            and _OF.fullmatch(text, end, runs[i + 1][0])
        ):
            end = runs[i + 1][1]
            joined.append((at, end, text[at:end]))
            i += 2
        else:
            joined.append((at, end, run))
            i += 1
    return joined


def _article_of_another(name: str, title: str | None, adjectival: bool) -> bool:
    """Whether a "the" before a mention belongs to another word: to its title ("the UAE's Saeed
    bin Suroor") or, before a first name, to the noun after it ("the Monica Lewinsky scandal")."""
    return bool(title) or (adjectival and name.split()[0].lower() in given_names())


def _words_before(text: str, at: int, quoted: bool) -> list[str]:
    """The words before a name (none when it is the tail of a word: 'eBay'), past its opening quote mark."""
    head = text[max(0, at - 60) : at]
    if quoted:
        head = head[:-1]
    return head.split() if head[-1:].isspace() else []


def _quoted(text: str, at: int, end: int) -> bool:
    """Whether the words from ``at`` to ``end`` stand in quote marks, a comma or a full stop allowed
    before the closing one (American style: 'In "Game of Thrones," Yunkai ...')."""
    return text[at - 1 : at] in _QUOTE_MARKS and bool(_CLOSING.match(text, end))


def _descriptor(run: str) -> bool:
    """Whether the run's first word describes the person named after it: a word that is no given
    name before one that is, two words or more following ('Beatle Ringo Starr', 'Grammy-winner
    Patti LaBelle'; not 'St. John', 'New York', 'Al Qaeda')."""
    words = run.split()
    first = words[0].lower()
    return (
        len(words) >= 3
        and words[0].replace("-", "").isalpha()
        and first not in given_names()
        and first not in PLACE_FIRST
        and first not in _NO_NAME_WORDS
        and first.endswith(_DESCRIBING)
        and words[1].lower() in given_names()
    )


def _opener(word: str, common: frozenset[str]) -> bool:
    """A capitalised first word of a sentence that is no part of the name after it."""
    return word in common or word in NUMBER_WORDS or (word.endswith("ing") and len(word) > 5)


def _only_possessive_or_honorific(title: str) -> bool:
    """'Pakistan's' or 'Mr': no role in the story."""
    return all(w.endswith(("'s", "’s")) or w.lower().rstrip(".") in HONORIFICS for w in title.split())
