"""Model limits come from genai-prices' maintained data, with a safe guess for local models."""

from briefer.engines.llm.model_info import (
    MAX_DEFAULT_CHUNK,
    UNKNOWN_CONTEXT,
    context_window,
    default_chunk_tokens,
)


def test_known_models_have_their_published_windows() -> None:
    assert context_window("gpt-4o-mini") == 128_000
    assert context_window("gpt-4.1") == 1_000_000
    assert context_window("openai/gpt-4o-mini") == 128_000  # router-style names


def test_a_local_model_is_unknown_and_gets_a_small_budget() -> None:
    assert context_window("llama3.1", "http://localhost:11434/v1") is None
    assert default_chunk_tokens(None) == UNKNOWN_CONTEXT - 2_000 - 1_500


def test_a_small_local_context_still_leaves_room_for_chunks() -> None:
    assert default_chunk_tokens(2048) == 2048 - 512 - 1024  # a quarter for the answer, half for instructions


def test_huge_windows_are_capped_so_long_articles_still_map_reduce() -> None:
    assert default_chunk_tokens(1_000_000) == MAX_DEFAULT_CHUNK
