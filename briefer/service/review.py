"""The routes a person reviewing briefs needs (the desk uses them; any client may): a brief made
with progress, a re-check of an edited brief, recent briefs, the brief as Markdown, and what
this server lets a client choose."""

import asyncio
import functools
from typing import Annotated, get_args

from fastapi import Depends, FastAPI, Query, Response
from fastapi.responses import StreamingResponse

from briefer.api import verify
from briefer.choices import EngineName
from briefer.errors import BrieferError
from briefer.models import BriefResult, GroundingReport
from briefer.prompts import PromptRegistry
from briefer.render import to_markdown
from briefer.service.briefing import BriefingService
from briefer.service.errors import ERROR_RESPONSES, require_media_type
from briefer.service.events import brief_events
from briefer.service.schemas import (
    BriefOptions,
    BriefRequest,
    RecentBrief,
    ServiceOptions,
    VerifyRequest,
)

NDJSON = "application/x-ndjson"
JSON_BODY = [Depends(require_media_type("application/json"))]


def service_options(briefing: BriefingService, max_body_bytes: int) -> ServiceOptions:
    """What a request may choose here: engines this server can make, versions of its brief prompt."""
    engines = []
    for name in get_args(EngineName):
        try:
            briefing.engine_for(BriefOptions(engine=name))
        except BrieferError:  # e.g. the LLM engine with no key and no server configured
            continue
        engines.append(name)
    settings = briefing.settings
    prompt = settings.prompt.partition("@")[0]
    versions = PromptRegistry(settings.prompts_dir).versions(prompt)
    return ServiceOptions(
        engine=briefing.engine.name,
        model=briefing.engine.model,
        prompt=settings.prompt,
        engines=engines,
        prompts=[f"{prompt}@{version}" for version in versions],
        allow_url_fetch=briefing.allow_url_fetch,
        max_body_bytes=max_body_bytes,
        statements=briefing.engine.statements,
    )


def recent_brief(result: BriefResult) -> RecentBrief:
    p = result.provenance
    flagged = len(result.grounding.flagged()) if result.grounding is not None else 0
    return RecentBrief(
        input_sha256=p.input_sha256,
        headline=result.brief.headline,
        engine=p.engine,
        model=p.model,
        created_at=p.created_at,
        flagged=flagged,
    )


def add_review_routes(app: FastAPI, briefing: BriefingService, max_body_bytes: int) -> None:
    @app.post(
        "/v1/briefs/events",
        response_class=StreamingResponse,
        responses={200: {"content": {NDJSON: {"schema": {"type": "string"}}}}, **ERROR_RESPONSES},
        dependencies=JSON_BODY,
        tags=["review"],
    )
    async def brief_with_progress(body: BriefRequest) -> StreamingResponse:
        """Brief one article (the body of `POST /v1/briefs`), answered as NDJSON events as it is made.

        `article` (the text every grounding offset points into), `progress` every half second,
        then `result` (`{"cache", "result": BriefResult}`) or `error` (`{"type", "message"}`).
        An article that cannot be loaded, or options this server cannot run, are answered with
        the usual JSON error before any event.
        """
        engine = briefing.engine_for(body.options)
        article = await briefing.within_timeout(briefing.load(body))
        return StreamingResponse(brief_events(briefing, article, engine, body.id), media_type=NDJSON)

    _add_verify_route(app, briefing)
    _add_desk_routes(app, briefing, max_body_bytes)


def _add_verify_route(app: FastAPI, briefing: BriefingService) -> None:
    @app.post(
        "/v1/verify",
        response_model=GroundingReport,
        responses=ERROR_RESPONSES,
        dependencies=JSON_BODY,
        tags=["review"],
    )
    async def verify_brief(body: VerifyRequest) -> Response:
        """Check a brief (say, one an editor changed) against its article: the grounding report.

        The article is loaded as for `POST /v1/briefs` (`text`, `html`, or `url` where allowed);
        the report's offsets point into its text with the title on top, as in a brief's report.
        `statements: true` adds the opt-in statement check (`briefer verify --statements`).
        """
        article = await briefing.within_timeout(briefing.load(body.article))
        report = await asyncio.to_thread(verify, body.brief, article.full_text, body.statements)
        return Response(report.model_dump_json(), media_type="application/json")


def _add_desk_routes(app: FastAPI, briefing: BriefingService, max_body_bytes: int) -> None:
    """What the desk lists and renders: recent briefs, Markdown, the choices a request may make."""
    options = functools.cache(functools.partial(service_options, briefing, max_body_bytes))

    @app.get("/v1/briefs", response_model=list[RecentBrief], responses=ERROR_RESPONSES, tags=["review"])
    async def recent_briefs(limit: Annotated[int, Query(ge=1, le=100)] = 20) -> list[RecentBrief]:
        """The articles briefed most recently (newest first), each once, from the cache."""
        recent = briefing.cache.recent(limit)
        briefing.note_cache_trouble()
        return [recent_brief(result) for result in recent]

    @app.post(
        "/v1/markdown",
        response_class=Response,
        responses={200: {"content": {"text/markdown": {"schema": {"type": "string"}}}}, **ERROR_RESPONSES},
        dependencies=JSON_BODY,
        tags=["review"],
    )
    async def markdown(result: BriefResult) -> Response:
        """A BriefResult as Markdown (as `briefer brief --format md` writes it): flagged items carry ⚠."""
        return Response(to_markdown(result), media_type="text/markdown; charset=utf-8")

    @app.get("/v1/options", response_model=ServiceOptions, responses=ERROR_RESPONSES, tags=["review"])
    async def service_choices() -> ServiceOptions:
        """What a request may choose on this server: engines, brief prompt versions, URL fetching."""
        return options()
