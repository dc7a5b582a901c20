"""``FunctionEngine``: the LLM engine with your function in place of the model.

For testing code that embeds briefer, with no network, no key and no cassette (in the spirit
of httpx's ``MockTransport`` and pydantic-ai's ``FunctionModel``). Your function receives every
``ChatRequest`` the real steps make (brief, chunk notes, combine, repairs) and answers it;
the structured-output ladder, validation repairs, map-reduce and grounding run for real::

    from briefer import Briefer, Brief, FunctionEngine

    def model(request):
        return my_brief  # a Brief, its JSON, a dict, or a ChatAnswer

    result = Briefer(engine=FunctionEngine(model)).brief(article_text)

``request.output`` says what the answer must validate as (``Brief`` or ``ChunkNotes``);
raise ``briefer.EngineError`` to simulate a failing server. Async functions work too.
"""

from __future__ import annotations

import asyncio
import inspect
import json
from collections.abc import Awaitable, Callable
from typing import Any

from pydantic import BaseModel

from briefer.config import Settings
from briefer.engines.llm.engine import LLMEngine
from briefer.engines.llm.exchange import ChatAnswer, ChatRequest
from briefer.engines.llm.limits import Limits
from briefer.models import Usage

Answer = ChatAnswer | BaseModel | dict[str, Any] | str
AnswerFunction = Callable[[ChatRequest], Answer | Awaitable[Answer]]


def _as_answer(value: Answer) -> ChatAnswer:
    if isinstance(value, ChatAnswer):
        return value
    if isinstance(value, BaseModel):
        return ChatAnswer(content=value.model_dump_json())
    if isinstance(value, dict):
        return ChatAnswer(content=json.dumps(value))
    if isinstance(value, str):
        return ChatAnswer(content=value)
    raise TypeError(
        f"a FunctionEngine function must return a ChatAnswer, BaseModel, dict or str, not {type(value).__name__}"
    )


class FunctionTransport:
    """A ``Transport`` that asks a Python function; it records every request in ``requests``."""

    def __init__(
        self, function: AnswerFunction, model: str = "function", context_window: int | None = None
    ) -> None:
        self.function = function
        self.model = model
        self.server = f"function:{getattr(function, '__qualname__', 'function')}"
        self.context_window = context_window
        self.requests: list[ChatRequest] = []

    def prepare(self) -> None:
        pass  # a function has nothing to say about itself

    async def aprepare(self) -> None:
        pass

    def complete(self, request: ChatRequest) -> ChatAnswer:
        self.requests.append(request)
        value = self.function(request)
        if inspect.isawaitable(value):
            value = asyncio.run(_awaited(value))
        return _as_answer(value)

    async def acomplete(self, request: ChatRequest) -> ChatAnswer:
        self.requests.append(request)
        value = self.function(request)
        if inspect.isawaitable(value):
            value = await value
        return _as_answer(value)

    def cost_usd(self, usage: Usage, *, batch: bool = False) -> float | None:
        return 0.0  # a function costs nothing

    def warm_up(self) -> None:
        pass


async def _awaited(value: Awaitable[Answer]) -> Answer:
    return await value


class FunctionEngine(LLMEngine):
    """An LLM engine answered by ``function``; other keyword arguments are ``Settings`` fields.

    ``limits`` (a ``briefer.engines.llm.limits.Limits``) adds the same pacing and retries as a real server.
    """

    def __init__(
        self,
        function: AnswerFunction,
        *,
        model: str = "function",
        context_window: int | None = None,
        limits: Limits | None = None,
        **options: Any,
    ) -> None:
        self.function_transport = FunctionTransport(function, model, context_window)
        transport = limits.wrap(self.function_transport) if limits else self.function_transport
        super().__init__(Settings(model=model, **options), transport, name="function", needs_key=False)

    @property
    def requests(self) -> list[ChatRequest]:
        """Every request the steps made, in order: assert on prompts and modes in your tests."""
        return self.function_transport.requests
