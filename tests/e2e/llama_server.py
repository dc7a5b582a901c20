"""What the e2e tests know about the real server they run against."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass
class RealServer:
    base_url: str
    model: str
    log: Path
