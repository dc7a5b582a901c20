"""Staying within an account's limits: request/token pacing, a run-wide pause on 429, retries.

``Limits`` wraps any LLM transport (``engines.llm.exchange.Transport``); the batch runner, the
HTTP service and the Python API all send through that one wrapper.

A token bucket that starts full lets a burst of a whole minute's requests through at once, so a
60-second window can see twice the limit. ``Pacer`` instead spaces requests evenly (a
generic cell-rate algorithm with no burst): in any 60-second window at most ``per_minute``
units start, and a steady run goes at exactly the limit.
"""

from __future__ import annotations

import asyncio
import email.utils
import itertools
import random
import re
import threading
import time
from collections.abc import Mapping
from typing import TYPE_CHECKING

from briefer.errors import EngineError

if TYPE_CHECKING:
    from briefer.engines.llm.exchange import ChatAnswer, ChatRequest, Transport

_DURATION_PART = re.compile(r"(\d+(?:\.\d+)?)(ms|s|m|h)")
_UNIT_SECONDS = {"ms": 0.001, "s": 1.0, "m": 60.0, "h": 3600.0}


# Paced starts are exact, but requests reach the server with a few ms of jitter: 0.5% headroom
# keeps a server that counts arrivals in a 60-second window from ever seeing limit + 1.
HEADROOM = 1.005
EXPECTED_OUTPUT_TOKENS = 600  # one brief or one chunk's notes as JSON: paced before it is written


class Pacer:
    """Spaces acquisitions so that ``per_minute`` units are never exceeded in any 60 s window.

    Thread-safe, and usable from threads (``acquire_sync``) and event loops (``acquire``) at once.
    """

    def __init__(self, per_minute: float | None) -> None:
        self.seconds_per_unit = 60.0 / per_minute * HEADROOM if per_minute else 0.0
        self._next_free = 0.0
        self._lock = threading.Lock()

    def _reserve(self, units: float) -> float:
        """Book the next free start for ``units``: how long to wait for it."""
        if not self.seconds_per_unit:
            return 0.0
        with self._lock:
            now = time.monotonic()
            start = max(now, self._next_free)
            self._next_free = start + units * self.seconds_per_unit
        return start - now

    async def acquire(self, units: float = 1.0) -> None:
        if (delay := self._reserve(units)) > 0:
            await asyncio.sleep(delay)

    def acquire_sync(self, units: float = 1.0) -> None:
        if (delay := self._reserve(units)) > 0:
            time.sleep(delay)

    def hold_until(self, moment: float) -> None:
        """Start nothing before ``moment`` (monotonic seconds)."""
        with self._lock:
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

    def wait_sync(self) -> None:
        while (delay := self.paused_until - time.monotonic()) > 0:
            time.sleep(delay)


class Limits:
    """An account's limits and the retry policy, shared by every request that goes through them.

    ``rpm``/``tpm``: requests and tokens per minute (None: unpaced). ``max_retries``: how often
    a retryable failure (429, 5xx, timeout, lost connection) is tried again. The counters say
    what was sent, retries included, for batch reports.
    """

    def __init__(self, rpm: float | None = None, tpm: float | None = None, max_retries: int = 2) -> None:
        self.rpm, self.tpm, self.max_retries = rpm, tpm, max_retries
        self.gate = RunGate()
        self.requests = Pacer(rpm)
        self.tokens = Pacer(tpm)
        self.sent = 0
        self.retried = 0

    def wrap(self, transport: Transport) -> LimitedTransport:
        return LimitedTransport(transport, self)


class LimitedTransport:
    """Any LLM transport, paced and retried under ``Limits``: the one wrapper batch, service and API use.

    A 429 pauses every request sharing the limits (for the server's retry-after when given);
    5xx, timeouts and lost connections back off with full jitter. Fatal errors are raised at once.
    """

    def __init__(self, inner: Transport, limits: Limits) -> None:
        self.inner, self.limits = inner, limits
        self.model, self.server = inner.model, inner.server
        self.cost_usd, self.warm_up = inner.cost_usd, inner.warm_up
        self.prepare, self.aprepare = inner.prepare, inner.aprepare

    @property
    def context_window(self) -> int | None:
        return self.inner.context_window

    def _tokens(self, request: ChatRequest) -> int:
        if not self.limits.tpm:
            return 0
        from briefer.tokens import count_tokens

        return count_tokens(request.text(), self.model) + EXPECTED_OUTPUT_TOKENS

    def _after_failure(self, exc: EngineError, attempt: int) -> float:
        """Seconds to wait before trying again, or re-raise when no retry can help."""
        if not exc.retryable or exc.fatal:
            raise exc
        if attempt >= self.limits.max_retries:
            raise EngineError(
                f"{exc} (gave up after {attempt} retries)" if attempt else str(exc),
                retryable=True,
                rate_limited=exc.rate_limited,
            ) from exc
        self.limits.retried += 1
        if exc.rate_limited:
            wait = (
                exc.retry_after_s if exc.retry_after_s is not None else backoff_seconds(attempt + 1, base=1.0)
            )
            self.limits.gate.pause(wait)
            self.limits.requests.hold_until(self.limits.gate.paused_until)
            return 0.0
        return backoff_seconds(attempt + 1)

    def complete(self, request: ChatRequest) -> ChatAnswer:
        tokens = self._tokens(request)
        for attempt in itertools.count():
            self.limits.gate.wait_sync()
            self.limits.requests.acquire_sync()
            self.limits.tokens.acquire_sync(tokens)
            self.limits.sent += 1
            try:
                return self.inner.complete(request)
            except EngineError as exc:
                time.sleep(self._after_failure(exc, attempt))
        raise AssertionError("unreachable")

    async def acomplete(self, request: ChatRequest) -> ChatAnswer:
        tokens = self._tokens(request)
        for attempt in itertools.count():
            await self.limits.gate.wait()
            await self.limits.requests.acquire()
            await self.limits.tokens.acquire(tokens)
            self.limits.sent += 1
            try:
                return await self.inner.acomplete(request)
            except EngineError as exc:
                await asyncio.sleep(self._after_failure(exc, attempt))
        raise AssertionError("unreachable")


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
