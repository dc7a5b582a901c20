"""Field-level figures: what ROUGE of the takeaways cannot see.

ROUGE scores a brief's first takeaways against human highlights and nothing else. An editor
also reads the who's who, the topics and whether each takeaway stands alone, so each brief is
also scored on:

- **highlight names**: the multi-word names the journalists put in their highlights and that
  the article spells the same way ("Andreas Lubitz", "Boko Haram"; titles, possessives and
  sentence openers stripped): the share of them among the brief's entities, a full name
  counting for its surname-only mention no more than "Williams" counts for "Serena Williams";
- **pronoun openings**: takeaways whose first word is a personal pronoun ("He told CNN …",
  "It's a bold pledge …"): its referent is in another sentence, so the bullet does not stand
  alone. An editorial bracket ("[Netanyahu] also said …") is the newsroom's fix, not a pronoun;
- **quotes**: the share of quotes grounding finds verbatim with their speaker named near them;
- with a reference tagger (``briefer.evaluate.reference``): entity kinds agreeing with it, and
  topics it reads as nouns or names.

The rules here are plain capitalisation and word lists, written apart from the engine's own, so
that an engine is not scored by the rules it runs.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from pydantic import BaseModel, Field

from briefer.grounding.index import ArticleIndex, index_article
from briefer.grounding.quotes import check_quote
from briefer.text.titles import NAME_TITLES, ROLE_TITLES
from briefer.text.words import wordset

if TYPE_CHECKING:
    from briefer.evaluate.reference import Tagged
    from briefer.models import Brief

# A capitalised word: an initialism ("U.S."), or a word starting with a capital (inner
# apostrophes, hyphens and ampersands kept: "O'Neill", "Al-Shabaab", "AT&T").
_CAP = r"(?:[A-Z]\.(?:[A-Z]\.)+|[A-Z][\w'’&-]*\w|[A-Z])"
_CONNECTOR = r"(?:of|de|da|del|der|di|du|van|von|bin|ibn|al|el|la|le)"
_RUN = re.compile(rf"{_CAP}(?:\s+(?:{_CONNECTOR}\s+)?{_CAP})*")
_POSSESSIVE = re.compile(r"['’]s?$")
_OPENERS = wordset(
    """the a an in on at but and or he she it they we i you this that these those his her its their our
    after as for with from by to of when while if so not no how why what who where there here"""
)
"""Words capitalised because they open a highlight, never part of a name there."""
_TITLES = NAME_TITLES | {t.rstrip(".") for t in ROLE_TITLES}
PRONOUNS = wordset("he she it they we him her his its their them our us")
"""Personal pronouns (and their possessives): a takeaway opening with one leans on another sentence."""
_FIRST_WORD = re.compile(r"[\"“‘'(]*([A-Za-z]+)")


def _strip(words: list[str]) -> list[str]:
    """A run's name: sentence openers and titles before it dropped ("Israeli Prime Minister
    Benjamin Netanyahu" -> "Benjamin Netanyahu"), when at least two words remain."""
    while words and words[0].lower() in _OPENERS:
        words = words[1:]
    last_title = max((i for i, w in enumerate(words) if w.lower().rstrip(".") in _TITLES), default=-1)
    if last_title >= 0:
        words = words[last_title + 1 :]
    return words


def names_in(sentence: str) -> list[str]:
    """Multi-word names of one sentence; a possessive ends a name ("South Korea's National
    Intelligence Service" names "South Korea" and "National Intelligence Service")."""
    found: list[str] = []
    for run in _RUN.finditer(sentence):
        words: list[str] = []
        for word in [*run.group().split(), ""]:
            if word and not _POSSESSIVE.search(word):
                words.append(word)
                continue
            if word:
                words.append(_POSSESSIVE.sub("", word))
            name = _strip(words)
            if len(name) >= 2 and name[-1].lower() not in _CONNECTOR:
                found.append(" ".join(name))
            words = []
    return found


def highlight_names(highlights: Sequence[str], text: str) -> list[str]:
    """The multi-word names of the highlights that the article spells the same way, once each."""
    names = dict.fromkeys(name for h in highlights for name in names_in(" ".join(h.split())))
    flat = " ".join(text.split())
    return [n for n in names if re.search(rf"(?<!\w){re.escape(n)}(?!\w)", flat)]


def _words(name: str) -> tuple[str, ...]:
    return tuple(_POSSESSIVE.sub("", w) for w in name.lower().replace("’", "'").split())


def _contains(longer: tuple[str, ...], shorter: tuple[str, ...]) -> bool:
    n = len(shorter)
    return any(longer[i : i + n] == shorter for i in range(len(longer) - n + 1))


def name_found(name: str, entities: Iterable[str]) -> bool:
    """Whether one of ``entities`` names ``name``: the same words, or a longer name holding them
    ("Prime Minister Benjamin Netanyahu"), or a shorter one of at least two of its words."""
    wanted = _words(name)
    for entity in entities:
        have = _words(entity)
        if _contains(have, wanted) or (len(have) >= 2 and _contains(wanted, have)):
            return True
    return False


def opens_with_pronoun(takeaway: str) -> bool:
    """Whether the takeaway's first word is a personal pronoun ("He said", "It's", "Their")."""
    first = _FIRST_WORD.match(takeaway.lstrip())
    return first is not None and first.group(1).lower() in PRONOUNS


def _share(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 2) if whole else None


class FieldScores(BaseModel):
    """Field-level figures of one system, shares ×100 (null where nothing was there to count)."""

    highlight_names: int = Field(description="Multi-word highlight names the article spells the same way.")
    names_found: float | None = Field(description="Share of those among the brief's entities.")
    entities_tagged: int = Field(description="Entities the reference tagger tags too (0 without it).")
    kinds_agree: float | None = Field(description="Share of those whose kind agrees with the tagger's.")
    topics: int
    topics_nouns: float | None = Field(
        description="Share of topics the reference tagger reads as nouns/names."
    )
    takeaways: int
    pronoun_openings: float | None = Field(description="Share of takeaways opening with a personal pronoun.")
    briefs_with_pronoun_opening: float | None
    quotes: int
    quotes_verbatim_with_speaker: float | None = Field(
        description="Share of quotes found verbatim with their speaker named near them (grounding's check)."
    )


@dataclass
class Tally:
    """One system's counts, summed over the articles as they come."""

    names: int = 0
    names_found: int = 0
    entities_tagged: int = 0
    kinds_agree: int = 0
    topics: int = 0
    topics_nouns: int = 0
    takeaways: int = 0
    pronoun_openings: int = 0
    briefs: int = 0
    briefs_with_pronoun_opening: int = 0
    quotes: int = 0
    quotes_ok: int = 0
    has_entities: bool = False
    tagged: bool = False

    def takeaways_seen(self, takeaways: Sequence[str]) -> None:
        """A baseline's picks, or a brief's takeaways: how many lean on another sentence."""
        openings = sum(map(opens_with_pronoun, takeaways))
        self.takeaways += len(takeaways)
        self.pronoun_openings += openings
        self.briefs += 1
        self.briefs_with_pronoun_opening += openings > 0

    def names_seen(self, names: Sequence[str], entities: Sequence[str]) -> None:
        self.has_entities = True
        self.names += len(names)
        self.names_found += sum(name_found(name, entities) for name in names)

    def brief_seen(self, brief: Brief, names: Sequence[str], article: RowArticle) -> None:
        """Every figure of one brief; ``article`` indexes and tags its article once for all systems."""
        self.takeaways_seen(brief.key_takeaways)
        self.names_seen(names, [e.name for e in brief.entities])
        if brief.quotes:
            index = article.index()
            checks = [check_quote(i, q.speaker, q.text, index) for i, q in enumerate(brief.quotes)]
            self.quotes += len(checks)
            self.quotes_ok += sum(c.supported for c in checks)
        tagged = article.tagged()
        if tagged is None:
            return
        self.tagged = True
        for entity in brief.entities:
            kind = tagged.kind_of(entity.name)
            if kind is not None:
                self.entities_tagged += 1
                self.kinds_agree += kind == entity.kind
        self.topics += len(brief.topics)
        self.topics_nouns += sum(map(tagged.is_noun, brief.topics))

    def scores(self) -> FieldScores:
        return FieldScores(
            highlight_names=self.names,
            names_found=_share(self.names_found, self.names) if self.has_entities else None,
            entities_tagged=self.entities_tagged,
            kinds_agree=_share(self.kinds_agree, self.entities_tagged),
            topics=self.topics,
            topics_nouns=_share(self.topics_nouns, self.topics) if self.tagged else None,
            takeaways=self.takeaways,
            pronoun_openings=_share(self.pronoun_openings, self.takeaways),
            briefs_with_pronoun_opening=_share(self.briefs_with_pronoun_opening, self.briefs),
            quotes=self.quotes,
            quotes_verbatim_with_speaker=_share(self.quotes_ok, self.quotes),
        )


class RowArticle:
    """One row's article, indexed for grounding and tagged by the reference at most once."""

    def __init__(self, text: str, tagger: Callable[[str], Tagged] | None) -> None:
        self.text, self._tagger = text, tagger
        self._index: ArticleIndex | None = None
        self._tagged: Tagged | None = None

    def index(self) -> ArticleIndex:
        if self._index is None:
            self._index = index_article(self.text)
        return self._index

    def tagged(self) -> Tagged | None:
        if self._tagged is None and self._tagger is not None:
            self._tagged = self._tagger(self.text)
        return self._tagged
