"""The LLM engine: the provider-neutral steps (``steps.py``) driven over any ``Transport``.

The steps are a generator that yields requests; ``run`` answers them with the transport's
blocking call and ``arun`` with its async one, so both send byte-identical requests.
"""

from __future__ import annotations

from typing import Any

from briefer.config import Settings
from briefer.engines.base import Capabilities, EngineOutput
from briefer.engines.llm.exchange import ModeRejected, Transport
from briefer.engines.llm.model_info import default_chunk_tokens
from briefer.engines.llm.steps import Plan, brief_steps
from briefer.engines.llm.structured import Ladder, drive
from briefer.limits import EXPECTED_OUTPUT_TOKENS
from briefer.models import Article, Usage
from briefer.prompts import PromptRegistry


class LLMEngine:
    """Briefs articles with a chat model behind ``transport`` (see ``steps.py`` for how)."""

    def __init__(
        self, settings: Settings, transport: Transport, *, name: str, needs_key: bool = True
    ) -> None:
        self.name = name
        self.settings = settings
        self.transport = transport
        self.model = transport.model
        window = transport.context_window
        self.capabilities = Capabilities(
            llm=True, needs_key=needs_key, context_window=window, native_async=True, cpu_bound=False
        )
        self.plan = Plan.load(
            PromptRegistry(settings.prompts_dir),
            settings.prompt,
            ladder=Ladder(
                server=transport.server,
                model=transport.model,
                structured=settings.structured,
                max_repairs=settings.max_repairs,
            ),
            chunk_tokens=settings.max_chunk_tokens or default_chunk_tokens(window),
            repair_grounding=settings.repair_grounding,
        )

    @property
    def fingerprint(self) -> dict[str, Any]:
        """Everything that changes the brief for a given article: the cache key's other half."""
        return {
            "engine": self.name,
            "model": self.model,
            "server": self.transport.server,
            "prompts": [f"{p.ref}:{p.sha256}" for p in self.plan.prompts],
            "repair_grounding": self.plan.repair_grounding,
            "structured": self.plan.ladder.structured,
            "chunk_tokens": self.plan.chunk_tokens,
        }

    def run(self, article: Article) -> EngineOutput:
        """Brief ``article`` with blocking calls."""
        steps = brief_steps(self.plan, article)
        answer: Any = None
        while True:
            request, result = drive(steps, answer)
            if request is None:
                return result
            try:
                answer = self.transport.complete(request)
            except ModeRejected as exc:
                answer = exc

    async def arun(self, article: Article) -> EngineOutput:
        """Brief ``article`` without blocking the event loop (same requests as ``run``)."""
        steps = brief_steps(self.plan, article)
        answer: Any = None
        while True:
            request, result = drive(steps, answer)
            if request is None:
                return result
            try:
                answer = await self.transport.acomplete(request)
            except ModeRejected as exc:
                answer = exc

    def cost_usd(self, usage: Usage) -> float | None:
        return self.transport.cost_usd(usage)

    def expected_usage(self, text: str) -> Usage:
        """One request, or one per chunk plus the combine; each answer about EXPECTED_OUTPUT_TOKENS."""
        from briefer.chunking import chunk_text
        from briefer.tokens import count_tokens

        plan = self.plan
        overhead = count_tokens(
            "\n".join(plan.brief.render(**dict.fromkeys(plan.brief.placeholders, ""))), self.model
        )
        tokens = count_tokens(text, self.model)
        requests = 1
        if tokens > plan.chunk_tokens:
            requests = len(chunk_text(text, plan.chunk_tokens, model=self.model)) + 1  # map, then combine
        return Usage(
            prompt_tokens=tokens + requests * overhead + (requests - 1) * EXPECTED_OUTPUT_TOKENS,
            completion_tokens=requests * EXPECTED_OUTPUT_TOKENS,
            requests=requests,
        )

    def warm_up(self) -> None:
        from briefer.tokens import encoding_for_model

        encoding_for_model(self.model)
        self.transport.warm_up()
