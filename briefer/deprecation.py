"""Old public names kept working for a while: each call says which name replaces it."""

from __future__ import annotations

import functools
import warnings
from collections.abc import Callable
from typing import Any


def deprecated_alias(new: Callable[..., Any], old_name: str) -> Callable[..., Any]:
    """``new`` under ``old_name``, warning (DeprecationWarning) at each call so callers can move."""

    @functools.wraps(new)
    def alias(*args: Any, **kwargs: Any) -> Any:
        warnings.warn(f"{old_name} is deprecated; use {new.__qualname__}", DeprecationWarning, stacklevel=2)
        return new(*args, **kwargs)

    alias.__name__ = alias.__qualname__ = old_name.rsplit(".", 1)[-1]
    return alias
