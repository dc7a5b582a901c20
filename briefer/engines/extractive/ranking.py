"""What matters in an article: its sentences ranked for takeaways, its words for topics.

Key takeaways are body sentences ranked by

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
from collections import Counter
from collections.abc import Iterable
from itertools import chain

from briefer.text.sentences import Span
from briefer.text.words import RANKING_STOPWORDS, rank_stem, wordset

SMOOTHING = 0.2  # weight of position alone, relative to the most central sentence
QUOTE_PENALTY = 0.6  # score lost by a sentence that is entirely quoted speech
MMR_REDUNDANCY = 0.3  # score lost per unit of cosine similarity to a chosen sentence

_MIN_TOPICS = 3
_MAX_TOPICS = 5
_TOPIC_CANDIDATES = 20  # stems looked at for topics, unless more tie

_WORD = re.compile(r"[a-z0-9]+(?:['’][a-z]+)?")
_POSSESSIVE = re.compile(r"['’]s$")


class Terms:
    """Content-word stems of each sentence, and the words each stem was spelled as (for topics)."""

    def __init__(self, sentences: list[str]) -> None:
        self.lowered = [sentence.lower() for sentence in sentences]
        findall, stem, stop = _WORD.findall, rank_stem, RANKING_STOPWORDS
        self.words = [[w for w in findall(low) if w not in stop] for low in self.lowered]
        self.bags = [list(map(stem, words)) for words in self.words]

    def spellings(self, stems: set[str]) -> dict[str, dict[str, int]]:
        """stem -> {word: count} for ``stems``, words in order of first use."""
        counts = Counter([w for words in self.words for w in words])
        spellings: dict[str, dict[str, int]] = {}
        for (word, n), stem in zip(counts.items(), map(rank_stem, counts), strict=True):
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
    """Cosine of two unit vectors: their dot product, iterating the shorter."""
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


def quoted_share(spans: list[Span], quoted: list[Span]) -> list[float]:
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


# Words that are no topic whatever their count: quantifiers, adverbs, comparatives.
_NOT_TOPICS = wordset(
    """many much more most less least few several ever never also just like better best well really even
    still very often always already again almost enough quite rather soon later whether though although
    however including another other every such same good bad big small high low great little long next
    there don't home north south east west former latest"""
)
# Where nouns stand. After a determiner or a preposition ("the warning", "in Pakistan") stands a
# noun, or an adjective before one ("the nuclear deal"); a word there that also ends its phrase
# ("the warning said", "in Pakistan.") or stands right before a verb ("talks were") heads it.
_AFTER_DETERMINER = re.compile(
    r"\b(?:the|a|an|this|that|these|those|his|her|its|their|our|my|your|of|in|for|from|with|by|on|at|about)"
    r"\s+([a-z0-9'’-]+)"
)
_HEAD_END = re.compile(
    r"\s*[.,;:!?)\"”]|\s+(?:of|for|to|in|on|at|with|by|from|that|who|which|and|or|but|was|were|is|are|has|"
    r"had|have|will|would|could|can|said|says)\b"
)
_BEFORE_VERB = re.compile(r"\b([a-z0-9'’-]+)\s+(?:was|were|is|are|has|had|have|will|would|said|says)\b")
_ADJECTIVE_ENDINGS = (
    "al", "ic", "an", "ese", "ish", "ous", "ive", "ful", "less", "able", "ible", "ary", "ar", "ent",
    "ant", "ern", "ing", "ed", "ly", "i",
)  # fmt: skip
"""Endings of adjectives, participles and adverbs ('nuclear', 'Russian', 'Iraqi'): such a word is a
topic only where it heads a phrase ('the military said', 'a national of')."""


def _nouns(text: str) -> set[str]:
    """Words ``text`` uses as nouns somewhere (see the patterns above): after a determiner, unless
    it looks like an adjective and never heads its phrase there, or right before a verb."""
    heads = {w for w in _BEFORE_VERB.findall(text) if not w.endswith(("ed", "ing", "ly"))}
    for match in _AFTER_DETERMINER.finditer(text):
        word = match.group(1)
        if not word.endswith(_ADJECTIVE_ENDINGS) or _HEAD_END.match(text, match.end()):
            heads.add(word)
    return heads


def _names_by_word(names: Iterable[str]) -> dict[str, str]:
    """Each word of a multi-word name ('boko') -> the whole name, lower case ('boko haram'): the
    first name holding it wins."""
    whole: dict[str, str] = {}
    for name in names:
        words = _POSSESSIVE.sub("", name.lower()).split()
        if len(words) >= 2:
            for word in words:
                whole.setdefault(word, " ".join(words))
    return whole


def topics(
    terms: Terms,
    chosen: list[int],
    headline: str,
    names: list[str] | None = None,
    whole_names: Iterable[str] = (),
) -> list[str]:
    """The story's central names (``names``, most central first: at most two) and its most frequent
    nouns (takeaways and headline count double), as most often spelled, lower case. A frequent word
    of a multi-word name (``names``, then ``whole_names``) stands for the name: "boko haram", not
    "boko, haram"."""
    labels = [name.lower() for name in (names or [])[:2]]
    taken = {word for label in labels for word in label.split()}
    name_of = _names_by_word([*(names or []), *whole_names])
    counts = Counter([stem for bag in terms.bags for stem in bag])
    counts.update([stem for i in sorted(chosen) for stem in terms.bags[i]])
    for word in _WORD.findall(headline.lower()):
        if word not in RANKING_STOPWORDS:
            counts[rank_stem(word)] += 2
    ranked = counts.most_common(_TOPIC_CANDIDATES)
    if len(ranked) == _TOPIC_CANDIDATES and ranked[-1][1] >= 2:
        ranked = counts.most_common()  # a long tail of ties: look at them all
    nouns = _nouns(" ".join(terms.lowered))
    for least in (2, 1):  # words used twice; in a short story, once if that is all it has
        pool = ranked if least == 2 else counts.most_common()
        spellings = terms.spellings({stem for stem, _ in pool})
        for stem, count in pool:
            if len(labels) == _MAX_TOPICS or count < least:
                break
            spelled = spellings.get(stem)
            if len(stem) < 4 or stem.isdigit() or not spelled:
                continue
            word = max(spelled, key=lambda w: (not _POSSESSIVE.search(w), spelled[w]))
            word = _POSSESSIVE.sub("", word)  # "putin's" -> "putin"
            if word in taken or word in _NOT_TOPICS or word in labels or word not in nouns:
                continue
            label = name_of.get(word, word)
            labels.append(label)
            taken.update(label.split())
        if len(labels) >= _MIN_TOPICS:
            break
    return labels
