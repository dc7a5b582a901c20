"""Every error the service answers is ``{"error": {"type", "message"}}``, with no traceback, body
or secret in it: clients branch on ``type``, people read ``message``."""

from collections.abc import Awaitable, Callable, Coroutine, Iterable, Mapping
from typing import Any

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException

from briefer.errors import BrieferError, ConfigError, EngineError
from briefer.service.schemas import ErrorBody

STATUS_TYPES = {
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
# For the OpenAPI schema: what any route may answer besides its success (404/405 are the router's).
ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorBody, "description": type.replace("_", " ")}
    for status, type in STATUS_TYPES.items()
    if status not in (404, 405)
}


class ServiceError(HTTPException):
    """An HTTP error with its JSON ``type``; an ``HTTPException`` so FastAPI passes it through body parsing."""

    def __init__(self, status: int, type: str, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(status, message, headers)
        self.type = type


def error_response(
    status: int, type: str, message: str, headers: Mapping[str, str] | None = None
) -> JSONResponse:
    return JSONResponse({"error": {"type": type, "message": message}}, status, headers)


def require_media_type(*accepted: str) -> Callable[[Request], Awaitable[None]]:
    """A route dependency: 415 unless the body is one of the ``accepted`` media types."""

    async def check(request: Request) -> None:
        media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if media_type not in accepted:
            raise ServiceError(
                415,
                "unsupported_media_type",
                f"send the body as {' or '.join(accepted)}, not {media_type or 'nothing'}",
            )

    return check


def briefer_status(exc: BrieferError) -> tuple[int, str]:
    """InputError and ConfigError are the client's to fix (422); EngineError is the LLM's (502)."""
    if isinstance(exc, EngineError):
        return 502, "engine_error"
    return 422, "config_error" if isinstance(exc, ConfigError) else "input_error"


def validation_message(errors: Iterable[Any]) -> str:
    """``where: what`` for the first few errors; never the offending input (it may be an article)."""
    parts = []
    for error in list(errors)[:3]:
        where = ".".join(str(p) for p in error.get("loc", ()) if p != "body") or "body"
        parts.append(f"{where}: {error.get('msg', 'invalid')}")
    return "; ".join(parts)


def is_bad_json(errors: Iterable[Any]) -> bool:
    return any(error.get("type") == "json_invalid" for error in errors)


async def _on_http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, HTTPException)
    type = getattr(exc, "type", None) or STATUS_TYPES.get(exc.status_code, "http_error")
    return error_response(exc.status_code, type, str(exc.detail), exc.headers)


async def _on_validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = exc.errors()
    if is_bad_json(errors):
        return error_response(400, "bad_json", "the request body is not valid JSON")
    return error_response(422, "validation_error", validation_message(errors))


async def _on_briefer_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, BrieferError)
    return error_response(*briefer_status(exc), str(exc))


Handler = Callable[[Request, Any], Coroutine[Any, Any, Response]]
EXCEPTION_HANDLERS: dict[int | type[Exception], Handler] = {
    HTTPException: _on_http_error,
    RequestValidationError: _on_validation_error,
    BrieferError: _on_briefer_error,
}
