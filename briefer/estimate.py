"""What a batch will cost before it runs: tokens (tiktoken), requests, dollars, wall time. No LLM call."""

from __future__ import annotations

from collections.abc import Iterable

from pydantic import BaseModel, Field

from briefer.choices import Route
from briefer.config import Settings
from briefer.engines import Engine, make_engine
from briefer.errors import BrieferError
from briefer.loading.inputs import BatchItem
from briefer.models import Usage
from briefer.tokens import count_tokens

DEFAULT_LATENCY_S = 4.0  # a typical gpt-4o-mini structured answer


class Estimate(BaseModel):
    engine: str
    model: str
    llm: bool = Field(description="The engine sends requests to a model (tokens, cost and limits apply).")
    articles: int = 0
    unreadable: int = 0
    urls_not_fetched: int = 0
    article_tokens: int = 0
    long_articles: int = 0
    requests: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cost_usd: float | None = 0.0
    batch_cost_usd: float | None = Field(
        0.0, description="The same through OpenAI's Batch API, at its batch rates (genai-prices)."
    )
    via: Route = "live"
    wall_s: float = 0.0
    limited_by: str = "latency"


def estimate(
    items: Iterable[BatchItem],
    settings: Settings,
    *,
    engine: Engine | None = None,
    rpm: float | None = None,
    tpm: float | None = None,
    concurrency: int = 8,
    latency_s: float = DEFAULT_LATENCY_S,
    via: Route = "live",
) -> Estimate:
    """Tokens, requests, dollars and wall time a batch of ``items`` would take; sends nothing.

    ``via="batch-api"``: through OpenAI's Batch API, whose answers come within its completion
    window whatever the rate limits, so no wall time is estimated.
    """
    engine = engine or make_engine(settings, planning=True)
    result = Estimate(engine=engine.name, model=engine.model, llm=engine.capabilities.llm, via=via)
    expected = Usage()
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
        tokens = count_tokens(text, engine.model)
        result.article_tokens += tokens
        usage = engine.expected_usage(text, tokens)
        result.long_articles += usage.requests > 1
        expected = expected + usage
    result.requests = expected.requests
    result.prompt_tokens, result.completion_tokens = expected.prompt_tokens, expected.completion_tokens
    if result.requests:
        result.cost_usd = engine.cost_usd(expected)
        result.batch_cost_usd = engine.cost_usd(expected, batch=True)
        if via == "batch-api":
            result.limited_by = "the Batch API's completion window"
            return result
        bounds = {"latency": result.requests * latency_s / concurrency}
        if rpm:
            bounds["requests/minute"] = result.requests / rpm * 60
        if tpm:
            bounds["tokens/minute"] = (result.prompt_tokens + result.completion_tokens) / tpm * 60
        result.limited_by, result.wall_s = max(bounds.items(), key=lambda kv: kv[1])
        result.wall_s = round(result.wall_s, 1)
    return result
