"""OpenAI's files and batches endpoints through the SDK, their failures as briefer's errors.

The request lines carry exactly the body the live path sends (``OpenAITransport.body``), and
each line of a batch's output or error file is read back the way a live answer is: a
``ChatAnswer``, what the steps answer by asking differently (``ModeRejected``,
``ContextOverflow``), or one ``EngineError`` line (the transport's own ``translate``).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any, Protocol

from briefer.batch.state import FINAL_STATUSES, Submitted, load_state
from briefer.config import Settings
from briefer.engines import BatchEngine, BatchTransport, Engine, make_engine
from briefer.engines.llm.exchange import ChatAnswer, ChatRequest, Rejected
from briefer.errors import ConfigError, EngineError
from briefer.text.lines import clip_line

ENDPOINT = "/v1/chat/completions"
REQUESTS_PER_FILE = 50_000  # OpenAI's limits on one batch input file
BYTES_PER_FILE = 200 * 1024 * 1024
Outcome = ChatAnswer | Rejected | EngineError


class Line(Protocol):
    line: bytes  # the request as one JSONL line
    tokens: int  # its prompt tokens


def request_line(custom_id: str, body: dict[str, Any]) -> bytes:
    """One JSONL line of the input file; ``extra_body`` (a server's own fields) goes into the body."""
    body = {k: v for k, v in body.items() if k != "extra_body"} | body.get("extra_body", {})
    line = {"custom_id": custom_id, "method": "POST", "url": ENDPOINT, "body": body}
    return (json.dumps(line, ensure_ascii=False, separators=(",", ":")) + "\n").encode()


class BatchClient:
    """Upload, create, follow, cancel and read batches for one transport's server and key."""

    def __init__(self, transport: BatchTransport) -> None:
        self.transport = transport

    def _call(self, call: Any, *args: Any, **kwargs: Any) -> Any:
        import openai

        try:
            return call(*args, **kwargs)
        except openai.OpenAIError as exc:
            raise self.transport.translate(exc) from exc

    def upload(self, data: bytes, name: str) -> str:
        """The file id of ``data`` uploaded for a batch."""
        files = self.transport.client.files
        return self._call(files.create, file=(name, data, "application/jsonl"), purpose="batch").id

    def create(self, input_file_id: str, window: str, metadata: dict[str, str]) -> Any:
        batches = self.transport.client.batches
        return self._call(
            batches.create,
            input_file_id=input_file_id,
            endpoint=ENDPOINT,
            completion_window=window,
            metadata=metadata,
        )

    def made_from(self, input_file_id: str) -> Any | None:
        """The batch already created from ``input_file_id`` (a run stopped before saving its id), if any."""
        page = self._call(self.transport.client.batches.list, limit=100)
        return next((b for b in page.data if b.input_file_id == input_file_id), None)

    def retrieve(self, batch_id: str) -> Any:
        return self._call(self.transport.client.batches.retrieve, batch_id)

    def cancel(self, batch_id: str) -> Any:
        return self._call(self.transport.client.batches.cancel, batch_id)

    def lines(self, file_id: str | None) -> list[dict[str, Any]]:
        """The JSON lines of an output or error file (none when the batch has no such file)."""
        if not file_id:
            return []
        text = self._call(self.transport.client.files.content, file_id).text
        return [json.loads(line) for line in text.splitlines() if line.strip()]

    def outcome(self, line: dict[str, Any], request: ChatRequest) -> Outcome:
        """What one output or error line means for the request it answers."""
        from openai.types.chat import ChatCompletion

        response = line.get("response") or {}
        error = line.get("error")
        if error and not response:
            code, message = error.get("code") or "error", clip_line(error.get("message") or "no message")
            return EngineError(
                f"the Batch API did not answer ({code}: {message}); run again with --retry-failed",
                retryable=True,
            )
        status, body = response.get("status_code"), response.get("body")
        if status == 200:
            try:
                return self.transport.answer(ChatCompletion.model_validate(body))
            except (EngineError, ValueError) as exc:  # no choices, or not a chat completion at all
                return EngineError(f"an unreadable answer in the batch's output: {clip_line(str(exc))}")
        return self._status_error(int(status or 500), body, request)

    def _status_error(self, status: int, body: Any, request: ChatRequest) -> Rejected | EngineError:
        """A request the server refused inside the batch, mapped as the same refusal live would be."""
        import httpx2

        url = f"{self.transport.server.rstrip('/')}/chat/completions"
        response = httpx2.Response(status, json=body, request=httpx2.Request("POST", url))
        message = ((body or {}).get("error") or {}).get("message") if isinstance(body, dict) else None
        sdk_error = self.transport.client._make_status_error(
            message or f"Error code: {status}", body=body, response=response
        )
        translated = self.transport.translate(sdk_error, request)
        return translated if isinstance(translated, Rejected | EngineError) else EngineError(str(translated))


def within_limits(works: list[Line], tokens: int) -> Iterator[list[Line]]:
    """Requests in files within OpenAI's per-file limits and the model's enqueued-token limit."""
    group: list[Line] = []
    size = queued = 0
    for work in works:
        if group and (
            len(group) >= REQUESTS_PER_FILE
            or size + len(work.line) > BYTES_PER_FILE
            or queued + work.tokens > tokens
        ):
            yield group
            group, size, queued = [], 0, 0
        group.append(work)
        size += len(work.line)
        queued += work.tokens
    if group:
        yield group


def batch_failure(batch: Any) -> EngineError:
    """Why a whole batch ended without answers: its own errors (failed), or its status."""
    status = getattr(batch, "status", "failed")
    errors = getattr(getattr(batch, "errors", None), "data", None) or []
    if status == "failed":
        detail = "; ".join(
            clip_line(f"{e.code}: {e.message}" + (f" (line {e.line})" if e.line else "")) for e in errors[:3]
        )
        return EngineError(
            f"OpenAI refused batch {batch.id} ({detail or 'no reason given'})", retryable=False
        )
    why = {
        "expired": "expired before the model answered (completion window over)",
        "cancelled": "was cancelled before the model answered",
    }.get(status, f"ended {status} without an answer")
    return EngineError(f"batch {batch.id} {why}; run again with --retry-failed", retryable=True)


def batch_engine(engine: Engine) -> BatchEngine:
    """``engine`` as a batch-capable one; ConfigError when it cannot batch."""
    if not engine.capabilities.batch_api or not isinstance(engine, BatchEngine):
        raise ConfigError(
            "OpenAI's Batch API needs the openai engine (OPENAI_API_KEY, or --base-url of a server with "
            "OpenAI's files and batches endpoints); this engine runs with --via live"
        )
    return engine


def batch_transport_of(engine: Engine) -> BatchTransport:
    """The files-and-batches transport of a batch-capable ``engine`` (ConfigError otherwise)."""
    transport = batch_engine(engine).batch_transport
    assert transport is not None, "capabilities.batch_api promises a batch transport"
    return transport


def batch_status(directory: Any, settings: Settings) -> list[Submitted]:
    """The batches of the run in ``directory``, those still open as the Batch API says now."""
    state = load_state(directory)
    client = BatchClient(batch_transport_of(make_engine(settings)))
    for submitted in state.open():
        if submitted.batch_id:
            submitted.update(client.retrieve(submitted.batch_id))
    return state.submitted


def cancel_batches(directory: Any, settings: Settings) -> list[Submitted]:
    """Ask the Batch API to cancel every open batch of the run in ``directory``; the next run
    collects what they finished and lists the rest as failed (``--retry-failed`` asks again)."""
    state = load_state(directory)
    client = BatchClient(batch_transport_of(make_engine(settings)))
    cancelled = []
    for submitted in state.open():
        if submitted.batch_id and submitted.status not in FINAL_STATUSES:
            submitted.status = client.cancel(submitted.batch_id).status
            cancelled.append(submitted)
    return cancelled
