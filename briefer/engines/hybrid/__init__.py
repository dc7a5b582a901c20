"""The hybrid engine: the offline engine selects the evidence, a model writes the brief from it.

``evidence`` (the numbered sentences the model reads) · ``merge`` (the model's fields where the
evidence backs them, extraction elsewhere) · ``engine`` (the LLM engine's transport, ladder and
repairs over these steps).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from briefer.config import Settings
    from briefer.engines.hybrid.engine import HybridEngine
    from briefer.engines.llm.limits import Limits


def build(settings: Settings, limits: Limits | None = None, *, planning: bool = False) -> HybridEngine:
    """The engine ``make_engine`` builds for ``engine="hybrid"``: the hybrid steps over OpenAI's SDK."""
    from briefer.engines.hybrid.engine import HybridEngine
    from briefer.engines.llm.limits import Limits
    from briefer.engines.llm.openai import OpenAITransport

    limits = limits or Limits(rpm=settings.rpm, tpm=settings.tpm, max_retries=settings.max_retries)
    return HybridEngine(settings, limits.wrap(OpenAITransport(settings, require_key=not planning)))
