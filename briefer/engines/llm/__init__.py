"""The LLM engine, provider-neutral: steps over a request/answer pair, one transport per provider.

``exchange`` (the neutral pair) · ``structured`` (the output ladder and validation repairs) ·
``steps`` (one pass, map-reduce, grounding repair) · ``engine`` (drives the steps over a
transport) · ``openai`` (chat completions through the SDK) · ``servers`` (what each kind of
OpenAI-compatible server wants) · ``model_info`` (context windows from genai-prices).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from briefer.config import Settings
    from briefer.engines.llm.engine import LLMEngine
    from briefer.engines.llm.limits import Limits


def build(settings: Settings, limits: Limits | None = None, *, planning: bool = False) -> LLMEngine:
    """The engine ``make_engine`` builds for ``engine="openai"``: the LLM steps over OpenAI's SDK.

    Imported on use: ``briefer.engines`` loads this package for ``Limits`` without paying for the SDK.
    """
    from briefer.engines.llm.engine import LLMEngine
    from briefer.engines.llm.limits import Limits
    from briefer.engines.llm.openai import OpenAITransport

    limits = limits or Limits(rpm=settings.rpm, tpm=settings.tpm, max_retries=settings.max_retries)
    return LLMEngine(
        settings, limits.wrap(OpenAITransport(settings, require_key=not planning)), name="openai"
    )
