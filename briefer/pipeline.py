"""One article in, one BriefResult out: engine → provenance. The library's core calls."""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime

from briefer.__about__ import __version__
from briefer.config import Settings
from briefer.costs import cost_usd
from briefer.engines import Engine, EngineOutput, make_engine
from briefer.grounding import ground
from briefer.models import Article, BriefResult, Provenance


def build_result(
    article: Article, settings: Settings, engine_name: str, output: EngineOutput, elapsed_s: float
) -> BriefResult:
    """Stamp an engine's output with its provenance and check it against the article (grounding)."""
    is_llm = engine_name == "openai"
    provenance = Provenance(
        engine=engine_name,  # type: ignore[arg-type]
        model=output.model,
        prompt=output.prompt,
        prompt_sha256=output.prompt_sha256,
        input_sha256=article.sha256,
        structured_output=output.structured_output,
        repairs=output.repairs,
        grounding_repairs=output.grounding_repairs,
        usage=output.usage,
        cost_usd=cost_usd(output.model, output.usage, base_url=settings.base_url) if is_llm else 0.0,
        chunks=output.chunks,
        elapsed_s=round(elapsed_s, 4),
        briefer_version=__version__,
        created_at=datetime.now(UTC),
    )
    grounding = output.grounding or ground(output.brief, article.full_text)
    return BriefResult(brief=output.brief, provenance=provenance, grounding=grounding)


def summarise_article(article: Article, settings: Settings, engine: Engine | None = None) -> BriefResult:
    """Brief one article with ``engine`` (made from ``settings`` when not given)."""
    engine = engine or make_engine(settings)
    started = time.perf_counter()
    output = engine.run(article)
    return build_result(article, settings, engine.name, output, time.perf_counter() - started)


async def asummarise_article(
    article: Article, settings: Settings, engine: Engine | None = None
) -> BriefResult:
    """``summarise_article`` for event loops: the LLM engine's async client, other engines in a thread."""
    engine = engine or make_engine(settings)
    started = time.perf_counter()
    arun = getattr(engine, "arun", None)
    output = await arun(article) if arun is not None else await asyncio.to_thread(engine.run, article)
    return build_result(article, settings, engine.name, output, time.perf_counter() - started)


def summarise(
    text_or_article: str | Article, settings: Settings | None = None, **options: object
) -> BriefResult:
    """Brief an article given as text or an ``Article``.

    ``options`` are ``Settings`` fields (engine, model, base_url, prompt, max_chunk_tokens, ...),
    layered over the environment: ``summarise(text, engine="extractive")``.
    """
    if settings is None:
        settings = Settings.from_env(**options)
    elif options:
        settings = settings.model_copy(update=options)
    article = text_or_article if isinstance(text_or_article, Article) else Article(text=text_or_article)
    from briefer.sources import check_article_text

    check_article_text(article.text, where=article.source or "text")
    return summarise_article(article, settings)
