"""briefer: news articles into briefs an editor can trust.

>>> import briefer
>>> result = briefer.brief(open("seeds/pakistan-taliban-warning.txt").read(), engine="extractive")
>>> result.brief.dateline.place
'Islamabad'
"""

from typing import TYPE_CHECKING

from briefer.__about__ import __version__
from briefer.errors import BrieferError, ConfigError, EngineError, InputError

# Loaded on first use: `import briefer` (and so the start of its CLI, `briefer --help`) does
# not pay for pydantic, the models or the LLM steps until something asks for them.
_LAZY = {
    "Briefer": "briefer.api",
    "parse_brief": "briefer.api",
    "verify": "briefer.api",
    "Settings": "briefer.config",
    "Article": "briefer.models",
    "Brief": "briefer.models",
    "BriefResult": "briefer.models",
    "Dateline": "briefer.models",
    "Entity": "briefer.models",
    "Provenance": "briefer.models",
    "Quote": "briefer.models",
    "Usage": "briefer.models",
    "brief": "briefer.pipeline",
    "brief_article": "briefer.pipeline",
    "summarise": "briefer.pipeline",  # deprecated: brief
    "summarise_article": "briefer.pipeline",  # deprecated: brief_article
    "load_article": "briefer.loading.articles",
    "Capabilities": "briefer.engines.base",
    "Engine": "briefer.engines.base",
    "ChatAnswer": "briefer.engines.llm.exchange",
    "ChatRequest": "briefer.engines.llm.exchange",
    "FunctionEngine": "briefer.engines.fake",
    "Limits": "briefer.engines.llm.limits",
}

if TYPE_CHECKING:
    from briefer.api import Briefer, parse_brief, verify
    from briefer.config import Settings
    from briefer.engines.base import Capabilities, Engine
    from briefer.engines.fake import FunctionEngine
    from briefer.engines.llm.exchange import ChatAnswer, ChatRequest
    from briefer.engines.llm.limits import Limits
    from briefer.loading.articles import load_article
    from briefer.models import Article, Brief, BriefResult, Dateline, Entity, Provenance, Quote, Usage
    from briefer.pipeline import brief, brief_article, summarise, summarise_article


def __getattr__(name: str) -> object:
    if name in _LAZY:
        import importlib

        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value  # the next access is a plain attribute
        return value
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
    "brief",
    "brief_article",
    "load_article",
    "parse_brief",
    "summarise",
    "summarise_article",
    "verify",
]
