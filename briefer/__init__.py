"""briefer: news articles into briefs an editor can trust.

>>> import briefer
>>> result = briefer.summarise(open("seeds/pakistan-taliban-warning.txt").read(), engine="extractive")
>>> result.brief.dateline.place
'Islamabad'
"""

from briefer.__about__ import __version__
from briefer.api import Briefer, parse_brief, verify
from briefer.config import Settings
from briefer.errors import BrieferError, ConfigError, EngineError, InputError
from briefer.loading.articles import load_article
from briefer.models import Article, Brief, BriefResult, Dateline, Entity, Provenance, Quote, Usage
from briefer.pipeline import summarise, summarise_article

# Loaded on first use: the LLM steps are not needed to import briefer (or start its CLI).
_LAZY = {
    "Capabilities": "briefer.engines.base",
    "Engine": "briefer.engines.base",
    "ChatAnswer": "briefer.engines.llm.exchange",
    "ChatRequest": "briefer.engines.llm.exchange",
    "FunctionEngine": "briefer.engines.fake",
    "Limits": "briefer.limits",
}


def __getattr__(name: str) -> object:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'briefer' has no attribute {name!r}")


__all__ = [
    "Article",
    "Brief",
    "BriefResult",
    "Briefer",
    "BrieferError",
    "Capabilities",
    "ChatAnswer",
    "ChatRequest",
    "ConfigError",
    "Dateline",
    "Engine",
    "EngineError",
    "Entity",
    "FunctionEngine",
    "InputError",
    "Limits",
    "Provenance",
    "Quote",
    "Settings",
    "Usage",
    "__version__",
    "load_article",
    "parse_brief",
    "summarise",
    "summarise_article",
    "verify",
]
