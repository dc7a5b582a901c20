"""The reliability suite (``make reliability``): what was tried, and what held, as one table.

Every test here is marked ``slow`` (``make test`` leaves them out). Each records its cases with
``figures(name)``: tries, tries that held, the worst time of a try and the worst memory of the
process under test; the table is printed at the end of the run, with notes (latencies,
throughput) under it. Knobs: ``BRIEFER_RELIABILITY_LOAD_S`` (seconds of load, default 20) and
``BRIEFER_RELIABILITY_KILLS`` (kill -9 rounds, default 20).
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import pytest

LOAD_S = float(os.environ.get("BRIEFER_RELIABILITY_LOAD_S", "20"))
KILLS = int(os.environ.get("BRIEFER_RELIABILITY_KILLS", "20"))


@dataclass
class Case:
    """One row of the table."""

    name: str
    tries: int = 0
    held: int = 0
    worst_s: float = 0.0
    worst_mb: float = 0.0
    notes: list[str] = field(default_factory=list)

    @contextmanager
    def attempt(self) -> Iterator[None]:
        """One try: it held if the block ends without an exception (an assertion that failed)."""
        self.tries += 1
        started = time.perf_counter()
        try:
            yield
        finally:
            self.worst_s = max(self.worst_s, time.perf_counter() - started)
        self.held += 1

    def count(self, tries: int, held: int, worst_s: float) -> None:
        """Many tries at once (a load run's requests)."""
        self.tries += tries
        self.held += held
        self.worst_s = max(self.worst_s, worst_s)

    def memory(self, mb: float) -> None:
        self.worst_mb = max(self.worst_mb, mb)

    def note(self, text: str) -> None:
        self.notes.append(text)


_CASES: list[Case] = []


@pytest.fixture
def figures() -> Callable[[str], Case]:
    def new(name: str) -> Case:
        case = Case(name)
        _CASES.append(case)
        return case

    return new


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if not _CASES:
        return
    width = max(len(c.name) for c in _CASES)
    write = terminalreporter.write_line
    write("")
    write("reliability: what was tried and what held")
    write(f"{'case':<{width}}  {'tries':>6}  {'held':>6}  {'worst time':>10}  {'worst memory':>12}")
    for c in _CASES:
        memory = f"{c.worst_mb:.0f} MB" if c.worst_mb else "-"
        write(f"{c.name:<{width}}  {c.tries:>6}  {c.held:>6}  {c.worst_s:>8.2f} s  {memory:>12}")
    for c in _CASES:
        for note in c.notes:
            write(f"  {c.name}: {note}")
