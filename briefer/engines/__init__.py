"""Engines turn an Article into a Brief. Two live here behind one small interface:

- ``openai``: any OpenAI-compatible chat-completions server, structured outputs, map-reduce;
- ``extractive``: offline, milliseconds, no key — the embedded default.

The pipeline (``briefer.pipeline``) wraps an engine's output with provenance; engines only
say what they did (model, prompt, usage, chunks).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from briefer.models import Article, Brief, Usage

if TYPE_CHECKING:
    from briefer.config import Settings
    from briefer.models import GroundingReport
    from briefer.prompts import Prompt


@dataclass
class EngineOutput:
    brief: Brief
    model: str
    prompt: str | None = None  # name@version
    prompt_sha256: str | None = None
    usage: Usage = field(default_factory=Usage)
    chunks: int = 1
    structured_output: str | None = None
    repairs: int = 0
    grounding_repairs: int = 0
    grounding: GroundingReport | None = None  # when the engine already checked its final brief
    prompts_used: list[Prompt] = field(default_factory=list, repr=False)  # the prompts behind ``prompt``


class Engine(Protocol):
    name: str

    @property
    def fingerprint(self) -> dict[str, object]:
        """Everything besides the article that changes the brief (engine, model, prompts, options)."""
        ...

    def run(self, article: Article) -> EngineOutput: ...


def make_engine(settings: Settings) -> Engine:
    """The engine the settings ask for (``auto`` already resolved by ``Settings.engine_name``)."""
    if settings.engine_name == "extractive":
        from briefer.engines.extractive import ExtractiveEngine

        return ExtractiveEngine()
    from briefer.engines.openai import OpenAIEngine

    return OpenAIEngine(settings)
