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


def test_a_cache_that_refuses_writes_is_noted_once_and_briefs_go_on(tmp_path: Path) -> None:
    with BriefCache(tmp_path / "c.sqlite3") as cache:
        cache._db.execute("PRAGMA query_only = ON")  # every write refused, as on a full disk
        cache.put("k", result("a" * 64))
        cache.put("k2", result("b" * 64))
        assert cache.get("k") is None
        assert cache.problem == (
            f"cache {cache.path}: cannot store briefs (attempt to write a readonly database); they were not cached"
        )
