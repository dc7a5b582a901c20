"""Engines turn an Article into a Brief, behind one protocol (``base.Engine``) with declared capabilities.

- ``llm/``: provider-neutral steps over a small request/answer pair; ``llm/openai.py`` is the
  transport for any OpenAI-compatible chat-completions server;
- ``extractive``: offline, milliseconds, no key — the embedded default;
- ``fake.FunctionEngine``: the LLM steps answered by your function, for your own tests.

The pipeline (``briefer.pipeline``) wraps an engine's output with provenance; engines only
say what they did (model, prompt, usage, chunks).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from briefer.engines.base import BatchEngine, BatchTransport, Capabilities, Engine, EngineOutput
from briefer.engines.llm.limits import Limits

if TYPE_CHECKING:
    from briefer.config import Settings

__all__ = [
    "ENGINES",
    "BatchEngine",
    "BatchTransport",
    "Capabilities",
    "Engine",
    "EngineOutput",
    "Limits",
    "make_engine",
]


# Each engine name (``briefer.choices.EngineName``) -> the package whose ``build(settings, limits,
# planning=...)`` makes it; imported on first use. A new engine is a package and a line here.
ENGINES: dict[str, str] = {
    "openai": "briefer.engines.llm",
    "extractive": "briefer.engines.extractive",
    "hybrid": "briefer.engines.hybrid",
}


def make_engine(settings: Settings, limits: Limits | None = None, *, planning: bool = False) -> Engine:
    """The engine the settings ask for (``auto`` resolved by ``Settings.engine_name``).

    LLM requests go through ``limits`` (pacing, run-wide 429 pause, retries); without one,
    the engine gets its own with ``settings.max_retries``. ``planning``: the engine only
    estimates and plans (it will send nothing), so it needs no key.
    """
    import importlib

    package = importlib.import_module(ENGINES[settings.engine_name])
    engine: Engine = package.build(settings, limits, planning=planning)
    return engine
