"""Writes that never leave half a file: atomic replacement for whole files, undone appends for logs.

A write the disk refuses (full, read-only, a file where a folder should be) is a ``WriteError``:
one line naming the file and the reason. It is ``fatal`` to a batch, because every later write
to the same place would fail the same way.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
from pathlib import Path

from briefer.errors import InputError

_NO_SPACE = frozenset({errno.ENOSPC, errno.EDQUOT})


class WriteError(InputError):
    """The output place cannot take the write; exit 2, like any other place the user must fix."""

    fatal = True


def user_cache_dir() -> Path:
    """briefer's folder in the user cache directory (platformdirs: ``~/.cache/briefer`` on Linux),
    where the brief cache and the context windows servers named are kept."""
    import platformdirs

    return Path(platformdirs.user_cache_dir("briefer"))


def cannot_write(path: Path | str, exc: OSError) -> WriteError:
    """The one line for a refused write; a full disk says how to carry on."""
    hint = "; free some space, then run the same command again to resume" if exc.errno in _NO_SPACE else ""
    return WriteError(f"{path}: cannot write ({exc.strerror or exc}){hint}")


def write_atomic(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` via a temporary file in the same directory and a rename."""
    path = Path(path)
    if path.is_dir():
        raise InputError(f"{path}: is a directory; give a file name to write")
    directory = path.parent if str(path.parent) else Path(".")
    try:
        directory.mkdir(parents=True, exist_ok=True)
        # Not mkstemp (0600): created 0666 less the user's umask, like any file they write.
        tmp = str(directory / f".{path.name}.{secrets.token_hex(6)}.tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    except OSError as exc:
        raise cannot_write(path, exc) from exc
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException as exc:
        Path(tmp).unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise cannot_write(path, exc) from exc
        raise


def append_whole(fd: int, data: bytes, path: Path | str) -> None:
    """Append ``data`` to the file open at ``fd`` entirely or not at all.

    A write cut short (a full disk mid-line) is undone by truncating back to where it began, so
    a line-per-record file never holds half a record, even while the process keeps running.
    """
    start = os.lseek(fd, 0, os.SEEK_END)
    view = memoryview(data)
    try:
        while view:
            view = view[os.write(fd, view) :]
    except OSError as exc:
        with contextlib.suppress(OSError):  # else the half line is cut off when the file is next opened
            os.ftruncate(fd, start)
        raise cannot_write(path, exc) from exc
