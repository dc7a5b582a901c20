"""Briefs and real articles the grounding tests share.

Articles are real: the Pakistan seed, and two BBC News articles and a CNN one copied into
tests/data/grounding_articles.jsonl from the project's evaluation sample.
"""

from __future__ import annotations

import json
from pathlib import Path

from briefer.grounding import verify_brief
from briefer.models import Brief, ItemCheck, QuoteCheck

ROOT = Path(__file__).resolve().parent.parent
SEED = (ROOT / "seeds" / "pakistan-taliban-warning.txt").read_text(encoding="utf-8")
ARTICLES = {
    row["id"]: row["text"]
    for row in map(
        json.loads, (ROOT / "tests" / "data" / "grounding_articles.jsonl").read_text().splitlines()
    )
}
ROVER = ARTICLES["bbc-business-034"]
RETAIL = ARTICLES["bbc-business-450"]
RICCIARDO = ARTICLES["cnndm-6873f1e30dba"]  # wire copy on one line: no paragraphs

ASIF_QUOTE = "We have endured your treachery and mockery for too long, but that ends now."
ASIF_ADDED = "Rest assured, Pakistan can completely annihilate the Taliban regime"
QANI_QUOTE = "It’s true that we do not have nuclear weapons"


def make_brief(
    takeaways: list[str] | None = None,
    quotes: list[tuple[str, str]] = (),
    entities: list[str] = (),
    sources: list[str] = (),
    summary: str = "Pakistan's Defence Minister warned the Afghan Taliban.",
    headline: str = "Pakistan warns the Afghan Taliban",
) -> Brief:
    return Brief(
        headline=headline,
        dateline={"place": "Islamabad", "date": "Oct 29", "outlet": "NationPress"},
        summary=summary,
        key_takeaways=takeaways or ["Pakistan's Defence Minister Khawaja Asif issued a strong warning."],
        entities=[{"name": name, "kind": "person", "role": "in the story"} for name in entities],
        quotes=[{"speaker": speaker, "text": text} for speaker, text in quotes],
        sources=list(sources),
        what_to_watch=[],
        topics=["pakistan"],
    )


def takeaway(text: str, article: str = SEED) -> ItemCheck:
    return verify_brief(make_brief([text]), article).claims[-1]


def quote(speaker: str, text: str, article: str = SEED) -> QuoteCheck:
    return verify_brief(make_brief(quotes=[(speaker, text)]), article).quotes[0]
