"""Transitional: ``briefer/cli.py`` still imports these names from here. Delete this module once
the CLI imports ``briefer.loading.inputs`` and passes ``allow_private`` itself.

Until then the CLI keeps today's behaviour: a feed's URLs may reach private addresses.
"""

from functools import partial

from briefer.loading.inputs import UniqueIds
from briefer.loading.inputs import iter_items as _iter_items

iter_items = partial(_iter_items, allow_private=True)

__all__ = ["UniqueIds", "iter_items"]
