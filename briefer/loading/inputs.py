"""What a batch reads: files, directories, globs, JSONL feeds and stdin, streamed one item at a time.

Nothing is loaded up front: a feed of 10,000 articles costs the memory of one. Every item gets a
filesystem-safe id, unique within the run; a line or file that cannot be used becomes an item
with a one-line ``problem`` (with its line number), so the run reports it and goes on.
"""

from __future__ import annotations

import glob
import json
import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from briefer.errors import InputError
from briefer.loading.articles import article_from, is_url, load_article
from briefer.models import Article

ARTICLE_SUFFIXES = {".txt", ".md", ".html", ".htm"}
FEED_SUFFIXES = {".jsonl", ".ndjson"}
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
_MAX_ID = 120


@dataclass
class BatchItem:
    """One unit of work. ``load()`` turns it into an Article (fetching URLs, extracting HTML).

    ``allow_private`` lets a feed's URL reach private addresses (see ``briefer.loading.fetch``).
    """

    id: str
    origin: str  # "path" or "feed.jsonl:12", for messages
    path: Path | None = None
    text: str | None = None
    html: str | None = None
    url: str | None = None
    title: str | None = None
    problem: str | None = None
    allow_private: bool = False

    def load(self) -> Article:
        if self.problem:
            raise InputError(self.problem)
        if self.path is not None:
            return load_article(str(self.path))
        if self.url is not None:
            return load_article(self.url, title=self.title, allow_private=self.allow_private)
        if self.html is not None:
            return article_from(self.html, self.origin, html=True, title=self.title)
        return article_from(self.text or "", self.origin, html=False, title=self.title)


def safe_id(raw: str) -> str:
    """A file-name-safe id: letters, digits, dot, dash, underscore; never empty or hidden."""
    cleaned = _UNSAFE.sub("_", raw).strip("._")[:_MAX_ID]
    return cleaned or "article"


class UniqueIds:
    """Suffixes repeated ids (``a``, ``a-2``, ``a-3``) and remembers which ones were duplicates."""

    def __init__(self) -> None:
        self.seen: set[str] = set()
        self.duplicates: list[str] = []

    def __call__(self, raw: str) -> str:
        base = safe_id(raw)
        candidate, n = base, 1
        while candidate.lower() in self.seen:  # case-insensitive file systems
            n += 1
            candidate = f"{base}-{n}"
        if n > 1:
            self.duplicates.append(raw)
        self.seen.add(candidate.lower())
        return candidate


def _feed_items(lines: Iterable[str], name: str, unique: UniqueIds) -> Iterator[BatchItem]:
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        origin = f"{name}:{number}"
        try:
            row = json.loads(line)
        except (json.JSONDecodeError, RecursionError) as exc:
            reason = getattr(exc, "msg", "nested too deeply")
            yield BatchItem(
                id=unique(f"line-{number}"), origin=origin, problem=f"{origin}: not JSON ({reason})"
            )
            continue
        if not isinstance(row, dict):
            yield BatchItem(
                id=unique(f"line-{number}"), origin=origin, problem=f"{origin}: not a JSON object"
            )
            continue
        raw_id = str(row.get("id") or f"line-{number}")
        fields = {key: row.get(key) for key in ("text", "html", "url", "title")}
        bad = [key for key, value in fields.items() if value is not None and not isinstance(value, str)]
        problem = None
        if bad:
            problem = f"{origin}: {', '.join(bad)} must be a string"
        elif not (fields["text"] or fields["html"] or fields["url"]):
            problem = f'{origin}: needs "text", "html" or "url"'
        elif fields["url"] and not is_url(fields["url"]):
            problem = f"{origin}: url must start with http:// or https://"
        given = {} if bad else fields
        yield BatchItem(
            id=unique(raw_id),
            origin=origin,
            problem=problem,
            text=given.get("text"),
            html=given.get("html"),
            url=given.get("url"),
            title=given.get("title"),
        )


def _file_items(paths: Iterable[Path], root: Path | None, unique: UniqueIds) -> Iterator[BatchItem]:
    for path in paths:
        if path.suffix.lower() in FEED_SUFFIXES:
            yield from _open_feed(path, unique)
            continue
        relative = path.relative_to(root) if root else Path(path.name)
        yield BatchItem(id=unique(str(relative.with_suffix(""))), origin=str(path), path=path)


def _open_feed(path: Path, unique: UniqueIds) -> Iterator[BatchItem]:
    try:
        handle = path.open(encoding="utf-8", errors="replace")
    except OSError as exc:
        yield BatchItem(
            id=unique(path.stem), origin=str(path), problem=f"{path}: cannot read ({exc.strerror})"
        )
        return
    with handle:
        yield from _feed_items(handle, str(path), unique)


def iter_items(
    specs: list[str],
    stdin: IO[str] | None = None,
    unique: UniqueIds | None = None,
    *,
    allow_private: bool = False,
) -> Iterator[BatchItem]:
    """Items from every spec, in order: ``-``, JSONL feeds, files, directories (recursive), globs.

    Pass ``unique`` to learn afterwards which ids were repeated (``unique.duplicates``), and
    ``allow_private=True`` to let feed URLs reach private addresses (the feed is trusted).
    """
    for item in _spec_items(specs, stdin, unique or UniqueIds()):
        item.allow_private = allow_private
        yield item


def _stdin_lines() -> Iterator[str]:
    """stdin's lines as UTF-8 whatever the locale, a byte that is not UTF-8 read as U+FFFD (as feed
    files are): under a strict locale one stray byte would otherwise end the whole run."""
    for raw in sys.stdin.buffer:
        yield raw.decode("utf-8", errors="replace")


def _spec_items(specs: list[str], stdin: IO[str] | None, unique: UniqueIds) -> Iterator[BatchItem]:
    for spec in specs:
        if spec == "-":
            yield from _feed_items(_stdin_lines() if stdin is None else stdin, "stdin", unique)
            continue
        path = Path(spec)
        if path.is_dir():
            files = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in ARTICLE_SUFFIXES)
            yield from _file_items(files, path, unique)
        elif path.is_file():
            yield from _file_items([path], None, unique)
        elif glob.has_magic(spec):
            matches = sorted(Path(p) for p in glob.glob(spec, recursive=True))
            files = [
                p for p in matches if p.is_file() and p.suffix.lower() in ARTICLE_SUFFIXES | FEED_SUFFIXES
            ]
            yield from _file_items(files, None, unique)
        else:
            yield BatchItem(
                id=unique(path.stem or "input"), origin=spec, problem=f"{spec}: no such file or directory"
            )
