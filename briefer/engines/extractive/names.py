"""What a capitalised run names: a person (with a title), an organisation, an outlet, or nothing.

Rules read off the words of the run: title words make a person, organisation words an
organisation, outlet words (or an acronym) an outlet; a run of sentence openers, months or
pronouns is no name.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from briefer.text.dates import MONTHS, WEEKDAYS
from briefer.text.titles import ROLE_TITLES
from briefer.text.words import wordset

# fmt: off
OUTLET_WORDS = frozenset({
    "news", "press", "times", "post", "journal", "network", "tv", "radio", "television", "channel", "daily",
    "herald", "guardian", "telegraph", "tribune", "standard", "mail", "reuters", "broadcasting", "gazette",
    "observer", "express", "magazine", "wire", "reporter", "agency", "bloomberg", "xinhua", "bbc", "cnn",
    "tass", "interfax", "yonhap", "today",
})
# fmt: on
# fmt: off
ORG_WORDS = OUTLET_WORDS | frozenset({
    "ministry", "department", "police", "party", "council", "committee", "commission", "office",
    "bureau", "court", "army", "navy", "forces", "government", "university", "college", "school",
    "institute", "foundation", "association", "union", "bank", "group", "company", "corp", "corp.", "inc",
    "inc.", "ltd", "plc", "corporation", "organisation", "organization", "society", "club", "fc", "league",
    "federation", "assembly", "parliament", "congress", "senate", "airlines", "airways", "authority",
    "board", "service", "services", "centre", "center", "hospital", "museum", "church", "nations",
    "alliance", "coalition", "trust", "fund", "reserve", "exchange", "studios", "project", "administration",
    "chronicle", "industries", "films", "pictures", "productions", "records", "observatory", "division",
    "brigade", "brigades", "battalion", "militia", "institution", "laboratory", "labs", "systems",
    "properties", "solutions", "hub", "international", "institutes", "marines", "force", "house", "rights",
    "team", "world", "state", "network", "partners", "holdings", "ventures", "media", "entertainment",
    "panel", "academy", "circus", "sport", "sports", "technologies", "communications",
    "telecom", "telecoms", "wireless", "motors", "pharmaceuticals", "unions", "brothers", "bros",
})
# fmt: on
# fmt: off
KNOWN_ORGS = frozenset("""
Al Qaeda|al Qaeda|Al-Qaeda|al-Qaeda|Al Shabaab|al-Shabaab|Al-Shabaab|Al Jazeera|Al-Jazeera|Al Nusra|al-Nusra|
Boko Haram|Hamas|Hezbollah|Taliban|Islamic State|Muslim Brotherhood|Ku Klux Klan|Formula One|Real Madrid|
Bayern Munich|Manchester City|Manchester United|Red Cross|Red Crescent|Pentagon|Kremlin
""".replace("\n", "").split("|"))
# fmt: on
"""Organisations whose names carry no organisation word and read like a person's or a place's."""
COUNTRY_ACRONYMS = frozenset({"US", "UK", "UN", "EU", "USA", "UAE"})
"""Acronyms that are places, not outlets or organisations."""
NOT_NAMES = (
    wordset(
        """the a an he she it they we i you this that these those his her its their our in on at but and
        there here then now today yesterday meanwhile however earlier later
        some many others several another nobody everyone everybody someone somebody anyone"""
    )
    | frozenset(MONTHS)
    | frozenset(WEEKDAYS)
)
"""Capitalised at a sentence start or by convention, and never a name on their own."""
_ADJECTIVE_SUFFIXES = ("-based", "-owned", "-run", "-backed")
_OUTLET_CUES = re.compile(
    r"\b(?:outlet|network|agency|newspaper|broadcaster|channel|website|daily|magazine|tabloid)\b"
)


@cache
def given_names() -> frozenset[str]:
    """Common first names, lower case (given_names.txt says where they come from): a run that
    starts with one names a person unless a stronger clue says otherwise."""
    text = Path(__file__).with_name("given_names.txt").read_text(encoding="utf-8")
    return frozenset(w for line in text.splitlines() if not line.startswith("#") for w in line.split())


def is_role_title(token: str) -> bool:
    """A word of a run that belongs to the title, not the name: 'Minister', 'Sgt.', "Pakistan's"."""
    return token.lower() in ROLE_TITLES or token.endswith(("'s", "’s"))


def is_org(run: str) -> bool:
    """Whether a word of the run says organisation ('Ministry', 'Police', 'News')."""
    return not ORG_WORDS.isdisjoint([t.strip(".,") for t in run.lower().split()])


def is_acronym(run: str) -> bool:
    """'NDTV', 'BBC': an organisation or outlet; 'US', 'UK' are places."""
    return run.isupper() and 2 <= len(run) <= 6 and " " not in run and run not in COUNTRY_ACRONYMS


def is_outlet(run: str, pre: str = "") -> bool:
    """A news outlet by its words ('Geo News'), an acronym, or the words before it ('news network X')."""
    tokens = run.lower().split()
    return any(t in OUTLET_WORDS for t in tokens) or is_acronym(run) or bool(_OUTLET_CUES.search(pre))


def split_title(run: str) -> tuple[str, str]:
    """'Pakistan's Defence Minister Khawaja Asif' -> ("Pakistan's Defence Minister", 'Khawaja Asif')."""
    tokens = run.split()
    last_title = max((i for i, t in enumerate(tokens) if is_role_title(t)), default=-1)
    if last_title == len(tokens) - 1:
        return run, ""
    return " ".join(tokens[: last_title + 1]), " ".join(tokens[last_title + 1 :])


def clean_run(run: str) -> str:
    """Drop a leading article and adjectives such as 'Pakistan-based' from a capitalised run."""
    tokens = [t for t in run.split() if not t.endswith(_ADJECTIVE_SUFFIXES)]
    while tokens and tokens[0].lower() in NOT_NAMES:
        tokens.pop(0)
    return " ".join(tokens).rstrip(".,")
