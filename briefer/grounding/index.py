"""The article, indexed once per ``verify_brief`` call: sentences, stems, names, numbers, folded text.

Every check of a brief asks the same questions of the article; answering them from one index
keeps grounding a few milliseconds per brief.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from briefer.grounding.capitals import acronyms, capitalised_runs
from briefer.grounding.folding import fold
from briefer.grounding.injection import instructions
from briefer.grounding.numbers import Figure, dates, numbers, with_dates
from briefer.text.sentences import Span, sentences
from briefer.text.speakers import SpeakerCheck
from briefer.text.words import WORD, is_content, match_stem


@dataclass
class ArticleIndex:
    """What every check needs from the article."""

    text: str
    sentences: list[Span]
    sentence_stems: list[Counter[str]]
    postings: dict[str, list[int]]
    stems: set[str]
    name_stems: set[str]
    acronyms: set[str]
    caps: set[str]
    numbers: list[float]
    sentence_figures: list[list[Figure]]
    """The dates and numbers of each sentence: where a claim's figure is said, and with what."""
    folded: str
    folded_map: list[int]
    instructions: frozenset[int]
    """Sentences addressed to the model briefing the article (``injection``): they back nothing."""
    avg_len: float = field(init=False)
    starts: list[int] = field(init=False)
    speaker_near: SpeakerCheck = field(init=False)

    def __post_init__(self) -> None:
        self.avg_len = sum(map(total, self.sentence_stems)) / max(1, len(self.sentence_stems))
        self.starts = [s.start for s in self.sentences]
        self.speaker_near = SpeakerCheck(self.text, self.sentences)

    def idf(self, stem: str) -> float:
        """BM25's inverse document frequency, sentences as documents: rare words weigh more."""
        n, df = len(self.sentences), len(self.postings.get(stem, ()))
        return math.log(1 + (n - df + 0.5) / (df + 0.5))

    def sentence_at(self, offset: int) -> int:
        """Index of the sentence holding ``offset`` (or the last one starting before it)."""
        return max(0, bisect_right(self.starts, offset) - 1)

    def saying(self, figure: Figure) -> list[int]:
        """The sentences that give ``figure``, however written ('24 March' for 'March 24')."""
        return [i for i, found in enumerate(self.sentence_figures) if any(figure.matches(f) for f in found)]


def total(counter: Counter[str]) -> int:
    """Number of stems in a bag: a sentence's length for BM25."""
    return sum(counter.values())


def tokens(text: str) -> list[str]:
    """Content stems and number values ('#2000'): the vocabulary claims and sentences share."""
    stems = [match_stem(w) for w in WORD.findall(text) if is_content(w)]
    return stems + [f"#{n.value:g}" for n in numbers(text)]


def index_article(text: str) -> ArticleIndex:
    """Split and index ``text``; sentence indices are those of ``briefer.text.sentences``."""
    spans = sentences(text)
    sentence_stems = [Counter(tokens(s.of(text))) for s in spans]
    postings: dict[str, list[int]] = defaultdict(list)
    for i, counts in enumerate(sentence_stems):
        for stem in counts:
            postings[stem].append(i)
    words = WORD.findall(text)
    folded, folded_map = fold(text)
    found = list(numbers(text))
    sentence_figures: list[list[Figure]] = [[] for _ in spans]
    starts = [s.start for s in spans]
    for figure in with_dates(list(dates(text)), found):
        sentence_figures[max(0, bisect_right(starts, figure.start) - 1)].append(figure)
    return ArticleIndex(
        text=text,
        sentences=spans,
        sentence_stems=sentence_stems,
        postings=dict(postings),
        stems={match_stem(w) for w in words},
        name_stems={match_stem(w) for w in words if w[0].isupper()},
        acronyms={a for r in capitalised_runs(text) for a in acronyms(r.words)} - {""},
        caps={match_stem(w) for w in words if w.replace(".", "").isupper() and len(w) > 1},
        numbers=[n.value for n in found],
        sentence_figures=sentence_figures,
        folded=folded,
        folded_map=folded_map,
        instructions=instructions(text, spans),
    )
