"""The offline extractive engine: ranked body sentences for takeaways, rules for the rest."""

from __future__ import annotations

from typing import TYPE_CHECKING

from briefer.engines.extractive.engine import MODEL_ID, ExtractiveEngine

if TYPE_CHECKING:
    from briefer.config import Settings
    from briefer.engines import Limits

__all__ = ["MODEL_ID", "ExtractiveEngine", "build"]


def build(settings: Settings, limits: Limits | None = None, *, planning: bool = False) -> ExtractiveEngine:
    """The engine ``make_engine`` builds for ``engine="extractive"``: no limits or key apply, and of
    the settings only how its briefs are grounded (``statements``)."""
    return ExtractiveEngine(statements=settings.statements)
