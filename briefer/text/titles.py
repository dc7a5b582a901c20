"""Titles: the words that stand before a name and are no part of it ('Defence Minister', 'Sgt.').

Three readers need them and each asks a different question, so there is one base here and a
named variant per reader: the sentence splitter (an abbreviation whose full stop ends no
sentence), grounding (a word of a claimed name that need not be in the article, compared by
stem) and attribution (the words that split 'Defence Minister Khawaja Asif' into a role and a
name). The variants keep exactly the words each reader has always used: widening one changes
which names it reads, which is a behaviour change of its own.
"""

from __future__ import annotations

from functools import lru_cache

from briefer.text.words import match_stem, wordset

HONORIFICS = wordset("mr mrs ms miss dr sir dame lord lady")
"""Courtesy titles: they go with a name but say nothing of a role in the story."""
OFFICES = wordset(
    """president secretary minister chief spokesman spokeswoman spokesperson governor senator
    representative mayor general colonel captain officer judge justice professor king queen prince
    princess pope"""
)
"""Offices and ranks that every reader takes for a title."""
ABBREVIATED_TITLES = wordset("mr mrs ms dr prof sen rep gov gen col lt sgt capt rev")
"""Titles news copy writes short, usually with a full stop: 'Sen.', 'Capt.'."""

NAME_TITLES = HONORIFICS | OFFICES | ABBREVIATED_TITLES | wordset("vice prime pm sheikh jr sr ii iii")
"""Grounding's titles: with the parts of compound titles ('Vice President', 'PM') and suffixes
('Jr', 'III'), which a claim may add to a name the article writes without them."""

SPLITTER_ABBREVIATIONS = ABBREVIATED_TITLES | wordset(
    "messrs sens reps cmdr adm maj cpl pvt hon supt det insp pres atty sr fr st mt ft vs v"
)
"""The sentence splitter's: abbreviations a name or noun always follows ('Cpl.', 'St.', 'v.'),
so their full stop never ends a sentence."""

ROLE_TITLES = (
    OFFICES
    | (HONORIFICS - {"miss"})
    | {"prof"}
    | {f"{title}." for title in ABBREVIATED_TITLES - {"gov"}}
    | wordset(
        """lieutenant sergeant commander admiral director chairman chairwoman ceo coach manager
        commissioner inspector detective ambassador attorney deputy leader speaker chancellor premier
        sheriff prosecutor superintendent bishop archbishop imam rabbi co-chairman vice-president"""
    )
)
"""Attribution's, compared as lower-cased tokens, full stops kept: the offices that make a
person's role in the story ('director of BBC Scotland'). 'Miss' and 'Gov.' are not among them
(they never were: reading them is a change of behaviour, not of structure)."""


@lru_cache(maxsize=1)
def _name_title_stems() -> frozenset[str]:
    """NAME_TITLES as grounding compares words: by stem ('Senators' is 'senator')."""
    return frozenset(map(match_stem, NAME_TITLES))


def is_title(word: str) -> bool:
    """'President', 'Sen.', 'PM': words that go with a name but are none (grounding's reading)."""
    return match_stem(word) in _name_title_stems()
