"""Staying within an account's limits: request/token pacing, a run-wide pause on 429, backoff.

A token bucket that starts full lets a burst of a whole minute's requests through at once, so a
60-second window can see twice the limit. ``Pacer`` instead spaces requests evenly (a
generic cell-rate algorithm with no burst): in any 60-second window at most ``per_minute``
units start, and a steady run goes at exactly the limit.
"""

from __future__ import annotations

import asyncio
import email.utils
import random
import re
import time
from collections.abc import Mapping

_DURATION_PART = re.compile(r"(\d+(?:\.\d+)?)(ms|s|m|h)")
_UNIT_SECONDS = {"ms": 0.001, "s": 1.0, "m": 60.0, "h": 3600.0}


# Paced starts are exact, but requests reach the server with a few ms of jitter: 0.5% headroom
# keeps a server that counts arrivals in a 60-second window from ever seeing limit + 1.
HEADROOM = 1.005


class Pacer:
    """Spaces acquisitions so that ``per_minute`` units are never exceeded in any 60 s window."""

    def __init__(self, per_minute: float | None) -> None:
        self.seconds_per_unit = 60.0 / per_minute * HEADROOM if per_minute else 0.0
        self._next_free = 0.0

    async def acquire(self, units: float = 1.0) -> None:
        if not self.seconds_per_unit:
            return
        now = time.monotonic()
        start = max(now, self._next_free)
        self._next_free = start + units * self.seconds_per_unit
        if start > now:
            await asyncio.sleep(start - now)

    def hold_until(self, moment: float) -> None:
        """Start nothing before ``moment`` (monotonic seconds)."""
        self._next_free = max(self._next_free, moment)


class RunGate:
    """A pause shared by every task of a run: one 429 backs off the whole run, not one task."""

    def __init__(self) -> None:
        self.paused_until = 0.0

    def pause(self, seconds: float) -> None:
        self.paused_until = max(self.paused_until, time.monotonic() + seconds)

    async def wait(self) -> None:
        while (delay := self.paused_until - time.monotonic()) > 0:
            await asyncio.sleep(delay)


def parse_duration(text: str) -> float | None:
    """OpenAI's reset headers: ``"20ms"``, ``"1s"``, ``"6m0s"``, ``"1h2m3.5s"``; plain numbers are seconds."""
    text = text.strip()
    try:
        return float(text)
    except ValueError:
        pass
    parts = _DURATION_PART.findall(text)
    if not parts or "".join(n + u for n, u in parts) != text:
        return None
    return sum(float(number) * _UNIT_SECONDS[unit] for number, unit in parts)


def retry_after_seconds(headers: Mapping[str, str]) -> float | None:
    """How long the server asks us to wait: retry-after-ms, retry-after (seconds or a date), reset headers."""
    lower = {k.lower(): v for k, v in headers.items()}
    if (ms := lower.get("retry-after-ms")) is not None:
        try:
            return max(0.0, float(ms) / 1000)
        except ValueError:
            pass
    if (value := lower.get("retry-after")) is not None:
        seconds = parse_duration(value)
        if seconds is None:
            try:
                seconds = email.utils.parsedate_to_datetime(value).timestamp() - time.time()
            except (TypeError, ValueError, IndexError):
                seconds = None
        if seconds is not None:
            return max(0.0, seconds)
    resets = [
        parse_duration(lower[h])
        for h in ("x-ratelimit-reset-requests", "x-ratelimit-reset-tokens")
        if h in lower
    ]
    known = [r for r in resets if r is not None]
    return max(known) if known else None


def backoff_seconds(attempt: int, base: float = 0.5, cap: float = 30.0) -> float:
    """Full-jitter exponential backoff for attempt 1, 2, 3, ..."""
    return random.uniform(0, min(cap, base * 2 ** (attempt - 1)))
