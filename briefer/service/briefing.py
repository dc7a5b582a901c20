"""What the routes share: the engines, the cache and the request timeout, and the one way an
article in a request becomes a brief (``briefer.loading`` to load it, ``abrief_cached`` to brief it)."""

import asyncio
import functools
import json
import threading
from collections.abc import AsyncIterator, Coroutine
from pathlib import Path
from typing import Any, TypeVar

from pydantic import ValidationError

from briefer.cache import BriefCache
from briefer.config import Settings
from briefer.engines import Engine, make_engine
from briefer.errors import BrieferError
from briefer.loading.articles import article_from, article_from_page
from briefer.loading.fetch import afetch_page
from briefer.models import Article, BriefResult
from briefer.pipeline import abrief_cached
from briefer.service.errors import ServiceError, briefer_status, is_bad_json, validation_message
from briefer.service.guard import log
from briefer.service.schemas import ArticleIn, BriefOptions

DEFAULT_REQUEST_TIMEOUT_S = 300.0
STREAM_CONCURRENCY = 4  # lines of one NDJSON request briefed at once
CACHE_OFF = "the cache failed and is switched off: briefs are made but not stored (see the server's log)"
T = TypeVar("T")


class BriefingService:
    """Briefs requests' articles; one SQLite connection per thread, one engine per set of options."""

    def __init__(
        self,
        settings: Settings,
        engine: Engine,
        cache_path: Path,
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
        self.problems: list[str] = []  # each said once in the log
        self.warnings: list[str] = []  # what /healthz (open to anyone) says of them: no paths

    @property
    def cache(self) -> BriefCache:
        if getattr(self._local, "cache", None) is None:
            self._local.cache = BriefCache(self.cache_path)
        return self._local.cache

    def _make_engine(self, options: BriefOptions | None) -> Engine:
        if options is None or not options.model_fields_set:
            return self.engine
        return make_engine(self.settings.model_copy(update=options.model_dump(exclude_none=True)))

    async def load(self, item: ArticleIn) -> Article:
        """The request's article; HTML extraction runs in a thread, off the event loop.

        URLs are fetched only to public addresses: a client's URL must not reach our network.
        """
        where = item.id or "article"
        if item.url is not None:
            if not self.allow_url_fetch:
                raise ServiceError(
                    422,
                    "url_fetch_disabled",
                    "this server does not fetch URLs (start it with --allow-url-fetch); send text or html",
                )
            page = await afetch_page(item.url, allow_private=False)
            return await asyncio.to_thread(article_from_page, page, title=item.title)
        if item.html is not None:
            return await asyncio.to_thread(article_from, item.html, where, html=True, title=item.title)
        return article_from(item.text or "", where, html=False, title=item.title)

    async def brief(self, item: ArticleIn, options: BriefOptions | None) -> tuple[BriefResult, bool]:
        """The brief of one article, from the cache when it has it; ``True`` means it did."""
        engine = self.engine_for(options)
        result, hit = await self.brief_loaded(await self.load(item), engine)
        return result.model_copy(update={"id": item.id}), hit

    async def brief_loaded(self, article: Article, engine: Engine) -> tuple[BriefResult, bool]:
        """An article already loaded, briefed through the cache."""
        try:
            return await abrief_cached(article, engine, self.cache)
        finally:
            self.note_cache_trouble()

    def note_cache_trouble(self) -> None:
        """A cache that failed is switched off (briefs go on without it): said, never silent."""
        problem = self.cache.problem
        if problem is not None and problem not in self.problems:
            self.problems.append(problem)
            log(event="warning", warning=problem)
            if CACHE_OFF not in self.warnings:
                self.warnings.append(CACHE_OFF)

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
                        yield ndjson(task.result())
            for task in asyncio.as_completed(pending):
                yield ndjson(await task)
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
        except Exception as exc:
            return {"id": item_id, "line": n, "error": error_of(exc, line=n)}


def error_of(exc: Exception, **where: Any) -> dict[str, str]:
    """``{"type", "message"}`` for a failure inside a stream, where the HTTP status is already sent.

    Unexpected exceptions are logged by class name (with ``where``) and never shown.
    """
    if isinstance(exc, ValidationError):
        errors = exc.errors()
        if is_bad_json(errors):
            return {"type": "bad_json", "message": "not valid JSON"}
        return {"type": "validation_error", "message": validation_message(errors)}
    if isinstance(exc, ServiceError):
        return {"type": exc.type, "message": str(exc.detail)}
    if isinstance(exc, BrieferError):
        return {"type": briefer_status(exc)[1], "message": str(exc)}
    log(event="error", exception=type(exc).__name__, **where)
    return {"type": "internal_error", "message": "internal error"}


def ndjson(row: dict[str, Any]) -> bytes:
    """One NDJSON line, UTF-8 kept as is."""
    return json.dumps(row, ensure_ascii=False).encode() + b"\n"
