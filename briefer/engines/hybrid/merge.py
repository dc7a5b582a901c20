"""The hybrid brief: the model's draft where it holds up against the evidence, extraction elsewhere.

Quotes, dateline, sources, entities and topics are always extracted: the model never sees them.
The headline, summary and what to watch must be backed by the evidence; each takeaway by the
evidence sentences it cites. A field that is not falls back to the extracted one, and the
fallback is named (``extracted``) and explained (``warnings``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from briefer.engines.extractive.engine import Extraction
from briefer.engines.hybrid.evidence import Evidence
from briefer.grounding.claims import ClaimField, check_claim
from briefer.grounding.index import index_article
from briefer.models import MAX_TAKEAWAY_CHARS, Brief, Draft, DraftTakeaway, ItemCheck


@dataclass
class Merged:
    brief: Brief
    extracted: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def fell_back(self, where: str, check: ItemCheck | str) -> None:
        why = check if isinstance(check, str) else "; ".join(check.problems)
        self.extracted.append(where)
        self.warnings.append(
            f"{where}: the model's was not backed by the evidence ({why}); kept the extracted one"
        )


def _check(field_name: ClaimField, index: int, text: str, evidence: str) -> ItemCheck:
    return check_claim(field_name, index, text, index_article(evidence))


def merge(extraction: Extraction, evidence: Evidence, draft: Draft) -> Merged:
    """The extracted brief with the model's fields put in where grounding backs them."""
    extracted = extraction.brief
    merged = Merged(brief=extracted.model_copy())
    for name in ("headline", "summary"):
        check = _check(name, 0, getattr(draft, name), evidence.text)
        if check.supported:
            setattr(merged.brief, name, getattr(draft, name))
        else:
            merged.fell_back(name, check)
    merged.brief.key_takeaways = _takeaways(extraction, evidence, draft.key_takeaways, merged)
    watch = [item for i, item in enumerate(draft.what_to_watch) if _watch_backed(i, item, evidence, merged)]
    merged.brief.what_to_watch = watch if watch or not draft.what_to_watch else extracted.what_to_watch
    return merged


def _takeaways(
    extraction: Extraction, evidence: Evidence, drafted: list[DraftTakeaway], merged: Merged
) -> list[str]:
    """Each takeaway checked against the sentences it cites; one that fails gives way to the
    extracted bullet of the sentence it cites first (or to nothing, when it cites none that exist)."""
    bullets = dict(zip(extraction.chosen, extraction.brief.key_takeaways, strict=True))
    takeaways: list[str] = []
    for i, takeaway in enumerate(drafted):
        cited = evidence.cited(takeaway.evidence)
        where = f"key_takeaways[{i}]"
        if not cited:
            merged.extracted.append(where)
            merged.warnings.append(f"{where}: the model cited no evidence sentence that exists; dropped")
            continue
        check = _check("key_takeaways", i, takeaway.text, "\n".join(evidence.sentences[n] for n in cited))
        if check.supported:
            takeaways.append(takeaway.text)
            continue
        merged.fell_back(where, check)
        sentence = evidence.sentences[cited[0]]
        fallback = bullets.get(evidence.positions[cited[0]], sentence)
        if len(fallback) <= MAX_TAKEAWAY_CHARS:
            takeaways.append(fallback)
    unique = list(dict.fromkeys(takeaways))
    return unique or extraction.brief.key_takeaways


def _watch_backed(index: int, item: str, evidence: Evidence, merged: Merged) -> bool:
    check = _check("what_to_watch", index, item, evidence.text)
    if not check.supported:
        merged.extracted.append(f"what_to_watch[{index}]")
        merged.warnings.append(f"what_to_watch[{index}]: not backed by the evidence; dropped")
    return check.supported
