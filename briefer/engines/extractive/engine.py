"""The offline engine: an unsupervised extractive summariser plus rule-based fact extraction.

No key, no network, a few milliseconds per article: the layout is parsed (``layout``), the body
sentences ranked (``ranking``) and picked for takeaways and summary, and quotes, sources and
entities read by rules (``attribution``); what to watch comes from ``watch``.
"""

from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass

from briefer.engines.base import Capabilities, EngineOutput
from briefer.engines.extractive.attribution import Attribution, attribute
from briefer.engines.extractive.ranking import Terms, quoted_share, rank, select, takeaway_count, topics
from briefer.engines.extractive.standalone import Standalone
from briefer.engines.extractive.watch import what_to_watch
from briefer.errors import InputError
from briefer.models import MAX_TAKEAWAY_CHARS, Article, Brief, Entity, Quote, Usage
from briefer.text.layout import Layout, parse

MODEL_ID = "briefer-extractive-1"

_MIN_TAKEAWAY_WORDS = 5  # shorter "sentences" are fragments and list furniture ("1.", "By .")
_HEADLINE_WORDS = 15
_SUMMARY_SENTENCES = 3


def _headline(layout: Layout, lead: str) -> str:
    """The title or headline line; else the lead sentence, cut to a clause of at most ~15 words."""
    if layout.headline:
        return layout.headline
    words = lead.split()
    if len(words) <= _HEADLINE_WORDS:
        return lead.rstrip(".")
    clause = re.split(r",\s|\s--?\s|\s[–—]\s|;\s", lead)[0]
    if len(clause.split()) <= _HEADLINE_WORDS and len(clause.split()) >= 4:
        return clause
    return " ".join(words[:_HEADLINE_WORDS]) + "…"


def _entities(found: Attribution) -> list[Entity]:
    """Attribution's entities (see ``entities``), each name once (case aside)."""
    seen: set[str] = set()
    entities = []
    for name, kind, role in found.entities:
        if name.lower() not in seen:
            seen.add(name.lower())
            entities.append(Entity(name=name, kind=kind, role=role))  # type: ignore[arg-type]
    return entities


@dataclass(frozen=True)
class Extraction:
    """The offline brief and what it was chosen from: what the hybrid engine hands a model as evidence.

    ``sentences`` are the body sentences, one line each; ``chosen`` the indices picked for the
    takeaways, best first (the brief's ``key_takeaways`` are their standalone bullets, in order).
    """

    brief: Brief
    sentences: list[str]
    chosen: list[int]


class ExtractiveEngine:
    """Offline briefs: ranked body sentences for takeaways and summary, rules for the rest."""

    name = "extractive"
    model = MODEL_ID
    capabilities = Capabilities(
        llm=False, needs_key=False, context_window=None, native_async=False, cpu_bound=True
    )

    @property
    def fingerprint(self) -> dict[str, object]:
        """The cache key's other half: a new MODEL_ID invalidates every cached extractive brief."""
        return {"engine": self.name, "model": MODEL_ID}

    def run(self, article: Article) -> EngineOutput:
        """Brief one article; an InputError when it has no sentence to use."""
        return EngineOutput(brief=self.extract(article).brief, model=MODEL_ID, usage=Usage(), chunks=1)

    def extract(self, article: Article) -> Extraction:
        """The brief with the sentences its takeaways came from; an InputError when none is usable."""
        layout = parse(article.text, article.title)
        spans = layout.body
        if not spans:
            raise InputError("the article has no sentences to brief")
        text = article.text
        sentences = [" ".join(span.of(text).split()) for span in spans]  # one line each
        candidates = [
            i
            for i, s in enumerate(sentences)
            if len(s.split()) >= _MIN_TAKEAWAY_WORDS and len(s) <= MAX_TAKEAWAY_CHARS
        ] or [i for i, s in enumerate(sentences) if len(s) <= MAX_TAKEAWAY_CHARS]
        if not candidates:  # before attribution, which would read megabytes of one line for nothing
            raise InputError("the article has no sentence short enough to use as a takeaway")
        found = attribute(
            text,
            layout.body_start,
            layout.dateline.outlet,
            layout.dateline.place,
            spans,
            headline=layout.headline,
        )
        shares = quoted_share(spans, found.quoted)
        terms = Terms(sentences)
        scores, vectors = rank(terms.bags, shares)
        standalone = Standalone(text, spans, sentences, found.people)
        candidates = [i for i in candidates if standalone.bullet(i) is not None] or candidates
        chosen = select(scores, vectors, candidates, takeaway_count(len(sentences)))
        summary = " ".join(sentences[i] for i in sorted(chosen[:_SUMMARY_SENTENCES]))
        headline = _headline(layout, sentences[0])
        brief = Brief(
            headline=headline,
            dateline=layout.dateline,
            summary=summary,
            key_takeaways=[standalone.bullet(i) or sentences[i] for i in chosen],
            entities=_entities(found),
            quotes=[Quote(speaker=speaker, text=quote) for speaker, quote in found.quotes],
            sources=found.sources,
            what_to_watch=what_to_watch(sentences, terms.lowered, shares, scores),
            topics=topics(terms, chosen, headline, [n for n, kind, _ in found.entities if kind != "place"]),
        )
        return Extraction(brief=brief, sentences=sentences, chosen=list(chosen))

    async def arun(self, article: Article) -> EngineOutput:
        """Milliseconds of CPU: off the event loop in a thread."""
        return await asyncio.to_thread(self.run, article)

    def cost_usd(self, usage: Usage, *, batch: bool = False) -> float | None:
        return 0.0

    def expected_usage(self, text: str, tokens: int) -> Usage:
        return Usage()  # no requests, no tokens billed

    def warm_up(self) -> None:
        pass
