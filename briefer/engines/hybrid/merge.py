"""The hybrid brief: the model's draft where it holds up against the evidence, extraction elsewhere.

Quotes, dateline, sources, entities and topics are always extracted: the model never sees them.
The headline, summary and what to watch must be backed by the evidence; each takeaway by the
evidence sentences it cites (and, with ``statements``, not doubted by the statement check). A
field that is not falls back to the extracted one, and the fallback is named (``extracted``) and
explained (``warnings``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from briefer.engines.extractive.engine import Extraction
from briefer.engines.hybrid.evidence import Evidence
from briefer.grounding.claims import ClaimField, check_claim
from briefer.grounding.index import ArticleIndex, index_article
from briefer.models import MAX_TAKEAWAY_CHARS, Brief, Draft, DraftTakeaway, ItemCheck

TAKEAWAYS_WANTED = 3  # the prompt asks for 3 to 5; fewer that hold up are filled from extraction
MIN_TAKEAWAY_WORDS = 4  # shorter is a label ("6 questions about the trip"), not a takeaway
REPEAT_OVERLAP = 0.8  # share of the shorter one's words two takeaways share when one repeats the other


@dataclass
class Merged:
    brief: Brief
    extracted: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def fell_back(self, where: str, why: str, outcome: str = "kept the extracted one") -> None:
        self.extracted.append(where)
        self.warnings.append(f"{where}: the model's {why}; {outcome}")


def _unbacked(check: ItemCheck) -> str:
    return f"was not backed by the evidence ({'; '.join(check.problems)})"


@dataclass(frozen=True)
class Check:
    """How the model's fields are checked: grounding, and the statement check when asked."""

    statements: bool = False

    def __call__(
        self, field_name: ClaimField, index: int, text: str, evidence: str | ArticleIndex
    ) -> ItemCheck:
        """``text`` checked against all the evidence (its index) or the sentences a takeaway cites."""
        indexed = evidence if isinstance(evidence, ArticleIndex) else index_article(evidence)
        return check_claim(field_name, index, text, indexed, self.statements)


def merge(extraction: Extraction, evidence: Evidence, draft: Draft, statements: bool = False) -> Merged:
    """The extracted brief with the model's fields put in where grounding backs them."""
    extracted = extraction.brief
    merged = Merged(brief=extracted.model_copy())
    checked = Check(statements)
    for name in ("headline", "summary"):
        check = checked(name, 0, getattr(draft, name), evidence.index)
        if check.supported:
            setattr(merged.brief, name, getattr(draft, name))
        else:
            merged.fell_back(name, _unbacked(check))
    merged.brief.key_takeaways = _takeaways(extraction, evidence, draft.key_takeaways, merged, checked)
    watch = [
        item
        for i, item in enumerate(draft.what_to_watch)
        if _watch_backed(i, item, evidence, merged, checked)
    ]
    merged.brief.what_to_watch = watch if watch or not draft.what_to_watch else extracted.what_to_watch
    return merged


def _takeaways(
    extraction: Extraction, evidence: Evidence, drafted: list[DraftTakeaway], merged: Merged, checked: Check
) -> list[str]:
    """Each takeaway checked against the sentences it cites; one that fails, is a bare label or
    repeats an earlier one gives way to the extracted bullet of the sentence it cites first (or
    to nothing, when it cites none that exist). Too few left: filled from extraction's ranking."""
    bullets = dict(zip(extraction.chosen, extraction.brief.key_takeaways, strict=True))
    takeaways: list[str] = []
    for i, takeaway in enumerate(drafted):
        cited = evidence.cited(takeaway.evidence)
        where = f"key_takeaways[{i}]"
        if not cited:
            merged.extracted.append(where)
            merged.warnings.append(f"{where}: the model cited no evidence sentence that exists; dropped")
            continue
        why = _takeaway_problem(
            i, takeaway.text, "\n".join(evidence.sentences[n] for n in cited), takeaways, checked
        )
        if why is None:
            takeaways.append(takeaway.text)
            continue
        fallback = bullets.get(evidence.positions[cited[0]], evidence.sentences[cited[0]])
        if (
            len(fallback) <= MAX_TAKEAWAY_CHARS
            and _takeaway_problem(i, fallback, fallback, takeaways, checked) is None
        ):
            merged.fell_back(where, why)
            takeaways.append(fallback)
        else:
            merged.fell_back(where, why, "dropped (its sentence is no takeaway either)")
    return _filled(takeaways, extraction.brief.key_takeaways, merged, checked)


def _takeaway_problem(index: int, text: str, cited: str, earlier: list[str], checked: Check) -> str | None:
    """Why ``text`` cannot stand as a takeaway (too short, a repeat, not backed), or None."""
    words = _words(text)
    if len(words) < MIN_TAKEAWAY_WORDS:
        return f"was {len(words)} words, a label rather than a takeaway"
    if any(
        len(words & other) >= REPEAT_OVERLAP * min(len(words), len(other)) for other in map(_words, earlier)
    ):
        return "repeated an earlier takeaway"
    check = checked("key_takeaways", index, text, cited)
    return None if check.supported else _unbacked(check)


def _words(text: str) -> set[str]:
    return set(re.findall(r"\w+", text.lower()))


def _filled(takeaways: list[str], bullets: list[str], merged: Merged, checked: Check) -> list[str]:
    """Up to ``TAKEAWAYS_WANTED`` with extraction's best bullets not already said (all of them
    when nothing of the model's is left), named ``key_takeaways`` in provenance."""
    wanted = TAKEAWAYS_WANTED if takeaways else len(bullets)
    added = [b for b in bullets if _takeaway_problem(0, b, b, takeaways, checked) is None][
        : wanted - len(takeaways)
    ]
    if added:
        merged.extracted.append("key_takeaways")
        merged.warnings.append(
            f"key_takeaways: {len(takeaways)} of the model's held up; added {len(added)} extracted"
        )
    return takeaways + added


def _watch_backed(index: int, item: str, evidence: Evidence, merged: Merged, checked: Check) -> bool:
    check = checked("what_to_watch", index, item, evidence.index)
    if not check.supported:
        merged.extracted.append(f"what_to_watch[{index}]")
        merged.warnings.append(f"what_to_watch[{index}]: not backed by the evidence; dropped")
    return check.supported
