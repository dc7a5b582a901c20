"""Context windows servers named only when a request filled them, remembered from one run to the next.

llama-cpp-python's server says its window (2,048 tokens unless started with ``--n_ctx``) nowhere
before a request: ``GET /v1/models`` carries no size, ``/props`` is a 404, and an answer bound past
the window is cut short without an error. Only a prompt that fills the window alone gets a 400
naming it, and an answer the window cut shows it in its usage. A run that learns the window so
writes it down, per base URL and model, in ``windows.json`` in briefer's cache directory, and the
next run plans its first request to it instead of sending the whole article to be refused.
"""

from __future__ import annotations

import contextlib
import json
from pathlib import Path
from typing import Any

from briefer.engines.llm.exchange import ChatAnswer, ChatRequest
from briefer.errors import BrieferError
from briefer.fileio import user_cache_dir, write_atomic


def windows_path() -> Path:
    """``windows.json`` in the user cache directory, where ``briefs.sqlite3`` goes."""
    return user_cache_dir() / "windows.json"


def _key(server: str, model: str) -> str:
    return f"{server.rstrip('/')} {model}"


def _known() -> dict[str, Any]:
    try:
        known = json.loads(windows_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return known if isinstance(known, dict) else {}


# (base URL, model) -> the window learned in this process or read from windows.json; 0: none known.
_LEARNED: dict[tuple[str, str], int] = {}


def learned_window(server: str, model: str) -> int | None:
    """The window this run or an earlier one learned for ``model`` at ``server``; None when none did."""
    if (server, model) not in _LEARNED:
        window = _known().get(_key(server, model))
        _LEARNED[server, model] = window if isinstance(window, int) and window > 0 else 0
    return _LEARNED[server, model] or None


def learn_window(server: str, model: str, window: int | None) -> None:
    """Size this run's next requests to ``window``, and write it down for later runs. Best effort: a
    cache directory that cannot be written costs the next run one refused request, nothing more."""
    if not window or learned_window(server, model) == window:
        return
    _LEARNED[server, model] = window
    known = _known()
    known[_key(server, model)] = window
    with contextlib.suppress(BrieferError):
        write_atomic(windows_path(), json.dumps(known, indent=1, sort_keys=True) + "\n")


def window_that_cut(request: ChatRequest, answer: ChatAnswer) -> int | None:
    """An answer cut short of its bound was cut where the window ends (llama-cpp-python shortens a
    bound past its window without a word): its prompt and answer tokens are the window."""
    usage = answer.usage
    cut = answer.finish_reason == "length" and 0 < usage.completion_tokens < request.max_tokens
    return usage.prompt_tokens + usage.completion_tokens if cut and usage.prompt_tokens else None
