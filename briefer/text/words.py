"""Words, stopwords and stems: the vocabulary grounding and the offline engine compare text in.

There are two stemmers, on purpose. ``match_stem`` decides whether a word of a claim is in the
article, so it folds aggressively ('Oct' = 'October', 'British' = 'UK', 'warned' = 'warning').
``rank_stem`` only groups a sentence's words for ranking and topic labels, which are spelled
back from the words it grouped; folding there would change which sentences a brief picks.
Likewise one base list of stopwords, with a variant for each use.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache

from briefer.text.dates import MONTH_ABBREVIATIONS, WEEKDAY_ABBREVIATIONS


def wordset(words: str) -> frozenset[str]:
    """Word lists stay readable as one string."""
    return frozenset(words.split())


STOPWORDS = wordset(
    """a about above after again against all also am an and any are as at be because been before
    being below between both but by can could did do does doing down during each few for from
    further had has have having he her here hers herself him himself his how i if in into is it its
    itself just me more most my no nor not now of off on once only or other our ours out over own
    same she should so some such than that the their theirs them then there these they this those
    through to too under until up very was we were what when where which while who whom why will
    with would you your yours says said say told new one mr mrs ms"""
)
"""Function words and the reporting verbs every story uses: they carry no topic and back no claim."""
GROUNDING_STOPWORDS = STOPWORDS | {"dr", "tell"}
"""Words grounding neither aligns a claim on nor takes for a name."""
RANKING_STOPWORDS = STOPWORDS | wordset(
    """myself ourselves themselves yourself yourselves according may might must shall us two first last
    year years time people"""
)
"""Words too common in news to say what a story is about: left out of ranking and topics."""

WORD = re.compile(r"(?:[A-Za-z]\.){2,}|[^\W\d_]+(?:['’][^\W\d_]+)*")
"""A word as grounding reads it: an initialism ('U.S.') or letters with inner apostrophes."""

ALIASES = {
    "america": "us", "american": "us", "usa": "us", "britain": "uk", "british": "uk",
    "french": "france", "dutch": "netherlands", "holland": "netherlands", "swiss": "switzerland",
    "welsh": "wales", "spanish": "spain", "filipino": "philippines", "irish": "ireland", "spaniard": "spain",
}  # fmt: skip
"""Country names and demonyms a paraphrase swaps for one another ('American' for 'US')."""
_ABBREVIATIONS = MONTH_ABBREVIATIONS | WEEKDAY_ABBREVIATIONS


@lru_cache(maxsize=65536)
def match_stem(word: str) -> str:
    """A crude, consistent stem: possessive, plural and -ed/-ing off, so 'warned' meets 'warning'."""
    w = re.sub(r"'s?$", "", word.lower().replace("’", "'").replace(".", ""))
    if w in _ABBREVIATIONS or w in ALIASES:
        return _ABBREVIATIONS.get(w) or ALIASES[w]
    for suffix, keep in (("ies", "y"), ("ing", ""), ("ed", ""), ("es", ""), ("s", "")):
        if w.endswith(suffix) and len(w) - len(suffix) >= 3 and not w.endswith("ss"):
            w = w[: -len(suffix)] + keep
            break
    w = ALIASES.get(w, w)
    return w[:-1] if len(w) > 3 and w.endswith("e") else w


def is_content(word: str) -> bool:
    """A word that can back a claim or be part of a name: no stopword, no single letter."""
    return word.lower() not in GROUNDING_STOPWORDS and len(word) > 1


@cache
def rank_stem(word: str) -> str:
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
