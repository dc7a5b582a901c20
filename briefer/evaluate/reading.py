"""How a brief reads: the figures an editor notices before any score.

ROUGE and the field figures say whether a brief holds the right facts; these say whether it reads
as if an editor wrote it:

- **headlines**: cut short with "…", a fragment with no verb (needs the reference tagger), longer
  than 15 words, or (where the row has a title) not the article's own title;
- **summary**: 2-4 sentences, and not the takeaways again (a summary sentence repeated verbatim
  as a takeaway);
- **takeaways**: opening mid-thought, with a conjunction ("And", "But", "So") or a first- or
  second-person pronoun ("I was scared"), and their median length in words;
- **who's who**: roles running across a sentence break ("UK. Tory co-chairman"), and entities
  that are page furniture (copyright lines, bylines, photo credits);
- **what to watch**: items grounding flags although the watch list should be the article's words;
- **topics**: one name split into several topics ("boko", "haram").

Like ``fields``, the rules here are plain word lists and capitalisation, apart from the engine's.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from statistics import median
from typing import TYPE_CHECKING

from pydantic import BaseModel, Field

from briefer.grounding.claims import check_claim
from briefer.text.words import wordset

if TYPE_CHECKING:
    from briefer.evaluate.fields import RowArticle
    from briefer.models import Brief

HEADLINE_MAX_WORDS = 15
CONJUNCTIONS = wordset("and but so or yet nor plus")
_NOT_CONJUNCTION = re.compile(r"[\"“‘'(\[]*so(?:\s+far\b|-called\b)", re.IGNORECASE)
FIRST_SECOND_PERSON = wordset("i i'm i've i'd i'll me my we we're we've we'll our us you you're your")
_FIRST_WORD = re.compile(r"[\"“‘'(\[]*([A-Za-z]+(?:['’][a-z]+)?)")
_SENTENCE_BREAK = re.compile(r"([\w%)\"”’.-]*)[.!?][\"”’]?\s+(?=[\"“]?[A-Z])")
_ABBREVIATIONS = wordset(
    """mr mrs ms dr st jr sr gen col lt sgt capt maj rep sen gov prof rev no vs inc co corp ltd
    jan feb mar apr jun jul aug sep sept oct nov dec mt ft"""
)
_ROLE_BREAK = re.compile(r"(?<![\w.])([A-Za-z]{2,})\.\s+[\"“]?[A-Z]")
_CREDIT = re.compile(
    r"^[\W_]*(?:(?-i:By\s+[A-Z][a-z])|(?:photo(?:graph)?s?|pictures?|credits?|images?)\b)|copyright|©|\(c\)"
    r"|all rights reserved|contributed to this (?:report|story)|reported from|wrote this",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"(?<![A-Z])[.!?][\"”’]?(?:\s|$)")
_FURNITURE_NAME = re.compile(r"\b(?:rights reserved|copyright|all rights)\b", re.IGNORECASE)
_WORD = re.compile(r"[A-Za-z][\w'’-]*")


def split_sentences(text: str) -> list[str]:
    """A summary's sentences, by full stops before a capital that end no abbreviation ("St.",
    "U.S."): good enough for counting."""
    found, start = [], 0
    for match in _SENTENCE_BREAK.finditer(text):
        word = match.group(1)
        if word.lower() in _ABBREVIATIONS or "." in word or (len(word) == 1 and word.isupper()):
            continue
        found.append(text[start : match.end()].strip())
        start = match.end()
    found.append(text[start:].strip())
    return [s for s in found if s]


def first_word(text: str) -> str:
    match = _FIRST_WORD.match(text.lstrip())
    return match.group(1).lower().replace("’", "'") if match else ""


def opens_mid_thought(takeaway: str) -> bool:
    """Whether a takeaway opens with a conjunction or a first- or second-person pronoun."""
    word = first_word(takeaway)
    if _NOT_CONJUNCTION.match(takeaway.lstrip()):
        return False  # "So far, ...": an adverb
    return word in CONJUNCTIONS or word in FIRST_SECOND_PERSON


def role_crosses_break(role: str) -> bool:
    """Whether an entity's role runs on into another sentence ("UK. Tory co-chairman")."""
    return any(m.group(1).lower() not in _ABBREVIATIONS for m in _ROLE_BREAK.finditer(role))


def _sentence_around(text: str, start: int, end: int) -> str:
    """The sentence (or line) holding ``text[start:end]``, by the nearest breaks either side."""
    breaks = [m.end() - 1 for m in _SENTENCE_END.finditer(text, max(0, start - 300), start)]
    before = max([text.rfind("\n", 0, start), *breaks])
    after = _SENTENCE_END.search(text, end)
    line_end = text.find("\n", end)
    stop = min(after.start() if after else len(text), line_end if line_end >= 0 else len(text))
    return text[before + 1 : stop]


def is_furniture(name: str, text: str) -> bool:
    """Whether an entity is page furniture: a copyright phrase, or a name the article gives only
    in credits ("CNN's Tim Lister contributed to this report.", "By Jane Doe", "© Getty Images")."""
    if _FURNITURE_NAME.search(name):
        return True
    places = [m.span() for m in re.finditer(rf"(?<!\w){re.escape(name)}(?!\w)", text)]
    return bool(places) and all(_CREDIT.search(_sentence_around(text, *span)) for span in places)


def split_names(topics: Sequence[str], names: Sequence[str]) -> bool:
    """Whether two or more topics are words of one multi-word name that is not itself a topic."""
    lowered = {t.lower() for t in topics}
    for name in names:
        words = {w.lower() for w in _WORD.findall(name)}
        if name.lower() not in lowered and len(words & lowered) >= 2:
            return True
    return False


def _share(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 2) if whole else None


class ReadingScores(BaseModel):
    """How one system's briefs read (shares ×100; null where nothing was there to count)."""

    briefs: int
    headlines_cut: float | None = Field(description='Headlines ending in "…".')
    headlines_without_verb: float | None = Field(description="Headlines with no verb (reference tagger).")
    headlines_over_15_words: float | None
    headline_words_max: int
    titles: int = Field(description="Rows that come with a title.")
    titles_kept: float | None = Field(description="Share of those whose headline is the title.")
    summary_2_to_4_sentences: float | None
    summary_repeats_takeaway: float | None = Field(
        description="Briefs with a summary sentence repeated verbatim as a takeaway."
    )
    summary_all_takeaways: float | None = Field(
        description="Briefs whose every summary sentence is a takeaway."
    )
    takeaways: int
    takeaways_mid_thought: float | None = Field(
        description="Takeaways opening with a conjunction or a first- or second-person pronoun."
    )
    takeaway_words_median: float | None
    roles: int
    roles_across_break: int
    entities: int
    furniture_entities: int = Field(description="Entities that are copyright lines, bylines or credits.")
    watch: int
    watch_flagged: int = Field(description="What-to-watch items grounding flags.")
    briefs_splitting_a_name: float | None = Field(
        description="Briefs with one name split into several topics."
    )


@dataclass
class ReadingTally:
    """One system's reading counts, summed over the briefs as they come."""

    briefs: int = 0
    cut: int = 0
    verbless: int = 0
    verbs_checked: int = 0
    long: int = 0
    longest: int = 0
    titles: int = 0
    titles_kept: int = 0
    summary_ok: int = 0
    repeats: int = 0
    all_repeated: int = 0
    takeaway_words: list[int] = field(default_factory=list)
    mid_thought: int = 0
    roles: int = 0
    roles_across: int = 0
    entities: int = 0
    furniture: int = 0
    watch: int = 0
    watch_flagged: int = 0
    split: int = 0

    def headline_seen(self, headline: str, title: str | None, has_verb: Callable[[str], bool] | None) -> None:
        words = len(headline.split())
        self.cut += headline.rstrip().endswith(("…", "..."))
        self.long += words > HEADLINE_MAX_WORDS
        self.longest = max(self.longest, words)
        if has_verb is not None:
            self.verbs_checked += 1
            self.verbless += not has_verb(headline)
        if title:
            self.titles += 1
            self.titles_kept += " ".join(headline.split()) == " ".join(title.split())

    def summary_seen(self, summary: str, takeaways: Sequence[str]) -> None:
        sentences = split_sentences(summary)
        self.summary_ok += 2 <= len(sentences) <= 4
        repeated = [s for s in sentences if any(s in t for t in takeaways)]
        self.repeats += bool(repeated)
        self.all_repeated += bool(sentences) and len(repeated) == len(sentences)

    def brief_seen(
        self,
        brief: Brief,
        article: RowArticle,
        title: str | None,
        has_verb: Callable[[str], bool] | None,
        names: Sequence[str],
    ) -> None:
        """Every reading figure of one brief; ``names`` are the article's multi-word names."""
        self.briefs += 1
        self.headline_seen(brief.headline, title, has_verb)
        self.summary_seen(brief.summary, brief.key_takeaways)
        self.takeaway_words += [len(t.split()) for t in brief.key_takeaways]
        self.mid_thought += sum(map(opens_mid_thought, brief.key_takeaways))
        roles = [e.role for e in brief.entities if e.role]
        self.roles += len(roles)
        self.roles_across += sum(map(role_crosses_break, roles))
        self.entities += len(brief.entities)
        self.furniture += sum(is_furniture(e.name, article.text) for e in brief.entities)
        self.watch += len(brief.what_to_watch)
        checks = [
            check_claim("what_to_watch", i, w, article.index()) for i, w in enumerate(brief.what_to_watch)
        ]
        self.watch_flagged += sum(not c.supported for c in checks)
        self.split += split_names(brief.topics, names)

    def scores(self) -> ReadingScores:
        n = self.briefs
        return ReadingScores(
            briefs=n,
            headlines_cut=_share(self.cut, n),
            headlines_without_verb=_share(self.verbless, self.verbs_checked),
            headlines_over_15_words=_share(self.long, n),
            headline_words_max=self.longest,
            titles=self.titles,
            titles_kept=_share(self.titles_kept, self.titles),
            summary_2_to_4_sentences=_share(self.summary_ok, n),
            summary_repeats_takeaway=_share(self.repeats, n),
            summary_all_takeaways=_share(self.all_repeated, n),
            takeaways=len(self.takeaway_words),
            takeaways_mid_thought=_share(self.mid_thought, len(self.takeaway_words)),
            takeaway_words_median=median(self.takeaway_words) if self.takeaway_words else None,
            roles=self.roles,
            roles_across_break=self.roles_across,
            entities=self.entities,
            furniture_entities=self.furniture,
            watch=self.watch,
            watch_flagged=self.watch_flagged,
            briefs_splitting_a_name=_share(self.split, n),
        )


def _percent(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}%"


def _count(part: int, whole: int) -> str:
    return f"{part} of {whole:,}"


def reading_rows(s: ReadingScores) -> list[tuple[str, str]]:
    """The reading figures as (figure, value) rows, in the order an editor reads a brief."""
    return [
        ('headlines ending in "…"', _percent(s.headlines_cut)),
        ("headlines without a verb", _percent(s.headlines_without_verb)),
        (
            f"headlines over {HEADLINE_MAX_WORDS} words (longest)",
            f"{_percent(s.headlines_over_15_words)} ({s.headline_words_max})",
        ),
        (f"titles kept as headline (of {s.titles})", _percent(s.titles_kept)),
        ("summaries of 2-4 sentences", _percent(s.summary_2_to_4_sentences)),
        (
            "summaries repeating a takeaway (all of them)",
            f"{_percent(s.summary_repeats_takeaway)} ({_percent(s.summary_all_takeaways)})",
        ),
        ("takeaways opening with and/but/so/I/we/you", _percent(s.takeaways_mid_thought)),
        (
            "takeaway words, median",
            "-" if s.takeaway_words_median is None else f"{s.takeaway_words_median:g}",
        ),
        ("roles crossing a sentence break", _count(s.roles_across_break, s.roles)),
        ("entities that are bylines, credits, copyright", _count(s.furniture_entities, s.entities)),
        ("what-to-watch items grounding flags", _count(s.watch_flagged, s.watch)),
        ("briefs splitting a name into topics", _percent(s.briefs_splitting_a_name)),
    ]
