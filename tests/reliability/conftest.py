"""The reliability suite (``make reliability``): what was tried, and what held, as one table.

Every test here is marked ``slow`` (``make test`` leaves them out). Each records its cases with
the ``figures(name)`` fixture (see figures.py); the table is printed at the end of the run, with
notes (latencies, throughput) under it.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from reliability.figures import CASES, Case


@pytest.fixture
def figures() -> Callable[[str], Case]:
    def new(name: str) -> Case:
        case = Case(name)
        CASES.append(case)
        return case

    return new


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if not CASES:
        return
    width = max(len(c.name) for c in CASES)
    write = terminalreporter.write_line
    write("")
    write("reliability: what was tried and what held")
    write(f"{'case':<{width}}  {'tries':>6}  {'held':>6}  {'worst time':>10}  {'worst memory':>12}")
    for c in CASES:
        memory = f"{c.worst_mb:.0f} MB" if c.worst_mb else "-"
        write(f"{c.name:<{width}}  {c.tries:>6}  {c.held:>6}  {c.worst_s:>8.2f} s  {memory:>12}")
    for c in CASES:
        for note in c.notes:
            write(f"  {c.name}: {note}")
