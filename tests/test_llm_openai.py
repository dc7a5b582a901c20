"""The OpenAI transport's own logic (briefer/engines/llm/openai.py), with no server at all.

Every failure the SDK raises becomes ``ModeRejected`` (ask in the next structured-output mode),
``ContextOverflow`` (use smaller chunks) or one ``EngineError`` line saying what to do, flagged
``retryable`` (the same request may work later) or ``fatal`` (no later request can). The real
SDK runs over ``httpx.MockTransport``: nothing leaves the process.

The transport against traffic is tested elsewhere: recorded in test_openai_cassettes, the CLI
against the live local server in test_openai_live, that server's wire format in test_openai_spec.
"""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

import httpx
import openai
import pytest
from support.openai_server import LLAMA_CPP_PYTHON_REJECTION

from briefer.config import Settings
from briefer.engines.llm.exchange import ChatRequest, ContextOverflow, Message, ModeRejected
from briefer.engines.llm.openai import OPENAI_URL, OpenAITransport
from briefer.errors import EngineError
from briefer.models import Brief
from briefer.tokens import count_tokens

LOCAL_URL = "http://127.0.0.1:8080/v1"
REQUEST = ChatRequest(
    messages=(Message("system", "Brief the article."), Message("user", "<article>Text.</article>")),
    output=Brief,
    mode="json_schema",
)


pytestmark = pytest.mark.usefixtures("env_clean")


def openai_error(message: str, type_: str, *, param: str | None = None, code: Any = None) -> dict:
    return {"error": {"message": message, "type": type_, "param": param, "code": code}}


# llama-cpp-python's server (llama_cpp/server/errors.py) on a prompt too long, HTTP 400
LLAMA_CPP_PYTHON_OVERFLOW = openai_error(
    "This model's maximum context length is 2048 tokens. However, you requested 3548 tokens "
    "(2048 in the messages, 1500 in the completion). Please reduce the length of the messages or completion.",
    "invalid_request_error",
    param="messages",
    code="context_length_exceeded",
)
# api.openai.com on a prompt too long, HTTP 400
OPENAI_OVERFLOW = openai_error(
    "This model's maximum context length is 128000 tokens. However, your messages resulted in 131072 "
    "tokens. Please reduce the length of the messages.",
    "invalid_request_error",
    param="messages",
    code="context_length_exceeded",
)
# vLLM on a prompt too long, HTTP 400: no error envelope, the status as the code
VLLM_OVERFLOW = {
    "object": "error",
    "message": "This model's maximum context length is 4096 tokens. However, you requested 5596 tokens "
    "(4096 in the messages, 1500 in the completion). Please reduce the length of the messages or completion.",
    "type": "BadRequestError",
    "param": None,
    "code": 400,
}
# api.openai.com on json_schema for a model without structured outputs, HTTP 400
FORMAT_REJECTED = openai_error(
    "Invalid parameter: 'response_format' of type 'json_schema' is not supported with this model.",
    "invalid_request_error",
    param="response_format",
)


def failure(
    reply: httpx.Response | Exception,
    *,
    mode: str = "json_schema",
    base_url: str | None = None,
    server: str = "openai",
) -> Exception:
    """What ``complete`` raises when the server (or the connection to it) answers ``reply``."""

    def respond(request: httpx.Request) -> httpx.Response:
        if isinstance(reply, Exception):
            raise reply
        return reply

    client = openai.OpenAI(
        api_key="sk-test",
        base_url=base_url or OPENAI_URL,
        max_retries=0,
        http_client=httpx.Client(transport=httpx.MockTransport(respond)),
    )
    settings = Settings(model="gpt-4o-mini", base_url=base_url, server=server, timeout_s=30)
    with pytest.raises(Exception) as caught:
        OpenAITransport(settings, client=client).complete(replace(REQUEST, mode=mode))
    return caught.value


def flags(error: Exception) -> tuple[bool, bool, bool]:
    assert isinstance(error, EngineError), error
    return error.retryable, error.fatal, error.rate_limited


# ---------------------------------------------------------------------------------------------
# Status codes: one line that says what to do, and whether trying again can help

SAYS = "What the server said."
ANSWERED = {
    "id": "chatcmpl-1", "object": "chat.completion", "created": 0, "model": "smollm2",
    "choices": [{"index": 0, "message": {"role": "assistant", "content": "{}"}, "finish_reason": "stop"}],
}  # fmt: skip
RETRY, PAUSE = (True, False, False), (True, False, True)
FATAL, NEITHER = (False, True, False), (False, False, False)


@pytest.mark.parametrize(
    ("status", "code", "start", "expected_flags"),
    [
        (401, "invalid_api_key", "authentication failed (401): check OPENAI_API_KEY for https://", FATAL),
        (403, None, "permission denied (403): this key or project may not use 'gpt-4o-mini'", FATAL),
        (404, "model_not_found", "model 'gpt-4o-mini' not found at https://api.openai.com/v1 (404)", FATAL),
        (429, "rate_limit_exceeded", "rate limited (429): wait, or send fewer requests per minute", PAUSE),
        (429, "insufficient_quota", "quota exceeded (429 insufficient_quota): add credit", FATAL),
        (500, None, "the server failed (500): the provider is having trouble, try again later", RETRY),
        (503, None, "the server failed (503): the provider is having trouble, try again later", RETRY),
        (400, None, "the server rejected the request (400): ", NEITHER),
        (409, None, "the server answered 409: ", NEITHER),
    ],
    ids=["401", "403", "404", "429", "429-quota", "500", "503", "400", "409"],
)
def test_each_status_is_one_line_saying_what_to_do(
    status: int, code: str | None, start: str, expected_flags: tuple[bool, bool, bool]
) -> None:
    error = failure(httpx.Response(status, json=openai_error(SAYS, "invalid_request_error", code=code)))
    assert str(error).startswith(start) and SAYS in str(error) and "\n" not in str(error)
    assert flags(error) == expected_flags


def test_a_rate_limit_says_how_long_the_server_asked_to_wait() -> None:
    body = openai_error("Rate limit reached.", "requests", code="rate_limit_exceeded")
    error = failure(httpx.Response(429, json=body, headers={"retry-after": "2"}))
    assert isinstance(error, EngineError) and error.retry_after_s == 2.0


@pytest.mark.parametrize(
    "body",
    [b'{"id": "chatcmpl-1", "choices": [{"message": {"content": "\xff\xfe"}}]}', b"{not json", b"[" * 10_000],
    ids=["invalid-utf8", "not-json", "nested"],
)
def test_a_body_that_is_not_json_in_utf8_is_one_line(body: bytes) -> None:
    error = failure(httpx.Response(200, content=body, headers={"content-type": "application/json"}))
    assert (
        str(error) == "the server at https://api.openai.com/v1 answered with a body that is not JSON in UTF-8"
    )
    assert flags(error) == NEITHER


def test_a_multi_line_server_message_is_kept_on_one_line() -> None:
    body = openai_error(LLAMA_CPP_PYTHON_REJECTION, "internal_server_error")
    error = failure(httpx.Response(500, json=body), mode="text")
    assert str(error).startswith("the server failed (500): ") and "\n" not in str(error)
    assert "Input should be 'text' or 'json_object'" in str(error)


def test_a_slow_remote_server_is_worth_trying_again_but_a_slow_local_model_is_not() -> None:
    timeout = httpx.ReadTimeout("timed out")
    remote = failure(timeout)
    assert str(remote) == (
        "no answer from https://api.openai.com/v1 within 30 s; try again later or raise the timeout"
    )
    assert flags(remote) == RETRY
    local = failure(timeout, base_url=LOCAL_URL, server="llama.cpp")
    assert str(local).startswith(f"no answer from {LOCAL_URL} within 30 s: the local model is slower")
    assert "raise --timeout" in str(local) and flags(local) == NEITHER


def test_a_server_that_is_not_there_is_named_and_a_refused_connection_is_not_asked_again() -> None:
    refused = failure(
        httpx.ConnectError("[Errno 111] Connection refused"), base_url=LOCAL_URL, server="llama.cpp"
    )
    assert str(refused) == (
        f"cannot connect to {LOCAL_URL}: connection refused; is the server running and the URL right?"
    )
    assert flags(refused) == FATAL  # nothing listens there: a batch stops at once
    lost = failure(httpx.ConnectError("[Errno -3] Temporary failure in name resolution"), base_url=LOCAL_URL)
    assert str(lost) == f"cannot connect to {LOCAL_URL}: is the server running and the URL right?"
    assert flags(lost) == RETRY


def test_a_server_that_answered_and_then_refuses_is_restarting_so_it_is_asked_again() -> None:
    """A batch whose local server is restarted mid-run waits for it, as the reliability suite does."""
    replies: list[httpx.Response | Exception] = [
        httpx.ConnectError("[Errno 111] Connection refused"),
        httpx.Response(200, json=ANSWERED),
    ]

    def respond(request: httpx.Request) -> httpx.Response:
        reply = replies.pop()
        if isinstance(reply, Exception):
            raise reply
        return reply

    client = openai.OpenAI(
        api_key="sk-test", base_url=LOCAL_URL, max_retries=0,
        http_client=httpx.Client(transport=httpx.MockTransport(respond)),
    )  # fmt: skip
    transport = OpenAITransport(Settings(base_url=LOCAL_URL, server="llama.cpp", timeout_s=30), client=client)
    transport.complete(REQUEST)
    with pytest.raises(EngineError) as refused:
        transport.complete(REQUEST)
    assert flags(refused.value) == RETRY
    assert str(refused.value) == f"cannot connect to {LOCAL_URL}: is the server running and the URL right?"


# ---------------------------------------------------------------------------------------------
# A prompt too long for the model: smaller chunks, not a failure


@pytest.mark.parametrize(
    ("body", "window"),
    [
        (LLAMA_CPP_PYTHON_OVERFLOW, 2048),
        (OPENAI_OVERFLOW, 128_000),
        (VLLM_OVERFLOW, 4096),
        (openai_error("Too long.", "invalid_request_error", code="context_length_exceeded"), None),
    ],
    ids=["llama-cpp-python", "openai", "vllm", "code-only"],
)
def test_a_context_error_is_a_context_overflow_with_the_window(body: dict, window: int | None) -> None:
    error = failure(httpx.Response(400, json=body))
    assert isinstance(error, ContextOverflow) and error.window == window


def test_a_context_error_in_text_mode_is_still_a_context_overflow() -> None:
    error = failure(httpx.Response(400, json=LLAMA_CPP_PYTHON_OVERFLOW), mode="text")
    assert isinstance(error, ContextOverflow) and error.window == 2048


# ---------------------------------------------------------------------------------------------
# A server refusing a structured-output mode: the next mode, not a failure


@pytest.mark.parametrize(
    ("status", "body"),
    [
        (400, FORMAT_REJECTED),
        (422, openai_error("Unsupported value.", "invalid_request_error", param="response_format")),
        (500, openai_error(LLAMA_CPP_PYTHON_REJECTION, "internal_server_error")),  # llama-cpp-python 0.3.36
    ],
    ids=["400-openai", "422-param-only", "500-llama-cpp-python"],
)
def test_an_error_naming_the_output_format_rejects_the_mode(status: int, body: dict) -> None:
    assert isinstance(failure(httpx.Response(status, json=body)), ModeRejected)


def test_an_ordinary_server_error_does_not_give_up_on_the_mode() -> None:
    """A flaky server must not push every later request down to a weaker mode: a 500 is retried."""
    body = openai_error("The server had an error while processing your request.", "server_error")
    error = failure(httpx.Response(500, json=body))
    assert not isinstance(error, ModeRejected) and flags(error) == RETRY


def test_in_text_mode_there_is_no_lower_mode_to_fall_back_to() -> None:
    error = failure(httpx.Response(400, json=FORMAT_REJECTED), mode="text")
    assert not isinstance(error, ModeRejected)
    assert str(error).startswith("the server rejected the request (400): Invalid parameter")


def test_llama_server_context_errors_shrink_the_chunks() -> None:
    """llama.cpp's llama-server: 400 "... exceeds the available context size (N tokens)"."""
    import httpx
    import openai

    from briefer.engines.llm.openai_errors import _context_overflow

    body = {
        "error": {
            "code": 400,
            "message": "the request exceeds the available context size (2048 tokens), try increasing it",
            "type": "exceed_context_size_error",
            "n_prompt_tokens": 2300,
            "n_ctx": 2048,
        }
    }
    response = httpx.Response(
        400, json=body, request=httpx.Request("POST", "http://127.0.0.1:8080/v1/chat/completions")
    )
    overflow = _context_overflow(openai.BadRequestError("Error code: 400", response=response, body=body))
    assert overflow is not None and overflow.window == 2048


def test_a_fastapi_422_naming_response_format_is_a_mode_rejection() -> None:
    """FastAPI servers answer unknown response_format values with their own 422 body, no OpenAI envelope."""
    import httpx
    import openai

    from briefer.engines.llm.openai_errors import _names_response_format

    body = {
        "detail": [
            {
                "type": "literal_error",
                "loc": ["body", "response_format", "type"],
                "msg": "Input should be 'text' or 'json_object'",
            }
        ]
    }
    response = httpx.Response(
        422, json=body, request=httpx.Request("POST", "http://127.0.0.1:8080/v1/chat/completions")
    )
    assert _names_response_format(
        openai.UnprocessableEntityError("Error code: 422", response=response, body=body)
    )


def sent_bound(model: str, max_tokens: int) -> int:
    """The max_completion_tokens api.openai.com is sent for ``REQUEST`` bounded at ``max_tokens``."""
    bodies = []

    def respond(request: httpx.Request) -> httpx.Response:
        bodies.append(json.loads(request.content))
        return httpx.Response(500, json=openai_error("down", "server_error"))

    client = openai.OpenAI(
        api_key="sk-test",
        base_url=OPENAI_URL,
        max_retries=0,
        http_client=httpx.Client(transport=httpx.MockTransport(respond)),
    )
    settings = Settings(model=model, server="openai", timeout_s=30)
    with pytest.raises(EngineError):
        OpenAITransport(settings, client=client).complete(replace(REQUEST, max_tokens=max_tokens))
    return bodies[0]["max_completion_tokens"]


def test_reasoning_room_never_asks_for_more_than_the_context_leaves() -> None:
    """Eight times the bound leaves room for a reasoning model's thinking, within its context window."""
    assert sent_bound("gpt-4o-mini", 3000) == 24_000  # a 128,000-token window: room enough
    prompt = count_tokens(REQUEST.text(), "gpt-4")
    assert sent_bound("gpt-4", 3000) == 8192 - prompt  # 8,192 tokens: 24,000 would be refused
