"""Hostile input for property tests (hypothesis): random bytes, random Unicode (lone surrogates,
controls, BOMs and NULs included), news-like text laced with such, and random JSON; and the promise
every such input must keep through the CLI: an exit code it is allowed, every stderr line one
``briefer:`` line, never a traceback or an internal error, and no control character on stdout.
"""

from __future__ import annotations

import gzip
import io
import json
from functools import cache
from pathlib import Path

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

SEED = (Path(__file__).resolve().parents[2] / "seeds" / "pakistan-taliban-warning.txt").read_text()
WORDS = SEED.split()
# What hostile text is made of besides words: controls (ESC, BEL, NUL, C1 CSI), BOMs, bidi
# overrides, a lone surrogate, an OSC 8 link, markup.
NASTY = [
    "\x1b[2J",
    "\x07",
    "\x00",
    "\x9b",
    "\ufeff",
    "\u202e",
    "\ud800",
    "\x1b]8;;http://x\x1b\\",
    "<script>",
    "\r",
]

PROPERTY = settings(max_examples=30, deadline=None, database=None, suppress_health_check=list(HealthCheck))
CONTROLS = set(map(chr, [*range(0x00, 0x09), *range(0x0B, 0x20), *range(0x7F, 0xA0)]))

any_text = st.text(alphabet=st.characters(codec=None, exclude_categories=()), max_size=2000)
news_like = st.lists(
    st.one_of(st.sampled_from(WORDS), st.sampled_from(NASTY), any_text.map(lambda t: t[:20])), max_size=400
).map(" ".join)
texts = st.one_of(any_text, news_like)
raw_bytes = st.one_of(
    st.binary(max_size=4000),
    texts.map(lambda t: t.encode("utf-8", "surrogatepass")),
    news_like.map(lambda t: t.encode("utf-16", "surrogatepass")),
    news_like.map(lambda t: b"\xef\xbb\xbf" + t.encode("utf-8", "surrogatepass")),
)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | texts,
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(texts, inner, max_size=5),
    max_leaves=20,
)


def _json(value: object) -> bytes:
    return json.dumps(value).encode()


# Request bodies for the service: bytes, JSON, articles and briefs to verify of random Unicode.
bodies = st.one_of(
    raw_bytes,
    json_values.map(_json),
    st.fixed_dictionaries({}, optional={"text": texts, "html": texts, "id": texts}).map(_json),
    st.builds(lambda brief, text: _json({"brief": brief, "article": {"text": text}}), json_values, texts),
)


def assert_clean_exit(result, codes: set[int], one_line: set[int] = frozenset({1, 2})) -> None:
    """The CLI's promise for any input: one of ``codes``; stderr ``briefer:`` lines only, no traceback;
    an exit in ``one_line`` says why in one ``error:`` line."""
    assert result.exit_code in codes, (result.exit_code, result.stderr[-500:], repr(result.exception))
    lines = result.stderr.splitlines()
    assert all(line.startswith("briefer: ") for line in lines), result.stderr[-500:]
    assert "internal error" not in result.stderr and "Traceback" not in result.stderr
    if result.exit_code in one_line:
        assert len(lines) == 1 and lines[0].startswith("briefer: error: "), result.stderr[-500:]
    assert not CONTROLS & set(result.stdout.replace("\n", "")), "a control character reached stdout"


@cache
def spaces_gzipped(megabytes: int) -> bytes:
    """``megabytes`` MiB of spaces as one gzip stream (about 1 KiB per MiB), written a MiB at a time:
    a decompression bomb."""
    out = io.BytesIO()
    with gzip.GzipFile(fileobj=out, mode="wb", compresslevel=9) as packed:
        for _ in range(megabytes):
            packed.write(b" " * 1024 * 1024)
    return out.getvalue()
