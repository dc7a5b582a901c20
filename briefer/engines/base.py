"""The engine protocol: an Article in, a Brief out, and a declaration of what the engine can do.

Callers (pipeline, batch, service, estimate, eval, CLI) decide by ``capabilities``, never by
an engine's name: a new engine is one new module under ``engines/`` and nothing else changes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from briefer.models import Article, Brief, Usage

if TYPE_CHECKING:
    from briefer.engines.llm.exchange import ChatAnswer, ChatRequest
    from briefer.models import GroundingReport
    from briefer.prompts import Prompt


@dataclass(frozen=True)
class Capabilities:
    """What an engine declares about itself."""

    llm: bool  # asks a language model: answers cost tokens and money, and pass through rate limits
    needs_key: bool  # cannot run without an API key or a server URL
    context_window: int | None  # tokens the model reads in one request; None: any length in one pass
    native_async: bool  # ``arun`` awaits I/O; otherwise it runs ``run`` in a worker thread
    cpu_bound: bool  # ``run`` is pure CPU: a batch spreads articles over processes
    batch_api: bool = False  # its requests can go through OpenAI's Batch API (--via batch-api)


@dataclass
class EngineOutput:
    brief: Brief
    model: str
    prompt: str | None = None  # name@version
    prompt_sha256: str | None = None
    usage: Usage = field(default_factory=Usage)
    chunks: int = 1
    structured_output: str | None = None
    repairs: int = 0
    grounding_repairs: int = 0
    grounding: GroundingReport | None = None  # when the engine already checked its final brief
    warnings: list[str] = field(default_factory=list)  # what the reader should know about how it was made
    extracted: list[str] = field(default_factory=list)  # fields taken from extraction instead (hybrid)
    prompts_used: list[Prompt] = field(default_factory=list, repr=False)  # the prompts behind ``prompt``


@runtime_checkable
class Engine(Protocol):
    name: str  # recorded in provenance; not for callers to branch on
    model: str
    capabilities: Capabilities

    @property
    def statements(self) -> bool:
        """Whether its briefs' grounding also flags the statement check's doubts (``Settings.statements``)."""
        ...

    @property
    def fingerprint(self) -> dict[str, object]:
        """Everything besides the article that changes the brief (engine, model, prompts, options)."""
        ...

    def run(self, article: Article) -> EngineOutput: ...

    async def arun(self, article: Article) -> EngineOutput: ...

    def cost_usd(self, usage: Usage, *, batch: bool = False) -> float | None:
        """What ``usage`` costs on this engine (``batch``: at batch rates); None when its price is unknown."""
        ...

    def expected_usage(self, text: str, tokens: int) -> Usage:
        """Requests and tokens briefing ``text`` (``tokens`` long, counted once by the caller)
        should take, before any is sent (for estimates)."""
        ...

    def warm_up(self) -> None:
        """Pay one-time costs (imports, tokenizer files, clients) before a timed run starts."""
        ...


class BatchTransport(Protocol):
    """What the Batch API path needs of a transport: the live request body, the files and batches
    endpoints (``client``, OpenAI's SDK), and the live path's reading of answers and errors."""

    server: str

    @property
    def client(self) -> Any: ...

    def prepare(self) -> None: ...

    def body(self, request: ChatRequest) -> dict[str, Any]: ...

    def answer(self, completion: Any) -> ChatAnswer: ...

    def translate(self, exc: Exception, request: ChatRequest | None = None) -> Exception: ...


@runtime_checkable
class BatchEngine(Engine, Protocol):
    """An engine whose ``capabilities.batch_api`` is true: what ``briefer.batch`` reaches through."""

    @property
    def batch_transport(self) -> BatchTransport | None:
        """The transport for files, batches and request bodies (None: the engine cannot batch)."""
        ...

    def complete(self, request: ChatRequest) -> ChatAnswer:
        """One request asked live, under the engine's limits and retries (``--repair-live``)."""
        ...

    def unbounded_run(self, article: Article) -> Any:
        """One article's steps with no time bound (answers come within the completion window)."""
        ...
