"""What briefer knows about a model: its context window, from genai-prices' maintained data.

The same package prices the usage (``briefer.engines.llm.costs``), so one maintained source says what a
model costs and how much it reads. Local servers' models (llama.cpp, Ollama, vLLM) are not in
it: they get a small window, the safe guess (those servers default to 4k-8k contexts).
"""

from __future__ import annotations

from functools import cache

UNKNOWN_CONTEXT = 8_000
OUTPUT_RESERVE = 4_000  # room for the JSON answer
PROMPT_RESERVE = 1_500  # system prompt, schema hint, fences
MAX_DEFAULT_CHUNK = 100_000  # beyond this, quality of a single pass drops; map-reduce instead
MIN_CHUNK = 256  # below this a chunk holds too little of the story to take notes on


@cache
def context_window(model: str, base_url: str | None = None) -> int | None:
    """Tokens ``model`` reads at once, as genai-prices knows it (by the server's URL first); None if unknown."""
    from genai_prices import data_snapshot

    snapshot = data_snapshot.get_snapshot()
    name = model.rsplit("/", 1)[-1]
    for where in ({"provider_api_url": base_url} if base_url else {}, {"provider_id": "openai"}):
        try:
            _, info = snapshot.find_provider_model(
                name, None, where.get("provider_id"), where.get("provider_api_url")
            )
        except LookupError:
            continue
        if info.context_window:
            return info.context_window
    return None


def default_chunk_tokens(window: int | None) -> int:
    """The largest article (in tokens) sent in one request to a model reading ``window`` tokens.

    Small windows (a local model started with 2,048 tokens) keep a quarter for the answer and
    half for the instructions, so map-reduce still fits each chunk.
    """
    if window is None:
        window = UNKNOWN_CONTEXT
    reserve = min(OUTPUT_RESERVE, window // 4) + min(PROMPT_RESERVE, window // 2)
    return max(MIN_CHUNK, min(MAX_DEFAULT_CHUNK, window - reserve))
