"""The reliability suite's figures: one row per case (tries, tries that held, worst time of a try,
worst memory of the process under test) and the knobs that scale the suite:
``BRIEFER_RELIABILITY_LOAD_S`` (seconds of load, default 20) and ``BRIEFER_RELIABILITY_KILLS``
(kill -9 rounds, default 20). Not in conftest.py: tests import from here, and ``conftest`` is
the name of the top-level test plumbing too.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

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


CASES: list[Case] = []
