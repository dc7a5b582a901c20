"""The LLM engine: the provider-neutral steps (``steps.py``) driven over any ``Transport``.

The steps are a generator that yields requests; ``run`` answers them with the transport's
blocking call and ``arun`` with its async one, so both send byte-identical requests.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import replace
from functools import cached_property
from typing import Any

from briefer.config import Settings
from briefer.engines.base import Capabilities, EngineOutput
from briefer.engines.llm.exchange import ChatAnswer, ChatRequest, Fanout, OutOfTime, Rejected, Transport
from briefer.engines.llm.hints import hints_sha256
from briefer.engines.llm.limits import EXPECTED_OUTPUT_TOKENS
from briefer.engines.llm.servers import answer_timeout_s
from briefer.engines.llm.steps import Plan, brief_steps
from briefer.engines.llm.structured import Ladder, Steps, drive
from briefer.errors import EngineError
from briefer.models import Article, ChunkNotes, Usage
from briefer.prompts import PromptRegistry

PATIENCE_TIMEOUTS = 3  # what one brief may take: the ladder, repairs and a doubled bound included
REPAIR_SHARE = 1 / 6  # of that, the time within which repairs may still start: half a --timeout
progress = logging.getLogger("briefer.progress")


class _Patience:
    """Bounds an article's time, whatever retries, fallbacks and repairs happen: 3x --timeout,
    plus one --timeout for each chunk of a long article (each needs an answer of its own).

    Repairs (optional: the brief stands without them) start only while the longest answer so far
    still ends within a sixth of that, so a slow local model's brief is salvaged, not abandoned.
    """

    def __init__(self, timeout_s: float) -> None:
        self.timeout_s = timeout_s
        self.allowed = timeout_s * PATIENCE_TIMEOUTS
        self.started = self.asked = time.monotonic()
        self.longest = 0.0
        self.step = ""

    def answered(self) -> None:
        self.longest = max(self.longest, time.monotonic() - self.asked)

    def allows(self, request: ChatRequest) -> bool:
        """Whether ``request`` may be sent now: False for a repair past its time; an error past all time."""
        if request.output is ChunkNotes and not request.repair:  # a chunk asked for the first time
            self.allowed += self.timeout_s
        spent = time.monotonic() - self.started
        if spent > self.allowed:
            raise EngineError(
                f"no brief of this article after {spent:.0f} s ({self.allowed / self.timeout_s:.0f}x --timeout); "
                "the server is too slow for this model or article"
            )
        if request.optional and spent + self.longest > self.allowed * REPAIR_SHARE:
            progress.info(
                "%s skipped: %.0f s spent, the longest answer took %.0f s", request.step, spent, self.longest
            )
            return False
        if request.step != self.step:  # a mode the server lacks, refused before sending, is the same step
            progress.info("%s (%.0f s so far)", request.step, spent)
        self.step, self.asked = request.step, time.monotonic()
        return True


class ArticleRun:
    """One article's steps under way: the next request, the answer to send back, the result.

    Usage is summed here and only here, over every answer the server gave, so the answers of a
    map-reduce begun again in smaller chunks count too: those tokens were spent (and paid for).
    ``timeout_s`` bounds the article's time (None: unbounded, as in the Batch API's 24 hours).
    """

    def __init__(self, steps: Steps[EngineOutput], timeout_s: float | None) -> None:
        self.steps = steps
        self.clock = _Patience(timeout_s) if timeout_s is not None else None
        self.answer: ChatAnswer | Rejected | tuple[ChatAnswer | Rejected, ...] | None = None
        self.result: EngineOutput | None = None
        self.spent = Usage()

    def next_request(self) -> ChatRequest | Fanout | None:
        """The next request (a ``Fanout`` only for steps planned with ``fan_out``), None at the end."""
        for answer in self.answer if isinstance(self.answer, tuple) else (self.answer,):
            if isinstance(answer, ChatAnswer):
                self.spent = self.spent + answer.usage
        if self.clock is not None and self.answer is not None:
            self.clock.answered()
        request, result = drive(self.steps, self.answer)
        while isinstance(request, ChatRequest) and self.clock is not None and not self.clock.allows(request):
            request, result = drive(self.steps, OutOfTime(request.step))
        if request is None:
            self.result = replace(result, usage=self.spent)
        return request

    def finished(self) -> EngineOutput:
        """The result, once ``next_request`` has returned None."""
        assert self.result is not None, "the steps are still under way"
        return self.result


def _answer_or_rejection(
    complete: Callable[[ChatRequest], ChatAnswer], request: ChatRequest
) -> ChatAnswer | Rejected:
    """A refusal to ask that way is not an error: the steps are told, and ask another way."""
    try:
        return complete(request)
    except Rejected as exc:
        return exc


async def _aanswer_or_rejection(answer: Awaitable[ChatAnswer]) -> ChatAnswer | Rejected:
    try:
        return await answer
    except Rejected as exc:
        return exc


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
            statements=settings.statements,
        )

    @property
    def statements(self) -> bool:
        """Whether grounding, here and in the pipeline, also flags the statement check's doubts."""
        return self.plan.statements

    @property
    def capabilities(self) -> Capabilities:
        """The context window is the server's own once it said (after the first request)."""
        return Capabilities(
            llm=True,
            needs_key=self.needs_key,
            context_window=self.transport.context_window,
            native_async=True,
            cpu_bound=False,
            batch_api=self.batch_transport is not None,
        )

    @property
    def batch_transport(self) -> Any | None:
        """The transport under the limits wrapper when it builds request bodies and reaches the
        files and batches endpoints (OpenAI's); None for any other (a function, say)."""
        inner = getattr(self.transport, "inner", self.transport)
        return inner if hasattr(inner, "body") and hasattr(inner, "client") else None

    def complete(self, request: ChatRequest) -> ChatAnswer:
        """One request asked now, under this engine's limits and retries."""
        return self.transport.complete(request)

    @property
    def fingerprint(self) -> dict[str, Any]:
        """Everything that changes the brief for a given article: the cache key's other half."""
        return {
            "engine": self.name,
            "model": self.model,
            "server": self.transport.server,
            "prompts": [f"{p.ref}:{p.sha256}" for p in self.plan.prompts],
            "schema_hint": hints_sha256(),
            "repair_grounding": self.plan.repair_grounding,
            "structured": self.plan.ladder.structured,
            "chunk_tokens": self.plan.chunk_tokens or "context",
        }

    def run(self, article: Article) -> EngineOutput:
        """Brief ``article`` with blocking calls."""
        self.transport.prepare()
        briefing = self._article_run(article)
        while (request := briefing.next_request()) is not None:
            assert isinstance(request, ChatRequest), "steps planned without fan_out ask one at a time"
            briefing.answer = _answer_or_rejection(self.transport.complete, request)
        return briefing.finished()

    async def arun(self, article: Article) -> EngineOutput:
        """Brief ``article`` without blocking the event loop (same requests as ``run``)."""
        await self.transport.aprepare()
        briefing = self._article_run(article)
        while (request := briefing.next_request()) is not None:
            assert isinstance(request, ChatRequest), "steps planned without fan_out ask one at a time"
            briefing.answer = await _aanswer_or_rejection(self.transport.acomplete(request))
        return briefing.finished()

    def _steps(self, plan: Plan, article: Article) -> Steps[EngineOutput]:
        """The requests one article takes: the hook an engine with other steps overrides."""
        return brief_steps(plan, article, self.transport.context_window)

    def _article_run(self, article: Article) -> ArticleRun:
        return ArticleRun(
            self._steps(self.plan, article),
            answer_timeout_s(self.settings.timeout_s, self.settings.base_url),
        )

    def unbounded_run(self, article: Article) -> ArticleRun:
        """The same steps for a driver that waits hours per round (the Batch API): no time bound,
        and a long article's chunks asked together (``Fanout``), so they take one round, not one each."""
        return ArticleRun(self._steps(replace(self.plan, fan_out=True), article), None)

    def cost_usd(self, usage: Usage, *, batch: bool = False) -> float | None:
        return self.transport.cost_usd(usage, batch=batch)

    @cached_property
    def _prompt_tokens(self) -> int:
        """What the brief prompt itself adds to every request (counted once, not per article)."""
        from briefer.tokens import count_tokens

        brief = self.plan.brief
        return count_tokens("\n".join(brief.render(**dict.fromkeys(brief.placeholders, ""))), self.model)

    def expected_usage(self, text: str, tokens: int) -> Usage:
        """One request, or one per chunk plus the combine; each answer about EXPECTED_OUTPUT_TOKENS."""
        from briefer.engines.llm.chunking import chunk_text

        budget = self.plan.budget(self.transport.context_window)
        overhead = self._prompt_tokens
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
