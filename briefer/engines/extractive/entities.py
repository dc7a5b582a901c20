"""The people, organisations and places a story is about, for ``Brief.entities``.

Every name the body uses (``mentions``) is given a kind by the clues around it, strongest first:
organisation words ('Ministry', 'Police', 'News') or a cited outlet; a place everyone knows, the
dateline, or a place's words ('North Yorkshire', 'Ben Gurion Airport'); a person's title, role
noun, age, speech, a common first name, or a later mention by surname alone; a preposition of
place ('in Hong Kong'); an appositive naming a group. A name of two or more words with none of
these is an organisation (bands, teams, militant groups, companies); a one-word name with none
is left out rather than guessed, and so are works ('the film Run All Night', a title in quote
marks) and events ('Australian Grand Prix', 'World Cup'), which are no person, organisation or
place. Names are ranked by how central they are: mentions (surnames included), a place in the
headline, a first mention in the lead, speech.
"""

from __future__ import annotations

import re

from briefer.engines.extractive.mentions import ROLE_NOUNS, Name, Names
from briefer.engines.extractive.names import (
    COUNTRY_ACRONYMS,
    KNOWN_ORGS,
    ORG_WORDS,
    clean_run,
    given_names,
    is_acronym,
    is_org,
    is_outlet,
)
from briefer.engines.extractive.people import People
from briefer.engines.extractive.places import EVENT_LAST, KNOWN_PLACES, LAW_LAST, PLACE_FIRST, PLACE_LAST
from briefer.engines.extractive.scan import Scan
from briefer.text.dates import WEEKDAYS
from briefer.text.sentences import sentences
from briefer.text.titles import HONORIFICS
from briefer.text.words import wordset

MAX_PER_KIND = {"person": 8, "organisation": 5, "place": 4, "event": 2, "work": 2}
MAX_ENTITIES = 12
DEFAULT_PERSON_WORDS = 2
_LEAD_CHARS = 400


_ARABIC_PARTICLES = wordset("al el bin ibn")
_ARTICLES = wordset("le la les el los las chez der die das il lo")
"""Articles of other languages: a name opening with one is a paper, a firm or a place, no person."""
_ELIDED_ARTICLE = re.compile(r"l['’]\w", re.IGNORECASE)
"""The same article elided: "L'Osservatore Romano", "L'Equipe"."""


def _foreign_article(word: str) -> bool:
    """Whether ``word`` is an article of another language, whole or elided."""
    return word.lower() in _ARTICLES or bool(_ELIDED_ARTICLE.match(word))


_DEMONYM_ENDINGS = ("ian", "ians", "ean", "eans", "ese", "ish", "can", "cans", "ans")
_ORG_ROLES = ORG_WORDS | wordset(
    "group movement faction band company firm charity outfit maker carmaker retailer"
)
_NO_ENTITY = frozenset(WEEKDAYS)
_TIME_ZONES = wordset("GMT BST UTC CET CEST ET EST EDT CT CST CDT MT MST MDT PT PST PDT")
"""'9 p.m. ET': a time of day, no organisation."""
_VESSEL = wordset("uss hms rms mv")
_ROLE_CUT = wordset("who which that at of for with from in on to and whose")
PLACE_ACRONYMS = (COUNTRY_ACRONYMS - {"UN", "EU"}) | {"DC", "LA", "NYC"}


def _has_person_title(title: str) -> bool:
    words = [w.lower() for w in title.split() if not w.endswith(("'s", "’s"))]
    return any(w.rstrip(".") in HONORIFICS or w in ROLE_NOUNS for w in words)


def _role_head(role: str) -> str:
    """The noun a role is about: its last word before a clause or a preposition ('nurse' in 'nurse
    who works nights at a hospital', 'spokesman' in 'spokesman for the aid group CARE')."""
    words = role.lower().split()
    cut = next((i for i, w in enumerate(words) if i and w in _ROLE_CUT), len(words))
    return words[cut - 1]


def _surely_person(entry: Name) -> bool:
    """A title, an age or a role noun: 'Mr Lubitz', 'Andreas Lubitz, 27,', 'co-pilot Andreas Lubitz'."""
    if entry.aged or any(_has_person_title(title) for title in entry.titles):
        return True
    return any(not ROLE_NOUNS.isdisjoint(role.lower().split()) for role in entry.roles)


def _holds_a_known_place(words: list[str]) -> bool:
    """Whether a run of one to three of ``words`` is a place a reader knows ('San Diego')."""
    runs = (" ".join(words[i : i + n]) for n in (1, 2, 3) for i in range(len(words) - n + 1))
    return any(run in KNOWN_PLACES for run in runs)


def _likely_person(entry: Name, people: People, speakers: set[str]) -> bool:
    """Speech, a common first name, a particle ('Abu Mohammed al Adnani'), a surname used alone."""
    words = entry.text.split()
    if _foreign_article(words[0]):
        return False  # 'Le Parisien', 'El Pais', 'Chez Pelz'
    if entry.text in speakers or entry.text in people.by_name:
        return True
    if len(words) < 2 or _holds_a_known_place(words):  # 'Real Madrid', 'SeaWorld San Diego'
        return False
    if words[0].lower() in given_names():
        return True
    if not _ARABIC_PARTICLES.isdisjoint(w.lower() for w in words[1:-1]):
        return True  # 'Saeed bin Suroor', 'Hadi al Ameri' ('Cirque du Soleil' is no person)
    return entry.short > 0 and words[-1] not in KNOWN_PLACES


def _demonym(words: list[str]) -> bool:
    """'North Korean', 'Palestinians', 'African-Americans': a people's adjective, no entity."""
    return words[-1].endswith(_DEMONYM_ENDINGS) and not any(w in given_names() for w in words)


def _kind(
    entry: Name,
    people: People,
    speakers: set[str],
    cued_places: set[str],
    place: str | None,
    common: frozenset[str],
    lead_end: int,
) -> str | None:
    """person / organisation / place / event / work by the strongest clue, or None (see the module docstring)."""
    name = entry.text
    words = name.lower().split()
    first_name = words[0] in given_names()
    if entry.work or (entry.work == "" and not first_name and not is_acronym(name)):
        return "work"  # in quote marks: a title, unless it is a nickname ('"Jihadi John"')
    if not _NO_ENTITY.isdisjoint(words) or words[0] in _VESSEL or name in _TIME_ZONES:
        return None  # 'Early Thursday', 'USS Ronald Reagan', 'ET': no person, organisation or place
    if name in KNOWN_ORGS:
        return "organisation"
    if len(words) >= 2 and words[-1] in LAW_LAST:
        return None
    if len(words) >= 2 and words[-1] in EVENT_LAST:
        return "event"
    if name in KNOWN_PLACES or name == place or name.replace(".", "") in PLACE_ACRONYMS:
        return "place"
    if len(words) >= 2 and words[-1] in PLACE_LAST and not (first_name and entry.short):
        return "place"  # not 'Anita Hill', named again as 'Hill'; 'Victoria Park' never is
    if is_org(name) or is_outlet(name) or is_acronym(name.replace(".", "")) or name in people.not_people:
        return "organisation"
    if not first_name and any(_role_head(role) in _ORG_ROLES for role in entry.roles):
        return "organisation"  # 'Boko Haram, the Islamist militant group,'
    if _demonym(words):
        return None
    if _surely_person(entry):
        return "person"
    if len(words) >= 2 and words[0] in PLACE_FIRST:
        return "place"
    if name in cued_places and not entry.short and name not in speakers:
        return "place"  # 'their retreat at Tora Bora': a place cue outweighs a first name's look
    named_with_the = entry.after_the * 2 >= entry.mentions  # "the White House": no person
    if not named_with_the and _likely_person(entry, people, speakers):
        return "person"
    if name in cued_places:
        return "place"
    if len(words) >= 2 and entry.adjectival < entry.mentions:
        if not first_name and any(w in KNOWN_PLACES for w in name.split()):
            return "organisation"  # named after a place, and no place: 'Real Madrid', 'Bayern Munich'
        if entry.mentions < 2 and entry.first > lead_end:
            return None  # named once, after the lead, with nothing to say what: not central, not guessed
        # 'Twisted Sister', 'City Hall': everyday words; 'Le Parisien': another language's article
        everyday = _foreign_article(words[0]) or any(w in common for w in words)
        person = not (named_with_the or entry.owns or everyday) and len(words) <= DEFAULT_PERSON_WORDS
        return "person" if person else "organisation"
    return None


_BREAK = re.compile(r"[.!?]\s")


def _one_sentence(role: str) -> str:
    """A role read across a full stop ("Stanton. Twisted Sister guitarist", "the city engineer. The
    Army Corps ...") keeps its own sentence: the last when it ends in a role noun (the role was read
    before the name), else the first (an appositive after it)."""
    if not _BREAK.search(role):
        return role
    parts = [span.of(role).strip().rstrip(".") for span in sentences(role)]
    if len(parts) < 2:
        return role
    last = parts[-1].lower().split()
    return parts[-1] if last and last[-1] in ROLE_NOUNS else parts[0]


def _role(
    entry: Name, kind: str, people: People, speakers: set[str], sources: set[str], place: str | None
) -> str:
    if kind == "place":
        return "dateline" if entry.text == place else "place in the story"
    if kind == "work" and entry.work:
        return entry.work  # 'film', 'song'
    if entry.roles:
        return _one_sentence(entry.roles[0])
    person = people.by_name.get(entry.text)
    if person and person.role:
        return _one_sentence(person.role)
    if entry.text in speakers:
        return "quoted"
    if entry.text in sources:
        return "cited as a source"
    return "named in the story"


def story_entities(
    scan: Scan,
    people: People,
    speakers: list[str],
    sources: list[str],
    place: str | None,
    headline: str | None = None,
    own_outlet: str | None = None,
) -> list[tuple[str, str, str]]:
    """The MAX_ENTITIES most central names (at most MAX_PER_KIND of each kind while other kinds wait
    for room), people first, each kind most central first; a tie goes to the name mentioned first."""
    names = Names(scan.text, scan.start, scan.runs)
    cued_places = {clean_run(run) for run in scan.places}
    speaking = {people.resolve(s) for s in speakers}
    speaking |= {e.text for s in speaking if (e := names.get(s)) is not None}
    lead_end = scan.start + _LEAD_CHARS
    dateline = next((e for e in names.by_text.values() if place and e.text.lower() == place.lower()), None)
    place = dateline.text if dateline else place
    ranked: list[tuple[int, int, str, str, str]] = []
    if place and dateline is None:  # named only in the dateline
        ranked.append((-2, scan.start, place, "place", "dateline"))
    for entry in names.by_text.values():
        if entry.text == own_outlet:
            continue
        kind = _kind(entry, people, speaking, cued_places, place, names.common, lead_end)
        if kind is None:
            continue
        score = entry.mentions + (entry.first < lead_end) + (entry.text in speaking)
        if headline and (entry.text in headline or entry.text.split()[-1] in headline):
            score += 2
        if entry.text == place:
            score += 2
        role = _role(entry, kind, people, speaking, set(sources), place)
        ranked.append((-score, entry.first, entry.text, kind, role))
    ranked.sort()
    taken = dict.fromkeys(MAX_PER_KIND, 0)
    chosen: list[tuple[str, str, str]] = []
    for _, _, name, kind, role in ranked:
        if taken[kind] < MAX_PER_KIND[kind] and len(chosen) < MAX_ENTITIES:
            taken[kind] += 1
            chosen.append((name, kind, role))
    left = [(name, kind, role) for _, _, name, kind, role in ranked if (name, kind, role) not in chosen]
    chosen += left[: MAX_ENTITIES - len(chosen)]  # room left: a story of many places lists more of them
    order = list(MAX_PER_KIND)
    return sorted(chosen, key=lambda e: order.index(e[1]))  # stable: central first within a kind
