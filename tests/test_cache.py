"""The cache: keyed by everything that changes a brief, shared safely between processes."""

import multiprocessing
import sqlite3
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from briefer.cache import BriefCache, cache_key
from briefer.errors import ConfigError
from briefer.models import Brief, BriefResult, Dateline, Provenance

BRIEF = Brief(
    headline="Pakistan warns the Taliban",
    dateline=Dateline(place="Islamabad", date="Oct 29", outlet="NationPress"),
    summary="Pakistan's defence minister warned the Afghan Taliban.",
    key_takeaways=["Pakistan issued a warning."],
    entities=[],
    quotes=[],
    sources=["Geo News"],
    what_to_watch=[],
    topics=["pakistan"],
)


def result(sha: str, engine: str = "openai") -> BriefResult:
    provenance = Provenance(
        engine=engine,
        model="gpt-4o-mini",
        prompt="brief@1",
        prompt_sha256="p" * 64,
        input_sha256=sha,
        elapsed_s=0.1,
        briefer_version="test",
        created_at=datetime.now(UTC),
    )
    return BriefResult(brief=BRIEF, provenance=provenance)


def test_key_changes_with_anything_that_changes_the_brief() -> None:
    base = {"engine": "openai", "model": "gpt-4o-mini", "prompts": ["brief@1:aa"]}
    keys = {
        cache_key("a" * 64, base),
        cache_key("b" * 64, base),
        cache_key("a" * 64, base | {"model": "gpt-4o"}),
        cache_key("a" * 64, base | {"prompts": ["brief@2:bb"]}),
    }
    assert len(keys) == 4
    assert cache_key("a" * 64, dict(reversed(base.items()))) == cache_key("a" * 64, base), "order-independent"


def test_put_get_roundtrip_and_lookup_by_input(tmp_path: Path) -> None:
    with BriefCache(tmp_path / "c.sqlite3") as cache:
        assert cache.get("k") is None
        stored = result("a" * 64)
        cache.put("k", stored)
        assert cache.get("k") == stored
        assert cache.latest_for_input("a" * 64).brief == BRIEF
        assert cache.latest_for_input("b" * 64) is None
        assert cache.stats().entries == 1 and cache.stats().by_engine == {"openai": 1}


def test_recent_lists_each_article_once_newest_first(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    clock = iter([1.0, 2.0, 3.0, 4.0])
    monkeypatch.setattr(time, "time", lambda: next(clock))
    with BriefCache(tmp_path / "c.sqlite3") as cache:
        cache.put("a-openai", result("a" * 64))
        cache.put("b", result("b" * 64))
        cache.put("a-extractive", result("a" * 64, engine="extractive"))  # a re-brief of a: a is newest again
        cache.put("c", result("c" * 64))
        recent = cache.recent(2)
        assert [(r.provenance.input_sha256[0], r.provenance.engine) for r in recent] == [
            ("c", "openai"),
            ("a", "extractive"),
        ]
        assert len(cache.recent(10)) == 3


def test_clear_all_or_only_old_entries(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with BriefCache(tmp_path / "c.sqlite3") as cache:
        monkeypatch.setattr(time, "time", lambda: 1_000_000.0)
        cache.put("old", result("a" * 64))
        monkeypatch.undo()
        cache.put("new", result("b" * 64))
        assert cache.clear(older_than_days=1) == 1
        assert cache.get("old") is None and cache.get("new") is not None
        assert cache.clear() == 1 and cache.stats().entries == 0


def _writer(path: str, start: int) -> None:
    with BriefCache(Path(path)) as cache:
        for i in range(start, start + 150):
            cache.put(f"key-{i}", result(f"{i:064d}"))


def test_two_processes_writing_at_once_do_not_corrupt_it(tmp_path: Path) -> None:
    path = str(tmp_path / "shared.sqlite3")
    BriefCache(Path(path)).close()
    context = multiprocessing.get_context("spawn")
    writers = [context.Process(target=_writer, args=(path, n * 1000)) for n in range(2)]
    for w in writers:
        w.start()
    for w in writers:
        w.join(60)
        assert w.exitcode == 0
    with BriefCache(Path(path)) as cache:
        assert cache.stats().entries == 300
        assert cache.get("key-1149").provenance.input_sha256 == f"{1149:064d}"
    assert sqlite3.connect(path).execute("PRAGMA integrity_check").fetchone() == ("ok",)


def test_a_file_that_is_not_a_database_is_a_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "not.sqlite3"
    bad.write_text("hello, I am not SQLite" * 100)
    with pytest.raises(ConfigError, match="cannot open"):
        BriefCache(bad)


def test_a_cache_that_refuses_writes_is_switched_off_with_one_note(tmp_path: Path) -> None:
    with BriefCache(tmp_path / "c.sqlite3") as cache:
        cache._db.execute("PRAGMA query_only = ON")  # every write refused, as on a full disk
        cache.put("k", result("a" * 64))
        cache.put("k2", result("b" * 64))
        assert cache.get("k") is None
        assert cache.problem == (
            f"cache {cache.path}: attempt to write a readonly database; went on without the cache "
            "(if the file is damaged, delete it with its -wal and -shm files (or pass another --cache) "
            "and it is rebuilt as briefs are made)"
        )


def test_a_cache_locked_by_another_process_says_so_not_that_it_is_damaged(tmp_path: Path) -> None:
    path = tmp_path / "c.sqlite3"
    BriefCache(path).close()
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("PRAGMA locking_mode = EXCLUSIVE")  # as a tool that keeps the file to itself
    holder.execute("BEGIN EXCLUSIVE")
    holder.execute("DELETE FROM briefs")
    try:
        with pytest.raises(ConfigError) as caught:
            BriefCache(path, busy_timeout_s=0.1)
    finally:
        holder.close()
    assert str(caught.value) == (
        f"cache {path}: cannot open (database is locked); another process holds it locked; "
        "wait for that one to finish, or pass another --cache"
    )


def test_a_damaged_cache_says_so_and_how_to_repair_it(tmp_path: Path) -> None:
    path = tmp_path / "c.sqlite3"
    with BriefCache(path) as cache:
        for n in range(200):
            cache.put(f"k{n}", result(f"{n:064d}"))
    with path.open("r+b") as db:  # scribble over pages in the middle, as a bad disk would
        db.seek(8192)
        db.write(b"\xde\xad" * 4096)
    with pytest.raises(ConfigError, match=r"(damaged|malformed).*delete it with its -wal and -shm files"):
        BriefCache(path).stats()
