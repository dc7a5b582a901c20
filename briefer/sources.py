"""Transitional: ``briefer/cli.py`` still imports these names from here. Delete this module once
the CLI imports ``briefer.loading.articles`` and passes ``allow_private`` itself.

Until then the CLI keeps today's behaviour: a URL typed at the terminal may reach private addresses.
"""

from functools import partial

from briefer.loading.articles import decode_bytes
from briefer.loading.articles import load_article as _load_article

load_article = partial(_load_article, allow_private=True)

__all__ = ["decode_bytes", "load_article"]
