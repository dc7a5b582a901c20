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

from briefer.engines.base import Capabilities, Engine, EngineOutput

if TYPE_CHECKING:
    from briefer.config import Settings
    from briefer.limits import Limits

__all__ = ["Capabilities", "Engine", "EngineOutput", "make_engine"]


def make_engine(settings: Settings, limits: Limits | None = None, *, planning: bool = False) -> Engine:
    """The engine the settings ask for (``auto`` resolved by ``Settings.engine_name``).

    LLM requests go through ``limits`` (pacing, run-wide 429 pause, retries); without one,
    the engine gets its own with ``settings.max_retries``. ``planning``: the engine only
    estimates and plans (it will send nothing), so it needs no key.
    """
    if settings.engine_name == "extractive":
        from briefer.engines.extractive import ExtractiveEngine

        return ExtractiveEngine()
    from briefer.engines.llm.engine import LLMEngine
    from briefer.engines.llm.openai import OpenAITransport
    from briefer.limits import Limits

    limits = limits or Limits(rpm=settings.rpm, tpm=settings.tpm, max_retries=settings.max_retries)
    return LLMEngine(
        settings, limits.wrap(OpenAITransport(settings, require_key=not planning)), name="openai"
    )
