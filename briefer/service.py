"""The HTTP service: the library's ``asummarise_article`` and cache behind FastAPI, with the limits a
network service needs. ``briefer serve`` runs it with uvicorn; ``create_app`` builds it for tests
and embedding.

Why each guard exists:
- a bearer token (``BRIEFER_SERVICE_TOKEN``), because briefs spend LLM money and read the cache;
- a body cap checked on ``Content-Length`` and again while the body streams in, so a client cannot
  make the server buffer more than the cap;
- an in-flight cap answered with 429 at once (never queued), so a burst cannot pile up work
  nobody waits for, and a per-request timeout (504);
- no URL fetching unless asked for, and then only to public addresses (``briefer.loading.fetch``),
  so the server cannot be used to reach the network it sits in (SSRF);
- every error is ``{"error": {"type", "message"}}`` and one JSON access-log line per request on
  stderr: no bodies, headers, tracebacks or secrets, in responses or logs.
"""

import asyncio
import functools
import hmac
import ipaddress
import json
import os
import re
import sys
import threading
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine, Iterable
from datetime import UTC, datetime
from pathlib import Path as FilePath
from typing import Annotated, Any, Literal, TypeVar

from fastapi import Depends, FastAPI, Path, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, StreamingResponse
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from briefer.__about__ import __version__
from briefer.cache import BriefCache, default_cache_path
from briefer.config import EngineChoice, Settings
from briefer.engines import Engine, make_engine
from briefer.errors import BrieferError, ConfigError, EngineError
from briefer.loading.articles import MAX_INPUT_BYTES, article_from, article_from_page
from briefer.loading.fetch import afetch_page
from briefer.models import Article, BriefResult
from briefer.pipeline import abrief_cached

TOKEN_ENV = "BRIEFER_SERVICE_TOKEN"
CONFIG_ENV = "BRIEFER_SERVE_CONFIG"  # how `briefer serve` hands its options to uvicorn's workers
DEFAULT_MAX_BODY_BYTES = MAX_INPUT_BYTES
DEFAULT_MAX_IN_FLIGHT = 32
DEFAULT_REQUEST_TIMEOUT_S = 300.0
STREAM_CONCURRENCY = 4  # lines of one NDJSON request briefed at once
NDJSON = "application/x-ndjson"
RETRY_AFTER_S = 1
_OPEN_PATHS = frozenset({"/healthz"})
_BRIEFING_PATHS = frozenset({"/v1/briefs", "/v1/briefs/stream"})  # POSTs here hold an in-flight slot
_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")
_STATUS_TYPES = {
    400: "bad_request",
    401: "unauthorized",
    404: "not_found",
    405: "method_not_allowed",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "validation_error",
    429: "too_many_requests",
    500: "internal_error",
    502: "engine_error",
    504: "timeout",
}
T = TypeVar("T")


# -- wire models ------------------------------------------------------------------------------


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class BriefOptions(_Strict):
    """Per-request settings a client may choose: none of them reach the filesystem or other servers."""

    model_config = ConfigDict(extra="forbid", frozen=True)  # hashable: engines are cached per options

    engine: Literal["openai", "extractive"] | None = None
    model: str | None = Field(default=None, max_length=100, pattern=r"^[A-Za-z0-9][A-Za-z0-9._:/@+-]*$")
    prompt: str | None = Field(
        default=None, max_length=64, pattern=r"^[a-z0-9_-]+(@[0-9]+)?$", description="NAME or NAME@VERSION."
    )
    max_chunk_tokens: int | None = Field(default=None, gt=200, le=1_000_000)


class ArticleIn(_Strict):
    """One article: exactly one of ``text``, ``html`` or ``url`` (the last only with --allow-url-fetch)."""

    text: str | None = Field(default=None, description="The article as plain text.")
    html: str | None = Field(default=None, description="A web page; its main text is extracted.")
    url: str | None = Field(
        default=None,
        max_length=2048,
        description="An http(s) page to fetch (servers started with --allow-url-fetch).",
    )
    title: str | None = Field(default=None, max_length=1000)
    id: str | None = Field(default=None, max_length=256, description="Echoed back on the result.")

    @model_validator(mode="after")
    def _one_source(self) -> "ArticleIn":
        given = [name for name in ("text", "html", "url") if getattr(self, name) is not None]
        if len(given) != 1:
            raise ValueError(f"give exactly one of text, html or url (got {', '.join(given) or 'none'})")
        return self


class BriefRequest(ArticleIn):
    options: BriefOptions | None = None


class ErrorDetail(BaseModel):
    type: str
    message: str


class ErrorBody(BaseModel):
    error: ErrorDetail


class Health(BaseModel):
    status: Literal["ok"] = "ok"
    engine: str
    model: str
    version: str


class ServeConfig(BaseModel):
    """What ``briefer serve`` passes to each uvicorn worker (through the environment: no secrets here)."""

    engine: EngineChoice = "auto"
    model: str | None = None
    base_url: str | None = None
    prompt: str | None = None
    cache_path: FilePath | None = None
    allow_url_fetch: bool = False
    max_body_bytes: int = Field(default=DEFAULT_MAX_BODY_BYTES, gt=0)
    max_in_flight: int = Field(default=DEFAULT_MAX_IN_FLIGHT, gt=0)
    request_timeout_s: float = Field(default=DEFAULT_REQUEST_TIMEOUT_S, gt=0)

    def settings(self) -> Settings:
        return Settings.from_env(
            engine=self.engine, model=self.model, base_url=self.base_url, prompt=self.prompt
        )


# -- errors -----------------------------------------------------------------------------------


class ServiceError(HTTPException):
    """An HTTP error with its JSON ``type``; an ``HTTPException`` so FastAPI passes it through body parsing."""

    def __init__(self, status: int, type: str, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(status, message, headers)
        self.type = type


def _error_response(
    status: int, type: str, message: str, headers: dict[str, str] | None = None
) -> JSONResponse:
    return JSONResponse({"error": {"type": type, "message": message}}, status, headers)


def _briefer_status(exc: BrieferError) -> tuple[int, str]:
    """InputError and ConfigError are the client's to fix (422); EngineError is the LLM's (502)."""
    if isinstance(exc, EngineError):
        return 502, "engine_error"
    return 422, "config_error" if isinstance(exc, ConfigError) else "input_error"


def _validation_message(errors: Iterable[Any]) -> str:
    """``where: what`` for the first few errors; never the offending input (it may be an article)."""
    parts = []
    for error in list(errors)[:3]:
        where = ".".join(str(p) for p in error.get("loc", ()) if p != "body") or "body"
        parts.append(f"{where}: {error.get('msg', 'invalid')}")
    return "; ".join(parts)


def _is_bad_json(errors: Iterable[Any]) -> bool:
    return any(error.get("type") == "json_invalid" for error in errors)


async def _on_http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, HTTPException)
    type = getattr(exc, "type", None) or _STATUS_TYPES.get(exc.status_code, "http_error")
    return _error_response(exc.status_code, type, str(exc.detail), exc.headers)


async def _on_validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = exc.errors()
    if _is_bad_json(errors):
        return _error_response(400, "bad_json", "the request body is not valid JSON")
    return _error_response(422, "validation_error", _validation_message(errors))


async def _on_briefer_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, BrieferError)
    return _error_response(*_briefer_status(exc), str(exc))


# -- logging ----------------------------------------------------------------------------------


def _log(**fields: Any) -> None:
    """One JSON line on stderr: the service's only log output."""
    line = json.dumps({"ts": datetime.now(UTC).isoformat(timespec="milliseconds"), **fields})
    sys.stderr.write(line + "\n")
    sys.stderr.flush()


# -- the guard: auth, body cap, in-flight cap, request ids, access log, last-resort 500 --------


class _Guard:
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
                message["headers"] = [*out, (b"x-request-id", request_id.encode())]
            await send(message)

        briefing = scope["method"] == "POST" and scope["path"] in _BRIEFING_PATHS
        try:
            refusal = self._refusal(scope["path"], headers, briefing)
            if refusal is not None:
                await refusal(scope, receive, send_with_id)
            else:
                await self._admitted(scope, receive, send_with_id, briefing)
        except Exception as exc:
            _log(event="error", request_id=request_id, exception=type(exc).__name__)
            if seen["status"] is None:
                message = f"internal error; quote request id {request_id}"
                await _error_response(500, "internal_error", message)(scope, receive, send_with_id)
        finally:
            _log(
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
        if self.token is not None and path not in _OPEN_PATHS and not self._authorised(headers):
            return _error_response(
                401, "unauthorized", "missing or wrong bearer token", {"WWW-Authenticate": "Bearer"}
            )
        length = headers.get("content-length", "")
        if length.isdigit() and int(length) > self.max_body_bytes:
            return _error_response(413, "payload_too_large", self._too_large())
        if briefing and self.in_flight >= self.max_in_flight:
            message = f"{self.max_in_flight} briefing requests are already in progress; retry shortly"
            return _error_response(429, "too_many_requests", message, {"Retry-After": str(RETRY_AFTER_S)})
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


# -- the service --------------------------------------------------------------------------------


class _Service:
    """What the routes share: settings, engines, the cache (one SQLite connection per thread), limits."""

    def __init__(
        self,
        settings: Settings,
        engine: Engine,
        cache_path: FilePath,
        allow_url_fetch: bool,
        request_timeout_s: float,
    ) -> None:
        self.settings = settings
        self.engine = engine
        self.cache_path = cache_path
        self.allow_url_fetch = allow_url_fetch
        self.timeout_s = request_timeout_s
        self._local = threading.local()
        self.engine_for = functools.lru_cache(maxsize=32)(self._make_engine)

    @property
    def cache(self) -> BriefCache:
        if getattr(self._local, "cache", None) is None:
            self._local.cache = BriefCache(self.cache_path)
        return self._local.cache

    def _make_engine(self, options: BriefOptions | None) -> tuple[Settings, Engine]:
        if options is None or not options.model_fields_set:
            return self.settings, self.engine
        settings = self.settings.model_copy(update=options.model_dump(exclude_none=True))
        return settings, make_engine(settings)

    async def load(self, item: ArticleIn) -> Article:
        where = item.id or "article"
        if item.url is not None:
            if not self.allow_url_fetch:
                raise ServiceError(
                    422,
                    "url_fetch_disabled",
                    "this server does not fetch URLs (start it with --allow-url-fetch); send text or html",
                )
            page = await afetch_page(
                item.url, allow_private=False
            )  # a client's URL must not reach our network
            return await asyncio.to_thread(article_from_page, page, title=item.title)
        if item.html is not None:
            return await asyncio.to_thread(article_from, item.html, where, html=True, title=item.title)
        return article_from(item.text or "", where, html=False, title=item.title)

    async def brief(self, item: ArticleIn, options: BriefOptions | None) -> tuple[BriefResult, bool]:
        """The brief of one article, from the cache when it has it; ``True`` means it did."""
        _, engine = self.engine_for(options)
        article = await self.load(item)
        result, hit = await abrief_cached(article, engine, self.cache)
        return result.model_copy(update={"id": item.id}), hit

    async def within_timeout(self, work: Coroutine[Any, Any, T]) -> T:
        try:
            return await asyncio.wait_for(work, self.timeout_s)
        except TimeoutError:
            raise ServiceError(504, "timeout", f"no brief within {self.timeout_s:g} s") from None

    async def stream(self, lines: list[bytes]) -> AsyncIterator[bytes]:
        """NDJSON results as they finish, ``STREAM_CONCURRENCY`` lines at a time."""
        numbered = ((n, line) for n, line in enumerate(lines, 1) if line.strip())
        pending: set[asyncio.Task[dict[str, Any]]] = set()
        try:
            for n, line in numbered:
                pending.add(asyncio.create_task(self._line(n, line)))
                if len(pending) >= STREAM_CONCURRENCY:
                    done, pending = await asyncio.wait(pending, return_when=asyncio.FIRST_COMPLETED)
                    for task in done:
                        yield _ndjson(task.result())
            for task in asyncio.as_completed(pending):
                yield _ndjson(await task)
        finally:
            for task in pending:
                task.cancel()

    async def _line(self, n: int, line: bytes) -> dict[str, Any]:
        """One line's result, or its error with the line number: a bad line never ends the stream."""
        item_id = None
        try:
            item = ArticleIn.model_validate_json(line)
            item_id = item.id = item.id or f"line-{n}"
            result, _ = await self.within_timeout(self.brief(item, None))
            return result.model_dump(mode="json")
        except ValidationError as exc:
            errors = exc.errors()
            error = (
                ("bad_json", "not valid JSON")
                if _is_bad_json(errors)
                else ("validation_error", _validation_message(errors))
            )
        except ServiceError as exc:
            error = (exc.type, str(exc.detail))
        except BrieferError as exc:
            error = (_briefer_status(exc)[1], str(exc))
        except Exception as exc:
            _log(event="error", line=n, exception=type(exc).__name__)
            error = ("internal_error", "internal error")
        return {"id": item_id, "line": n, "error": {"type": error[0], "message": error[1]}}


def _ndjson(row: dict[str, Any]) -> bytes:
    return json.dumps(row, ensure_ascii=False).encode() + b"\n"


def _result_response(result: BriefResult, hit: bool, status: int) -> Response:
    """Serialise once (no response_model re-validation: it costs as much as the HTTP layer)."""
    headers = {
        "X-Briefer-Cache": "hit" if hit else "miss",
        "Location": f"/v1/briefs/{result.provenance.input_sha256}",
    }
    return Response(result.model_dump_json(), status, headers, media_type="application/json")


def _require_media_type(*accepted: str) -> Callable[[Request], Awaitable[None]]:
    async def check(request: Request) -> None:
        media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if media_type not in accepted:
            raise ServiceError(
                415,
                "unsupported_media_type",
                f"send the body as {' or '.join(accepted)}, not {media_type or 'nothing'}",
            )

    return check


_ERRORS: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorBody, "description": type.replace("_", " ")}
    for status, type in _STATUS_TYPES.items()
    if status not in (404, 405)
}


# -- the app ------------------------------------------------------------------------------------


def create_app(
    settings: Settings,
    *,
    token: str | None = None,
    cache_path: FilePath | None = None,
    allow_url_fetch: bool = False,
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
    max_in_flight: int = DEFAULT_MAX_IN_FLIGHT,
    request_timeout_s: float = DEFAULT_REQUEST_TIMEOUT_S,
    engine: Engine | None = None,
) -> FastAPI:
    """The FastAPI app. ``engine`` replaces the one ``settings`` would make (tests inject slow ones)."""
    service = _Service(
        settings,
        engine or make_engine(settings),
        cache_path or default_cache_path(),
        allow_url_fetch,
        request_timeout_s,
    )
    app = FastAPI(
        title="briefer",
        version=__version__,
        description="Turn news articles into briefs: key takeaways and a validated structured brief.",
        redoc_url=None,
        exception_handlers={
            HTTPException: _on_http_error,
            RequestValidationError: _on_validation_error,
            BrieferError: _on_briefer_error,
        },
    )
    app.add_middleware(_Guard, token=token, max_body_bytes=max_body_bytes, max_in_flight=max_in_flight)
    _add_routes(app, service)
    return app


def _add_routes(app: FastAPI, service: _Service) -> None:
    @app.get("/healthz", response_model=Health, tags=["service"])
    async def healthz() -> Health:
        """Liveness and what this server briefs with; needs no token."""
        model = str(service.engine.fingerprint.get("model", service.settings.model))
        return Health(engine=service.engine.name, model=model, version=__version__)

    @app.post(
        "/v1/briefs",
        status_code=201,
        response_model=BriefResult,
        responses=_ERRORS,
        dependencies=[Depends(_require_media_type("application/json"))],
        tags=["briefs"],
    )
    async def create_brief(body: BriefRequest) -> Response:
        """Brief one article; a cached brief comes back without calling the engine (`X-Briefer-Cache: hit`)."""
        result, hit = await service.within_timeout(service.brief(body, body.options))
        return _result_response(result, hit, 201)

    @app.post(
        "/v1/briefs/stream",
        response_class=StreamingResponse,
        responses={200: {"content": {NDJSON: {"schema": {"type": "string"}}}}, **_ERRORS},
        dependencies=[Depends(_require_media_type(NDJSON, "application/jsonl"))],
        openapi_extra={
            "requestBody": {
                "required": True,
                "content": {
                    NDJSON: {
                        "schema": {"type": "string", "description": "One ArticleIn JSON object per line."}
                    }
                },
            }
        },
        tags=["briefs"],
    )
    async def stream_briefs(request: Request) -> StreamingResponse:
        """Brief many articles sent as NDJSON; one NDJSON line per article as each finishes, in any order.

        A failed line gives `{"id", "line", "error": {"type", "message"}}` and the stream goes on.
        """
        lines = (await request.body()).splitlines()
        return StreamingResponse(service.stream(lines), media_type=NDJSON)

    @app.get(
        "/v1/briefs/{input_sha256}",
        response_model=BriefResult,
        responses={404: {"model": ErrorBody, "description": "not in the cache"}, **_ERRORS},
        tags=["briefs"],
    )
    async def get_brief(
        input_sha256: Annotated[
            str, Path(pattern="^[0-9a-fA-F]{64}$", description="sha256 of the article text.")
        ],
    ) -> Response:
        """The latest cached brief of an article, by the sha256 of its text (`provenance.input_sha256`)."""
        result = service.cache.latest_for_input(input_sha256.lower())
        if result is None:
            raise ServiceError(404, "not_found", f"no brief of {input_sha256.lower()} in the cache")
        return _result_response(result, True, 200)


# -- running it ---------------------------------------------------------------------------------


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def app_from_env() -> FastAPI:
    """uvicorn's factory in each worker: options from ``CONFIG_ENV``, secrets from their own variables."""
    config = ServeConfig.model_validate_json(os.environ.get(CONFIG_ENV, "{}"))
    return create_app(
        config.settings(),
        token=os.environ.get(TOKEN_ENV) or None,
        cache_path=config.cache_path,
        allow_url_fetch=config.allow_url_fetch,
        max_body_bytes=config.max_body_bytes,
        max_in_flight=config.max_in_flight,
        request_timeout_s=config.request_timeout_s,
    )


def serve(config: ServeConfig, *, host: str, port: int, workers: int, insecure: bool) -> None:
    """Check everything that can be wrong before binding (exit 2 then), then run uvicorn."""
    import uvicorn

    token = os.environ.get(TOKEN_ENV) or None
    if token is None and not insecure and not is_loopback(host):
        raise ConfigError(
            f"refusing to listen on {host} without {TOKEN_ENV} set; set a token, or pass --insecure"
        )
    settings = config.settings()
    engine = make_engine(settings)
    BriefCache(config.cache_path).close()
    os.environ[CONFIG_ENV] = config.model_dump_json()
    auth = "bearer token required" if token else "no token: anyone who can connect may use it"
    print(
        f"briefer: serving on http://{host}:{port} with the {engine.name} engine ({auth}); docs at /docs",
        file=sys.stderr,
    )
    uvicorn.run(
        "briefer.service:app_from_env",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        access_log=False,
        log_level="warning",
        server_header=False,
    )
