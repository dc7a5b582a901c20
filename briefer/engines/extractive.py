"""The offline engine: an unsupervised extractive summariser plus rule-based fact extraction.

No key, no network, a few milliseconds per article. Key takeaways are body sentences ranked by

    score(i) = (centrality(i) + SMOOTHING) / sqrt(i + 1) × (1 − QUOTE_PENALTY × quoted share(i))

- *centrality*: the sentence's degree in a TF-IDF cosine-similarity graph of the article
  (LexRank's degree variant), scaled to [0, 1] — what the article keeps coming back to;
- *position*: news is an inverted pyramid, so a sentence's prior decays with its rank in the
  body; the square root keeps later sentences reachable when they are much more central;
- *quotes*: takeaways state facts; a sentence that is mostly someone's quoted words is a
  weaker takeaway (the quote itself goes to ``quotes``);

then picked greedily with maximal marginal relevance (MMR) so that near-duplicates of an
already chosen sentence lose out. The three constants were chosen on the CNN/DailyMail and
BBC development samples and sit in a flat region of the score surface (reproduce with
``briefer eval``); they are not tuned per article or per dataset.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_right
from collections import Counter
from functools import cache
from itertools import chain

from briefer.attribution import Attribution, attribute
from briefer.errors import InputError
from briefer.models import MAX_TAKEAWAY_CHARS, Article, Brief, Dateline, Entity, Quote, Usage
from briefer.newsparse import Layout, parse
from briefer.text.sentences import Span

from . import EngineOutput

MODEL_ID = "briefer-extractive-1"

SMOOTHING = 0.2  # weight of position alone, relative to the most central sentence
QUOTE_PENALTY = 0.5  # score lost by a sentence that is entirely quoted speech
MMR_REDUNDANCY = 0.3  # score lost per unit of cosine similarity to a chosen sentence

_MIN_TAKEAWAY_WORDS = 5  # shorter "sentences" are fragments and list furniture ("1.", "By .")
_HEADLINE_WORDS = 15
_SUMMARY_SENTENCES = 3
_MAX_WATCH = 3
_MAX_TOPICS = 5
_TOPIC_CANDIDATES = 20  # stems looked at for topics, unless more tie
_MAX_ENTITIES = 10

_WORD = re.compile(r"[a-z0-9]+(?:['’][a-z]+)?")
# fmt: off
_STOPWORDS = frozenset({
    "a", "about", "above", "after", "again", "against", "all", "also", "am", "an", "and", "any", "are",
    "as", "at", "be", "because", "been", "before", "being", "below", "between", "both", "but", "by", "can",
    "could", "did", "do", "does", "doing", "down", "during", "each", "few", "for", "from", "further", "had",
    "has", "have", "having", "he", "her", "here", "hers", "herself", "him", "himself", "his", "how", "i",
    "if", "in", "into", "is", "it", "its", "itself", "just", "me", "more", "most", "my", "myself", "no",
    "nor", "not", "now", "of", "off", "on", "once", "only", "or", "other", "our", "ours", "ourselves",
    "out", "over", "own", "same", "she", "should", "so", "some", "such", "than", "that", "the", "their",
    "theirs", "them", "themselves", "then", "there", "these", "they", "this", "those", "through", "to",
    "too", "under", "until", "up", "very", "was", "we", "were", "what", "when", "where", "which", "while",
    "who", "whom", "why", "will", "with", "would", "you", "your", "yours", "yourself", "yourselves", "said",
    "says", "say", "told", "according", "mr", "mrs", "ms", "one", "two", "new", "may", "might", "must",
    "shall", "us", "year", "years", "time", "people", "last", "first"
})
# fmt: on
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


@cache
def _stem(word: str) -> str:
    """A light suffix stripper: enough to match 'warning'/'warned'/'warns' without a stemmer dependency."""
    if word.endswith(("'s", "’s")):
        word = word[:-2]
    if len(word) > 4:
        if word.endswith("ies"):
            return word[:-3] + "y"
        if word.endswith("sses"):
            return word[:-2]
        if word.endswith("s") and not word.endswith(("ss", "us", "is")):
            word = word[:-1]
        if word.endswith("ing") and len(word) > 5:
            return word[:-3]
        if word.endswith("ed") and len(word) > 4:
            return word[:-2]
    return word


class Terms:
    """Content-word stems of each sentence, and the words each stem was spelled as (for topics)."""

    def __init__(self, sentences: list[str]) -> None:
        self.lowered = [sentence.lower() for sentence in sentences]
        findall, stem, stop = _WORD.findall, _stem, _STOPWORDS
        self.words = [[w for w in findall(low) if w not in stop] for low in self.lowered]
        self.bags = [list(map(stem, words)) for words in self.words]

    def spellings(self, stems: set[str]) -> dict[str, dict[str, int]]:
        """stem -> {word: count} for ``stems``, words in order of first use."""
        counts = Counter([w for words in self.words for w in words])
        spellings: dict[str, dict[str, int]] = {}
        for (word, n), stem in zip(counts.items(), map(_stem, counts), strict=True):
            if stem in stems:
                spellings.setdefault(stem, {})[word] = n
        return spellings


def _count(bag: list[str]) -> dict[str, int]:
    """Term frequencies, in order of first use (a plain loop: Counter() costs more on short bags)."""
    tf: dict[str, int] = {}
    get = tf.get
    for t in bag:
        tf[t] = get(t, 0) + 1
    return tf


def _tfidf(bags: list[list[str]]) -> list[dict[str, float]]:
    """Unit-length TF-IDF vectors, IDF over the article's own sentences (no corpus needed)."""
    counts = [_count(bag) for bag in bags]
    df = Counter(chain.from_iterable(counts))  # iterating a dict gives its keys
    log, n = math.log, len(bags) + 1
    idf = {t: log(n / d) for t, d in df.items()}
    vectors = []
    for tf in counts:
        weights = {t: c * idf[t] for t, c in tf.items()}
        norm = math.sqrt(sum([w * w for w in weights.values()])) or 1.0
        vectors.append({t: w / norm for t, w in weights.items()})
    return vectors


def _cosine(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    get = b.get
    return sum([w * get(t, 0.0) for t, w in a.items()])


def rank(bags: list[list[str]], quoted_share: list[float]) -> tuple[list[float], list[dict[str, float]]]:
    """Importance score of each sentence (see module docstring), and the sentence vectors.

    A sentence's degree, the sum of its cosines with every other sentence, is its dot product
    with the sum of all vectors minus its own (unit) length: linear in the article's length,
    where the similarity matrix would be quadratic.
    """
    vectors = _tfidf(bags)
    total: dict[str, float] = {}
    get = total.get
    for vector in vectors:
        for t, w in vector.items():
            total[t] = get(t, 0.0) + w
    degree = [sum([w * (total[t] - w) for t, w in v.items()]) for v in vectors]
    top = max(degree) or 1.0
    scores = [
        (degree[i] / top + SMOOTHING) / math.sqrt(i + 1) * (1 - QUOTE_PENALTY * quoted_share[i])
        for i in range(len(vectors))
    ]
    return scores, vectors


def select(scores: list[float], vectors: list[dict[str, float]], candidates: list[int], k: int) -> list[int]:
    """Up to ``k`` of ``candidates`` by MMR, most important first.

    Lazy greedy: a candidate's relevance bounds its MMR score from above, so candidates are
    visited by falling relevance and the scan stops once no later one can win.
    """
    low, high = min(scores), max(scores)
    spread = (high - low) or 1.0
    pool = sorted(candidates, key=lambda i: -scores[i])
    chosen: list[int] = []
    while pool and len(chosen) < k:
        best, best_score = pool[0], -math.inf
        for i in pool:
            relevance = (scores[i] - low) / spread
            if relevance <= best_score:
                break
            redundancy = max((_cosine(vectors[i], vectors[j]) for j in chosen), default=0.0)
            if relevance - MMR_REDUNDANCY * redundancy > best_score:
                best, best_score = i, relevance - MMR_REDUNDANCY * redundancy
        chosen.append(best)
        pool.remove(best)
    return chosen


def takeaway_count(n_sentences: int) -> int:
    """3 for a short story, up to 7 for a long one (√n: 9 sentences → 3, 25 → 5, 49+ → 7)."""
    return max(3, min(7, round(math.sqrt(n_sentences))))


def _quoted_share(spans: list[Span], quoted: list[Span]) -> list[float]:
    """Share of each sentence's characters inside quote marks (both lists in text order)."""
    shares, first = [], 0
    for span in spans:
        while first < len(quoted) and quoted[first].end <= span.start:
            first += 1
        inside, q = 0, first
        while q < len(quoted) and quoted[q].start < span.end:
            inside += max(0, min(span.end, quoted[q].end) - max(span.start, quoted[q].start))
            q += 1
        shares.append(inside / max(1, span.end - span.start))
    return shares


def _headline(layout: Layout, lead: str) -> str:
    """The title or headline line; else the lead sentence, cut to a clause of at most ~15 words."""
    if layout.headline:
        return layout.headline
    words = lead.split()
    if len(words) <= _HEADLINE_WORDS:
        return lead.rstrip(".")
    clause = re.split(r",\s|\s--?\s|\s[–—]\s|;\s", lead)[0]
    if len(clause.split()) <= _HEADLINE_WORDS and len(clause.split()) >= 4:
        return clause
    return " ".join(words[:_HEADLINE_WORDS]) + "…"


def _topics(terms: Terms, chosen: list[int], headline: str) -> list[str]:
    """The most frequent content words (takeaways and headline count double), as most often spelled."""
    counts = Counter([stem for bag in terms.bags for stem in bag])
    counts.update([stem for i in sorted(chosen) for stem in terms.bags[i]])
    for word in _WORD.findall(headline.lower()):
        if word not in _STOPWORDS:
            counts[_stem(word)] += 2
    ranked = counts.most_common(_TOPIC_CANDIDATES)
    if len(ranked) == _TOPIC_CANDIDATES and ranked[-1][1] >= 2:
        ranked = counts.most_common()  # a long tail of ties: look at them all
    spellings = terms.spellings({stem for stem, _ in ranked})
    labels = []
    for stem, count in ranked:
        if len(labels) == _MAX_TOPICS or count < 2:
            break
        if len(stem) >= 4 and not stem.isdigit():
            spelled = spellings.get(stem)
            if spelled:
                labels.append(max(spelled, key=spelled.__getitem__))
    return labels


def _what_to_watch(
    sentences: list[str], lowered: list[str], shares: list[float], scores: list[float]
) -> list[str]:
    """The most important forward-looking sentences ("will", "is expected to", "plans to") outside
    quotes, in article order."""
    forward = _forward_sentences(lowered)
    picks: list[int] = []
    for i in sorted(forward, key=lambda i: -scores[i]):
        if len(picks) == _MAX_WATCH:
            break
        if shares[i] < 0.5 and len(sentences[i]) <= MAX_TAKEAWAY_CHARS:
            picks.append(i)
    return [sentences[i] for i in sorted(picks)]


def _entities(found: Attribution) -> list[Entity]:
    seen: set[str] = set()
    entities = []
    for name, kind, role in found.entities:
        if name.lower() not in seen:
            seen.add(name.lower())
            entities.append(Entity(name=name, kind=kind, role=role))  # type: ignore[arg-type]
    return entities[:_MAX_ENTITIES]


class ExtractiveEngine:
    """Offline briefs: ranked body sentences for takeaways and summary, rules for the rest."""

    name = "extractive"

    @property
    def fingerprint(self) -> dict[str, object]:
        """The cache key's other half: a new MODEL_ID invalidates every cached extractive brief."""
        return {"engine": self.name, "model": MODEL_ID}

    def run(self, article: Article) -> EngineOutput:
        layout = parse(article.text, article.title)
        spans = layout.body
        if not spans:
            raise InputError("the article has no sentences to brief")
        text = article.text
        sentences = [" ".join(span.of(text).split()) for span in spans]  # one line each
        found = attribute(text, layout.body_start, layout.dateline.outlet, layout.dateline.place, spans)
        shares = _quoted_share(spans, found.quoted)
        terms = Terms(sentences)
        scores, vectors = rank(terms.bags, shares)
        candidates = [
            i
            for i, s in enumerate(sentences)
            if len(s.split()) >= _MIN_TAKEAWAY_WORDS and len(s) <= MAX_TAKEAWAY_CHARS
        ] or [i for i, s in enumerate(sentences) if len(s) <= MAX_TAKEAWAY_CHARS]
        if not candidates:
            raise InputError("the article has no sentence short enough to use as a takeaway")
        chosen = select(scores, vectors, candidates, takeaway_count(len(sentences)))
        summary = " ".join(sentences[i] for i in sorted(chosen[:_SUMMARY_SENTENCES]))
        headline = _headline(layout, sentences[0])
        brief = Brief(
            headline=headline,
            dateline=Dateline(
                place=layout.dateline.place, date=layout.dateline.date, outlet=layout.dateline.outlet
            ),
            summary=summary,
            key_takeaways=[sentences[i] for i in chosen],
            entities=_entities(found),
            quotes=[Quote(speaker=speaker, text=quote) for speaker, quote in found.quotes],
            sources=found.sources,
            what_to_watch=_what_to_watch(sentences, terms.lowered, shares, scores),
            topics=_topics(terms, chosen, headline),
        )
        return EngineOutput(brief=brief, model=MODEL_ID, usage=Usage(), chunks=1)
