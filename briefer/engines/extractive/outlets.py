"""The outlets an article cites as its sources: 'according to Geo News', 'Ariana News reported'.

``Brief.sources`` means these outlets (and agencies, and documents), not the people quoted, so a
name the article also uses for a person is never a source, nor is the article's own outlet.
"""

from __future__ import annotations

import re

from briefer.engines.extractive.cues import AUXILIARY, CAPRUN, LOOK_BACK, NOT_ADJECTIVE
from briefer.engines.extractive.names import clean_run, is_org, is_outlet
from briefer.engines.extractive.people import People
from briefer.engines.extractive.scan import Scan

_SOURCE_PATTERNS = [
    # (pattern, accept any organisation-like name rather than only outlets)
    (
        re.compile(
            rf"according to\s+(?:the\s+)?(?P<pre>(?:[a-z][\w-]*\s+){{0,3}})(?P<x>(?>{CAPRUN})){NOT_ADJECTIVE}"
        ),
        True,
    ),
    (
        re.compile(
            rf"citing\s+(?:an?\s+)?(?:reports?\s+(?:from|by|in)\s+)?(?:the\s+)?(?P<pre>)(?P<x>{CAPRUN})"
        ),
        True,
    ),
    (
        re.compile(rf"reported\s+(?:by|in)\s+(?:the\s+)?(?P<pre>(?:[a-z][\w-]*\s+){{0,3}})(?P<x>{CAPRUN})"),
        False,
    ),
]  # and "told|interview with|speaking to (the) X", read off the runs (see Scan)
_POSSESSOR = re.compile(r"^[A-Z][\w-]*['’]s\s+")
# "Ariana News reported", "leading Indian news network NDTV reported": the name before the verb.
_OUTLET_BEFORE = re.compile(rf"(?P<pre>(?:[a-z][\w-]*\s+){{0,4}})(?P<x>{CAPRUN}){AUXILIARY}")


def cited_outlets(body: str, scan: Scan, people: People, own_outlet: str | None) -> list[str]:
    """Outlets cited in ``body`` (the body text, as ``scan`` read it), in order of first citation."""
    found: list[tuple[int, str]] = []
    cues = [
        (m.start("x"), m.group("x"), m.group("pre"), any_org)
        for pattern, any_org in _SOURCE_PATTERNS
        for m in pattern.finditer(body)
    ]
    base = scan.start
    cues += [(at - base, run, "", False) for at, run in scan.told]
    for hit in scan.reported:  # "Ariana News reported": the name just before the verb
        match = _OUTLET_BEFORE.search(scan.text, max(base, hit - LOOK_BACK), hit)
        if match:
            cues.append((match.start("x") - base, match.group("x"), match.group("pre"), False))
    for at, run, pre, any_org in cues:
        name = clean_run(_POSSESSOR.sub("", run))  # "London's Evening Standard"
        if not name or (own_outlet and run.startswith(own_outlet)) or name == own_outlet:
            continue
        if people.resolve(name) in people.by_name:
            continue
        if is_outlet(name, pre) or (any_org and (is_org(name) or " " not in name)):
            found.append((at, name))
    ordered: list[str] = []
    for _, name in sorted(found):
        if name.lower() not in (s.lower() for s in ordered):
            ordered.append(name)
    return ordered
