"""The OpenAI SDK's exceptions as what briefer acts on: ``ModeRejected`` (another structured-output
mode may work), ``ContextOverflow`` (the prompt does not fit), or one ``EngineError`` line that
says what to do, with ``retryable``/``fatal``/``retry_after_s`` set for the limits to act on."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from briefer.engines.llm.exchange import ChatRequest, ContextOverflow, ModeRejected
from briefer.errors import EngineError
from briefer.text.lines import clip_line

if TYPE_CHECKING:
    import openai

# How servers name their context size in an overflow error: OpenAI, llama-cpp-python
# ("maximum context length is N"), llama.cpp's llama-server ("available context size (N tokens)",
# "context size of N"), vLLM, and bodies that carry n_ctx.
_CONTEXT_LIMIT = re.compile(
    r"(?:maximum context length is|context window of|context size of|available context size \(|n_ctx\W+)\s*(\d+)",
    re.I,
)


@dataclass(frozen=True)
class Endpoint:
    """What a message about a failed request names: where it went and what was asked of whom."""

    server: str
    model: str
    timeout_s: float
    local: bool  # a model on this machine: slow, not flaky
    root_unanswered: bool  # the server said nothing at its root: a missing /v1 is the likely 404
    never_answered: bool  # no completion came back in this run yet: a refusal is final


def translate_error(exc: Exception, request: ChatRequest | None, endpoint: Endpoint) -> Exception:
    """The SDK's exception as ModeRejected (another mode may work) or a one-line EngineError.

    ``request``: the chat request that failed (None: a files or batches call)."""
    import openai

    if isinstance(exc, ValueError | RecursionError):
        return EngineError(f"the server at {endpoint.server} answered with a body that is not JSON in UTF-8")
    if (
        request is not None
        and isinstance(exc, openai.APIStatusError)
        and exc.status_code in (400, 413, 422, 500)
    ):
        # Real servers refuse an unsupported response_format with 400, 422 or (llama-cpp-python) 500.
        if request.mode != "text" and _names_response_format(exc):
            return ModeRejected(_api_message(exc))
        if overflow := _context_overflow(exc):
            return overflow
    if isinstance(exc, openai.BadRequestError | openai.UnprocessableEntityError):
        return EngineError(f"the server rejected the request ({exc.status_code}): {_api_message(exc)}")
    if isinstance(exc, openai.APIStatusError):
        from briefer.engines.llm.limits import retry_after_seconds

        status = exc.status_code
        quota = status == 429 and is_out_of_credit(exc.body)
        return EngineError(
            _explain_status(exc, endpoint),
            retryable=(status == 429 and not quota) or status >= 500,
            fatal=quota or status in (401, 403, 404),  # every later request would fail too
            rate_limited=status == 429 and not quota,
            retry_after_s=retry_after_seconds(exc.response.headers),
        )
    if isinstance(exc, openai.APITimeoutError):
        if endpoint.local:  # a model on this machine is slow, not flaky: the same request would be as slow
            return EngineError(
                f"no answer from {endpoint.server} within {endpoint.timeout_s:g} s: the local model "
                "is slower than that on this article; raise --timeout or use a smaller model or chunks"
            )
        return EngineError(
            f"no answer from {endpoint.server} within {endpoint.timeout_s:g} s; "
            "try again later or raise the timeout",
            retryable=True,
        )
    if isinstance(exc, openai.APIConnectionError):
        # Refused, and the server never answered in this run: nothing listens there, so asking again
        # in a few seconds changes nothing. One that answered before and refuses now is restarting.
        if endpoint.never_answered and _refused(exc):
            return EngineError(
                f"cannot connect to {endpoint.server}: connection refused; is the server running and the URL right?",
                fatal=True,
            )
        return EngineError(
            f"cannot connect to {endpoint.server}: is the server running and the URL right?", retryable=True
        )
    return EngineError(f"the OpenAI client failed: {clip_line(str(exc))}")


def _refused(exc: BaseException) -> bool:
    """Whether a connection error was refused outright (ECONNREFUSED somewhere in its causes)."""
    seen: BaseException | None = exc
    for _ in range(8):
        if seen is None:
            return False
        if isinstance(seen, ConnectionRefusedError) or "connection refused" in str(seen).lower():
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def _explain_status(exc: openai.APIStatusError, endpoint: Endpoint) -> str:
    status, message, model, server = exc.status_code, _api_message(exc), endpoint.model, endpoint.server
    if status == 401:
        return f"authentication failed (401): check OPENAI_API_KEY for {server} ({message})"
    if status == 403:
        return f"permission denied (403): this key or project may not use {model!r} ({message})"
    if status == 404:
        if not server.rstrip("/").endswith("/v1") and endpoint.root_unanswered:
            return f"nothing answers chat completions at {server} (404): most servers want /v1 at the end of --base-url ({message})"
        return f"model {model!r} not found at {server} (404): check --model and --base-url ({message})"
    if status == 429:
        if is_out_of_credit(exc.body):
            return f"quota exceeded (429 insufficient_quota): add credit or raise the limit; retrying will not help ({message})"
        return f"rate limited (429): wait, or send fewer requests per minute ({message})"
    if status >= 500:
        return f"the server failed ({status}): the provider is having trouble, try again later ({message})"
    return f"the server answered {status}: {message}"


def _api_message(exc: openai.APIStatusError) -> str:
    body = exc.body if isinstance(exc.body, dict) else {}
    error = body.get("error", body) if isinstance(body, dict) else {}
    message = error.get("message") if isinstance(error, dict) else None
    return clip_line(message or exc.message or "no message")


def _names_response_format(exc: openai.APIStatusError) -> bool:
    """Servers reject unsupported structured outputs with an error naming the parameter or a grammar."""
    # FastAPI-based servers answer 422 with {"detail": [{"loc": [..., "response_format", ...]}]}.
    text = f"{_api_message(exc)} {getattr(exc, 'param', '') or ''} {exc.body}".lower()
    return any(
        word in text
        for word in ("response_format", "json_schema", "json_object", "structured output", "grammar")
    )


def _context_overflow(exc: openai.APIStatusError) -> ContextOverflow | None:
    """``context_length_exceeded`` (OpenAI, llama-cpp-python) or a message naming the context's size."""
    message = _api_message(exc)
    body = exc.body if isinstance(exc.body, dict) else {}
    error = body.get("error", body) if isinstance(body, dict) else {}
    code = error.get("code") if isinstance(error, dict) else None
    limit = _CONTEXT_LIMIT.search(message) or _CONTEXT_LIMIT.search(str(body))
    if code != "context_length_exceeded" and not (limit and "context" in message.lower()):
        return None
    return ContextOverflow(message, int(limit.group(1)) if limit else None)


def is_out_of_credit(error: object) -> bool:
    """Out of credit (not a rate limit): OpenAI says so in the error's code or type."""
    if isinstance(error, dict) and isinstance(error.get("error"), dict):
        error = error["error"]
    return isinstance(error, dict) and "insufficient_quota" in (error.get("code"), error.get("type"))
