"""The evidence a hybrid brief is written from: the offline engine's best sentences, numbered.

Only these sentences reach the model, so a long article needs no map-reduce: the evidence is
cut to ``EVIDENCE_TOKENS``, which with the prompt and the answer fits a 2,048-token context.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from briefer.engines.extractive.engine import Extraction
from briefer.grounding.index import ArticleIndex, index_article
from briefer.tokens import count_tokens

EVIDENCE_TOKENS = 900  # + the prompt (~300) + the answer's bound (600) < 2,048


@dataclass(frozen=True)
class Evidence:
    """Numbered sentences (1..n, in article order) and where each stands in the article."""

    sentences: list[str]
    positions: list[int]  # index of each evidence sentence among the article's body sentences
    total: int  # body sentences in the article

    @classmethod
    def of(cls, extraction: Extraction, model: str, budget: int = EVIDENCE_TOKENS) -> Evidence:
        """The chosen sentences and the lead, best first until the budget is spent, then in article order."""
        ranked = list(dict.fromkeys([*extraction.chosen[:1], 0, *extraction.chosen[1:]]))
        kept: list[int] = []
        spent = 0
        for index in ranked:
            cost = count_tokens(extraction.sentences[index], model) + 8  # its number and position
            if kept and spent + cost > budget:
                continue
            kept.append(index)
            spent += cost
        positions = sorted(kept)
        return cls([extraction.sentences[i] for i in positions], positions, len(extraction.sentences))

    def numbered(self) -> str:
        """What the model reads: ``[2] (sentence 5 of 31) ...`` per line."""
        return "\n".join(
            f"[{n}] (sentence {position + 1} of {self.total}) {text}"
            for n, (position, text) in enumerate(zip(self.positions, self.sentences, strict=True), 1)
        )

    def cited(self, numbers: list[int]) -> list[int]:
        """The 0-based evidence indices among ``numbers`` (1-based, as the model cites them) that exist."""
        return [n - 1 for n in dict.fromkeys(numbers) if 1 <= n <= len(self.sentences)]

    @property
    def text(self) -> str:
        return "\n".join(self.sentences)

    @cached_property
    def index(self) -> ArticleIndex:
        """The evidence indexed once for grounding: headline, summary and each watch item check against it."""
        return index_article(self.text)
