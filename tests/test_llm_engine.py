"""The LLM engine (briefer/engines/llm/engine.py): the steps driven over a transport, blocking or
async with the same requests; an article that gets no usable answer stops; what it fingerprints
and what it expects to spend."""

from __future__ import annotations

import asyncio
import itertools
import json
import time
from collections.abc import Callable

import pytest

from briefer import Article, Brief, ChatRequest, EngineError, FunctionEngine
from briefer.engines.llm.exchange import ModeRejected
from briefer.engines.llm.limits import EXPECTED_OUTPUT_TOKENS
from briefer.models import ChunkNotes
from briefer.tokens import count_tokens


@pytest.fixture(autouse=True)
def _fresh(fresh_engine_state) -> None:
    pass


def notes_then(brief: Brief) -> Callable[[ChatRequest], ChunkNotes | Brief]:
    """A model that takes the same notes on every part of an article and answers every brief with ``brief``."""

    def model(request: ChatRequest) -> ChunkNotes | Brief:
        if request.output is ChunkNotes:
            return ChunkNotes(
                facts=["Pakistan warned the Taliban."], entities=[], quotes=[], sources=[], dateline=None
            )
        return brief

    return model


def test_run_and_arun_send_the_same_requests(short_article: Article, good_brief: Brief) -> None:
    model = notes_then(good_brief)
    blocking, awaiting = (
        FunctionEngine(model, max_chunk_tokens=250),
        FunctionEngine(model, max_chunk_tokens=250),
    )

    assert blocking.run(short_article) == asyncio.run(awaiting.arun(short_article))
    assert len(blocking.requests) > 2 and blocking.requests == awaiting.requests


def test_an_article_stops_after_three_timeouts(short_article: Article) -> None:
    """Each mode is refused after a while: the ladder is not walked to its end at that pace."""

    def slow_refusal(request: ChatRequest) -> Brief:
        time.sleep(0.1)
        raise ModeRejected(f"{request.mode} is not supported")

    engine = FunctionEngine(slow_refusal, timeout_s=0.05)  # 0.15 s of patience
    with pytest.raises(EngineError, match=r"^no brief of this article after \d+ s \(3x --timeout\)"):
        engine.run(short_article)
    assert [r.mode for r in engine.requests] == ["json_schema", "json_object"]


def test_invalid_answers_do_not_buy_more_time(short_article: Article) -> None:
    """Slow invalid answers: the repairs stop at the article's limit, not one limit per answer."""

    answers = itertools.count()

    def slow_nonsense(request: ChatRequest) -> str:
        time.sleep(0.1)
        wrong = [{"name": "X", "kind": "unknown", "role": "r"}] * (50 - next(answers))
        return json.dumps({"entities": wrong})  # one problem fewer each time, so the repairs go on

    engine = FunctionEngine(slow_nonsense, timeout_s=0.05, max_repairs=5)
    with pytest.raises(
        EngineError, match=r"failed validation \(the repair was not asked: no time was left for it\)"
    ):
        engine.run(short_article)
    assert len(engine.requests) == 1, "a repair would end after the repairs' share of the time"


@pytest.mark.parametrize(
    "options",
    [
        {"model": "another-model"},
        {"repair_grounding": False},
        {"max_chunk_tokens": 1000},
        {"structured": "text"},
    ],
    ids=lambda options: next(iter(options)),
)
def test_whatever_changes_the_brief_changes_the_fingerprint(options: dict[str, object]) -> None:
    def model(request: ChatRequest) -> str:
        return "{}"

    assert FunctionEngine(model).fingerprint == FunctionEngine(model).fingerprint
    assert FunctionEngine(model, **options).fingerprint != FunctionEngine(model).fingerprint


@pytest.mark.parametrize("max_chunk_tokens", [None, 250], ids=["one-pass", "map-reduce"])
def test_the_expected_requests_are_the_requests_made(
    short_article: Article, good_brief: Brief, max_chunk_tokens: int | None
) -> None:
    model = notes_then(good_brief)
    engine = FunctionEngine(
        model, model="gpt-4o-mini", max_chunk_tokens=max_chunk_tokens, repair_grounding=False
    )

    expected = engine.expected_usage(short_article.text, count_tokens(short_article.text, "gpt-4o-mini"))
    engine.run(short_article)

    assert expected.requests == len(engine.requests)
    assert expected.completion_tokens == expected.requests * EXPECTED_OUTPUT_TOKENS
    assert expected.prompt_tokens > count_tokens(short_article.text, "gpt-4o-mini")
