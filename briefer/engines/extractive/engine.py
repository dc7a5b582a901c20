"""The offline engine: an unsupervised extractive summariser plus rule-based fact extraction.

No key, no network, a few milliseconds per article: the layout is parsed (``layout``), the body
sentences ranked (``ranking``) and picked for takeaways and summary, and quotes, sources and
entities read by rules (``attribution``); what to watch comes from ``watch``.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from briefer.engines.base import Capabilities, EngineOutput
from briefer.engines.extractive.attribution import Attribution, attribute
from briefer.engines.extractive.headline import headline as headline_of_sentences
from briefer.engines.extractive.names import clean_run
from briefer.engines.extractive.ranking import Terms, quoted_share, rank, select, takeaway_count, topics
from briefer.engines.extractive.standalone import Standalone
from briefer.engines.extractive.watch import what_to_watch
from briefer.errors import InputError
from briefer.models import MAX_TAKEAWAY_CHARS, Article, Brief, Dateline, Entity, Quote, Usage
from briefer.text.layout import parse

MODEL_ID = "briefer-extractive-1"

_MIN_TAKEAWAY_WORDS = 5  # shorter "sentences" are fragments and list furniture ("1.", "By .")
_SUMMARY_SENTENCES = 3
_MIN_SUMMARY_SENTENCES = 2
_HEADLINE_TRIES = 5  # the lead, then the takeaways by rank


def _dateline(found: Dateline, article: Article) -> Dateline:
    """The text's dateline, its date and outlet taken from the page's metadata when the text gives none."""
    return Dateline(
        place=found.place, date=found.date or article.published, outlet=found.outlet or article.site
    )


def _summary(chosen: list[int], scores: list[float], candidates: list[int], standalone: Standalone) -> str:
    """The most central sentences the takeaways do not already say, in article order: a summary
    that repeats the bullets below it tells the reader nothing. A short article, with too few
    other sentences, lends it takeaways."""
    taken = set(chosen)
    rest = sorted(
        (i for i in candidates if i not in taken and standalone.bullet(i) is not None),
        key=lambda i: -scores[i],
    )
    picks = rest[:_SUMMARY_SENTENCES]
    picks += [i for i in chosen if i not in picks][: max(0, _MIN_SUMMARY_SENTENCES - len(picks))]
    return " ".join(standalone.bullet(i) or standalone.sentences[i] for i in sorted(picks))


def _entities(found: Attribution, story: str) -> list[Entity]:
    """Attribution's entities (see ``entities``), each name once (case aside), and only those the
    story (its top and its body sentences) names: a reporter named only in a credit line, or "All
    Rights Reserved", is page furniture (``layout``), not someone in the story."""
    seen: set[str] = set()
    entities = []
    for name, kind, role in found.entities:
        if name.lower() not in seen and name in story:
            seen.add(name.lower())
            entities.append(Entity(name=name, kind=kind, role=role))  # type: ignore[arg-type]  # pydantic checks kind and role
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
    statements = False  # also the default of subclasses with an __init__ of their own

    def __init__(self, *, statements: bool = False) -> None:
        """``statements``: its briefs' grounding also flags the statement check's doubts."""
        self.statements = statements

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
            layout.spoken,
            headline=layout.headline,
        )
        shares = quoted_share(spans, found.quoted)
        terms = Terms(sentences)
        scores, vectors = rank(terms.bags, shares)
        standalone = Standalone(text, spans, sentences, found.people, found.quotes)
        candidates = [i for i in candidates if standalone.bullet(i) is not None] or candidates
        chosen = select(scores, vectors, candidates, takeaway_count(len(sentences)))
        summary = _summary(chosen, scores, candidates, standalone)
        tries = [sentences[0], *(sentences[i] for i in chosen)][:_HEADLINE_TRIES]
        headline = layout.headline or headline_of_sentences(tries)
        brief = Brief(
            headline=headline,
            dateline=_dateline(layout.dateline, article),
            summary=summary,
            key_takeaways=[standalone.bullet(i) or sentences[i] for i in chosen],
            entities=_entities(found, " ".join([*text[: layout.body_start].split(), *sentences])),
            quotes=[Quote(speaker=speaker, text=quote) for speaker, quote in found.quotes],
            sources=found.sources,
            what_to_watch=what_to_watch(sentences, terms.lowered, shares, scores, standalone.bullet),
            topics=topics(
                terms,
                chosen,
                headline,
                [n for n, kind, _ in found.entities if kind != "place"],
                [n for n, _, _ in found.entities]
                + [clean_run(r) for r in {run for _, _, run in found.people.runs if " " in run}],
            ),
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
