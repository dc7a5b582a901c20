"""What a brief cost (briefer/engines/llm/costs.py): genai-prices' list prices, and no price rather than a wrong one."""

from __future__ import annotations

import pytest

from briefer.engines.llm.costs import cost_usd
from briefer.models import Usage

MILLION_EACH = Usage(prompt_tokens=1_000_000, completion_tokens=1_000_000, requests=1)


def test_gpt_4o_mini_is_priced_at_openais_list_price() -> None:
    # $0.15 per million input tokens, $0.60 per million output tokens
    assert cost_usd("gpt-4o-mini", MILLION_EACH) == pytest.approx(0.75)
    assert cost_usd("gpt-4o-mini", Usage(prompt_tokens=1_000_000)) == pytest.approx(0.15)
    assert cost_usd("gpt-4o-mini", Usage()) == 0


def test_the_provider_is_known_by_its_base_url() -> None:
    assert cost_usd("gpt-4o-mini", MILLION_EACH, base_url="https://api.openai.com/v1") == pytest.approx(0.75)
    assert cost_usd("openai/gpt-4o-mini", MILLION_EACH, base_url="https://openrouter.ai/api/v1") is not None


@pytest.mark.parametrize(
    "base_url", ["http://localhost:8080/v1", "http://127.0.0.1:11434/v1", "http://gpu-box.lan:8000/v1"]
)
def test_a_local_model_named_like_an_openai_one_has_no_price(base_url: str) -> None:
    assert cost_usd("gpt-4o-mini", MILLION_EACH, base_url=base_url) is None


def test_an_unknown_model_has_no_price() -> None:
    assert cost_usd("llama3.1:8b", MILLION_EACH) is None


def test_the_batch_api_is_priced_at_openais_batch_rates() -> None:
    """genai-prices knows OpenAI's Batch API prices: half the live ones for gpt-4o-mini."""
    half = cost_usd("gpt-4o-mini", MILLION_EACH) / 2
    assert cost_usd("gpt-4o-mini", MILLION_EACH, batch=True) == pytest.approx(half) == pytest.approx(0.375)
