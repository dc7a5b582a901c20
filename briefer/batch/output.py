"""Where a batch's results go, and what an earlier run in the same place already did.

A directory gets ``<id>.json``/``.md`` (written atomically), one line per brief appended to
``briefs.jsonl`` and ``report.json`` at the end: the latest run's, each run's also kept in
``runs/<started_at>.json`` (a re-run no longer loses the first run's report). ``briefs.jsonl`` is the directory's own record
of what is done: an article whose id is there with the same text is not briefed again, cache or
no cache. A line is appended whole or not at all (a full disk mid-line is undone), and a
half-written last line (and any temporary file) from a killed run is cleared on resume. Without a directory, BriefResult
JSONL streams to stdout, in input order with ``--ordered``.
"""

from __future__ import annotations

import contextlib
import json
import os
from pathlib import Path
from typing import IO

from briefer.batch.report import BatchOptions, BatchReport
from briefer.errors import ConfigError
from briefer.fileio import append_whole, cannot_write, write_atomic
from briefer.loading.inputs import BatchItem
from briefer.models import BriefResult, Failure
from briefer.render import render


class Output:
    """Where results go: a directory (files + briefs.jsonl + report.json) or a JSONL stream."""

    def __init__(self, options: BatchOptions, stream: IO[str]) -> None:
        self.options, self.stream = options, stream
        self.directory = options.out
        self.already_done: dict[str, str] = {}  # id -> sha256 of the article briefed under it
        self.previous_failures: set[str] = set()
        self._jsonl: int | None = None  # briefs.jsonl, opened for appending
        self._pending: dict[int, str | None] = {}  # --ordered: index -> line (None: failed)
        self._next_index = 0
        if self.directory is not None:
            self._open_directory(self.directory)

    def _open_directory(self, directory: Path) -> None:
        if directory.exists() and not directory.is_dir():
            raise ConfigError(f"{directory}: is a file, not a folder; give --out a folder (or - for stdout)")
        try:
            directory.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise ConfigError(
                f"{directory}: cannot create the output directory ({exc.strerror or exc})"
            ) from exc
        for stale in directory.glob(".*.tmp"):  # write_atomic's, from a run killed mid-write
            with contextlib.suppress(OSError):
                stale.unlink()
        jsonl = directory / "briefs.jsonl"
        try:
            self._jsonl = os.open(jsonl, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o666)
            self._repair_tail(self._jsonl)
            with jsonl.open(encoding="utf-8", errors="replace") as handle:
                for line in handle:
                    with contextlib.suppress(ValueError, AttributeError, TypeError, KeyError):
                        record = json.loads(line)
                        self.already_done[record["id"]] = record["provenance"]["input_sha256"]
        except OSError as exc:
            raise cannot_write(jsonl, exc) from exc
        report = directory / "report.json"
        if report.exists():
            with contextlib.suppress(ValueError, OSError):
                previous = BatchReport.model_validate_json(report.read_text(encoding="utf-8"))
                self.previous_failures = {f.id for f in previous.failures} - set(previous.unanswered)

    def skip_if_failed_before(self, index: int, item: BatchItem, report: BatchReport) -> bool:
        """An article that failed in an earlier run here is not tried again without ``--retry-failed``:
        it is counted and listed in ``report`` instead (live runs and Batch API runs alike)."""
        if item.id not in self.previous_failures or self.options.retry_failed or item.id in self.already_done:
            return False
        report.counts.skipped_failed += 1
        report.failures.append(
            Failure(
                id=item.id,
                origin=item.origin,
                reason="failed in an earlier run; --retry-failed tries it again",
            )
        )
        self.skip(index)
        return True

    def has(self, item_id: str, input_sha256: str) -> bool:
        """Whether this directory already holds the brief of this very article under this id."""
        return self.already_done.get(item_id) == input_sha256

    @staticmethod
    def _repair_tail(fd: int) -> None:
        """Drop a half-written last line (a ``kill -9`` during a write) so the file stays valid JSONL."""
        size = os.lseek(fd, 0, os.SEEK_END)
        if size == 0 or os.pread(fd, 1, size - 1) == b"\n":
            return
        position = size
        while position > 0:  # walk back to the last newline
            step = min(65536, position)
            cut = os.pread(fd, step, position - step).rfind(b"\n")
            if cut >= 0:
                os.ftruncate(fd, position - step + cut + 1)
                return
            position -= step
        os.ftruncate(fd, 0)

    def write(self, index: int, item: BatchItem, result: BriefResult) -> None:
        line = result.model_dump_json()
        if self.directory is None:
            self._emit(index, line)
            return
        for fmt in self.options.formats:
            write_atomic(self.directory / f"{item.id}.{fmt}", render(result, fmt))
        assert self._jsonl is not None
        append_whole(self._jsonl, (line + "\n").encode(), self.directory / "briefs.jsonl")
        self.already_done[item.id] = result.provenance.input_sha256

    def skip(self, index: int) -> None:
        """Nothing to emit for ``index`` (failed, or done earlier); lets --ordered move on."""
        if self.directory is None:
            self._emit(index, None)

    def _emit(self, index: int, line: str | None) -> None:
        if not self.options.ordered:
            if line is not None:
                self.stream.write(line + "\n")
                self.stream.flush()
            return
        self._pending[index] = line
        while self._next_index in self._pending:
            ready = self._pending.pop(self._next_index)
            if ready is not None:
                self.stream.write(ready + "\n")
            self._next_index += 1
        self.stream.flush()

    def finish(self, report: BatchReport) -> None:
        if self._jsonl is not None:
            os.close(self._jsonl)
            self._jsonl = None
        if self.directory is not None:
            text = report.model_dump_json(indent=2) + "\n"
            runs = self.directory / "runs"
            runs.mkdir(exist_ok=True)
            write_atomic(runs / f"{report.started_at:%Y%m%dT%H%M%S%fZ}.json", text)
            write_atomic(self.directory / "report.json", text)
