"""The guard in front of every route: auth, body cap, in-flight cap, request ids, the access log
and the last-resort 500.

Why each guard exists:
- a bearer token, compared in constant time, because briefs spend LLM money and read the cache;
- a body cap checked on ``Content-Length`` and again while the body streams in, so a client cannot
  make the server buffer more than the cap; compressed bodies are refused (415), not unpacked, so
  no compression bomb can get past the cap;
- an in-flight cap answered with 429 at once (never queued), so a burst cannot pile up work
  nobody waits for;
- one JSON access-log line per request on stderr, with a request id the client may supply: no
  bodies, headers, tracebacks or secrets;
- a Content-Security-Policy on every answer: the desk shows untrusted article text and model
  output, so even a rendering slip must not run a script or reach another origin.
"""

import hmac
import json
import re
import sys
import time
import uuid
from datetime import UTC, datetime
from typing import Any

from fastapi.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from briefer.loading.decode import MAX_INPUT_BYTES
from briefer.service.errors import ServiceError, error_response

DEFAULT_MAX_BODY_BYTES = MAX_INPUT_BYTES
DEFAULT_MAX_IN_FLIGHT = 32
RETRY_AFTER_S = 1
# Open without a token: liveness, and the static pages, which ask for the token in the browser.
_OPEN_PATHS = frozenset({"/healthz", "/", "/docs"})
_OPEN_PREFIX = "/static/"
# POSTs here hold an in-flight slot: briefing, and re-checking a brief (grounding a long article is CPU).
_BRIEFING_PATHS = frozenset({"/v1/briefs", "/v1/briefs/stream", "/v1/briefs/events", "/v1/verify"})
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)
SECURITY_HEADERS = [
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
]
_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")


def _is_open(path: str) -> bool:
    return path in _OPEN_PATHS or path.startswith(_OPEN_PREFIX)


def log(**fields: Any) -> None:
    """One JSON line on stderr: the service's only log output."""
    line = json.dumps({"ts": datetime.now(UTC).isoformat(timespec="milliseconds"), **fields})
    sys.stderr.write(line + "\n")
    sys.stderr.flush()


class Guard:
    """Pure ASGI middleware (cheaper than ``BaseHTTPMiddleware`` and safe for streaming responses).

    Briefing POSTs beyond ``max_in_flight`` get 429 at once: a queue would hold work its clients
    may have given up on.
    """

    def __init__(self, app: ASGIApp, *, token: str | None, max_body_bytes: int, max_in_flight: int) -> None:
        self.app = app
        self.token = token.encode() if token else None
        self.max_body_bytes = max_body_bytes
        self.max_in_flight = max_in_flight
        self.in_flight = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}
        supplied = headers.get("x-request-id", "")
        request_id = supplied if _REQUEST_ID.fullmatch(supplied) else uuid.uuid4().hex
        seen: dict[str, Any] = {"status": None, "cache": None}

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                seen["status"] = message["status"]
                out = message.setdefault("headers", [])
                seen["cache"] = next((v.decode() for k, v in out if k.lower() == b"x-briefer-cache"), None)
                message["headers"] = [*out, *SECURITY_HEADERS, (b"x-request-id", request_id.encode())]
            await send(message)

        briefing = scope["method"] == "POST" and scope["path"] in _BRIEFING_PATHS
        try:
            refusal = self._refusal(scope["path"], headers, briefing)
            if refusal is not None:
                await refusal(scope, receive, send_with_id)
            else:
                await self._admitted(scope, receive, send_with_id, briefing)
        except Exception as exc:
            log(event="error", request_id=request_id, exception=type(exc).__name__)
            if seen["status"] is None:
                message = f"internal error; quote request id {request_id}"
                await error_response(500, "internal_error", message)(scope, receive, send_with_id)
        finally:
            log(
                event="request",
                request_id=request_id,
                method=scope["method"],
                path=scope["path"],
                status=seen["status"],
                duration_ms=round((time.perf_counter() - started) * 1000, 2),
                cache=seen["cache"],
            )

    async def _admitted(self, scope: Scope, receive: Receive, send: Send, briefing: bool) -> None:
        """Run the app; a briefing request holds its slot until its response has ended, streamed or not."""
        self.in_flight += briefing
        try:
            await self.app(scope, self._capped(receive), send)
        finally:
            self.in_flight -= briefing

    def _refusal(self, path: str, headers: dict[str, str], briefing: bool) -> JSONResponse | None:
        """The answer to a request refused before any of its body is read, if it is refused."""
        if self.token is not None and not _is_open(path) and not self._authorised(headers):
            return error_response(
                401, "unauthorized", "missing or wrong bearer token", {"WWW-Authenticate": "Bearer"}
            )
        if headers.get("content-encoding", "identity").strip().lower() != "identity":
            message = "send the body uncompressed (Content-Encoding is not accepted)"
            return error_response(415, "unsupported_media_type", message, {"Accept-Encoding": "identity"})
        length = headers.get("content-length", "")
        if length.isdigit() and int(length) > self.max_body_bytes:
            return error_response(413, "payload_too_large", self._too_large())
        if briefing and self.in_flight >= self.max_in_flight:
            message = f"{self.max_in_flight} briefing requests are already in progress; retry shortly"
            return error_response(429, "too_many_requests", message, {"Retry-After": str(RETRY_AFTER_S)})
        return None

    def _authorised(self, headers: dict[str, str]) -> bool:
        scheme, _, supplied = headers.get("authorization", "").partition(" ")
        assert self.token is not None
        return scheme.lower() == "bearer" and hmac.compare_digest(supplied.strip().encode(), self.token)

    def _too_large(self) -> str:
        return f"request body is larger than {self.max_body_bytes:,} bytes"

    def _capped(self, receive: Receive) -> Receive:
        """Count body bytes as they arrive (chunked uploads have no Content-Length to check)."""
        received = 0

        async def capped() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_body_bytes:
                    raise ServiceError(413, "payload_too_large", self._too_large())
            return message

        return capped
