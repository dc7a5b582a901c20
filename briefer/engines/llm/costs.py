"""What a brief cost, from genai-prices (maintained price data, works offline)."""

from __future__ import annotations

from briefer.models import Usage


def cost_usd(model: str, usage: Usage, base_url: str | None = None, *, batch: bool = False) -> float | None:
    """USD for ``usage`` on ``model``; None when the provider or the model's price is unknown.

    With a base URL the provider is identified by it (OpenRouter, Azure, ...); a local or
    unknown server has no price, so a local model named like an OpenAI one is not billed as one.
    ``batch``: at the provider's batch rates (OpenAI's Batch API: half price), when it has them.
    """
    from genai_prices import Usage as PriceUsage
    from genai_prices import calc_price

    where = {"provider_api_url": base_url} if base_url else {"provider_id": "openai"}
    try:
        price = calc_price(
            PriceUsage(input_tokens=usage.prompt_tokens, output_tokens=usage.completion_tokens),
            model_ref=model,
            price_context={"processing": "batch"} if batch else None,
            **where,
        )
    except LookupError:
        return None
    return float(price.total_price)
