"""What a batch will cost before it runs: tokens (tiktoken), requests, dollars, wall time. No LLM call."""

from __future__ import annotations

from collections.abc import Iterable

from pydantic import BaseModel

from briefer.chunking import chunk_text
from briefer.config import Settings
from briefer.costs import cost_usd
from briefer.errors import BrieferError
from briefer.inputs import BatchItem
from briefer.models import Usage
from briefer.prompts import PromptRegistry
from briefer.tokens import count_tokens

EXPECTED_OUTPUT_TOKENS = 600  # a brief or a chunk's notes, as JSON
DEFAULT_LATENCY_S = 4.0  # a typical gpt-4o-mini structured answer


class Estimate(BaseModel):
    engine: str
    model: str
    articles: int = 0
    unreadable: int = 0
    urls_not_fetched: int = 0
    article_tokens: int = 0
    long_articles: int = 0
    requests: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cost_usd: float | None = 0.0
    wall_s: float = 0.0
    limited_by: str = "latency"


def estimate(
    items: Iterable[BatchItem],
    settings: Settings,
    *,
    rpm: float | None = None,
    tpm: float | None = None,
    concurrency: int = 8,
    latency_s: float = DEFAULT_LATENCY_S,
) -> Estimate:
    from briefer.engines.openai import default_chunk_tokens

    engine = settings.engine_name
    result = Estimate(engine=engine, model=settings.model if engine == "openai" else "briefer-extractive")
    budget = settings.max_chunk_tokens or default_chunk_tokens(settings.model)
    prompt = PromptRegistry(settings.prompts_dir).get(settings.prompt)
    overhead = count_tokens(
        "\n".join(prompt.render(**dict.fromkeys(prompt.placeholders, ""))), settings.model
    )
    for item in items:
        if item.url and not item.text and not item.html:
            result.urls_not_fetched += 1
            continue
        try:
            text = item.load().text
        except BrieferError:
            result.unreadable += 1
            continue
        result.articles += 1
        tokens = count_tokens(text, settings.model)
        result.article_tokens += tokens
        if engine != "openai":
            continue
        requests = 1
        if tokens > budget:
            result.long_articles += 1
            requests = len(chunk_text(text, budget, model=settings.model)) + 1  # map, then combine
        result.requests += requests
        result.prompt_tokens += tokens + requests * overhead + (requests - 1) * EXPECTED_OUTPUT_TOKENS
        result.completion_tokens += requests * EXPECTED_OUTPUT_TOKENS
    if engine == "openai" and result.requests:
        usage = Usage(prompt_tokens=result.prompt_tokens, completion_tokens=result.completion_tokens)
        result.cost_usd = cost_usd(settings.model, usage, base_url=settings.base_url)
        bounds = {"latency": result.requests * latency_s / concurrency}
        if rpm:
            bounds["requests/minute"] = result.requests / rpm * 60
        if tpm:
            bounds["tokens/minute"] = (result.prompt_tokens + result.completion_tokens) / tpm * 60
        result.limited_by, result.wall_s = max(bounds.items(), key=lambda kv: kv[1])
        result.wall_s = round(result.wall_s, 1)
    return result
