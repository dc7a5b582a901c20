"""A headline when the article brings none: a whole clause of the lead, never a cut sentence.

A sentence cut at its fifteenth word ("A manager at an Indiana Veterans Hospital has been placed
on paid administrative leave after…") or a lead's opening phrase ("In an unusual turn of events
last week") reads as a mistake. The headline is the longest run of the sentence's clauses, from
its start or just past an opening adverbial phrase, that fits 15 words and holds a verb; the
trailing attribution (", police said") is dropped first. When the lead has no such clause, the
next most central sentence is tried.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from briefer.text.words import STOPWORDS, wordset

MAX_WORDS = 15
_MIN_WORDS = 4
_CLAUSE_BREAK = re.compile(r",\s+|\s+--?\s+|\s+[–—]\s+|;\s+|:\s+")
_ATTRIBUTION = re.compile(
    r",\s+(?:[^,]{0,60}\s)?(?:said|says|told|reported|according\s+to)\b[^,]*$|,\s+according\s+to\s+[^,]+$"
)
_PHRASE_START = re.compile(
    r"\s+(?=(?:of|for|on|in|at|after|before|with|without|to|from|by|over|under|into|during|amid|"
    r"since|until|that|who|which|whose|where|when|while|because|as|and|but|or)\s)"
)
_OPENING_PHRASE = wordset(
    """in on at after as when while despite following amid during for with without since before
    until last earlier this by from over under within"""
)
# Finite verbs a lead clause is likely to hold, besides any word in -ed: auxiliaries and the
# irregular and -s forms of news copy's commonest verbs. A guess, kept cheap: the evaluation
# checks headlines against a real tagger (briefer.evaluate.reading).
_VERBS = wordset(
    """is are was were be been being has have had will would can could may might must should shall
    do does did says say said tells told makes made takes took gives gave finds found wins won
    loses lost leaves left meets met hits kills dies faces gets got goes went comes came sees saw
    shows holds held runs ran sets puts becomes became begins began brings brought buys bought sells
    sold pays paid sends sent builds built falls fell rises rose seeks sought keeps kept thinks
    thought knows knew grows grew speaks spoke writes wrote stands stood leads led feels felt hears
    heard catches caught fights fought flees fled spends spent shoots shot strikes struck drives
    drove warns calls plans urges claims wants needs hopes faces opens closes sparks reveals
    launches threatens announces accuses denies admits rejects vows orders bans backs returns
    arrives joins quits set hit cut quit let put"""
)
_DETERMINERS = wordset("a an the his her its their this that these those my our your each every")
_NOT_VERBS = wordset("hundred indeed naked wicked sacred rugged beloved kindred wretched jagged")
"""Words in "-ed" that are never a verb."""


def has_verb(words: Iterable[str]) -> bool:
    """Whether a run of words holds a finite verb, as far as a word list and "-ed" can tell.

    A word right after a determiner is a noun or adjective ("the faded downtown"), and so is the
    last word of an apposition a determiner opens ("Prince Bishop, a 14-1 long shot"); a capitalised
    "-ed" word is a name or an adverb ("United", "Indeed")."""
    listed = list(words)
    previous, opened_by_determiner = "", False
    for n, word in enumerate(listed):
        bare = word.strip("\"“”‘’'(),.;:!?")
        lower = bare.lower()
        ends_phrase = n == len(listed) - 1 or word.endswith((",", ";", ":"))
        if previous.endswith(","):  # an apposition: "Prince Bishop, a 14-1 long shot"
            opened_by_determiner = lower in _DETERMINERS
        if (
            previous not in _DETERMINERS
            and not (opened_by_determiner and ends_phrase)
            and (lower in _VERBS or lower.endswith("n't") or _is_past_participle(bare))
        ):
            return True
        previous = word.lower() if word.endswith(",") else lower
    return False


def _is_past_participle(word: str) -> bool:
    return len(word) > 4 and word.endswith("ed") and word[0].islower() and word not in _NOT_VERBS


def _clauses(sentence: str) -> list[str]:
    """The sentence's prefixes ending at a clause break, longest first, attribution dropped."""
    text = _ATTRIBUTION.sub("", sentence.strip().rstrip('.!?"”’ ').strip())
    ends = [m.start() for m in _CLAUSE_BREAK.finditer(text)] + [len(text)]
    return [text[:end] for end in reversed(ends)]


def _phrases(sentence: str) -> list[str]:
    """The sentence's first clause cut before a trailing modifier ("... jailed | for two decades"),
    longest first: the cut a sub-editor makes when the clause is too long."""
    clause = _clauses(sentence)[-1]
    ends = [m.start() for m in _PHRASE_START.finditer(clause)]
    return [clause[:end] for end in reversed(ends)]


def _fits(clause: str, verb_known: bool = False) -> bool:
    words = clause.split()
    return (
        bool(words)
        and _MIN_WORDS <= len(words) <= MAX_WORDS
        and (verb_known or has_verb(words))
        and words[-1].lower() not in STOPWORDS
    )


def _past_opening(sentence: str) -> str | None:
    """The sentence past an opening adverbial phrase ("In an unusual turn of events last week, a
    judge ruled" -> "A judge ruled"), or None when it opens otherwise."""
    first = sentence.split(maxsplit=1)[:1]
    match = _CLAUSE_BREAK.search(sentence)
    if (
        not first
        or first[0].lower() not in _OPENING_PHRASE
        or not match
        or has_verb(sentence[: match.start()].split())
    ):
        return None
    rest = sentence[match.end() :]
    return rest[:1].upper() + rest[1:] if rest else None


def headline_of(sentence: str, cut: Callable[[str], list[str]] = _clauses) -> str | None:
    """The sentence's best headline (a run of clauses, or with ``_phrases`` a clause cut before a
    modifier), or None when none fits."""
    for text in (sentence, _past_opening(sentence)):
        if text is None or text.lstrip()[:1] in "\"“‘'":
            continue
        for clause in cut(text):
            if _fits(clause):
                return clause
    return None


def headline(sentences: Iterable[str]) -> str:
    """The first of ``sentences`` (lead first, then by rank) that gives a headline clause; else the
    lead past its opening phrase, cut before a modifier, its verb one the word list lacks ("During
    a conversation ..., a mother nudges her daughter ..." -> "A mother nudges her daughter"); else
    the lead's opening words up to a content word, at most 15, never marked as cut."""
    listed = list(sentences)
    for cut in (_clauses, _phrases):
        for sentence in listed:
            found = headline_of(sentence, cut)
            if found:
                return found
    past = _past_opening(listed[0]) if listed else None
    for clause in _phrases(past) if past else []:
        if _fits(clause, verb_known=True):  # the opening phrase held no verb, so the rest must
            return clause
    words = listed[0].rstrip(".!?").split()[:MAX_WORDS] if listed else []
    while len(words) > 1 and words[-1].lower().strip(",;:") in STOPWORDS:
        words.pop()
    return " ".join(words).rstrip(",;:")
