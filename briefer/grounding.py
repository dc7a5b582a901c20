"""Verify a Brief against its article: quotes verbatim, claims backed, no invented names or numbers.

An editor must be able to trust a brief at a glance, and a misquote or an invented number is
worse than no brief. So this stage is deliberately literal and cheap (pure Python, no model):

- **Quotes** must occur in the article once typography is folded (curly/straight quotes,
  dashes, whitespace, letter case, outer punctuation; an ellipsis marks an omission, its parts
  must occur in order within ELLIPSIS_GAP characters). The speaker must be named *near* the
  quote: when the quote's own sentences attach a name to a speech verb ('..., said Mr Smith'),
  that name must be the speaker; otherwise the speaker must be named in those sentences or the
  one either side, or, for a pronoun attribution ('he added'), in the PRONOUN_LOOKBACK
  sentences before.
- **Claims** (headline, summary sentences, takeaways, what to watch) are aligned to the article
  sentences that back them (BM25 over crude stems, numbers as tokens), and every number and
  proper name in a claim must occur in the article, allowing obvious equivalents
  ("U.S."/"United States", "Oct"/"October", "100"/"one hundred", possessives, plurals,
  demonyms, rounding "4.06 trillion" to "4 trillion"). Quoted words in a claim must be
  verbatim. The first word of a sentence or clause is not taken for a name (it is capitalised
  anyway, and without a lexicon 'Praise' and 'Sharif' look alike), so a lone invented name
  opening a claim is missed; a full name ('Nawaz Sharif said') is still checked.
- **Entities, sources and speakers** must be named in the article; a partial name ("Asif" for
  "Khawaja Asif") or a possessive is fine, an unknown word in the name is not.

Sentence indices refer to ``briefer.sentences.sentences`` (the splitter chunking uses), offsets
to the original text.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_right
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Literal

from briefer.models import GroundingReport, ItemCheck, QuoteCheck, SupportSpan
from briefer.sentences import Span, sentences

if TYPE_CHECKING:
    from briefer.models import Brief

ClaimField = Literal["headline", "summary", "key_takeaways", "what_to_watch"]
NameField = Literal["entities", "sources"]

MIN_CLAIM_SCORE = 0.3
"""Share of a claim's (IDF-weighted) words its best article sentences must contain."""
MAX_SUPPORT = 3
"""A claim may merge facts from a few sentences; more than three is no longer 'backed'."""
ELLIPSIS_GAP = 600
"""How far (normalised characters) the parts of an elided quote may stand apart."""
PRONOUN_LOOKBACK = 3
"""Sentences to look back for the speaker when a quote is attributed by a pronoun."""

# --- words ---------------------------------------------------------------------------------------


def _wordset(words: str) -> frozenset[str]:
    """Word lists stay readable as one string."""
    return frozenset(words.split())


STOPWORDS = _wordset(
    """a about above after again against all also am an and any are as at be because been before
    being below between both but by can could did do does doing down during each few for from
    further had has have having he her here hers herself him himself his how i if in into is it its
    itself just me more most my no nor not now of off on once only or other our ours out over own
    same she should so some such than that the their theirs them then there these they this those
    through to too under until up very was we were what when where which while who whom why will
    with would you your yours says said say told tell new one mr mrs ms dr"""
)
TITLES = _wordset(
    """mr mrs ms miss dr sir dame lord lady president vice prime minister secretary senator sen rep
    representative gov governor mayor general gen col colonel capt captain lt sgt officer chief
    judge justice prof professor rev pope king queen prince princess sheikh jr sr ii iii
    spokesman spokeswoman spokesperson sens senators pm"""
)
MONTHS = {
    "jan": "january", "feb": "february", "mar": "march", "apr": "april", "jun": "june",
    "jul": "july", "aug": "august", "sep": "september", "sept": "september", "oct": "october",
    "nov": "november", "dec": "december", "mon": "monday", "tue": "tuesday", "tues": "tuesday",
    "wed": "wednesday", "thu": "thursday", "thur": "thursday", "thurs": "thursday", "fri": "friday",
    "sat": "saturday", "sun": "sunday",
}  # fmt: skip
ALIASES = {
    "america": "us", "american": "us", "usa": "us", "britain": "uk", "british": "uk",
    "french": "france", "dutch": "netherlands", "holland": "netherlands", "swiss": "switzerland",
    "welsh": "wales", "spanish": "spain", "filipino": "philippines", "irish": "ireland", "spaniard": "spain",
}  # fmt: skip
UNITS = {"hundred": 1e2, "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
SUFFIX_SCALES = {"k": 1e3, "m": 1e6, "mn": 1e6, "bn": 1e9, "b": 1e9, "tn": 1e12}
SMALL_NUMBERS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30,
    "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "dozen": 12,
}  # fmt: skip
NUMBER_WORDS = {**SMALL_NUMBERS, **UNITS}

_WORD = re.compile(r"(?:[A-Za-z]\.){2,}|[^\W\d_]+(?:['’][^\W\d_]+)*")
_NUMBER = re.compile(
    r"(?<![\w.,])(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    r"(?:\s?(?P<unit>hundred|thousand|million|billion|trillion)\b|(?P<suffix>[a-z]+)\b)?"
)
_NUMBER_WORDS = re.compile(
    r"\b(?:%s)(?:[\s-]+(?:and[\s-]+)?(?:%s))*\b" % (("|".join(NUMBER_WORDS),) * 2), re.IGNORECASE
)
_QUOTED = re.compile(r"[\"“”]([^\"“”]{3,}?)[\"“”]")
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


@lru_cache(maxsize=65536)
def _stem(word: str) -> str:
    """A crude, consistent stem: possessive, plural and -ed/-ing off, so 'warned' meets 'warning'."""
    w = re.sub(r"'s?$", "", word.lower().replace("’", "'").replace(".", ""))
    if w in MONTHS or w in ALIASES:
        return MONTHS.get(w) or ALIASES[w]
    for suffix, keep in (("ies", "y"), ("ing", ""), ("ed", ""), ("es", ""), ("s", "")):
        if w.endswith(suffix) and len(w) - len(suffix) >= 3 and not w.endswith("ss"):
            w = w[: -len(suffix)] + keep
            break
    w = ALIASES.get(w, w)
    return w[:-1] if len(w) > 3 and w.endswith("e") else w


@lru_cache(maxsize=1)
def _title_stems() -> frozenset[str]:
    return frozenset(map(_stem, TITLES))


def _is_title(word: str) -> bool:
    """'President', 'Sen.', 'PM': words that go with a name but are none."""
    return _stem(word) in _title_stems()


def _is_content(word: str) -> bool:
    return word.lower() not in STOPWORDS and len(word) > 1


# --- numbers -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Number:
    """A number as written: its value and the precision it was written with (for rounding)."""

    text: str
    value: float
    unit: float
    decimals: int


def _words_value(text: str) -> float | None:
    """Value of 'twenty-five', 'three hundred', 'two million'; None for a lone 'one'."""
    words = [w for w in re.split(r"[\s-]+", text.lower()) if w != "and"]
    if words == ["one"]:
        return None
    total, current = 0.0, 0.0
    for w in words:
        n = NUMBER_WORDS[w]
        if n >= 100:
            current = max(current, 1) * n
            if n > 100:
                total, current = total + current, 0.0
        else:
            current += n
    return total + current


def _numbers(text: str) -> Iterator[_Number]:
    """Every number in ``text``: digits (with 'bn', 'million', '%' ...) and number words."""
    for m in _NUMBER.finditer(text):
        digits = m["num"].replace(",", "")
        unit = UNITS.get(m["unit"] or "") or SUFFIX_SCALES.get(m["suffix"] or "", 1.0)
        decimals = len(digits.partition(".")[2])
        yield _Number(m.group(0), float(digits) * unit, unit, decimals)
    for m in _NUMBER_WORDS.finditer(text):
        value = _words_value(m.group(0))
        if value is not None:
            yield _Number(m.group(0), value, 1.0, 0)


def _number_supported(number: _Number, article_values: Iterable[float]) -> bool:
    """Equal, or the article's figure rounded to the precision the claim wrote ('4' for 4.06)."""
    tolerance = number.unit * (0.5 * 10**-number.decimals if number.decimals or number.unit > 1 else 0)
    return any(abs(a - number.value) <= tolerance + 1e-9 * max(1.0, a) for a in article_values)


# --- typography-normalised text with a map back to the original ---------------------------------

_TYPO = str.maketrans(
    {
        **dict.fromkeys("‘’‚‛′`´", "'"),
        **dict.fromkeys("“”„‟″«»", '"'),
        **dict.fromkeys("‐‑‒–—―−", "-"),
        "…": "...",
    }
)


def _normalise(text: str) -> tuple[str, list[int]]:
    """Fold typography so only words count: returns the folded text and, per character, its offset.

    Quote marks go (apostrophes inside words stay), dashes become '-', whitespace runs one
    space, no space before punctuation or around dashes, and letters are lower case.
    """
    out: list[str] = []
    where: list[int] = []
    pending_space = -1
    n = len(text)
    for i, raw in enumerate(text):
        for ch in raw.translate(_TYPO):
            if ch.isspace():
                pending_space = i if pending_space < 0 else pending_space
                continue
            if ch in "'\"" and not (0 < i < n - 1 and text[i - 1].isalnum() and text[i + 1].isalnum()):
                continue
            if pending_space >= 0 and out and ch not in ".,;:!?-" and out[-1] != "-":
                out.append(" ")
                where.append(pending_space)
            pending_space = -1
            low = ch.lower()
            out.append(low if len(low) == 1 else ch)
            where.append(i)
    return "".join(out), where


@dataclass
class _Match:
    """A quote found in the article: its parts' spans in the original text."""

    parts: list[Span]

    @property
    def start(self) -> int:
        return self.parts[0].start

    @property
    def end(self) -> int:
        return self.parts[-1].end


_ELLIPSIS = re.compile(r"\s*(?:\[\.\.\.\]|\(\.\.\.\)|\.{3,})\s*")


def _quote_parts(quote: str) -> list[str]:
    """The normalised pieces of a quote that an ellipsis separates, outer punctuation trimmed."""
    folded, _ = _normalise(quote)
    pieces = (p.strip(" .,;:!?-") for p in _ELLIPSIS.split(folded))
    return [p for p in pieces if p]


# --- the article, indexed once -------------------------------------------------------------------


@dataclass
class _Article:
    """What every check needs from the article, computed once per ``ground`` call."""

    text: str
    sentences: list[Span]
    sentence_stems: list[Counter[str]]
    postings: dict[str, list[int]]
    stems: set[str]
    name_stems: set[str]
    acronyms: set[str]
    caps: set[str]
    numbers: list[float]
    folded: str
    folded_map: list[int]
    avg_len: float = field(init=False)
    starts: list[int] = field(init=False)
    speaker_near: SpeakerCheck = field(init=False)

    def __post_init__(self) -> None:
        self.avg_len = sum(map(_total, self.sentence_stems)) / max(1, len(self.sentence_stems))
        self.starts = [s.start for s in self.sentences]
        self.speaker_near = SpeakerCheck(self.text, self.sentences)

    def idf(self, stem: str) -> float:
        n, df = len(self.sentences), len(self.postings.get(stem, ()))
        return math.log(1 + (n - df + 0.5) / (df + 0.5))

    def sentence_at(self, offset: int) -> int:
        """Index of the sentence holding ``offset`` (or the last one starting before it)."""
        return max(0, bisect_right(self.starts, offset) - 1)


def _total(counter: Counter[str]) -> int:
    return sum(counter.values())


def _tokens(text: str) -> list[str]:
    """Content stems and number values ('#2000'): the vocabulary claims and sentences share."""
    stems = [_stem(w) for w in _WORD.findall(text) if _is_content(w)]
    return stems + [f"#{n.value:g}" for n in _numbers(text)]


@dataclass(frozen=True, slots=True)
class _Run:
    """Consecutive capitalised words ('Afghan Ministry of Interior'): a name, or a clause opener."""

    words: list[str]
    initial: bool
    """Starts a sentence or clause, where any word is capitalised: its first word may be no name."""


_CLAUSE_OPENERS = frozenset(".:;!?\"“‘'([-—–")


_JOINS_NAME = re.compile(r"[ \t-]*")


def _starts_clause(text: str, pos: int) -> bool:
    before = text[:pos].rstrip()
    return not before or before[-1] in _CLAUSE_OPENERS


def _capitalised_runs(text: str) -> Iterator[_Run]:
    run: list[str] = []
    initial, last_end = False, 0
    for m in _WORD.finditer(text):
        word = m.group(0)
        if run and not _JOINS_NAME.fullmatch(text, last_end, m.start()):
            yield _Run(run, initial)
            run = []
        last_end = m.end()
        if word[0].isupper():
            initial = initial if run else _starts_clause(text, m.start())
            run.append(word)
        elif word in ("of", "the", "and", "for") and run:
            continue
        elif run:
            yield _Run(run, initial)
            run = []
    if run:
        yield _Run(run, initial)


def _acronym(words: list[str]) -> str:
    """'United Nations' -> 'un'; empty when fewer than two words would make it."""
    initials = [w[0] for w in words if w[0].isupper() and w.lower() not in STOPWORDS]
    return "".join(initials).lower() if len(initials) > 1 else ""


def _acronyms(words: list[str]) -> Iterator[str]:
    """Acronyms of every stretch of a run: 'Prime Minister Benjamin Netanyahu' gives 'pm' too."""
    for i in range(len(words)):
        for j in range(i + 2, len(words) + 1):
            yield _acronym(words[i:j])


def _index(text: str) -> _Article:
    spans = sentences(text)
    sentence_stems = [Counter(_tokens(s.of(text))) for s in spans]
    postings: dict[str, list[int]] = defaultdict(list)
    for i, counts in enumerate(sentence_stems):
        for stem in counts:
            postings[stem].append(i)
    words = _WORD.findall(text)
    folded, folded_map = _normalise(text)
    return _Article(
        text=text,
        sentences=spans,
        sentence_stems=sentence_stems,
        postings=dict(postings),
        stems={_stem(w) for w in words},
        name_stems={_stem(w) for w in words if w[0].isupper()},
        acronyms={a for r in _capitalised_runs(text) for a in _acronyms(r.words)} - {""},
        caps={_stem(w) for w in words if w.replace(".", "").isupper() and len(w) > 1},
        numbers=[n.value for n in _numbers(text)],
        folded=folded,
        folded_map=folded_map,
    )


# --- names ---------------------------------------------------------------------------------------


def _name_supported(word: str, article: _Article) -> bool:
    """A name token is in the article as is, as a demonym/prefix ('Afghan'), or as an acronym."""
    stem = _stem(word)
    if stem in article.stems or stem in article.acronyms:
        return True
    if len(stem) >= 4:
        return any(s.startswith(stem) or (len(s) >= 4 and stem.startswith(s)) for s in article.name_stems)
    return False


def _unsupported_names(text: str, article: _Article) -> list[str]:
    """Capitalised words of ``text`` the article never uses; a run whose acronym it uses is fine."""
    missing: list[str] = []
    for run in _capitalised_runs(text):
        if _acronym(run.words) in article.caps:
            continue
        names = [w for w in run.words[run.initial :] if _is_content(w) and not _is_title(w)]
        missing += [w for w in names if not _name_supported(w, article)]
    return missing


def _unsupported_numbers(text: str, article: _Article) -> list[str]:
    return [n.text for n in _numbers(text) if not _number_supported(n, article.numbers)]


# --- quotes --------------------------------------------------------------------------------------


def _find_quote(quote: str, article: _Article) -> _Match | None:
    """First place where all parts of the quote occur in order, each within ELLIPSIS_GAP of the last."""
    parts = _quote_parts(quote)
    if not parts:
        return None
    folded, where = article.folded, article.folded_map
    start = folded.find(parts[0])
    while start >= 0:
        spans, pos = [Span(start, start + len(parts[0]))], start + len(parts[0])
        for part in parts[1:]:
            nxt = folded.find(part, pos, pos + ELLIPSIS_GAP + len(part))
            if nxt < 0:
                break
            spans.append(Span(nxt, nxt + len(part)))
            pos = nxt + len(part)
        else:
            return _Match([Span(where[s.start], where[s.end - 1] + 1) for s in spans])
        start = folded.find(parts[0], start + 1)
    return None


def _speaker_keys(speaker: str) -> list[str]:
    """What must be seen near the quote: the surname, or the content words of a description."""
    names = [w for w in _WORD.findall(speaker) if w[0].isupper() and not _is_title(w)]
    if names:
        return [_stem(names[-1])]
    return [_stem(w) for w in _WORD.findall(speaker) if _is_content(w)]


_speaker_keys_cached = lru_cache(maxsize=4096)(_speaker_keys)


class SpeakerCheck:
    """Whether a quote's speaker is named near it in ``text`` (split into ``spans``).

    Near means: if the quote's own sentences attach a name to a speech verb ('..., said Mr
    Smith'), that name must be the speaker; otherwise the speaker is named in the quote's
    sentences or the one either side, or, when those attribute by "he"/"she", within
    PRONOUN_LOOKBACK sentences before. The offline engine uses the same check to keep only
    quotes whose speaker a reader (and this module) can see.
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
        keys = _speaker_keys_cached(speaker)
        own = f"{text[spans[first].start : quote_start]} | {text[quote_end : spans[last].end]}"
        named = [m["after"] or m["before"] for m in _NAMED_ATTRIBUTION.finditer(own)]
        named = [name for name in named if _is_content(name.split()[0]) or len(name.split()) > 1]
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
        window = self.text[start:end]
        if len(keys) == 1 and len(keys[0]) > 3 and keys[0].isalpha():
            # A surname: its stem is the word's start ('clark' of "Clarke's"; 'humphr(y)' of
            # "Humphries"), so find that, then compare stems, instead of stemming every word.
            key = keys[0]
            probe, lowered = key[:-1], window.lower()
            at = lowered.find(probe)
            while at >= 0:
                if at == 0 or not lowered[at - 1].isalpha():
                    word = _WORD.match(window, at)
                    if word and _stem(word.group()) == key:
                        return True
                at = lowered.find(probe, at + 1)
            return False
        return _names_speaker(keys, window)


def _names_speaker(keys: list[str], text: str) -> bool:
    stems = {_stem(w) for w in _WORD.findall(text)}
    return bool(keys) and sum(k in stems for k in keys) * 2 >= len(keys)


def _check_quote(index: int, speaker: str, text: str, article: _Article) -> QuoteCheck:
    """Support is the matched parts; for a quote not found, the closest sentence, to show the misquote."""
    match = _find_quote(text, article)
    problems: list[str] = []
    speaker_near = False
    if match is None:
        problems.append("not found verbatim in the article")
        support = _best_support(_tokens(text), article)[:1]
    else:
        support = [
            SupportSpan(sentence=article.sentence_at(p.start), start=p.start, end=p.end, score=1.0)
            for p in match.parts
        ]
        speaker_near = article.speaker_near(match.start, match.end, speaker)
        if not speaker_near:
            problems.append(f"speaker {speaker!r} is not named near the quote")
    _, missing = _missing_name_words(speaker, article)
    if missing:
        problems.append(f"speaker {speaker!r} is not in the article")
    return QuoteCheck(
        field="quotes",
        index=index,
        text=text,
        speaker=speaker,
        found=match is not None,
        start=match.start if match else None,
        end=match.end if match else None,
        speaker_near=speaker_near,
        supported=not problems,
        score=(0.5 * (match is not None) + 0.5 * speaker_near),
        support=support,
        unsupported_terms=missing,
        problems=problems,
    )


# --- claims --------------------------------------------------------------------------------------


def _bm25(query: list[str], article: _Article, k1: float = 1.2, b: float = 0.75) -> dict[int, float]:
    scores: dict[int, float] = defaultdict(float)
    for stem in set(query):
        idf = article.idf(stem)
        for i in article.postings.get(stem, ()):
            tf = article.sentence_stems[i][stem]
            norm = 1 - b + b * _total(article.sentence_stems[i]) / article.avg_len
            scores[i] += idf * tf * (k1 + 1) / (tf + k1 * norm)
    return scores


def _best_support(query: list[str], article: _Article) -> list[SupportSpan]:
    """Up to MAX_SUPPORT sentences, best BM25 first, each adding words of the claim the rest lack.

    Each span's score is the share of the claim's IDF weight it newly covers, so the scores of
    a claim's support add up to its coverage.
    """
    weights = {stem: article.idf(stem) for stem in set(query)}
    total = sum(weights.values()) or 1.0
    uncovered = set(weights)
    support: list[SupportSpan] = []
    ranked = sorted(_bm25(query, article).items(), key=lambda kv: -kv[1])
    for i, _ in ranked:
        gained = uncovered & article.sentence_stems[i].keys()
        if not gained:
            continue
        uncovered -= gained
        span = article.sentences[i]
        support.append(
            SupportSpan(
                sentence=i,
                start=span.start,
                end=span.end,
                score=round(sum(weights[s] for s in gained) / total, 3),
            )
        )
        if len(support) == MAX_SUPPORT or not uncovered:
            break
    return support


def _misquoted(text: str, article: _Article) -> list[str]:
    """Words a claim puts in quote marks that the article does not have verbatim."""
    return [f'"{q}"' for q in _QUOTED.findall(text) if len(q.split()) > 1 and _find_quote(q, article) is None]


def _check_claim(field_name: ClaimField, index: int, text: str, article: _Article) -> ItemCheck:
    support = _best_support(_tokens(text), article)
    score = round(min(1.0, sum(s.score for s in support)), 3)
    names = _unsupported_names(text, article)
    numbers = _unsupported_numbers(text, article)
    quotes = _misquoted(text, article)
    problems = [
        f"{label} not in the article: {', '.join(terms)}"
        for label, terms in (("names", names), ("numbers", numbers), ("quoted words", quotes))
        if terms
    ]
    if score < MIN_CLAIM_SCORE:
        problems.append(f"weakly backed by the article (score {score:.2f})")
    return ItemCheck(
        field=field_name,
        index=index,
        text=text,
        supported=not problems,
        score=score,
        support=support,
        unsupported_terms=names + numbers + quotes,
        problems=problems,
    )


def _missing_name_words(name: str, article: _Article) -> tuple[list[str], list[str]]:
    """(words, missing words) of a name; a shorter name ('Asif') or the acronym of one is fine."""
    words = [w for w in _WORD.findall(name) if _is_content(w) and not _is_title(w)]
    missing = [w for w in words if not _name_supported(w, article)]
    if missing and _acronym(words) in article.caps:
        missing = []
    return words, missing


def _check_name(field_name: NameField, index: int, name: str, article: _Article) -> ItemCheck:
    """A name is backed when each of its words is in the article."""
    words, missing = _missing_name_words(name, article)
    mention = _find_quote(name, article)
    support = (
        []
        if mention is None
        else [
            SupportSpan(
                sentence=article.sentence_at(mention.start), start=mention.start, end=mention.end, score=1.0
            )
        ]
    )
    return ItemCheck(
        field=field_name,
        index=index,
        text=name,
        supported=not missing and bool(words),
        score=1.0 - len(missing) / max(1, len(words)),
        support=support,
        unsupported_terms=missing,
        problems=[f"not in the article: {', '.join(missing)}"] if missing else [],
    )


# --- the report ----------------------------------------------------------------------------------


def _claims(brief: Brief) -> Iterator[tuple[ClaimField, int, str]]:
    yield "headline", 0, brief.headline
    for i, span in enumerate(sentences(brief.summary)):
        yield "summary", i, span.of(brief.summary)
    for i, text in enumerate(brief.key_takeaways):
        yield "key_takeaways", i, text
    for i, text in enumerate(brief.what_to_watch):
        yield "what_to_watch", i, text


def ground(brief: Brief, article_text: str) -> GroundingReport:
    """Check every quote, claim, entity and source of ``brief`` against ``article_text``."""
    article = _index(article_text)
    claims = [_check_claim(f, i, text, article) for f, i, text in _claims(brief)]
    quotes = [_check_quote(i, q.speaker, q.text, article) for i, q in enumerate(brief.quotes)]
    names = [_check_name("entities", i, e.name, article) for i, e in enumerate(brief.entities)]
    names += [_check_name("sources", i, s, article) for i, s in enumerate(brief.sources)]
    items: list[ItemCheck] = [*claims, *quotes, *names]
    supported = sum(item.supported for item in items)
    return GroundingReport(
        ok=supported == len(items),
        score=round(supported / len(items), 3) if items else 1.0,
        claims=claims,
        quotes=quotes,
        names=names,
    )


def render_report_text(report: GroundingReport) -> str:
    """A few lines an editor reads at a glance: the verdict, then one line per flagged item."""
    flagged = report.flagged()
    checked = len(report.claims) + len(report.quotes) + len(report.names)
    verdict = "OK" if report.ok else f"{len(flagged)} of {checked} items need checking"
    lines = [f"grounding: {verdict} (score {report.score:.2f})"]
    for item in flagged:
        lines.append(f"⚠ {item.field}[{item.index}]: {_shorten(item.text)}")
        lines += [f"    - {problem}" for problem in item.problems]
    return "\n".join(lines)


def _shorten(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
