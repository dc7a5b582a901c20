"""What tests that start and kill processes share: the process tree and memory, read from /proc (Linux)."""

from __future__ import annotations

import contextlib
from pathlib import Path

HAS_PROC = Path("/proc/self/task").is_dir()


def descendants(pid: int) -> set[int]:
    """Every process below ``pid`` (children of each of its threads, recursively)."""
    found: set[int] = set()
    for children in Path(f"/proc/{pid}/task").glob("*/children"):
        with contextlib.suppress(OSError):
            for child in map(int, children.read_text().split()):
                found |= {child} | descendants(child)
    return found


def alive(pid: int) -> bool:
    """Running (a zombie waiting for a parent that will never reap it is not)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def memory_mb(pid: int, field: str = "VmRSS") -> float:
    """Resident memory of ``pid`` now (``VmRSS``) or at its peak (``VmHWM``), in MB; 0 once it is gone."""
    with contextlib.suppress(OSError):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    return 0.0
