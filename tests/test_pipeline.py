"""The one cached call every front end makes: provenance stamped, grounding attached, the cache honoured."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from support.statement_cases import DERBY, SPLICED, SPLICED_BRIEF

from briefer.cache import BriefCache
from briefer.config import Settings
from briefer.engines.extractive import ExtractiveEngine
from briefer.engines.fake import FunctionEngine
from briefer.models import Article
from briefer.pipeline import abrief_cached, brief_article, brief_cached, cache_key_for

SEED = Article(text=(Path(__file__).parents[1] / "seeds" / "pakistan-taliban-warning.txt").read_text())


@pytest.fixture
def cache(tmp_path: Path) -> BriefCache:
    return BriefCache(tmp_path / "cache.sqlite3")


def test_a_miss_briefs_and_stores_and_a_hit_sends_nothing(cache: BriefCache) -> None:
    brief = ExtractiveEngine().run(SEED).brief
    engine = FunctionEngine(lambda request: brief)

    first, hit = brief_cached(SEED, engine, cache)
    again, hit_again = brief_cached(SEED, engine, cache)

    assert (hit, hit_again) == (False, True) and again == first
    assert len(engine.requests) == 1
    assert first.provenance.input_sha256 == SEED.sha256 and first.grounding is not None


def test_other_settings_are_another_cache_entry(cache: BriefCache) -> None:
    brief = ExtractiveEngine().run(SEED).brief
    brief_cached(SEED, FunctionEngine(lambda request: brief), cache)
    _, hit = brief_cached(SEED, FunctionEngine(lambda request: brief, repair_grounding=False), cache)
    assert not hit, "a different fingerprint must not reuse the brief"


def test_a_brief_cached_without_statements_is_not_served_to_a_run_with_them(cache: BriefCache) -> None:
    """Grounding reports are cached with their briefs: the statement check is part of the key."""
    article = Article(text=DERBY)
    plain, hit = brief_cached(article, FunctionEngine(lambda request: SPLICED_BRIEF), cache)
    assert not hit and plain.grounding is not None and plain.grounding.ok

    engine = FunctionEngine(lambda request: SPLICED_BRIEF, statements=True)
    checked, hit = brief_cached(article, engine, cache)

    assert not hit and engine.requests, "a miss: briefed again"
    assert checked.grounding is not None
    (doubted,) = checked.grounding.flagged()
    assert doubted.text == SPLICED and doubted.problems[0].startswith("likely not what the article says")
    assert brief_cached(article, engine, cache) == (checked, True)


def test_the_statement_check_off_keeps_the_keys_briefs_were_cached_under() -> None:
    from briefer.cache import cache_key

    engine = ExtractiveEngine()
    assert cache_key_for(SEED, engine) == cache_key(SEED.sha256, engine.fingerprint)
    assert cache_key_for(SEED, ExtractiveEngine(statements=True)) != cache_key_for(SEED, engine)


def test_async_and_sync_agree(cache: BriefCache) -> None:
    engine = ExtractiveEngine()
    result, hit = asyncio.run(abrief_cached(SEED, engine, cache))
    cached, hit_again = brief_cached(SEED, engine, cache)
    assert (hit, hit_again) == (False, True) and cached == result


def test_provenance_says_what_ran_and_what_it_cost() -> None:
    result = brief_article(SEED, Settings(engine="extractive"))
    p = result.provenance
    assert (p.engine, p.model, p.cost_usd, p.usage.requests, p.chunks) == (
        "extractive",
        "briefer-extractive-1",
        0.0,
        0,
        1,
    )
    assert p.elapsed_s > 0 and p.briefer_version
