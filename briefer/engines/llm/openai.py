"""OpenAI's chat-completions API (and every server that speaks it) as a ``Transport``.

Transport and error mapping only: a ``ChatRequest`` becomes the SDK's keyword arguments, the
completion becomes a ``ChatAnswer``, and every SDK exception becomes ``ModeRejected`` (the
server refuses this structured-output mode) or one ``EngineError`` line that says what to do.
The SDK's own retries are off: ``briefer.limits`` retries every provider the same way.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from briefer.config import Settings
from briefer.engines.llm.exchange import ChatAnswer, ChatRequest, Mode, ModeRejected
from briefer.engines.llm.model_info import context_window
from briefer.engines.llm.structured import one_line
from briefer.errors import ConfigError, EngineError
from briefer.models import Usage

if TYPE_CHECKING:
    import openai

OPENAI_URL = "https://api.openai.com/v1"


@cache
def _response_format(model: type[BaseModel], mode: Mode) -> dict[str, Any] | None:
    if mode == "json_schema":
        from openai.lib._pydantic import to_strict_json_schema

        return {
            "type": "json_schema",
            "json_schema": {"name": model.__name__, "strict": True, "schema": to_strict_json_schema(model)},
        }
    if mode == "json_object":
        return {"type": "json_object"}
    return None


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
        self.context_window = context_window(settings.model, settings.base_url)
        self._client = client
        self._async_client = async_client

    def _client_options(self) -> dict[str, Any]:
        settings = self.settings
        return {
            # Local servers (vLLM, Ollama, llama.cpp) accept any key; the SDK insists on one.
            "api_key": settings.api_key.get_secret_value() if settings.api_key else "not-needed",
            "base_url": settings.base_url,
            "timeout": settings.timeout_s,
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

    def cost_usd(self, usage: Usage) -> float | None:
        from briefer.costs import cost_usd

        return cost_usd(self.model, usage, base_url=self.settings.base_url)

    def _arguments(self, request: ChatRequest) -> dict[str, Any]:
        arguments: dict[str, Any] = {
            "model": self.model,
            "messages": [{"role": m.role, "content": m.content} for m in request.messages],
            "temperature": 0,
        }
        if (response_format := _response_format(request.output, request.mode)) is not None:
            arguments["response_format"] = response_format
        return arguments

    def complete(self, request: ChatRequest) -> ChatAnswer:
        import openai

        try:
            completion = self.client.chat.completions.create(**self._arguments(request))
        except openai.OpenAIError as exc:
            raise self._translate(exc, request) from exc
        return self._answer(completion)

    async def acomplete(self, request: ChatRequest) -> ChatAnswer:
        import openai

        try:
            completion = await self.async_client.chat.completions.create(**self._arguments(request))
        except openai.OpenAIError as exc:
            raise self._translate(exc, request) from exc
        return self._answer(completion)

    def _answer(self, completion: Any) -> ChatAnswer:
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

    def _translate(self, exc: Exception, request: ChatRequest) -> Exception:
        """The SDK's exception as ModeRejected (another mode may work) or a one-line EngineError."""
        import openai

        if isinstance(exc, openai.BadRequestError | openai.UnprocessableEntityError):
            if request.mode != "text" and _names_response_format(exc):
                return ModeRejected(_api_message(exc))
            return EngineError(f"the server rejected the request ({exc.status_code}): {_api_message(exc)}")
        if isinstance(exc, openai.APIStatusError):
            from briefer.limits import retry_after_seconds

            status = exc.status_code
            quota = status == 429 and is_out_of_credit(exc.body)
            return EngineError(
                self._explain_status(exc),
                retryable=(status == 429 and not quota) or status >= 500,
                fatal=quota or status in (401, 403, 404),  # every later request would fail too
                rate_limited=status == 429 and not quota,
                retry_after_s=retry_after_seconds(exc.response.headers),
            )
        if isinstance(exc, openai.APITimeoutError):
            return EngineError(
                f"no answer from {self.server} within {self.settings.timeout_s:g} s; "
                "try again later or raise the timeout",
                retryable=True,
            )
        if isinstance(exc, openai.APIConnectionError):
            return EngineError(
                f"cannot connect to {self.server}: is the server running and the URL right?", retryable=True
            )
        return EngineError(f"the OpenAI client failed: {one_line(str(exc))}")

    def _explain_status(self, exc: openai.APIStatusError) -> str:
        status, message, model = exc.status_code, _api_message(exc), self.model
        if status == 401:
            return f"authentication failed (401): check OPENAI_API_KEY for {self.server} ({message})"
        if status == 403:
            return f"permission denied (403): this key or project may not use {model!r} ({message})"
        if status == 404:
            return (
                f"model {model!r} not found at {self.server} (404): check --model and --base-url ({message})"
            )
        if status == 429:
            if is_out_of_credit(exc.body):
                return f"quota exceeded (429 insufficient_quota): add credit or raise the limit; retrying will not help ({message})"
            return f"rate limited (429): wait, or send fewer requests per minute ({message})"
        if status >= 500:
            return (
                f"the server failed ({status}): the provider is having trouble, try again later ({message})"
            )
        return f"the server answered {status}: {message}"


def _api_message(exc: openai.APIStatusError) -> str:
    body = exc.body if isinstance(exc.body, dict) else {}
    error = body.get("error", body) if isinstance(body, dict) else {}
    message = error.get("message") if isinstance(error, dict) else None
    return one_line(message or exc.message or "no message")


def _names_response_format(exc: openai.APIStatusError) -> bool:
    """Servers reject unsupported structured outputs with a 400/422 naming the parameter."""
    text = f"{_api_message(exc)} {getattr(exc, 'param', '') or ''}".lower()
    return any(
        word in text for word in ("response_format", "json_schema", "json_object", "structured output")
    )


def is_out_of_credit(error: object) -> bool:
    """Out of credit (not a rate limit): OpenAI says so in the error's code or type."""
    if isinstance(error, dict) and isinstance(error.get("error"), dict):
        error = error["error"]
    return isinstance(error, dict) and "insufficient_quota" in (error.get("code"), error.get("type"))
