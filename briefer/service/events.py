"""One article's brief as NDJSON events, so a page can show the article at once, then progress,
then the brief: a person waiting on a long article needs to see that something is happening.

One JSON object a line, in this order:

- ``{"event": "article", "text", "title", "input_sha256", "tokens", "expected_requests"}``: the
  article as the engine reads it (title on top); every offset in the grounding report points
  into ``text``. ``tokens`` and ``expected_requests`` are given for engines that ask a model;
- ``{"event": "progress", "stage": "briefing", "elapsed_s"}`` at once, then every
  ``PROGRESS_EVERY_S`` while the brief is made;
- ``{"event": "result", "cache": "hit" | "miss", "result": BriefResult}``, or
  ``{"event": "error", "error": {"type", "message"}}`` (the HTTP status is already 200 by then).
"""

import asyncio
import time
from collections.abc import AsyncIterator
from typing import Any

from briefer.engines import Engine
from briefer.models import Article
from briefer.service.briefing import BriefingService, error_of, ndjson

PROGRESS_EVERY_S = 0.5


def article_event(article: Article, engine: Engine) -> dict[str, Any]:
    """The article as the page shows it, with what briefing it will take when a model is asked."""
    text = article.full_text
    event: dict[str, Any] = {
        "event": "article",
        "text": text,
        "title": article.title,
        "input_sha256": article.sha256,
        "tokens": None,
        "expected_requests": None,
    }
    if engine.capabilities.llm:
        from briefer.tokens import count_tokens

        event["tokens"] = count_tokens(text, engine.model)
        event["expected_requests"] = engine.expected_usage(text, event["tokens"]).requests
    return event


async def brief_events(
    briefing: BriefingService, article: Article, engine: Engine, item_id: str | None
) -> AsyncIterator[bytes]:
    """The events of briefing ``article``; ``item_id`` comes back on the result, as on ``POST /v1/briefs``."""
    yield ndjson(article_event(article, engine))
    started = time.perf_counter()
    task = asyncio.ensure_future(briefing.within_timeout(briefing.brief_loaded(article, engine)))
    try:
        while not task.done():
            elapsed = round(time.perf_counter() - started, 1)
            yield ndjson({"event": "progress", "stage": "briefing", "elapsed_s": elapsed})
            await asyncio.wait({task}, timeout=PROGRESS_EVERY_S)
        result, hit = task.result()
        result = result.model_copy(update={"id": item_id})
        row = {"event": "result", "cache": "hit" if hit else "miss", "result": result.model_dump(mode="json")}
    except Exception as exc:
        row = {"event": "error", "error": error_of(exc, path="/v1/briefs/events")}
    finally:
        task.cancel()
    yield ndjson(row)
