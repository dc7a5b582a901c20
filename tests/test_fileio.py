"""Atomic writes (briefer/fileio.py): a reader, a crash, Ctrl-C or a full disk never leaves half a file."""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

import pytest

from briefer.errors import InputError
from briefer.fileio import WriteError, append_whole, write_atomic

OLD = '{"headline": "the brief written yesterday"}\n'


def test_the_text_replaces_the_file_and_missing_folders_are_made(tmp_path: Path) -> None:
    path = tmp_path / "out" / "world" / "story.json"
    write_atomic(path, "first")
    write_atomic(path, "Pakistan’s warning ⚠\n")
    assert path.read_text(encoding="utf-8") == "Pakistan’s warning ⚠\n"
    assert os.listdir(path.parent) == ["story.json"]


def test_a_bare_file_name_is_written_in_the_current_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    write_atomic(Path("story.md"), "# Brief\n")
    assert (tmp_path / "story.md").read_text() == "# Brief\n"


def test_a_write_that_fails_leaves_the_old_file_whole_and_no_temporary_file(tmp_path: Path) -> None:
    path = tmp_path / "story.json"
    path.write_text(OLD)
    with pytest.raises(UnicodeEncodeError):
        write_atomic(path, '{"headline": "half' + "\ud800")  # a lone surrogate cannot be UTF-8
    assert path.read_text() == OLD
    assert os.listdir(tmp_path) == ["story.json"]


def test_ctrl_c_during_a_write_leaves_the_old_file_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "story.json"
    path.write_text(OLD)

    def interrupted(fd: int) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "fsync", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_atomic(path, '{"headline": "the new brief"}\n')
    assert path.read_text() == OLD
    assert os.listdir(tmp_path) == ["story.json"]


def test_a_folder_given_as_the_file_is_one_clear_line(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r": is a directory; give a file name to write$"):
        write_atomic(tmp_path, "text")


def test_a_place_that_cannot_be_written_is_one_clear_line(tmp_path: Path) -> None:
    (tmp_path / "report.json").write_text("{}")
    with pytest.raises(InputError, match=r"report.json/story.json: cannot write \("):
        write_atomic(tmp_path / "report.json" / "story.json", "text")


def _disk_full(*args: object) -> None:
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


def test_a_full_disk_is_one_line_saying_how_to_carry_on_and_leaves_the_old_file_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "story.json"
    path.write_text(OLD)
    monkeypatch.setattr(os, "fsync", _disk_full)
    with pytest.raises(WriteError) as caught:
        write_atomic(path, '{"headline": "the new brief"}\n')
    assert str(caught.value) == (
        f"{path}: cannot write (No space left on device); free some space, then run the same command again to resume"
    )
    assert caught.value.exit_code == 2 and caught.value.fatal
    assert path.read_text() == OLD
    assert os.listdir(tmp_path) == ["story.json"]


def test_an_append_the_disk_cuts_short_is_undone(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "briefs.jsonl"
    path.write_text('{"id": "a"}\n')
    fd = os.open(path, os.O_RDWR | os.O_APPEND)
    real_write = os.write

    def half_then_full(to: int, data: bytes) -> int:
        if len(data) > 4:
            return real_write(to, bytes(data[: len(data) // 2]))  # the disk takes half the line...
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))  # ...then no more

    monkeypatch.setattr(os, "write", half_then_full)
    try:
        with pytest.raises(WriteError, match="No space left on device"):
            append_whole(fd, b'{"id": "b", "brief": {}}\n', path)
        monkeypatch.undo()
        append_whole(fd, b'{"id": "c"}\n', path)
    finally:
        os.close(fd)
    assert path.read_text() == '{"id": "a"}\n{"id": "c"}\n', "no half line, and the next line follows"


def test_written_files_get_the_mode_the_users_umask_gives(tmp_path: Path) -> None:
    """Not mkstemp's 0600: a colleague or a web server may need to read the briefs."""
    target = tmp_path / "brief.md"
    old = os.umask(0o022)
    try:
        write_atomic(target, "# brief\n")
    finally:
        os.umask(old)
    assert stat.S_IMODE(target.stat().st_mode) == 0o644
