"""Bytes to text, within a size cap: what files, stdin and fetched pages all go through."""

from __future__ import annotations

import re

from briefer.errors import InputError

MAX_INPUT_BYTES = 10 * 1024 * 1024  # a file, stdin or a fetched page; also the service's body cap


def decode_bytes(data: bytes, where: str) -> str:
    """Text from bytes in any common encoding; binary data (a NUL byte anywhere) is refused, not guessed at."""
    if b"\x00" in data and not data.startswith((b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff")):  # UTF-16/32
        raise InputError(
            f"{where}: input looks binary (contains NUL bytes); give a text, Markdown or HTML file"
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    if (mixed := _mostly_utf8(data)) is not None:
        return mixed
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise InputError(f"{where}: cannot detect the text encoding; the input looks binary")
    return str(best)


_STRAY_BYTE = re.compile("[\udc80-\udcff]")  # how surrogateescape keeps a byte UTF-8 cannot decode


def _mostly_utf8(data: bytes) -> str | None:
    """UTF-8 with stray bytes of another encoding (a pasted cp1252 quote, a Latin-1 paragraph):
    the UTF-8 kept, each stray byte read as cp1252. None when nothing is UTF-8 beyond ASCII: then
    the whole input is in another encoding, for detection to find."""
    text = data.decode("utf-8", errors="surrogateescape").removeprefix("\ufeff")
    if _STRAY_BYTE.sub("", text).isascii():
        return None
    return _STRAY_BYTE.sub(lambda m: bytes([ord(m.group()) - 0xDC00]).decode("cp1252", "replace"), text)
