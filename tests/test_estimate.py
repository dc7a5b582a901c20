"""What a batch will cost (briefer/estimate.py), computed offline, before any LLM call; the
`briefer estimate` command is in test_cli_batch."""

import json
from pathlib import Path

import pytest

from briefer.config import Settings
from briefer.estimate import estimate
from briefer.loading.inputs import iter_items
from briefer.tokens import count_tokens

REPO = Path(__file__).parents[1]
SEEDS = sorted((REPO / "seeds").glob("*.txt"))


def settings(**overrides) -> Settings:
    return Settings.from_env(env={}, engine="openai", api_key="sk-test", **overrides)


def test_counts_every_article_and_prices_it_with_genai_prices() -> None:
    result = estimate(iter_items([str(REPO / "seeds")]), settings(), rpm=60)
    assert result.articles == len(SEEDS) and result.requests == len(SEEDS)
    assert result.article_tokens == sum(count_tokens(p.read_text().strip()) for p in SEEDS)
    assert result.cost_usd is not None and 0 < result.cost_usd < 0.01
    assert result.limited_by == "requests/minute" and result.wall_s == pytest.approx(
        len(SEEDS) * 1.0, abs=0.1
    )


def test_long_articles_count_their_map_and_combine_requests(tmp_path: Path) -> None:
    long = tmp_path / "long.txt"
    long.write_text("\n\n".join(p.read_text() for p in SEEDS * 3))
    result = estimate(iter_items([str(long)]), settings(max_chunk_tokens=1000))
    assert result.long_articles == 1 and result.requests > 3


def test_unknown_servers_have_no_price_and_the_offline_engine_costs_nothing() -> None:
    local = estimate(iter_items([str(SEEDS[0])]), settings(base_url="http://127.0.0.1:8080/v1"))
    assert local.cost_usd is None
    offline = estimate(iter_items([str(SEEDS[0])]), Settings.from_env(env={}, engine="extractive"))
    assert (offline.requests, offline.cost_usd) == (0, 0.0)


def test_unreadable_inputs_and_urls_are_counted_not_fetched(tmp_path: Path) -> None:
    feed = tmp_path / "feed.jsonl"
    feed.write_text(
        '{"id": "a", "url": "https://example.com/x"}\n{broken\n'
        + json.dumps({"id": "b", "text": SEEDS[0].read_text()})
        + "\n"
    )
    result = estimate(iter_items([str(feed)]), settings())
    assert (result.articles, result.unreadable, result.urls_not_fetched) == (1, 1, 1)


def test_through_the_batch_api_the_price_is_halved_and_no_wall_time_is_guessed() -> None:
    result = estimate(iter_items([str(REPO / "seeds")]), settings(), rpm=60, via="batch-api")
    assert result.batch_cost_usd == pytest.approx(result.cost_usd / 2)
    assert (result.via, result.wall_s, result.limited_by) == (
        "batch-api",
        0.0,
        "the Batch API's completion window",
    )
