"""OpenAI's chat-completions API (and every server that speaks it) as a ``Transport``.

Transport only: a ``ChatRequest`` becomes the SDK's keyword arguments, the completion becomes
a ``ChatAnswer``, and every SDK exception goes through ``openai_errors.translate_error``.
The SDK's own retries are off: ``briefer.engines.llm.limits`` retries every provider the same way.
"""

from __future__ import annotations

import asyncio
import threading
from typing import TYPE_CHECKING, Any

from briefer.config import Settings, is_local
from briefer.engines.llm.exchange import ChatAnswer, ChatRequest, ContextOverflow, ModeRejected
from briefer.engines.llm.model_info import context_window
from briefer.engines.llm.openai_errors import Endpoint, translate_error
from briefer.engines.llm.servers import SERVERS, Identity, answer_timeout_s, identify
from briefer.engines.llm.windows import learn_window, learned_window, window_that_cut
from briefer.errors import ConfigError, EngineError
from briefer.models import Usage
from briefer.tokens import count_tokens

if TYPE_CHECKING:
    import openai

OPENAI_URL = "https://api.openai.com/v1"


# base URL -> what the server there said about itself, for the rest of the process.
_IDENTITIES: dict[str, Identity] = {}
# Answers can be long for reasoning models, whose thinking counts against max_completion_tokens.
_OPENAI_BOUND_FACTOR = 8


class OpenAITransport:
    """Chat completions through the official SDK, against api.openai.com or any ``base_url``."""

    def __init__(
        self,
        settings: Settings,
        client: openai.OpenAI | None = None,
        async_client: openai.AsyncOpenAI | None = None,
        *,
        require_key: bool = True,
    ) -> None:
        if (
            require_key
            and settings.api_key is None
            and settings.base_url is None
            and client is None
            and async_client is None
        ):
            raise ConfigError(
                "the openai engine needs OPENAI_API_KEY (or --base-url for a local server); "
                "without one, use --engine extractive"
            )
        self.settings = settings
        self.model = settings.model
        self.server = settings.base_url or OPENAI_URL
        self.local = is_local(settings.base_url)
        self.timeout_s = answer_timeout_s(settings.timeout_s, settings.base_url)
        self.identity: Identity | None = None
        if settings.server != "auto" or settings.base_url is None:
            self.identity = Identity(SERVERS["openai" if settings.server == "auto" else settings.server])
        self._client = client
        self._async_client = async_client
        self._lock = threading.Lock()
        self.answered_once = False  # a completion came back: a refusal later is a restart, not a wrong URL

    @property
    def context_window(self) -> int | None:
        """The server's own figure when it gave one, else the one it named when a request filled it
        (in this run or an earlier one: ``windows``), else genai-prices' for the model."""
        if self.identity is not None and self.identity.context_window:
            return self.identity.context_window
        return learned_window(self.server, self.model) or context_window(self.model, self.settings.base_url)

    # -- who is answering: asked once per base URL --------------------------------------------

    def prepare(self) -> None:
        if self.identity is None:
            with self._lock:
                if (known := _IDENTITIES.get(self.server)) is not None:
                    self.identity = known
                    return
                self.identity = self._probe()
                if self.identity.answered:  # a server too busy or too odd to answer is asked again next time
                    _IDENTITIES[self.server] = self.identity

    async def aprepare(self) -> None:
        if self.identity is None:
            await asyncio.to_thread(self.prepare)

    def _probe(self) -> Identity:
        """``GET /models`` (and llama.cpp's ``/props``): the server's kind and context window. A
        local server busy generating answers only after that, so the probe waits as long as a
        request would."""
        import httpx

        headers = (
            {"Authorization": f"Bearer {self.settings.api_key.get_secret_value()}"}
            if self.settings.api_key
            else {}
        )
        base = self.server.rstrip("/")
        with httpx.Client(timeout=self.timeout_s, headers=headers) as http:
            models = _json_or_none(http, f"{base}/models")
            props = _json_or_none(http, f"{base.removesuffix('/v1')}/props") if models is not None else None
        return identify(models, self.model, props)

    def _client_options(self) -> dict[str, Any]:
        settings = self.settings
        return {
            # Local servers (vLLM, Ollama, llama.cpp) accept any key; the SDK insists on one.
            "api_key": settings.api_key.get_secret_value() if settings.api_key else "not-needed",
            "base_url": settings.base_url,
            "timeout": self.timeout_s,
            "max_retries": 0,
        }

    @property
    def client(self) -> openai.OpenAI:
        if self._client is None:
            import openai

            self._client = openai.OpenAI(**self._client_options())
        return self._client

    @property
    def async_client(self) -> openai.AsyncOpenAI:
        if self._async_client is None:
            import openai

            self._async_client = openai.AsyncOpenAI(**self._client_options())
        return self._async_client

    def warm_up(self) -> None:
        self.async_client  # noqa: B018  # imports the SDK and builds its HTTP client

    def cost_usd(self, usage: Usage, *, batch: bool = False) -> float | None:
        from briefer.engines.llm.costs import cost_usd

        return cost_usd(self.model, usage, base_url=self.settings.base_url, batch=batch)

    def body(self, request: ChatRequest) -> dict[str, Any]:
        """The request body (the SDK's keyword arguments) for ``request`` on this server; ModeRejected
        if it lacks the mode. The Batch API sends the same body in its JSONL lines."""
        assert self.identity is not None, "prepare() first"
        server = self.identity.server
        if request.mode not in server.modes:
            raise ModeRejected(f"{server.name} servers do not support {request.mode}")
        bound = request.max_tokens
        if server.answer_bound == "max_completion_tokens":
            bound = self._room_to_think(request)
        return {
            "model": self.model,
            "messages": [{"role": m.role, "content": m.content} for m in request.messages],
            "temperature": 0,
            server.answer_bound: bound,
            **server.arguments(request.output, request.mode),
        }

    def _room_to_think(self, request: ChatRequest) -> int:
        """The bound widened for reasoning models' thinking, but never past what the context leaves
        after the prompt (a bound beyond the window is refused), nor below the steps' own bound."""
        bound, window = request.max_tokens * _OPENAI_BOUND_FACTOR, self.context_window
        text = request.text()
        if window is None or bound + len(text.encode()) <= window:  # tokens never outnumber UTF-8 bytes
            return bound
        return max(request.max_tokens, window - count_tokens(text, self.model))

    def complete(self, request: ChatRequest) -> ChatAnswer:
        import openai

        self.prepare()
        arguments = self.body(request)
        try:
            completion = self.client.chat.completions.create(**arguments)
        except (openai.OpenAIError, ValueError, RecursionError) as exc:  # a body not JSON in UTF-8
            raise self.translate(exc, request) from exc
        return self._answered(request, completion)

    async def acomplete(self, request: ChatRequest) -> ChatAnswer:
        import openai

        await self.aprepare()
        arguments = self.body(request)
        try:
            completion = await self.async_client.chat.completions.create(**arguments)
        except (openai.OpenAIError, ValueError, RecursionError) as exc:  # a body not JSON in UTF-8
            raise self.translate(exc, request) from exc
        return self._answered(request, completion)

    def _answered(self, request: ChatRequest, completion: Any) -> ChatAnswer:
        """A live completion came back: the server is there (a later refusal is a restart), and
        an answer the window cut tells that window (``windows``)."""
        self.answered_once = True
        answer = self.answer(completion)
        learn_window(self.server, self.model, window_that_cut(request, answer))
        return answer

    def answer(self, completion: Any) -> ChatAnswer:
        """A chat completion (live, or a line of a batch's output file) as a ChatAnswer."""
        if not completion.choices:
            raise EngineError(f"the server at {self.server} returned no choices")
        choice = completion.choices[0]
        usage = getattr(completion, "usage", None)
        return ChatAnswer(
            content=choice.message.content,
            finish_reason=choice.finish_reason,
            refusal=getattr(choice.message, "refusal", None),
            usage=Usage(
                prompt_tokens=getattr(usage, "prompt_tokens", 0) or 0,
                completion_tokens=getattr(usage, "completion_tokens", 0) or 0,
                requests=1,
            ),
        )

    def translate(self, exc: Exception, request: ChatRequest | None = None) -> Exception:
        """The SDK's exception as ModeRejected, ContextOverflow or a one-line EngineError.

        ``request``: the chat request that failed (None: a files or batches call)."""
        root_unanswered = self.identity is not None and not self.identity.answered
        never_answered = not self.answered_once
        endpoint = Endpoint(
            self.server, self.model, self.timeout_s, self.local, root_unanswered, never_answered
        )
        translated = translate_error(exc, request, endpoint)
        if isinstance(translated, ContextOverflow):  # the window llama-cpp-python says nowhere else
            learn_window(self.server, self.model, translated.window)
        return translated


def _json_or_none(http: Any, url: str) -> Any:
    """The JSON body of ``GET url``, or None when the server has no such page or is not there."""
    import httpx

    try:
        response = http.get(url)
        return response.json() if response.status_code == 200 else None
    except (httpx.HTTPError, ValueError):
        return None
