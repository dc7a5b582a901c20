"""Attribution as the engine calls it: quotes, sources and entities of an article body in one pass."""

from __future__ import annotations

from extractive_cases import BBC_POLITICS, SEED

from briefer.engines.extractive.attribution import attribute
from briefer.grounding import verify_brief
from briefer.models import Brief, Quote
from briefer.text.layout import parse


def test_only_the_body_is_read() -> None:
    # The byline and dateline furniture before the body names no speaker and cites no source.
    layout = parse(SEED)
    found = attribute(SEED, layout.body_start, layout.dateline.outlet, layout.dateline.place, layout.body)
    assert "NationPress" not in found.sources
    again = attribute(SEED, layout.body_start, layout.dateline.outlet, layout.dateline.place)
    assert (found.quotes, found.quoted, found.sources, found.entities) == (
        again.quotes,
        again.quoted,
        again.sources,
        again.entities,
    )


def test_unchecked_attribution_keeps_the_quotes_grounding_would_flag() -> None:
    # checked=False exists to measure the rules alone: the quotes it adds are the ones a reader
    # could not attribute from where they stand.
    checked = attribute(BBC_POLITICS, 0).quotes
    unchecked = attribute(BBC_POLITICS, 0, checked=False).quotes
    extra = [q for q in unchecked if q not in checked]
    assert set(checked) <= set(unchecked) and extra
    brief = Brief(
        headline="Clarke attacks Tories",
        dateline={"place": None, "date": None, "outlet": None},
        summary="Clarke attacked the Tories.",
        key_takeaways=["Clarke attacked the Tories."],
        entities=[],
        quotes=[Quote(speaker=speaker, text=text) for speaker, text in extra],
        sources=[],
        what_to_watch=[],
        topics=[],
    )
    assert not any(q.speaker_near for q in verify_brief(brief, BBC_POLITICS).quotes)
