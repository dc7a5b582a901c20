"""The hybrid engine: extraction picks the evidence, a model writes from it (see ``merge``).

It is the LLM engine with other steps: the same transport, limits, structured-output ladder and
validation repairs; one short request per article whatever its length, no map-reduce.
"""

from __future__ import annotations

from functools import cached_property
from typing import Any

from briefer.config import Settings
from briefer.engines.base import EngineOutput
from briefer.engines.extractive.engine import ExtractiveEngine
from briefer.engines.hybrid.evidence import EVIDENCE_TOKENS, Evidence
from briefer.engines.hybrid.merge import merge
from briefer.engines.llm.engine import LLMEngine
from briefer.engines.llm.exchange import Transport
from briefer.engines.llm.limits import EXPECTED_OUTPUT_TOKENS
from briefer.engines.llm.steps import Plan, with_window
from briefer.engines.llm.structured import Ladder, Steps, structured
from briefer.models import Article, Draft, Usage
from briefer.prompts import Prompt, PromptRegistry, fence

PROMPT = "hybrid"


def hybrid_steps(
    ladder: Ladder, prompt: Prompt, article: Article, statements: bool = False
) -> Steps[EngineOutput]:
    """Extract, ask the model for a Draft from the evidence, keep what the evidence backs (and,
    with ``statements``, what the statement check does not doubt)."""
    extraction = ExtractiveEngine().extract(article)
    evidence = Evidence.of(extraction, ladder.model)
    title_line = f' of "{article.title.strip()}"' if article.title else ""
    drafted = yield from structured(
        ladder, prompt, Draft, evidence=fence(evidence.numbered(), "evidence"), title_line=title_line
    )
    merged = merge(extraction, evidence, drafted.value, statements)  # type: ignore[arg-type]  # Structured.value is the Draft asked for
    return EngineOutput(
        brief=merged.brief,
        model=ladder.model,
        prompt=prompt.ref,
        prompt_sha256=prompt.sha256,
        prompts_used=[prompt],
        structured_output=drafted.mode,
        repairs=drafted.repairs,
        warnings=list(dict.fromkeys([*drafted.warnings, *merged.warnings])),
        extracted=merged.extracted,
    )


class HybridEngine(LLMEngine):
    """Briefs with a model that reads only the offline engine's evidence (``hybrid_steps``)."""

    def __init__(
        self, settings: Settings, transport: Transport, *, name: str = "hybrid", needs_key: bool = True
    ) -> None:
        super().__init__(settings, transport, name=name, needs_key=needs_key)
        self.prompt = PromptRegistry(settings.prompts_dir).get(PROMPT)

    @property
    def fingerprint(self) -> dict[str, Any]:
        """The LLM engine's, with this engine's one prompt and the evidence budget."""
        return {
            **super().fingerprint,
            "prompts": [f"{self.prompt.ref}:{self.prompt.sha256}"],
            "repair_grounding": False,
            "chunk_tokens": f"evidence:{EVIDENCE_TOKENS}",
        }

    def _steps(self, plan: Plan, article: Article) -> Steps[EngineOutput]:
        """One request, so the Batch API's fan-out has nothing to ask together."""
        ladder = with_window(plan, self.transport.context_window).ladder
        return hybrid_steps(ladder, self.prompt, article, plan.statements)

    @cached_property
    def _prompt_tokens(self) -> int:
        from briefer.tokens import count_tokens

        return count_tokens(
            "\n".join(self.prompt.render(**dict.fromkeys(self.prompt.placeholders, ""))), self.model
        )

    def expected_usage(self, text: str, tokens: int) -> Usage:
        """One request: the evidence (at most its budget) and the prompt, one short answer."""
        return Usage(
            prompt_tokens=min(tokens, EVIDENCE_TOKENS) + self._prompt_tokens,
            completion_tokens=EXPECTED_OUTPUT_TOKENS,
            requests=1,
        )
