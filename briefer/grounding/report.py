"""The grounding report of a brief, and the few lines an editor reads of it."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING

from pydantic import BaseModel

from briefer.grounding.claims import ClaimField, check_claim
from briefer.grounding.dateline import check_dateline
from briefer.grounding.index import ArticleIndex, index_article
from briefer.grounding.names import check_name
from briefer.grounding.quotes import check_quote
from briefer.models import GroundingReport, ItemCheck, QuoteCheck
from briefer.text.sentences import sentences

if TYPE_CHECKING:
    from briefer.models import Brief


def _claims(brief: Brief) -> Iterator[tuple[ClaimField, int, str]]:
    """Every claim of the brief, the summary sentence by sentence (a partial brief's empty ones left out)."""
    if brief.headline:
        yield "headline", 0, brief.headline
    for i, span in enumerate(sentences(brief.summary)):
        yield "summary", i, span.of(brief.summary)
    for i, text in enumerate(brief.key_takeaways):
        yield "key_takeaways", i, text
    for i, text in enumerate(brief.what_to_watch):
        yield "what_to_watch", i, text


def verify_brief(
    brief: Brief, article_text: str, page_metadata: Mapping[str, str] | None = None, statements: bool = False
) -> GroundingReport:
    """Check every quote, claim, entity and source of ``brief``, and its dateline, against
    ``article_text``; a dateline part may also come from the page's metadata (``Article.page_metadata``).
    With ``statements``, claims the calibrated statement check doubts are flagged too."""
    article = index_article(article_text)
    claims = [check_claim(f, i, text, article, statements) for f, i, text in _claims(brief)]
    if dateline := check_dateline(brief.dateline, article, page_metadata or {}):
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
        fields_checked=[
            name for name in _CHECKED if getattr(brief, name) and _has_content(getattr(brief, name))
        ],
    )


def check_claims(texts: list[str], article: str | ArticleIndex, statements: bool = False) -> list[ItemCheck]:
    """Each of ``texts`` checked as a claim (a takeaway) against the article: how judged summaries
    are scored. ``article``: its text, or its ``index_article`` when many summaries share it."""
    index = article if isinstance(article, ArticleIndex) else index_article(article)
    return [check_claim("key_takeaways", i, text, index, statements) for i, text in enumerate(texts)]


_CHECKED = (
    "headline",
    "dateline",
    "summary",
    "key_takeaways",
    "what_to_watch",
    "quotes",
    "entities",
    "sources",
)
"""The fields grounding checks, in the brief's order (topics are labels, not claims)."""


def _has_content(value: object) -> bool:
    return any(value.model_dump().values()) if isinstance(value, BaseModel) else bool(value)


def render_report_text(report: GroundingReport, article_text: str | None = None) -> str:
    """What an editor reads: the verdict and the fields checked, then each flagged item whole with
    the words the article does not back marked »so«, its problems, and (given ``article_text``)
    the article's closest wording for a quote it does not hold verbatim."""
    flagged = report.flagged()
    checked = len(report.claims) + len(report.quotes) + len(report.names)
    verdict = "OK" if report.ok else f"{len(flagged)} of {checked} items need checking"
    lines = [f"grounding: {verdict} (score {report.score:.2f})"]
    if report.fields_checked:
        lines.append(f"checked: {', '.join(report.fields_checked)}")
    for item in flagged:
        lines.append(f"⚠ {item.field}[{item.index}]: {_marked(item.text, item.unsupported_terms)}")
        lines += [f"    - {problem}" for problem in item.problems]
        closest = _closest_wording(item, article_text)
        if closest:
            lines.append(f"    article: {closest}")
    return "\n".join(lines)


def _marked(text: str, terms: list[str]) -> str:
    """The item on one line (its own line breaks cannot forge report lines), each unbacked term »marked«."""
    text = " ".join(text.split())
    for term in sorted(set(terms), key=len, reverse=True):
        text = re.sub(rf"(?<![\w»]){re.escape(term)}(?![\w«])", lambda m: f"»{m.group()}«", text)
    return text


def _closest_wording(item: ItemCheck, article_text: str | None) -> str | None:
    """For a quote not found verbatim: the article sentence closest to it, on one line."""
    if article_text is None or not isinstance(item, QuoteCheck) or item.found or not item.support:
        return None
    best = item.support[0]
    return " ".join(article_text[best.start : best.end].split()) or None
