"""One article in, one BriefResult out: engine → provenance → grounding, through the cache.

``brief_cached``/``abrief_cached`` are the one cached call the API, the HTTP service and batch
all make: look the article up by its sha256 and the engine's fingerprint, brief it on a miss,
store the result.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from briefer.__about__ import __version__
from briefer.config import Settings
from briefer.deprecation import deprecated_alias
from briefer.engines import Engine, EngineOutput, make_engine
from briefer.models import Article, BriefResult, Provenance

if TYPE_CHECKING:
    from briefer.cache import BriefCache


def build_result(article: Article, engine: Engine, output: EngineOutput, elapsed_s: float) -> BriefResult:
    """Stamp an engine's output with its provenance and check it against the article (grounding)."""
    provenance = Provenance(
        engine=engine.name,
        model=output.model,
        prompt=output.prompt,
        prompt_sha256=output.prompt_sha256,
        input_sha256=article.sha256,
        structured_output=output.structured_output,
        repairs=output.repairs,
        grounding_repairs=output.grounding_repairs,
        usage=output.usage,
        cost_usd=engine.cost_usd(output.usage),
        chunks=output.chunks,
        warnings=output.warnings,
        extracted=output.extracted,
        elapsed_s=round(elapsed_s, 4),
        briefer_version=__version__,
        created_at=datetime.now(UTC),
    )
    if output.grounding is None:
        from briefer.grounding import verify_brief

        grounding = verify_brief(
            output.brief, article.full_text, article.page_metadata(), statements=engine.statements
        )
    else:
        grounding = output.grounding
    return BriefResult(brief=output.brief, provenance=provenance, grounding=grounding)


def brief_article(article: Article, settings: Settings, engine: Engine | None = None) -> BriefResult:
    """Brief one article with ``engine`` (made from ``settings`` when not given), no cache."""
    return brief_cached(article, engine or make_engine(settings), None)[0]


async def abrief_article(article: Article, settings: Settings, engine: Engine | None = None) -> BriefResult:
    """``brief_article`` for event loops: engines without native async run in a thread."""
    return (await abrief_cached(article, engine or make_engine(settings), None))[0]


def cache_key_for(article: Article, engine: Engine) -> str:
    """The article, what makes its brief (the engine's fingerprint) and how the brief is grounded:
    a report made without the statement check is not one made with it. Keyed only when it is on,
    so the briefs cached before it existed are still found."""
    from briefer.cache import cache_key

    grounding = {"statements": True} if engine.statements else {}
    return cache_key(article.sha256, {**engine.fingerprint, **article.page_metadata(), **grounding})


def brief_cached(article: Article, engine: Engine, cache: BriefCache | None) -> tuple[BriefResult, bool]:
    """The brief of ``article``, from ``cache`` when it has it (``True``), else made and stored."""
    key = cache_key_for(article, engine)
    if cache is not None and (hit := cache.get(key)) is not None:
        return hit, True
    started = time.perf_counter()
    result = build_result(article, engine, engine.run(article), time.perf_counter() - started)
    if cache is not None:
        cache.put(key, result)
    return result, False


async def abrief_cached(
    article: Article,
    engine: Engine,
    cache: BriefCache | None,
    make: Callable[[Article], Awaitable[BriefResult]] | None = None,
) -> tuple[BriefResult, bool]:
    """``brief_cached`` for event loops. ``make`` briefs a miss another way (batch: in a process pool)."""
    key = cache_key_for(article, engine)
    if cache is not None and (hit := cache.get(key)) is not None:
        return hit, True
    if make is None:
        started = time.perf_counter()
        result = build_result(article, engine, await engine.arun(article), time.perf_counter() - started)
    else:
        result = await make(article)
    if cache is not None:
        cache.put(key, result)
    return result, False


def brief(text_or_article: str | Article, settings: Settings | None = None, **options: object) -> BriefResult:
    """Brief an article given as text or an ``Article``.

    ``options`` are ``Settings`` fields (engine, model, base_url, prompt, max_chunk_tokens, ...),
    layered over the environment: ``brief(text, engine="extractive")``.
    """
    if settings is None:
        settings = Settings.from_env(None, **options)
    elif options:
        settings = settings.model_copy(update=options)
    article = text_or_article if isinstance(text_or_article, Article) else Article(text=text_or_article)
    from briefer.loading.articles import check_article_text

    check_article_text(article.text, where=article.source or "text")
    return brief_article(article, settings)


summarise = deprecated_alias(brief, "summarise")
summarise_article = deprecated_alias(brief_article, "summarise_article")
asummarise_article = deprecated_alias(abrief_article, "asummarise_article")
