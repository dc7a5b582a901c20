"""The neutral request/answer pair between the LLM steps and a provider's transport.

The steps (``steps.py``) say *what* to ask: messages, the pydantic model the answer must
validate against, and how to ask for JSON (``mode``). A transport says *how* a given provider
or server is asked and turns its answer (or failure) back into these types. Nothing here
imports a provider SDK, so a new provider is one new transport module.
"""

from __future__ import annotations

from collections.abc import Awaitable
from dataclasses import dataclass, field
from typing import Literal, Protocol

from pydantic import BaseModel

from briefer.models import Usage

Mode = Literal["json_schema", "json_object", "text"]
MODES: tuple[Mode, ...] = ("json_schema", "json_object", "text")


@dataclass(frozen=True)
class Message:
    role: Literal["system", "user", "assistant"]
    content: str


@dataclass(frozen=True)
class ChatRequest:
    """One chat request: the conversation so far and the shape the answer must have."""

    messages: tuple[Message, ...]
    output: type[BaseModel]  # what the answer must validate as
    mode: Mode  # json_schema: the server enforces the schema; json_object/text: the prompt carries it
    max_tokens: int = 1500  # the answer's bound: no small model may run on until the timeout
    repair: int = 0  # 0: asked for the first time; n: the n-th repair of an answer that failed validation
    prompt: str = ""  # name@version of the prompt asked: a batch tells repairs from first asks by it
    step: str = "brief"  # what the request is for, as progress names it ("chunk notes 2/3", "combine")
    optional: bool = False  # a repair: the brief stands without it, so a run out of time skips it

    def text(self) -> str:
        """Everything the model reads, for counting tokens before sending."""
        return "\n".join(m.content for m in self.messages)


@dataclass(frozen=True)
class Fanout:
    """Requests that do not depend on one another (a long article's chunks), asked together.

    Only steps planned with ``fan_out`` yield these (the Batch API puts them in one batch); they
    are sent back a tuple of answers (``ChatAnswer`` or ``Rejected``), in the same order.
    """

    requests: tuple[ChatRequest, ...]


@dataclass(frozen=True)
class ChatAnswer:
    """What came back: the text, why generation stopped, a refusal, what it cost."""

    content: str | None
    finish_reason: str | None = "stop"
    refusal: str | None = None
    usage: Usage = field(default_factory=lambda: Usage(requests=1))


class Rejected(Exception):
    """The server refused a request in a way the steps can answer by asking differently."""


class ModeRejected(Rejected):
    """The server does not support the requested structured-output mode: try the next one."""


class ContextOverflow(Rejected):
    """The prompt does not fit the model's context (``window`` tokens, when the server said): use smaller chunks."""

    def __init__(self, message: str, window: int | None = None) -> None:
        super().__init__(message)
        self.window = window


class OutOfTime(Rejected):
    """An optional request (a repair) not sent: the article's time for repairs is spent."""


class Transport(Protocol):
    """Sends a ChatRequest to one model on one server.

    ``prepare``/``aprepare`` learn, once, what the server says about itself (its kind, its
    context window) before the first request. Raises ``ModeRejected`` when the server refuses
    the request's ``mode``, ``ContextOverflow`` when the prompt does not fit, and
    ``briefer.errors.EngineError`` (``retryable``/``fatal``/``retry_after_s`` set) for every
    other failure, so that retries and rate limits (``briefer.engines.llm.limits``) need no provider SDK.
    """

    model: str
    server: str  # where requests go: for messages and the cache fingerprint

    @property
    def context_window(self) -> int | None:
        """Tokens the model reads at once; None when unknown."""

    def prepare(self) -> None: ...

    async def aprepare(self) -> None: ...

    def complete(self, request: ChatRequest) -> ChatAnswer: ...

    def acomplete(self, request: ChatRequest) -> Awaitable[ChatAnswer]: ...

    def cost_usd(self, usage: Usage, *, batch: bool = False) -> float | None:
        """What ``usage`` costs at this provider (``batch``: at batch rates); None when unknown."""
        ...

    def warm_up(self) -> None:
        """Import and build clients now, not on the first request."""
        ...
