"""The embeddable Python API: one-liners, a configured Briefer, streams of results, verification."""

import asyncio
import json
import re
from pathlib import Path

import pytest
from support.openai_server import OpenAIServer, ok
from support.statement_cases import DERBY, SPLICED, SPLICED_JSON

import briefer
from briefer import Article, Briefer, BriefResult, InputError

REPO = Path(__file__).parents[1]
SEED = (REPO / "seeds" / "pakistan-taliban-warning.txt").read_text()
SAMPLE = [
    json.loads(line) for line in (REPO / "tests" / "data" / "eval_sample.jsonl").read_text().splitlines()
]


@pytest.fixture(autouse=True)
def _clean(env_clean) -> None:
    pass


def test_one_liner_uses_the_offline_engine_without_a_key() -> None:
    result = briefer.brief(SEED)
    assert isinstance(result, BriefResult) and result.provenance.engine == "extractive"
    assert result.provenance.input_sha256 == Article(text=SEED).sha256


def test_briefer_caches_by_content_and_settings(tmp_path: Path) -> None:
    engine = Briefer(engine="extractive", cache=tmp_path / "cache.sqlite3")
    first = engine.brief(SEED, id="seed")
    again = engine.brief(SEED)
    assert first.id == "seed" and again.id is None
    assert again.provenance.created_at == first.provenance.created_at, "the second came from the cache"


def test_async_summarise_matches_sync() -> None:
    engine = Briefer(engine="extractive")
    result = asyncio.run(engine.abrief(Article(text=SEED, title="Warning"), id="a"))
    assert result.id == "a" and result.brief == engine.brief(Article(text=SEED, title="Warning")).brief


def test_summarise_many_streams_every_result_with_its_id() -> None:
    rows = SAMPLE[:6]
    results = list(
        Briefer(engine="extractive").brief_many(((r["id"], r["text"]) for r in rows), concurrency=3)
    )
    assert sorted(r.id for r in results) == sorted(r["id"] for r in rows)


def test_summarise_many_reports_or_raises_failures() -> None:
    items = [("good", SEED), ("empty", "   "), ("also-good", SAMPLE[0]["text"])]
    outcomes = list(Briefer(engine="extractive").brief_many(items, return_exceptions=True))
    errors = [o for o in outcomes if isinstance(o, InputError)]
    assert len(outcomes) == 3 and [e.item_id for e in errors] == ["empty"]
    with pytest.raises(InputError, match="empty"):
        list(Briefer(engine="extractive").brief_many(items, concurrency=1))


def test_verify_checks_a_brief_from_anywhere() -> None:
    result = briefer.brief(SEED, engine="extractive")
    assert briefer.verify(result, SEED).ok
    tampered = result.brief.model_copy(
        update={"key_takeaways": ["Pakistan deployed 90,000 troops to Kabul."]}
    )
    report = Briefer(engine="extractive").verify(tampered, SEED)
    assert not report.ok


def test_verify_with_statements_flags_a_doubted_claim_and_markdown_shows_why() -> None:
    from briefer.render import to_markdown

    result = briefer.brief(SEED, engine="extractive")
    moved = "Geo News vowed to respond strongly to any attacks."  # the article: Afghanistan vowed
    edited = result.brief.model_copy(update={"key_takeaways": [*result.brief.key_takeaways[:-1], moved]})
    assert briefer.verify(edited, SEED).ok
    report = Briefer(engine="extractive").verify(edited, SEED, statements=True)
    (flagged,) = report.flagged()
    assert flagged.text == moved and flagged.risk is not None and flagged.risk > 0.5
    markdown = to_markdown(result.model_copy(update={"brief": edited, "grounding": report}))
    line = next(line for line in markdown.splitlines() if line.startswith("- Geo News vowed"))
    assert "⚠ likely not what the article says" in line and "never in one sentence" in line


def test_statements_reach_the_briefs_of_brief_and_of_a_briefer(tmp_path: Path, fresh_engine_state) -> None:
    """A setting like the others: the model's spliced claim is flagged with its reason, not by default."""
    with OpenAIServer(default=ok(SPLICED_JSON)) as server:
        llm = {
            "engine": "openai",
            "base_url": server.base_url,
            "api_key": "sk-test",
            "repair_grounding": False,
        }
        plain = briefer.brief(DERBY, **llm)
        checked = briefer.brief(DERBY, statements=True, **llm)
        cached = Briefer(cache=tmp_path / "c.sqlite3", statements=True, **llm).brief(DERBY)

    assert plain.grounding is not None and plain.grounding.ok
    for result in (checked, cached):
        assert result.grounding is not None
        (doubted,) = result.grounding.flagged()
        assert doubted.text == SPLICED and "never in one sentence" in doubted.problems[0]


def test_submit_batch_returns_at_once_and_collect_batch_finishes_the_run(tmp_path: Path, monkeypatch) -> None:
    """Through OpenAI's Batch API (the local test server's): the same outputs as ``briefer batch``."""
    from support.openai_batch_server import BatchServer

    import briefer.batch.api as batch_api

    monkeypatch.setattr(batch_api, "FIRST_POLL_S", 0.0)
    items = [(row["id"], row["text"]) for row in SAMPLE[:2]] + [SEED]
    out = tmp_path / "briefs"
    with BatchServer() as server:
        engine = Briefer(base_url=server.base_url, cache=tmp_path / "cache.sqlite3", repair_grounding=False)
        submitted = engine.submit_batch(items, out)
        assert (submitted.via, submitted.waiting, submitted.counts.done) == ("batch-api", 3, 0)
        assert len(server.batches) == 1
        report = engine.collect_batch(items, out)
        assert report.counts.done == 3 and report.waiting == 0 and len(server.batches) == 1
        again = engine.collect_batch(items, out)
    assert again.counts.already_done == 3 and again.requests == 0
    written = sorted(json.loads(line)["id"] for line in (out / "briefs.jsonl").read_text().splitlines())
    assert written == sorted([SAMPLE[0]["id"], SAMPLE[1]["id"], "item-3"])


def test_parse_brief_refuses_json_nested_too_deeply_in_one_line() -> None:
    with pytest.raises(InputError, match=r"^b\.json: not a brief \(nested too deeply\)$"):
        briefer.parse_brief("[" * 100_000 + "]" * 100_000, "b.json")


@pytest.mark.parametrize(
    ("old", "new"),
    [
        (lambda: briefer.summarise(SEED, engine="extractive"), "brief"),
        (
            lambda: briefer.summarise_article(Article(text=SEED), briefer.Settings(engine="extractive")),
            "brief_article",
        ),
        (lambda: Briefer(engine="extractive").summarise(SEED), "Briefer.brief"),
        (lambda: next(Briefer(engine="extractive").summarise_many([SEED])), "Briefer.brief_many"),
        (lambda: asyncio.run(Briefer(engine="extractive").asummarise(SEED)), "Briefer.abrief"),
    ],
)
def test_the_old_summarise_names_still_brief_and_say_what_replaces_them(old, new: str) -> None:
    with pytest.warns(DeprecationWarning, match=rf"use {re.escape(new)}$"):
        result = old()
    assert isinstance(result, BriefResult) and result.provenance.engine == "extractive"
