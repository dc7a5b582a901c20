"""The LLM engine: the provider-neutral steps (``steps.py``) driven over any ``Transport``.

The steps are a generator that yields requests; ``run`` answers them with the transport's
blocking call and ``arun`` with its async one, so both send byte-identical requests.
"""

from __future__ import annotations

import time
from typing import Any

from briefer.config import Settings
from briefer.engines.base import Capabilities, EngineOutput
from briefer.engines.llm.exchange import ChatAnswer, Rejected, Transport
from briefer.engines.llm.steps import Plan, brief_steps
from briefer.engines.llm.structured import Ladder, drive
from briefer.errors import EngineError
from briefer.limits import EXPECTED_OUTPUT_TOKENS
from briefer.models import Article, Usage
from briefer.prompts import PromptRegistry

PATIENCE_TIMEOUTS = 3  # timeouts' worth of time an article may go without a usable answer


class _Patience:
    """Bounds an article's time between usable answers, whatever retries and fallbacks happen."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.since = time.monotonic()

    def check(self) -> None:
        waited = time.monotonic() - self.since
        if waited > self.seconds:
            raise EngineError(
                f"no usable answer for this article in {waited:.0f} s ({PATIENCE_TIMEOUTS}x --timeout); "
                "the server is too slow for this model or article"
            )

    def answered(self, answer: ChatAnswer) -> ChatAnswer:
        self.since = time.monotonic()
        return answer


class LLMEngine:
    """Briefs articles with a chat model behind ``transport`` (see ``steps.py`` for how)."""

    def __init__(
        self, settings: Settings, transport: Transport, *, name: str, needs_key: bool = True
    ) -> None:
        self.name = name
        self.settings = settings
        self.transport = transport
        self.model = transport.model
        self.needs_key = needs_key
        self.plan = Plan.load(
            PromptRegistry(settings.prompts_dir),
            settings.prompt,
            ladder=Ladder(
                server=transport.server,
                model=transport.model,
                structured=settings.structured,
                max_repairs=settings.max_repairs,
            ),
            chunk_tokens=settings.max_chunk_tokens,
            repair_grounding=settings.repair_grounding,
        )
        # An article that gets no usable answer for this long stops: a slow server cannot hold it forever.
        self.patience_s = settings.timeout_s * PATIENCE_TIMEOUTS

    @property
    def capabilities(self) -> Capabilities:
        """The context window is the server's own once it said (after the first request)."""
        return Capabilities(
            llm=True,
            needs_key=self.needs_key,
            context_window=self.transport.context_window,
            native_async=True,
            cpu_bound=False,
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
            "chunk_tokens": self.plan.chunk_tokens or "context",
        }

    def run(self, article: Article) -> EngineOutput:
        """Brief ``article`` with blocking calls."""
        self.transport.prepare()
        steps = brief_steps(self.plan, article, self.transport.context_window)
        clock = _Patience(self.patience_s)
        answer: Any = None
        while True:
            request, result = drive(steps, answer)
            if request is None:
                return result
            clock.check()
            try:
                answer = clock.answered(self.transport.complete(request))
            except Rejected as exc:
                answer = exc

    async def arun(self, article: Article) -> EngineOutput:
        """Brief ``article`` without blocking the event loop (same requests as ``run``)."""
        await self.transport.aprepare()
        steps = brief_steps(self.plan, article, self.transport.context_window)
        clock = _Patience(self.patience_s)
        answer: Any = None
        while True:
            request, result = drive(steps, answer)
            if request is None:
                return result
            clock.check()
            try:
                answer = clock.answered(await self.transport.acomplete(request))
            except Rejected as exc:
                answer = exc

    def cost_usd(self, usage: Usage) -> float | None:
        return self.transport.cost_usd(usage)

    def expected_usage(self, text: str) -> Usage:
        """One request, or one per chunk plus the combine; each answer about EXPECTED_OUTPUT_TOKENS."""
        from briefer.chunking import chunk_text
        from briefer.tokens import count_tokens

        plan = self.plan
        budget = plan.budget(self.transport.context_window)
        overhead = count_tokens(
            "\n".join(plan.brief.render(**dict.fromkeys(plan.brief.placeholders, ""))), self.model
        )
        tokens = count_tokens(text, self.model)
        requests = 1
        if tokens > budget:
            requests = len(chunk_text(text, budget, model=self.model)) + 1  # map, then combine
        return Usage(
            prompt_tokens=tokens + requests * overhead + (requests - 1) * EXPECTED_OUTPUT_TOKENS,
            completion_tokens=requests * EXPECTED_OUTPUT_TOKENS,
            requests=requests,
        )

    def warm_up(self) -> None:
        from briefer.tokens import encoding_for_model

        encoding_for_model(self.model)
        self.transport.warm_up()
