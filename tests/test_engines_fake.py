"""FunctionEngine: a newsroom tests its own code that embeds briefer, with no network and no cassette.

The function stands in for the model; everything else (structured-output ladder, validation
repairs, map-reduce, grounding, cache, provenance) is briefer's real LLM path.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from briefer import Brief, Briefer, ChatAnswer, ChatRequest, EngineError, FunctionEngine, Limits
from briefer.engines.llm.exchange import ModeRejected

SEED = (Path(__file__).parents[1] / "seeds" / "pakistan-taliban-warning.txt").read_text()


@pytest.fixture(autouse=True)
def _clean(env_clean, fresh_engine_state) -> None:
    pass


def test_briefer_runs_a_function_as_its_model(good_brief: Brief, tmp_path: Path) -> None:
    engine = FunctionEngine(lambda request: good_brief, model="newsroom-test")
    briefer = Briefer(engine=engine, cache=tmp_path / "cache.sqlite3")

    result = briefer.brief(SEED)

    assert result.brief == good_brief
    p = result.provenance
    assert (p.engine, p.model, p.prompt, p.structured_output, p.usage.requests) == (
        "function",
        "newsroom-test",
        "brief@1",
        "json_schema",
        1,
    )
    assert p.cost_usd == 0.0 and result.grounding.ok
    (request,) = engine.requests
    assert request.output is Brief and "Khawaja Asif" in request.messages[1].content
    assert briefer.brief(SEED).provenance.created_at == p.created_at, "second call from the cache"
    assert len(engine.requests) == 1


def test_a_server_without_json_schema_walks_the_ladder(good_brief: Brief) -> None:
    def model(request: ChatRequest) -> Brief:
        if request.mode == "json_schema":
            raise ModeRejected("response_format json_schema is not supported")
        return good_brief

    engine = FunctionEngine(model)
    result = Briefer(engine=engine).brief(SEED)

    assert result.provenance.structured_output == "json_object"
    assert [r.mode for r in engine.requests] == ["json_schema", "json_object"]
    assert "The JSON object has exactly these fields" in engine.requests[1].messages[0].content


def test_an_invalid_answer_goes_back_with_pydantics_errors(good_brief: Brief) -> None:
    answers = iter([{"headline": "only a headline"}, good_brief])
    engine = FunctionEngine(lambda request: next(answers))

    result = Briefer(engine=engine).brief(SEED)

    assert result.provenance.repairs == 1 and result.brief == good_brief
    repair = engine.requests[1]
    assert repair.repair == 1 and [m.role for m in repair.messages] == ["system", "user"]
    assert "key_takeaways: Field required" in repair.messages[-1].content
    assert '<answer>\n{"headline": "only a headline"}\n</answer>' in repair.messages[-1].content


def test_a_refusal_is_one_clear_error() -> None:
    engine = FunctionEngine(lambda request: ChatAnswer(content=None, refusal="I can't help with that."))
    with pytest.raises(EngineError, match="refused to brief this article: I can't help with that"):
        Briefer(engine=engine).brief(SEED)


def test_async_functions_and_asummarise(good_brief: Brief) -> None:
    async def model(request: ChatRequest) -> Brief:
        await asyncio.sleep(0)
        return good_brief

    engine = FunctionEngine(model)
    assert asyncio.run(Briefer(engine=engine).abrief(SEED)).brief == good_brief
    assert Briefer(engine=engine).brief(SEED).brief == good_brief


def test_limits_retry_a_flaky_function_like_a_flaky_server(good_brief: Brief) -> None:
    failures = iter([EngineError("the server failed (503)", retryable=True)])

    def model(request: ChatRequest) -> Brief:
        if (failure := next(failures, None)) is not None:
            raise failure
        return good_brief

    limits = Limits(max_retries=2)
    engine = FunctionEngine(model, limits=limits)
    assert Briefer(engine=engine).brief(SEED).brief == good_brief
    assert (limits.sent, limits.retried) == (2, 1)


def test_a_function_returning_nonsense_is_a_type_error() -> None:
    engine = FunctionEngine(lambda request: 42)  # type: ignore[arg-type, return-value]
    with pytest.raises(TypeError, match="must return a ChatAnswer, BaseModel, dict or str, not int"):
        Briefer(engine=engine).brief(SEED)
