"""The engine protocol (briefer/engines/base.py): every shipped engine is an ``Engine`` and declares
what it can do, so callers decide by capabilities and never by name."""

from __future__ import annotations

import pytest

from briefer.config import Settings
from briefer.engines import Capabilities, Engine, make_engine
from briefer.engines.extractive import ExtractiveEngine
from briefer.engines.fake import FunctionEngine

pytestmark = pytest.mark.usefixtures("env_clean")


def openai_engine() -> Engine:
    return make_engine(Settings.from_env(env={"OPENAI_API_KEY": "sk-test"}, model="gpt-4o-mini"))


def test_every_shipped_engine_is_an_engine() -> None:
    engines = [ExtractiveEngine(), openai_engine(), FunctionEngine(lambda request: "{}")]
    assert all(isinstance(engine, Engine) for engine in engines)


def test_something_missing_a_method_is_not_an_engine() -> None:
    class Incomplete:
        name, model = "incomplete", "none"
        capabilities = Capabilities(False, False, None, False, True)

        def run(self, article): ...

    assert not isinstance(Incomplete(), Engine)


def test_the_offline_engine_is_cpu_work_that_needs_no_key() -> None:
    assert ExtractiveEngine().capabilities == Capabilities(
        llm=False, needs_key=False, context_window=None, native_async=False, cpu_bound=True
    )


def test_the_llm_engine_asks_a_model_without_blocking_and_needs_a_key() -> None:
    """It can also send its requests through OpenAI's Batch API (``briefer batch --via batch-api``)."""
    assert openai_engine().capabilities == Capabilities(
        llm=True, needs_key=True, context_window=128_000, native_async=True, cpu_bound=False, batch_api=True
    )


def test_a_function_engine_is_an_llm_that_needs_no_key() -> None:
    capabilities = FunctionEngine(lambda request: "{}", context_window=4096).capabilities
    assert (capabilities.llm, capabilities.needs_key, capabilities.context_window) == (True, False, 4096)
    assert capabilities.native_async and not capabilities.cpu_bound
    assert not capabilities.batch_api, "a function has no files or batches endpoints"
