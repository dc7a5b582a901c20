"""Chunks stay within budget, cover the text in order, and respect sentence boundaries."""

import itertools
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefer.engines.llm.chunking import chunk_text
from briefer.errors import ConfigError
from briefer.text.sentences import sentences
from briefer.tokens import count_tokens

SEED_TEXT = (Path(__file__).parents[1] / "seeds" / "pakistan-taliban-warning.txt").read_text()

WORDS = [
    "Pakistan",
    "warned",
    "the",
    "Taliban",
    "on",
    "Wednesday",
    "talks",
    "failed",
    "in",
    "Istanbul",
    "“quoted”",
    "U.S.",
    "20",
    "years",
    "Mr.",
    "Asif",
    "said",
    "—",
    "drones",
    "airspace",
    "état",
    "中文",
]


@st.composite
def articles(draw) -> str:
    """Paragraphs of sentences, occasionally one very long sentence, joined like real files."""
    paragraphs = []
    for _ in range(draw(st.integers(1, 8))):
        sents = []
        for _ in range(draw(st.integers(1, 6))):
            n = draw(st.one_of(st.integers(3, 25), st.integers(60, 160)))
            words = draw(st.lists(st.sampled_from(WORDS), min_size=n, max_size=n))
            sents.append(" ".join(words).capitalize() + draw(st.sampled_from([".", "?", "!", '."'])))
        paragraphs.append(" ".join(sents))
    return draw(st.sampled_from(["\n\n", "\n"])).join(paragraphs)


def covered(text: str, chunks) -> bool:
    """Every non-whitespace character lies inside some chunk."""
    mask = [False] * len(text)
    for c in chunks:
        for i in range(c.start, c.end):
            mask[i] = True
    return all(mask[i] or ch.isspace() for i, ch in enumerate(text))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=articles(), budget=st.integers(20, 400))
def test_chunks_within_budget_cover_the_text_in_order(text: str, budget: int) -> None:
    chunks = chunk_text(text, budget)
    assert chunks
    for c in chunks:
        assert c.text == text[c.start : c.end]
        assert c.tokens == count_tokens(c.text) <= budget
    assert covered(text, chunks)
    starts, ends = [c.start for c in chunks], [c.end for c in chunks]
    assert starts == sorted(set(starts)) and ends == sorted(set(ends))


@settings(max_examples=40, deadline=None)
@given(text=articles(), budget=st.integers(60, 400))
def test_no_sentence_is_split_unless_it_alone_exceeds_the_budget(text: str, budget: int) -> None:
    chunks = chunk_text(text, budget)
    for s in sentences(text):
        if count_tokens(s.of(text)) <= budget:
            assert any(c.start <= s.start and s.end <= c.end for c in chunks), s.of(text)


def test_long_article_chunks_overlap_by_a_sentence() -> None:
    article = "\n\n".join([SEED_TEXT] * 6)  # ≈ 4,400 tokens
    chunks = chunk_text(article, 1000)
    assert len(chunks) >= 5
    for previous, current in itertools.pairwise(chunks):
        assert current.start < previous.end, "consecutive chunks share their boundary sentence"
        assert previous.end - current.start < len(previous.text) // 2, "the overlap is small"


def test_short_text_is_one_chunk() -> None:
    [chunk] = chunk_text(SEED_TEXT, 5000)
    assert chunk.text == SEED_TEXT.strip()


def test_chunks_prefer_paragraph_ends() -> None:
    para = " ".join(f"Sentence number {i} of this paragraph is here." for i in range(8))
    text = "\n\n".join([para] * 4)
    chunks = chunk_text(text, count_tokens(para) + 30, overlap_tokens=0)
    for c in chunks[:-1]:
        assert re.search(r"here\.$", c.text) and text[c.end : c.end + 2] == "\n\n"


def test_too_small_budget_is_a_clear_error() -> None:
    with pytest.raises(ConfigError, match="at least"):
        chunk_text("Some text here.", 3)
