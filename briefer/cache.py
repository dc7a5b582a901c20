"""A SQLite store of BriefResults, so no article is ever briefed twice with the same settings.

Keyed by the input's sha256 and the engine's fingerprint (engine, model, server, prompt
versions and hashes, options that change the output). WAL mode with a busy timeout lets
several processes (two batches, the HTTP service) share one cache; every write is its own
transaction, so a killed process loses at most what it had not yet written.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from briefer.errors import ConfigError
from briefer.fileio import user_cache_dir
from briefer.models import BriefResult

_SCHEMA = """
CREATE TABLE IF NOT EXISTS briefs (
    key TEXT PRIMARY KEY,
    input_sha256 TEXT NOT NULL,
    engine TEXT NOT NULL,
    model TEXT NOT NULL,
    result TEXT NOT NULL,
    created_at REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS briefs_by_input ON briefs (input_sha256, created_at);
"""


def default_cache_path() -> Path:
    """``$BRIEFER_CACHE``, else ``briefs.sqlite3`` in the user cache directory (platformdirs)."""
    if env := os.environ.get("BRIEFER_CACHE"):
        return Path(env)
    return user_cache_dir() / "briefs.sqlite3"


def cache_key(input_sha256: str, fingerprint: dict[str, Any]) -> str:
    """One key per (article, everything that changes the brief)."""
    canonical = json.dumps({"input": input_sha256, **fingerprint}, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


@dataclass(frozen=True)
class CacheStats:
    path: str
    entries: int
    bytes: int
    by_engine: dict[str, int]
    oldest: float | None
    newest: float | None


REPAIR = (
    "delete it with its -wal and -shm files (or pass another --cache) and it is rebuilt as briefs are made"
)
LOCKED = "another process holds it locked; wait for that one to finish, or pass another --cache"
UNWRITABLE = "its folder must be writable (SQLite keeps -wal and -shm files beside it); pass another --cache"


class BriefCache:
    """Thread-confined: open one per thread or process (connections are cheap).

    A cache that fails once it is open (damaged, locked by another process past the busy
    timeout, refusing writes on a full or read-only disk) is switched off for the rest of the
    run rather than failing briefs: a brief only costs a repeat later without it. ``problem``
    says what happened, for the caller to show once as a warning.
    """

    def __init__(self, path: Path | None = None, *, busy_timeout_s: float = 30.0) -> None:
        self.path = Path(path) if path is not None else default_cache_path()
        self.problem: str | None = None  # why the cache was switched off, for a warning
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(self.path, timeout=busy_timeout_s, isolation_level=None)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.executescript(_SCHEMA)
        except sqlite3.DatabaseError as exc:
            reason = str(exc)
            if "locked" in reason or "busy" in reason:
                advice = LOCKED
            elif "readonly" in reason or "unable to open" in reason:
                advice = UNWRITABLE
            else:
                advice = REPAIR
            raise ConfigError(f"cache {self.path}: cannot open ({exc}); {advice}") from exc
        except OSError as exc:
            raise ConfigError(f"cache {self.path}: cannot create ({exc.strerror or exc})") from exc

    def _switched_off(self, exc: sqlite3.Error) -> None:
        self.problem = self.problem or (
            f"cache {self.path}: {exc}; went on without the cache (if the file is damaged, {REPAIR})"
        )

    def _read(self, sql: str, *args: object) -> BriefResult | None:
        if self.problem is not None:
            return None
        try:
            row = self._db.execute(sql, args).fetchone()
        except sqlite3.Error as exc:
            self._switched_off(exc)
            return None
        try:
            return BriefResult.model_validate_json(row[0]) if row else None
        except ValueError:  # a damaged entry is a miss: the brief is made again and replaces it
            return None

    def get(self, key: str) -> BriefResult | None:
        return self._read("SELECT result FROM briefs WHERE key = ?", key)

    def put(self, key: str, result: BriefResult) -> None:
        if self.problem is not None:
            return
        p = result.provenance
        try:
            self._db.execute(
                "INSERT OR REPLACE INTO briefs (key, input_sha256, engine, model, result, created_at) VALUES (?, ?, ?, ?, ?, ?)",
                (key, p.input_sha256, p.engine, p.model, result.model_dump_json(), time.time()),
            )
        except sqlite3.Error as exc:
            self._switched_off(exc)

    def latest_for_input(self, input_sha256: str) -> BriefResult | None:
        """The most recent brief of an article, whatever the settings (for lookups by content hash)."""
        return self._read(
            "SELECT result FROM briefs WHERE input_sha256 = ? ORDER BY created_at DESC LIMIT 1", input_sha256
        )

    def recent(self, limit: int) -> list[BriefResult]:
        """The latest brief of each of the ``limit`` articles briefed most recently, newest first."""
        if self.problem is not None:
            return []
        try:
            rows = self._db.execute(
                # SQLite takes the bare ``result`` from the row holding MAX(created_at) of each group.
                "SELECT result, MAX(created_at) AS at FROM briefs GROUP BY input_sha256 ORDER BY at DESC LIMIT ?",
                (limit,),
            ).fetchall()
        except sqlite3.Error as exc:
            self._switched_off(exc)
            return []
        results = []
        for row in rows:
            with contextlib.suppress(ValueError):  # a damaged entry is left out, as ``get`` misses it
                results.append(BriefResult.model_validate_json(row[0]))
        return results

    def stats(self) -> CacheStats:
        try:
            return self._stats()
        except sqlite3.Error as exc:
            raise ConfigError(f"cache {self.path}: {exc}; {REPAIR}") from exc

    def _stats(self) -> CacheStats:
        problems = [row[0] for row in self._db.execute("PRAGMA quick_check").fetchall()]
        if problems != ["ok"]:  # a damaged file says so here, not halfway through a batch
            detail = [line for row in problems for line in row.splitlines() if not line.startswith("***")]
            raise ConfigError(f"cache {self.path}: damaged ({(detail or problems)[0]}); {REPAIR}")
        entries, oldest, newest = self._db.execute(
            "SELECT COUNT(*), MIN(created_at), MAX(created_at) FROM briefs"
        ).fetchone()
        by_engine = dict(self._db.execute("SELECT engine, COUNT(*) FROM briefs GROUP BY engine").fetchall())
        size = sum(f.stat().st_size for f in self.path.parent.glob(self.path.name + "*") if f.is_file())
        return CacheStats(str(self.path), entries, size, by_engine, oldest, newest)

    def clear(self, older_than_days: float | None = None) -> int:
        """Delete entries (all, or those older than N days); returns how many."""
        if older_than_days is None:
            deleted = self._db.execute("DELETE FROM briefs").rowcount
        else:
            cutoff = time.time() - older_than_days * 86400
            deleted = self._db.execute("DELETE FROM briefs WHERE created_at < ?", (cutoff,)).rowcount
        self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        self._db.execute("VACUUM")
        return deleted

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> BriefCache:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
