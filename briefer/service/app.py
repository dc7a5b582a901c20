"""The FastAPI app: routes over ``BriefingService``, behind the ``Guard``, with JSON errors everywhere."""

from pathlib import Path as FilePath
from typing import Annotated

from fastapi import Depends, FastAPI, Path, Request, Response
from fastapi.responses import StreamingResponse

from briefer.__about__ import __version__
from briefer.cache import default_cache_path
from briefer.config import Settings
from briefer.engines import Engine, make_engine
from briefer.models import BriefResult
from briefer.service.briefing import DEFAULT_REQUEST_TIMEOUT_S, BriefingService
from briefer.service.desk import add_desk
from briefer.service.errors import ERROR_RESPONSES, EXCEPTION_HANDLERS, ServiceError, require_media_type
from briefer.service.guard import DEFAULT_MAX_BODY_BYTES, DEFAULT_MAX_IN_FLIGHT, Guard
from briefer.service.review import NDJSON, add_review_routes
from briefer.service.schemas import BriefRequest, ErrorBody, Health


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
    briefing = BriefingService(
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
        docs_url=None,  # Swagger UI from a CDN: the desk serves an offline /docs instead
        redoc_url=None,
        exception_handlers=EXCEPTION_HANDLERS,
    )
    app.add_middleware(Guard, token=token, max_body_bytes=max_body_bytes, max_in_flight=max_in_flight)
    _add_routes(app, briefing)
    add_review_routes(app, briefing, max_body_bytes)
    add_desk(app)
    return app


def _result_response(result: BriefResult, hit: bool, status: int) -> Response:
    """Serialise once (no response_model re-validation: it costs as much as the HTTP layer)."""
    headers = {
        "X-Briefer-Cache": "hit" if hit else "miss",
        "Location": f"/v1/briefs/{result.provenance.input_sha256}",
    }
    return Response(result.model_dump_json(), status, headers, media_type="application/json")


def _add_routes(app: FastAPI, briefing: BriefingService) -> None:
    @app.get("/healthz", response_model=Health, tags=["service"])
    async def healthz() -> Health:
        """Liveness and what this server briefs with; needs no token."""
        return Health(
            engine=briefing.engine.name,
            model=briefing.engine.model,
            version=__version__,
            warnings=briefing.warnings,
        )

    @app.post(
        "/v1/briefs",
        status_code=201,
        response_model=BriefResult,
        responses=ERROR_RESPONSES,
        dependencies=[Depends(require_media_type("application/json"))],
        tags=["briefs"],
    )
    async def create_brief(body: BriefRequest) -> Response:
        """Brief one article; a cached brief comes back without calling the engine (`X-Briefer-Cache: hit`)."""
        result, hit = await briefing.within_timeout(briefing.brief(body, body.options))
        return _result_response(result, hit, 201)

    @app.post(
        "/v1/briefs/stream",
        response_class=StreamingResponse,
        responses={200: {"content": {NDJSON: {"schema": {"type": "string"}}}}, **ERROR_RESPONSES},
        dependencies=[Depends(require_media_type(NDJSON, "application/jsonl"))],
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
        return StreamingResponse(briefing.stream(lines), media_type=NDJSON)

    @app.get(
        "/v1/briefs/{input_sha256}",
        response_model=BriefResult,
        responses={404: {"model": ErrorBody, "description": "not in the cache"}, **ERROR_RESPONSES},
        tags=["briefs"],
    )
    async def get_brief(
        input_sha256: Annotated[
            str, Path(pattern="^[0-9a-fA-F]{64}$", description="sha256 of the article text.")
        ],
    ) -> Response:
        """The latest cached brief of an article, by the sha256 of its text (`provenance.input_sha256`).

        A read of the cache by article alone, whatever engine briefed it: nothing is briefed here,
        so it is not a ``brief_cached`` call (that needs the article and an engine).
        """
        result = briefing.cache.latest_for_input(input_sha256.lower())
        briefing.note_cache_trouble()
        if result is None:
            raise ServiceError(404, "not_found", f"no brief of {input_sha256.lower()} in the cache")
        return _result_response(result, True, 200)
