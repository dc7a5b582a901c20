"""The people, organisations and places a story is about, for ``Brief.entities``.

Speakers and titled people first (with their roles), then the outlets cited, then the
organisations and places the body names most; a name with no clue to its kind is left out
rather than guessed.
"""

from __future__ import annotations

from collections import Counter

from briefer.engines.extractive.names import (
    COUNTRY_ACRONYMS,
    NOT_NAMES,
    ORG_WORDS,
    clean_run,
    is_acronym,
    is_org,
    is_role_title,
)
from briefer.engines.extractive.people import People
from briefer.engines.extractive.scan import Scan


def story_entities(
    scan: Scan, people: People, speakers: list[str], sources: list[str], place: str | None
) -> list[tuple[str, str, str]]:
    """Speakers and titled people, cited sources, the most-named organisations and places."""
    mentions = Counter(scan.org_names())
    entities: list[tuple[str, str, str]] = []
    for name in dict.fromkeys(speakers):
        person = people.by_name.get(name)
        if person:
            entities.append((name, "person", person.role or "quoted"))
    for person in people.by_name.values():
        if person.name not in speakers and person.role and people.resolve(person.name) == person.name:
            entities.append((person.name, "person", person.role))
    entities.extend((name, "organisation", "cited as a source") for name in sources)
    known = {e[0] for e in entities}
    orgs: Counter[str] = Counter()
    for run, n in mentions.items():
        # one-word names are orgs only if the word says so; a run with no organisation word
        # cannot gain one by cleaning
        if (" " in run or run.lower() in ORG_WORDS) and is_org(run):
            name = clean_run(run)
            if name and is_org(name) and name not in known and not any(map(is_role_title, name.split())):
                orgs[name] += n
    entities.extend((name, "organisation", "named in the story") for name, _ in orgs.most_common(4))
    places = Counter(
        name
        for run in scan.places
        if (name := clean_run(run))
        and name.lower() not in NOT_NAMES
        and (not is_acronym(name) or name in COUNTRY_ACRONYMS)
        and not is_org(name)
        and people.resolve(name) not in people.by_name
        and name not in known
    )
    if place:
        entities.append((place, "place", "dateline"))
    entities.extend(
        (name, "place", "place in the story") for name, _ in places.most_common(4) if name != place
    )
    return entities
