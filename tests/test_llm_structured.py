"""One validated object from a model: the ladder, the repairs, and every way an answer can stop."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefer import Article, Brief, Briefer, ChatAnswer, EngineError, FunctionEngine
from briefer.engines.extractive import ExtractiveEngine
from briefer.engines.llm.exchange import ChatRequest
from briefer.engines.llm.structured import ANSWER_TOKENS, extract_json
from briefer.models import ChunkNotes, Usage
from briefer.tokens import count_tokens

SEED = (Path(__file__).parents[1] / "seeds" / "pakistan-taliban-warning.txt").read_text()


@pytest.fixture(autouse=True)
def _fresh(fresh_engine_state) -> None:
    pass


@pytest.fixture(scope="module")
def brief() -> Brief:
    return ExtractiveEngine().run(Article(text=SEED)).brief


def test_json_is_found_inside_chatter() -> None:
    assert extract_json('Sure! ```json\n{"a": 1}\n``` Hope it helps') == '{"a": 1}'
    assert extract_json('Here: {"a": {"b": 2}} done') == '{"a": {"b": 2}}'
    assert extract_json("no json at all") == "no json at all"


def test_every_request_carries_the_bound_for_what_it_asks(brief: Brief) -> None:
    engine = FunctionEngine(lambda request: brief, repair_grounding=False)
    engine.run(Article(text=SEED))
    assert [r.max_tokens for r in engine.requests] == [ANSWER_TOKENS["Brief"]]


def test_a_cut_at_the_bound_gets_twice_the_bound_once(brief: Brief) -> None:
    def model(request: ChatRequest) -> ChatAnswer | Brief:
        if request.max_tokens == ANSWER_TOKENS["Brief"]:
            return ChatAnswer(
                content='{"headline": "cut',
                finish_reason="length",
                usage=Usage(prompt_tokens=900, completion_tokens=request.max_tokens, requests=1),
            )
        return brief

    engine = FunctionEngine(model, repair_grounding=False)
    assert engine.run(Article(text=SEED)).brief == brief
    assert [r.max_tokens for r in engine.requests] == [1500, 3000]


def test_a_cut_twice_is_one_error_that_keeps_the_answer() -> None:
    def model(request: ChatRequest) -> ChatAnswer:
        usage = Usage(prompt_tokens=900, completion_tokens=request.max_tokens, requests=1)
        return ChatAnswer(content='{"headline": "cut', finish_reason="length", usage=usage)

    with pytest.raises(EngineError, match=r"cut off at 3000 tokens \(finish_reason=length\)") as caught:
        FunctionEngine(model, repair_grounding=False).run(Article(text=SEED))
    assert caught.value.raw_answer == '{"headline": "cut'


def test_a_context_that_fills_up_means_smaller_chunks(brief: Brief) -> None:
    """Cut well short of the bound: prompt + answer was the whole context, so the article is split."""

    def model(request: ChatRequest) -> ChatAnswer | Brief | ChunkNotes:
        if request.output is Brief and "<article>" in request.messages[-1].content:
            return ChatAnswer(
                content="{",
                finish_reason="length",
                usage=Usage(prompt_tokens=1300, completion_tokens=100, requests=1),
            )
        if request.output is ChunkNotes:
            return ChunkNotes(
                facts=["Pakistan warned the Taliban."], entities=[], quotes=[], sources=[], dateline=None
            )
        return brief

    engine = FunctionEngine(model, repair_grounding=False)
    output = engine.run(Article(text=SEED))
    assert output.chunks > 1 and output.brief == brief


def test_validation_failures_name_the_fields_and_keep_the_answer() -> None:
    engine = FunctionEngine(lambda request: '{"headline": 7}', max_repairs=1, repair_grounding=False)
    with pytest.raises(
        EngineError,
        match=r"after 1 repair\(s\): headline: Input should be a valid string; dateline: Field required; summary: Field required \(\+\d+ more\)",
    ) as caught:
        engine.run(Article(text=SEED))
    assert caught.value.raw_answer == '{"headline": 7}'


def test_a_server_that_silently_cut_the_prompt_is_named_in_a_warning(brief: Brief) -> None:
    """Ollama cuts a prompt to its num_ctx without an error: the answer covers part of the article."""
    cut = ChatAnswer(content=brief.model_dump_json(), usage=Usage(requests=1, prompt_tokens=100))

    result = Briefer(engine=FunctionEngine(lambda request: cut, repair_grounding=False)).summarise(SEED)

    (warning,) = result.provenance.warnings
    assert warning.startswith("the server read 100 prompt tokens of about ") and "cut the prompt" in warning


def test_a_server_that_read_the_whole_prompt_gives_no_warning(brief: Brief) -> None:
    def whole(request: ChatRequest) -> ChatAnswer:
        read = int(count_tokens(request.text(), "function") * 0.8)  # another tokenizer, the same prompt
        return ChatAnswer(content=brief.model_dump_json(), usage=Usage(requests=1, prompt_tokens=read))

    result = Briefer(engine=FunctionEngine(whole, repair_grounding=False)).summarise(SEED)

    assert result.provenance.warnings == []
