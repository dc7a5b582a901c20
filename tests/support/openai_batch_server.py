"""OpenAI's files and Batch API on the local test server: upload, create, follow, cancel, download.

Why: no machine here reaches api.openai.com, yet ``briefer batch --via batch-api`` must be tested
through the real SDK and HTTP stack, and its cassettes recorded from something that speaks the
Batch API's wire format (objects as in OpenAI's spec and its examples: unset fields ``null``).

``BatchServer`` adds to ``OpenAIServer``: ``POST /v1/files`` (multipart, purpose ``batch``),
``GET /v1/files/{id}/content``, ``POST /v1/batches``, ``GET /v1/batches/{id}`` and
``POST /v1/batches/{id}/cancel``. Each look at a batch moves it one status on: ``validating``
→ ``in_progress`` → ``finalizing`` → ``completed``. Its lines are answered, when it finalizes,
by the same script of turns as live chat completions (the default author writes the briefs):
a 200 goes to the output file, any other status to the error file, as OpenAI does. Each batch
can instead be scripted to end ``failed`` (the enqueued-token limit, with OpenAI's message),
``expired`` (the first ``answered`` lines done, the rest ``batch_expired``) or be cancelled.
Above ``token_limit`` enqueued prompt tokens, a new batch fails as OpenAI's does.
"""

from __future__ import annotations

import email.parser
import email.policy
import json
import secrets
import time
from dataclasses import dataclass, field
from typing import Any

from support.openai_server import OpenAIServer, RecordedRequest, Reply, Turn, _usage, error_body

NEXT = {
    "validating": "in_progress",
    "in_progress": "finalizing",
    "finalizing": "completed",
    "cancelling": "cancelled",
}
ENDED = {"completed", "failed", "expired", "cancelled"}
EXPIRED = "This request could not be executed before the completion window expired."
CANCELLED = "This request was not executed because the batch was cancelled."


def _id(prefix: str) -> str:
    return prefix + secrets.token_hex(12)


@dataclass
class Ending:
    """How one batch ends: ``completed``, ``failed`` (at validation), ``expired`` after ``answered`` lines."""

    status: str = "completed"
    answered: int = 0
    looks: int = 1  # looks (GET) a batch stays in each status: a large number keeps it running


@dataclass
class _Batch:
    body: dict[str, Any]
    lines: list[dict[str, Any]]
    tokens: int
    ending: Ending
    id: str = field(default_factory=lambda: _id("batch_"))
    status: str = "validating"
    created_at: int = field(default_factory=lambda: int(time.time()))
    times: dict[str, int] = field(default_factory=dict)
    output_file_id: str | None = None
    error_file_id: str | None = None
    errors: dict[str, Any] | None = None
    completed: int = 0
    failed: int = 0
    looked: int = 0

    def as_json(self) -> dict[str, Any]:
        """The batch object with every field api.openai.com sends, unset ones null."""
        stamp = {
            f"{name}_at": self.times.get(name)
            for name in (
                "in_progress",
                "finalizing",
                "completed",
                "failed",
                "expired",
                "cancelling",
                "cancelled",
            )
        }
        return {
            "id": self.id,
            "object": "batch",
            "endpoint": self.body["endpoint"],
            "model": self.lines[0]["body"].get("model") if self.lines else None,
            "errors": self.errors,
            "input_file_id": self.body["input_file_id"],
            "completion_window": self.body["completion_window"],
            "status": self.status,
            "output_file_id": self.output_file_id,
            "error_file_id": self.error_file_id,
            "created_at": self.created_at,
            "expires_at": self.created_at + 86400,
            **stamp,
            "request_counts": {"total": len(self.lines), "completed": self.completed, "failed": self.failed},
            "usage": None,
            "metadata": self.body.get("metadata"),
        }


class BatchServer(OpenAIServer):
    """``BatchServer(endings=[Ending("expired", answered=1)], token_limit=...)``; turns as ``OpenAIServer``'s."""

    def __init__(
        self,
        *turns: Turn,
        default: Turn | None = None,
        endings: list[Ending] | None = None,
        token_limit: int = 0,
        port: int = 0,
    ) -> None:
        super().__init__(*turns, default=default, port=port)
        self.endings = list(endings or [])
        self.token_limit = token_limit
        self.files: dict[str, tuple[dict[str, Any], bytes]] = {}
        self.batches: dict[str, _Batch] = {}

    def route(self, request: RecordedRequest) -> Reply | None:
        parts = request.path.split("?")[0].strip("/").split("/")
        if parts[:2] == ["v1", "files"]:
            if request.method == "POST" and len(parts) == 2:
                return self._upload(request)
            if (
                request.method == "GET"
                and len(parts) == 4
                and parts[3] == "content"
                and parts[2] in self.files
            ):
                return Reply(200, self.files[parts[2]][1], {"content-type": "application/octet-stream"})
            return Reply(
                404, error_body(f"No such File object: {parts[2:3]}", "invalid_request_error", param="id")
            )
        if parts[:2] != ["v1", "batches"]:
            return None
        if request.method == "POST" and len(parts) == 2:
            return self._create(request.json)
        if request.method == "GET" and len(parts) == 2:  # newest first, one page, as OpenAI lists them
            data = [b.as_json() for b in reversed(self.batches.values())]
            ids = [b["id"] for b in data]
            return Reply(
                200,
                {
                    "object": "list",
                    "data": data,
                    "first_id": ids[0] if ids else None,
                    "last_id": ids[-1] if ids else None,
                    "has_more": False,
                },
            )
        batch = self.batches.get(parts[2]) if len(parts) > 2 else None
        if batch is None:
            return Reply(404, error_body(f"No batch found with id '{parts[2:3]}'.", "invalid_request_error"))
        if request.method == "POST" and parts[3:] == ["cancel"]:
            if batch.status not in ENDED:
                batch.status = "cancelling"
                batch.times["cancelling"] = int(time.time())
            return Reply(200, batch.as_json())
        self._move_on(batch)
        return Reply(200, batch.as_json())

    # -- files -------------------------------------------------------------------------------------

    def _upload(self, request: RecordedRequest) -> Reply:
        head = f"Content-Type: {request.headers.get('content-type', '')}\r\n\r\n".encode()
        message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(head + request.raw)
        fields = {part.get_param("name", header="content-disposition"): part for part in message.iter_parts()}
        if "file" not in fields or fields.get("purpose") is None:
            return Reply(400, error_body("Missing file or purpose.", "invalid_request_error"))
        data = fields["file"].get_payload(decode=True)
        purpose = fields["purpose"].get_payload(decode=True).decode()
        return Reply(200, self._store(data, fields["file"].get_filename() or "upload", purpose))

    def _store(self, data: bytes, filename: str, purpose: str) -> dict[str, Any]:
        """Keep a file, and answer with OpenAI's file object for it."""
        file = {
            "id": _id("file-"),
            "object": "file",
            "bytes": len(data),
            "created_at": int(time.time()),
            "expires_at": None,
            "filename": filename,
            "purpose": purpose,
            "status": "processed",
            "status_details": None,
        }
        self.files[file["id"]] = (file, data)
        return file

    def _file(self, purpose: str, lines: list[dict[str, Any]]) -> str | None:
        if not lines:
            return None
        data = "".join(json.dumps(line) + "\n" for line in lines).encode()
        return str(self._store(data, f"{purpose}.jsonl", purpose)["id"])

    # -- batches -----------------------------------------------------------------------------------

    def _create(self, body: dict[str, Any]) -> Reply:
        upload = self.files.get(body.get("input_file_id", ""))
        if upload is None or upload[0]["purpose"] != "batch":
            return Reply(
                400,
                error_body(
                    "Invalid 'input_file_id': no batch file with this id.",
                    "invalid_request_error",
                    param="input_file_id",
                ),
            )
        if body.get("completion_window") != "24h":
            message = f"Invalid value: '{body.get('completion_window')}'. Supported values are: '24h'."
            return Reply(
                400,
                error_body(message, "invalid_request_error", param="completion_window", code="invalid_value"),
            )
        lines = [json.loads(line) for line in upload[1].decode().splitlines() if line.strip()]
        tokens = sum(
            _usage(RecordedRequest("POST", "", {}, json.dumps(line["body"]).encode()), "")["prompt_tokens"]
            for line in lines
        )
        ending = self.endings.pop(0) if self.endings else Ending()
        batch = _Batch(body, lines, tokens, ending)
        queued = sum(b.tokens for b in self.batches.values() if b.status not in ENDED)
        if self.token_limit and queued + tokens > self.token_limit:
            batch.ending = Ending("failed")
        self.batches[batch.id] = batch
        return Reply(200, batch.as_json())

    def _move_on(self, batch: _Batch) -> None:
        """One status further per look, as a real batch moves on between two polls."""
        now = int(time.time())
        batch.looked += 1
        if batch.status in ENDED or (batch.looked % batch.ending.looks and batch.status != "cancelling"):
            return
        if batch.status == "validating" and batch.ending.status == "failed":
            batch.status, batch.times["failed"] = "failed", now
            model = batch.as_json()["model"]
            batch.errors = {
                "object": "list",
                "data": [
                    {
                        "code": "token_limit_exceeded",
                        "message": f"Enqueued token limit reached for {model} in organization org-test. "
                        f"Limit: {self.token_limit:,} enqueued tokens. Please try again once some "
                        "in_progress batches have been completed.",
                        "param": None,
                        "line": None,
                    }
                ],
            }
            return
        if batch.status == "in_progress" and batch.ending.status == "expired":
            self._answer(
                batch,
                batch.lines[: batch.ending.answered],
                batch.lines[batch.ending.answered :],
                "batch_expired",
                EXPIRED,
            )
            batch.status, batch.times["expired"] = "expired", now
            return
        if batch.status == "cancelling":
            self._answer(batch, [], batch.lines, "batch_cancelled", CANCELLED)
        if batch.status == "in_progress":
            self._answer(batch, batch.lines, [], "", "")
        batch.status = NEXT[batch.status]
        batch.times[batch.status] = now

    def _answer(
        self, batch: _Batch, run: list[dict[str, Any]], left: list[dict[str, Any]], code: str, message: str
    ) -> None:
        """Each line in ``run`` through the chat script (200 → output file, else error file); ``left`` unanswered."""
        outputs, errors = [], []
        for line in run:
            request = RecordedRequest("POST", line["url"], {}, json.dumps(line["body"]).encode())
            turn = self.next_turn()
            try:
                reply = turn.respond(request)
            except Exception as exc:  # a broken script or author: a failed request, as live
                reply = Reply(
                    500, error_body(f"test server turn {turn.name!r} failed: {exc!r}", "server_error")
                )
            result = {
                "id": _id("batch_req_"),
                "custom_id": line["custom_id"],
                "response": {
                    "status_code": reply.status,
                    "request_id": secrets.token_hex(16),
                    "body": reply.body,
                },
                "error": None,
            }
            (outputs if reply.status == 200 else errors).append(result)
        errors += [
            {
                "id": _id("batch_req_"),
                "custom_id": line["custom_id"],
                "response": None,
                "error": {"code": code, "message": message},
            }
            for line in left
        ]
        batch.completed, batch.failed = len(outputs), len(errors)
        batch.output_file_id = self._file("batch_output", outputs)
        batch.error_file_id = self._file("batch_output", errors)
