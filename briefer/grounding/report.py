"""The grounding report of a brief, and the few lines an editor reads of it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from briefer.grounding.claims import ClaimField, check_claim
from briefer.grounding.dateline import check_dateline
from briefer.grounding.index import index_article
from briefer.grounding.names import check_name
from briefer.grounding.quotes import check_quote
from briefer.models import GroundingReport, ItemCheck
from briefer.text.sentences import sentences

if TYPE_CHECKING:
    from briefer.models import Brief


def _claims(brief: Brief) -> Iterator[tuple[ClaimField, int, str]]:
    """Every claim of the brief, the summary sentence by sentence."""
    yield "headline", 0, brief.headline
    for i, span in enumerate(sentences(brief.summary)):
        yield "summary", i, span.of(brief.summary)
    for i, text in enumerate(brief.key_takeaways):
        yield "key_takeaways", i, text
    for i, text in enumerate(brief.what_to_watch):
        yield "what_to_watch", i, text


def verify_brief(brief: Brief, article_text: str) -> GroundingReport:
    """Check every quote, claim, entity and source of ``brief``, and its dateline, against ``article_text``."""
    article = index_article(article_text)
    claims = [check_claim(f, i, text, article) for f, i, text in _claims(brief)]
    if dateline := check_dateline(brief.dateline, article):
        claims.insert(1, dateline)  # in the brief's order: after the headline
    quotes = [check_quote(i, q.speaker, q.text, article) for i, q in enumerate(brief.quotes)]
    names = [check_name("entities", i, e.name, article) for i, e in enumerate(brief.entities)]
    names += [check_name("sources", i, s, article) for i, s in enumerate(brief.sources)]
    items: list[ItemCheck] = [*claims, *quotes, *names]
    supported = sum(item.supported for item in items)
    return GroundingReport(
        ok=supported == len(items),
        score=round(supported / len(items), 3) if items else 1.0,
        claims=claims,
        quotes=quotes,
        names=names,
    )


def check_claims(texts: list[str], article_text: str) -> list[ItemCheck]:
    """Each of ``texts`` checked as a claim (a takeaway) against the article: how judged summaries are scored."""
    article = index_article(article_text)
    return [check_claim("key_takeaways", i, text, article) for i, text in enumerate(texts)]


def render_report_text(report: GroundingReport) -> str:
    """A few lines an editor reads at a glance: the verdict, then one line per flagged item."""
    flagged = report.flagged()
    checked = len(report.claims) + len(report.quotes) + len(report.names)
    verdict = "OK" if report.ok else f"{len(flagged)} of {checked} items need checking"
    lines = [f"grounding: {verdict} (score {report.score:.2f})"]
    for item in flagged:
        lines.append(f"⚠ {item.field}[{item.index}]: {_shorten(item.text)}")
        lines += [f"    - {problem}" for problem in item.problems]
    return "\n".join(lines)


def _shorten(text: str, limit: int = 80) -> str:
    """One line of at most ``limit`` characters: an item's own line breaks cannot forge report lines."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
