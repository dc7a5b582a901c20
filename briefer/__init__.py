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
from briefer.models import Article, Brief, BriefResult, Dateline, Entity, Provenance, Quote, Usage
from briefer.pipeline import summarise, summarise_article
from briefer.sources import load_article

__all__ = [
    "Article",
    "Brief",
    "BriefResult",
    "Briefer",
    "BrieferError",
    "ConfigError",
    "Dateline",
    "EngineError",
    "Entity",
    "InputError",
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
