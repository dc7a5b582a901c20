"""A local OpenAI-compatible chat-completions server for tests: the real wire format, scripted answers.

Why: no LLM endpoint is reachable from our machines, yet briefer's OpenAI engine must be tested
through the real ``openai`` SDK and its real HTTP stack (retries, error mapping, timeouts), and
cassettes must be recorded from something that speaks OpenAI's wire format exactly. This server
answers ``POST /v1/chat/completions`` with bodies and headers shaped like api.openai.com's
(checked against OpenAI's own OpenAPI schemas in ``tests/test_openai_spec.py``), records every
request it receives, and plays a script of *turns* (``ok``, ``refusal``, ``length``,
``reject_json_schema``, ``status``, ``slow``), falling back to a default turn (the brief
author) when the script runs out.

The text it writes is OURS, not a language model's: the default turn runs briefer's
deterministic offline extractive engine on the article it was sent, so cassettes recorded from
this server say so (cassettes/README.md).

Stdlib only (``http.server``); start it with ``with OpenAIServer(...) as server:`` or use the
``openai_server`` pytest fixture.
"""

from __future__ import annotations

import contextlib
import json
import math
import re
import secrets
import string
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any

from briefer.models import Article, Brief, ChunkNotes, Draft, DraftTakeaway
from briefer.tokens import count_tokens

# OpenAI's request-rate headers, with the values of a modest paid tier; "where relevant" means
# on answers and on rate-limit errors, as api.openai.com sends them.
RATE_LIMIT_REQUESTS = 5000
RATE_LIMIT_TOKENS = 4_000_000
_ID_ALPHABET = string.ascii_letters + string.digits
_FENCED = re.compile(r"<(article|article_part|notes)>\n?(.*?)\n?</\1>", re.DOTALL)


@dataclass
class RecordedRequest:
    """One HTTP request as the server received it, so tests can assert what the client sent."""

    method: str
    path: str
    headers: dict[str, str]  # names lower-cased
    raw: bytes

    @property
    def json(self) -> Any:
        """The parsed JSON body (``None`` when there is no body)."""
        return json.loads(self.raw) if self.raw else None

    @property
    def messages(self) -> list[dict[str, Any]]:
        return list((self.json or {}).get("messages", []))

    @property
    def model(self) -> str:
        return str((self.json or {}).get("model", ""))

    @property
    def response_format(self) -> dict[str, Any]:
        return dict((self.json or {}).get("response_format") or {"type": "text"})

    @property
    def schema_name(self) -> str | None:
        """The ``json_schema`` format's name (``Brief``, ``ChunkNotes``), if one was asked for."""
        return (self.response_format.get("json_schema") or {}).get("name")


@dataclass
class Reply:
    """What the server sends back: status, JSON body, extra headers."""

    status: int
    body: dict[str, Any] | bytes  # bytes: sent as they are (a file's content, bytes no JSON encoder writes)
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class Turn:
    """One scripted behaviour: how to answer a request, after ``delay_s``, for the next ``times`` requests."""

    name: str
    respond: Callable[[RecordedRequest], Reply]
    delay_s: float | Callable[[], float] = 0.0  # a function: drawn anew for each request
    times: int = 1


# ---------------------------------------------------------------------------------------------
# Bodies and headers in OpenAI's wire format


def _message_text(message: dict[str, Any]) -> str:
    content = message.get("content") or ""
    if isinstance(content, list):  # content parts
        return "".join(part.get("text", "") for part in content if isinstance(part, dict))
    return str(content)


def _usage(request: RecordedRequest, completion: str, completion_tokens: int | None = None) -> dict[str, Any]:
    """Token counts the way OpenAI reports them (tiktoken, ~3 tokens of framing per message)."""
    model = request.model or "gpt-4o-mini"
    prompt = sum(count_tokens(_message_text(m), model) + 3 for m in request.messages) + 3
    if completion_tokens is None:
        completion_tokens = count_tokens(completion, model) if completion else 0
    return {
        "prompt_tokens": prompt,
        "completion_tokens": completion_tokens,
        "total_tokens": prompt + completion_tokens,
        "prompt_tokens_details": {"cached_tokens": 0, "audio_tokens": 0},
        "completion_tokens_details": {
            "reasoning_tokens": 0,
            "audio_tokens": 0,
            "accepted_prediction_tokens": 0,
            "rejected_prediction_tokens": 0,
        },
    }


def completion_body(
    request: RecordedRequest,
    content: str | None,
    *,
    refusal: str | None = None,
    finish_reason: str = "stop",
    completion_tokens: int | None = None,
) -> dict[str, Any]:
    """A ``chat.completion`` object with every field api.openai.com sends."""
    return {
        "id": "chatcmpl-" + "".join(secrets.choice(_ID_ALPHABET) for _ in range(29)),
        "object": "chat.completion",
        "created": int(time.time()),
        "model": request.model,
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": content, "refusal": refusal, "annotations": []},
                "logprobs": None,
                "finish_reason": finish_reason,
            }
        ],
        "usage": _usage(request, content or refusal or "", completion_tokens),
        "service_tier": "default",
        "system_fingerprint": "fp_" + secrets.token_hex(5),
    }


def error_body(
    message: str, type_: str, *, param: str | None = None, code: str | None = None
) -> dict[str, Any]:
    """OpenAI's error envelope: all four keys, always present, null when unknown."""
    return {"error": {"message": message, "type": type_, "param": param, "code": code}}


def models_body(ids: tuple[str, ...] = ("gpt-4o-mini", "gpt-4o"), owned_by: str = "system") -> dict[str, Any]:
    """``GET /v1/models`` as api.openai.com answers it (``owned_by="me"``: as llama-cpp-python does)."""
    return {
        "object": "list",
        "data": [{"id": i, "object": "model", "created": 1721172741, "owned_by": owned_by} for i in ids],
    }


# llama-cpp-python 0.3.36's answer to response_format json_schema (HTTP 500), as it sends it.
LLAMA_CPP_PYTHON_REJECTION = (
    "1 validation error:\n  {'type': 'literal_error', 'loc': ('body', 'response_format', 'type'), "
    "'msg': \"Input should be 'text' or 'json_object'\", 'input': 'json_schema', "
    "'ctx': {'expected': \"'text' or 'json_object'\"}}\n\n  File \"llama_cpp/server/app.py\", line 376, "
    "in create_chat_completion\n    POST /v1/chat/completions"
)


def like_llama_cpp_python(*, times: int = 1) -> Turn:
    """llama-cpp-python's server: json_schema is a 500 validation error; json_object may carry a schema."""

    def respond(request: RecordedRequest) -> Reply:
        if request.response_format.get("type") == "json_schema":
            return Reply(500, error_body(LLAMA_CPP_PYTHON_REJECTION, "internal_server_error"))
        return Reply(200, completion_body(request, author_content(request)))

    return Turn("like_llama_cpp_python", respond, times=times)


def rate_limit_headers(*, remaining_requests: int = RATE_LIMIT_REQUESTS - 1) -> dict[str, str]:
    return {
        "x-ratelimit-limit-requests": str(RATE_LIMIT_REQUESTS),
        "x-ratelimit-limit-tokens": str(RATE_LIMIT_TOKENS),
        "x-ratelimit-remaining-requests": str(remaining_requests),
        "x-ratelimit-remaining-tokens": str(RATE_LIMIT_TOKENS - 1000),
        "x-ratelimit-reset-requests": "12ms",
        "x-ratelimit-reset-tokens": "15ms",
    }


# ---------------------------------------------------------------------------------------------
# The default author: our own deterministic text, written by briefer's extractive engine


def _fenced_text(request: RecordedRequest) -> tuple[str, str]:
    """(fence tag, text) of the last fenced block in the user messages; the whole last user message if none.

    Repair requests append the validation error as a later user message, so every user message
    is searched, newest first.
    """
    users = [_message_text(m) for m in request.messages if m.get("role") == "user"]
    for text in reversed(users):
        blocks = _FENCED.findall(text)
        if blocks:
            return blocks[-1]
    return "", users[-1] if users else ""


def _notes_as_prose(notes: str) -> str:
    """The facts in the reduce step's notes, as sentences the extractive engine can rank.

    Notes arrive as JSON (whole or one object per line) or as text; JSON is reduced to its
    ``facts`` and quotes, text is used as it is.
    """
    found: list[str] = []

    def collect(node: Any) -> None:
        if isinstance(node, dict):
            found.extend(str(fact) for fact in node.get("facts", []))
            found.extend(
                f'{q["speaker"]} said: "{q["text"]}"' for q in node.get("quotes", []) if isinstance(q, dict)
            )
            for value in node.values():
                if isinstance(value, list | dict):
                    collect(value)
        elif isinstance(node, list):
            for item in node:
                collect(item)

    try:
        collect(json.loads(notes))
    except ValueError:
        for line in notes.splitlines():
            with contextlib.suppress(ValueError):
                collect(json.loads(line))
    return "\n".join(found) if found else notes


def author_brief(text: str) -> Brief:
    """A Brief of ``text`` by briefer's offline extractive engine: deterministic, and plausibly news-like."""
    from briefer.engines.extractive import (
        ExtractiveEngine,  # lazy: conftest imports this module for every test
    )

    return ExtractiveEngine().run(Article(text=text)).brief


_EVIDENCE_LINE = re.compile(r"^\[(\d+)\] \(sentence \d+ of \d+\) (.+)$", re.MULTILINE)


def author_draft(evidence: str) -> Draft:
    """The hybrid engine's Draft from its numbered evidence: the lead for headline and summary,
    the first three sentences as takeaways, each citing its own number."""
    sentences = {int(n): line for n, line in _EVIDENCE_LINE.findall(evidence)}
    first = sentences[min(sentences)]
    return Draft(
        headline=" ".join(first.split()[:12]).rstrip(",;:"),
        summary=" ".join(sentences[n] for n in sorted(sentences)[:2]),
        key_takeaways=[DraftTakeaway(text=sentences[n], evidence=[n]) for n in sorted(sentences)[:3]],
        what_to_watch=[],
    )


def author_content(request: RecordedRequest) -> str:
    """The JSON a diligent model would answer with: a Brief, ChunkNotes for a map-step request, or
    a Draft for the hybrid engine's evidence."""
    users = [_message_text(m) for m in request.messages if m.get("role") == "user"]
    if request.schema_name == "Draft" or _EVIDENCE_LINE.search(users[-1] if users else ""):
        return author_draft(users[-1]).model_dump_json()
    tag, text = _fenced_text(request)
    if request.schema_name == "ChunkNotes" or tag == "article_part":
        brief = author_brief(text)
        notes = ChunkNotes(
            facts=brief.key_takeaways,
            entities=brief.entities,
            quotes=brief.quotes,
            sources=brief.sources,
            dateline=brief.dateline if any(brief.dateline.model_dump().values()) else None,
        )
        return notes.model_dump_json()
    return author_brief(_notes_as_prose(text) if tag == "notes" else text).model_dump_json()


# ---------------------------------------------------------------------------------------------
# Turns


def ok(content: str | None = None, *, times: int = 1) -> Turn:
    """A 200 answer with ``content`` (default: the author's Brief/ChunkNotes JSON for this request)."""

    def respond(request: RecordedRequest) -> Reply:
        body = completion_body(request, author_content(request) if content is None else content)
        return Reply(200, body, rate_limit_headers())

    return Turn("ok", respond, times=times)


def refusal(text: str = "I'm sorry, but I can't assist with that request.", *, times: int = 1) -> Turn:
    """A structured-outputs refusal: ``content`` null, ``refusal`` set, finish_reason ``stop``."""

    def respond(request: RecordedRequest) -> Reply:
        return Reply(200, completion_body(request, None, refusal=text), rate_limit_headers())

    return Turn("refusal", respond, times=times)


def length(*, times: int = 1, keep: float = 0.5) -> Turn:
    """finish_reason ``length``: the author's JSON cut off after ``keep`` of it, as when max_tokens runs out.

    As OpenAI reports it, the answer used all the tokens the request allowed.
    """

    def respond(request: RecordedRequest) -> Reply:
        full = author_content(request)
        bound = request.json.get("max_completion_tokens") or request.json.get("max_tokens")
        body = completion_body(
            request, full[: int(len(full) * keep)], finish_reason="length", completion_tokens=bound
        )
        return Reply(200, body, rate_limit_headers())

    return Turn("length", respond, times=times)


def context_full(window: int, *, times: int = 1) -> Turn:
    """A server with a small context (llama.cpp's default 2,048): the answer stops where the context ends.

    ``finish_reason: length`` long before the request's bound; prompt + answer tokens = ``window``.
    """

    def respond(request: RecordedRequest) -> Reply:
        prompt = _usage(request, "")["prompt_tokens"]
        room = max(1, window - prompt)
        full = author_content(request)
        body = completion_body(request, full[: room * 3], finish_reason="length", completion_tokens=room)
        return Reply(200, body, rate_limit_headers())

    return Turn("context_full", respond, times=times)


def reject_json_schema(*, times: int = 1) -> Turn:
    """A server without structured outputs: 400 on ``response_format`` json_schema, a normal answer otherwise.

    Servers such as vLLM and llama.cpp builds without grammar support, and older OpenAI models,
    answer json_schema requests with an ``invalid_request_error`` naming ``response_format``.
    """

    def respond(request: RecordedRequest) -> Reply:
        if request.response_format.get("type") != "json_schema":
            return Reply(200, completion_body(request, author_content(request)), rate_limit_headers())
        message = (
            "Invalid parameter: 'response_format' of type 'json_schema' is not supported with this model. "
            "Learn more about supported models at the Structured Outputs guide: "
            "https://platform.openai.com/docs/guides/structured-outputs"
        )
        return Reply(400, error_body(message, "invalid_request_error", param="response_format"))

    return Turn("reject_json_schema", respond, times=times)


def _status_error(
    status_code: int, code: str | None, model: str, retry_after: float | None
) -> dict[str, Any]:
    """The error body api.openai.com sends for ``status_code`` / ``code``."""
    wait = f"{retry_after:g}s" if retry_after is not None else "20s"
    known: dict[tuple[int, str | None], tuple[str, str]] = {
        (401, "invalid_api_key"): (
            "Incorrect API key provided. You can find your API key at https://platform.openai.com/account/api-keys.",
            "invalid_request_error",
        ),
        (404, "model_not_found"): (
            f"The model `{model}` does not exist or you do not have access to it.",
            "invalid_request_error",
        ),
        (429, "rate_limit_exceeded"): (
            f"Rate limit reached for {model} in organization org-test on requests per min (RPM): "
            f"Limit {RATE_LIMIT_REQUESTS}, Used {RATE_LIMIT_REQUESTS}, Requested 1. Please try again in {wait}. "
            "Visit https://platform.openai.com/account/rate-limits to learn more.",
            "requests",
        ),
        (429, "insufficient_quota"): (
            "You exceeded your current quota, please check your plan and billing details. For more information "
            "on this error, read the docs: https://platform.openai.com/docs/guides/error-codes/api-errors.",
            "insufficient_quota",
        ),
        (500, None): (
            "The server had an error while processing your request. Sorry about that!",
            "server_error",
        ),
        (503, None): ("The server is overloaded or not ready yet.", "server_error"),
    }
    message, type_ = known.get((status_code, code), (f"HTTP {status_code}", "invalid_request_error"))
    return error_body(message, type_, code=code)


_DEFAULT_CODES = {401: "invalid_api_key", 404: "model_not_found", 429: "rate_limit_exceeded"}


def status(
    status_code: int, *, code: str | None = None, retry_after: float | None = None, times: int = 1
) -> Turn:
    """An error answer as OpenAI sends it (401 invalid_api_key, 404 model_not_found, 429, 500, ...).

    ``code`` defaults to OpenAI's usual one for the status. ``retry_after`` (seconds, may be
    fractional) adds ``retry-after`` and ``retry-after-ms``, which the SDK honours before its
    own backoff: tests pass 0.001 to keep retries instant.
    """
    code = code or _DEFAULT_CODES.get(status_code)

    def respond(request: RecordedRequest) -> Reply:
        headers: dict[str, str] = {}
        if status_code == 429:
            headers = rate_limit_headers(remaining_requests=0 if code == "rate_limit_exceeded" else 4999)
        if retry_after is not None:
            headers |= {
                "retry-after": str(max(1, math.ceil(retry_after))),
                "retry-after-ms": f"{retry_after * 1000:g}",
            }
        return Reply(status_code, _status_error(status_code, code, request.model, retry_after), headers)

    return Turn(f"status {status_code} {code or ''}".strip(), respond, times=times)


def hostile(content: str, *, times: int = 1, transform: Callable[[bytes], bytes] | None = None) -> Turn:
    """A 200 answer whose ``content`` a hostile or broken server chose (megabytes, deep nesting,
    escape sequences); ``transform`` edits the encoded body (invalid UTF-8, say)."""

    def respond(request: RecordedRequest) -> Reply:
        bound = request.json.get("max_completion_tokens") or request.json.get("max_tokens")
        body = completion_body(request, content, completion_tokens=bound)  # counting megabytes takes seconds
        return Reply(200, transform(json.dumps(body).encode()) if transform else body, rate_limit_headers())

    return Turn("hostile", respond, times=times)


def slow(seconds: float, then: Turn | None = None, *, times: int = 1) -> Turn:
    """Answer like ``then`` (default: the author) only after ``seconds``, to exercise client timeouts."""
    inner = then or ok()
    return Turn(f"slow {seconds:g}s {inner.name}", inner.respond, delay_s=seconds, times=times)


# ---------------------------------------------------------------------------------------------
# The server


class _Handler(BaseHTTPRequestHandler):
    server: _HTTPServer
    protocol_version = "HTTP/1.1"  # keep-alive, as the SDK's connection pool expects
    timeout = 10  # an idle keep-alive connection's thread ends after this

    def do_POST(self) -> None:
        raw = self.rfile.read(int(self.headers.get("content-length") or 0))
        request = RecordedRequest("POST", self.path, {k.lower(): v for k, v in self.headers.items()}, raw)
        owner = self.server.owner
        owner.record(request)
        if (routed := owner.route(request)) is not None:
            self._send(routed)
            return
        if self.path.split("?")[0].rstrip("/") != "/v1/chat/completions":  # as api.openai.com: /v1 only
            self._send(Reply(404, error_body(f"Invalid URL (POST {self.path})", "invalid_request_error")))
            return
        try:
            body = request.json
        except ValueError:
            body = None
        if not isinstance(body, dict):
            message = "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly.)"
            self._send(Reply(400, error_body(message, "invalid_request_error")))
            return
        if body.get("stream"):
            message = "stream=true is not supported by briefer's test server"
            self._send(Reply(400, error_body(message, "invalid_request_error", param="stream")))
            return
        turn = owner.next_turn()
        started = time.perf_counter()
        delay_s = turn.delay_s() if callable(turn.delay_s) else turn.delay_s
        if delay_s and owner.stopping.wait(delay_s):
            return  # server shutting down: drop the request as a dying server would
        try:
            reply = turn.respond(request)
        except Exception as exc:  # a broken script or author: answer like a failing server, don't hang up
            reply = Reply(500, error_body(f"test server turn {turn.name!r} failed: {exc!r}", "server_error"))
        reply.headers.setdefault(
            "openai-processing-ms", str(max(1, round((time.perf_counter() - started) * 1000)))
        )
        self._send(reply)

    def do_GET(self) -> None:
        request = RecordedRequest("GET", self.path, {k.lower(): v for k, v in self.headers.items()}, b"")
        self.server.owner.record(request)
        if (routed := self.server.owner.route(request)) is not None:
            self._send(routed)
            return
        if self.path == "/v1/models":  # what api.openai.com lists: briefer reads ``owned_by``
            self._send(Reply(200, models_body(owned_by=self.server.owner.owned_by)))
            return
        self._send(Reply(404, error_body(f"Invalid URL (GET {self.path})", "invalid_request_error")))

    def _send(self, reply: Reply) -> None:
        payload = reply.body if isinstance(reply.body, bytes) else json.dumps(reply.body).encode()
        self.send_response(reply.status)
        headers = {
            "content-type": "application/json",
            "content-length": str(len(payload)),
            "x-request-id": "req_" + secrets.token_hex(16),
            "openai-version": "2020-10-01",
            **reply.headers,
        }
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, format: str, *args: Any) -> None:
        """Silence the per-request log lines; tests read ``OpenAIServer.requests`` instead."""


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False  # a slow turn's sleeping thread must not hold up shutdown

    def __init__(self, owner: OpenAIServer) -> None:
        self.owner = owner
        super().__init__(("127.0.0.1", owner.port), _Handler)

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that gave up (timeout, closed pool) is normal here, not worth a stack trace."""


class OpenAIServer:
    """The scripted server: ``OpenAIServer(status(429, retry_after=0.001), ok())``.

    Turns are played in order, one per chat-completions request (``times`` requests each);
    when the script runs out, ``default`` answers (the author, unless given).
    """

    def __init__(
        self, *turns: Turn, default: Turn | None = None, owned_by: str = "system", port: int = 0
    ) -> None:
        self.default = default or ok()
        self.port = port  # 0: any free port; a fixed one lets a restarted server come back where it was
        self.owned_by = owned_by  # GET /v1/models: how the server gives its kind away
        self.requests: list[RecordedRequest] = []
        self.stopping = threading.Event()
        self._script: list[Turn] = []
        self._lock = threading.Lock()
        self._httpd: _HTTPServer | None = None
        self._thread: threading.Thread | None = None
        self.script(*turns)

    @property
    def base_url(self) -> str:
        """The ``base_url`` to give the SDK (``http://127.0.0.1:PORT/v1``)."""
        if self._httpd is None:
            raise RuntimeError("OpenAIServer is not started")
        return f"http://127.0.0.1:{self._httpd.server_address[1]}/v1"

    @property
    def completions(self) -> list[RecordedRequest]:
        """The chat-completions requests received so far, in arrival order."""
        with self._lock:
            return [
                r for r in self.requests if r.path.split("?")[0].rstrip("/").endswith("/chat/completions")
            ]

    def script(self, *turns: Turn) -> None:
        """Queue more turns after those still pending."""
        with self._lock:
            self._script.extend(Turn(t.name, t.respond, t.delay_s, t.times) for t in turns)

    def route(self, request: RecordedRequest) -> Reply | None:
        """The reply to a request outside chat completions and models (None: not ours); see
        ``openai_batch_server`` for files and batches."""
        return None

    def record(self, request: RecordedRequest) -> None:
        with self._lock:
            self.requests.append(request)

    def next_turn(self) -> Turn:
        with self._lock:
            if not self._script:
                return self.default
            turn = self._script[0]
            turn.times -= 1
            if turn.times <= 0:
                self._script.pop(0)
            return turn

    def start(self) -> OpenAIServer:
        self._httpd = _HTTPServer(self)
        # A short poll interval: shutdown() waits for one poll, and tests start many servers.
        self._thread = threading.Thread(
            target=self._httpd.serve_forever,
            kwargs={"poll_interval": 0.02},
            name="openai-test-server",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        self.stopping.set()
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self) -> OpenAIServer:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.stop()
