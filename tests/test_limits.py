"""Pacing never exceeds a per-minute limit in any window; server wait hints are read correctly."""

import asyncio
import time
from email.utils import formatdate

import pytest

from briefer.limits import Pacer, RunGate, backoff_seconds, parse_duration, retry_after_seconds


def test_pacer_spaces_requests_evenly_and_never_bursts() -> None:
    async def go() -> list[float]:
        pacer, stamps = Pacer(per_minute=3000), []  # one every 20 ms
        for _ in range(40):
            await pacer.acquire()
            stamps.append(time.monotonic())
        return stamps

    stamps = asyncio.run(go())
    # Starts are scheduled 20 ms apart; a late wake-up is not made up for by a burst, so any
    # window of one scaled "minute" (3000/min -> 50 per second) holds at most 50 (+1 at its edge).
    assert all(sum(1 for t in stamps if s <= t < s + 1.0) <= 51 for s in stamps)
    assert stamps[-1] - stamps[0] >= 39 * 0.02 * 0.95, "never faster than the limit"
    assert stamps[-1] - stamps[0] < 39 * 0.02 * 2, "and not far slower (generous: CI machines are busy)"


def test_token_pacing_weighs_each_request_by_its_tokens() -> None:
    async def go() -> float:
        pacer = Pacer(per_minute=60_000)  # 1,000 tokens per second
        start = time.monotonic()
        for _ in range(4):
            await pacer.acquire(100)
        return time.monotonic() - start

    assert 0.29 <= asyncio.run(go()) < 0.6  # three 100 ms waits after the first


def test_no_limit_means_no_wait() -> None:
    async def go() -> float:
        pacer, start = Pacer(None), time.monotonic()
        for _ in range(1000):
            await pacer.acquire()
        return time.monotonic() - start

    assert asyncio.run(go()) < 0.1


def test_run_gate_pauses_every_waiter() -> None:
    async def go() -> list[float]:
        gate = RunGate()
        start = time.monotonic()
        gate.pause(0.2)
        gate.pause(0.1)  # a shorter pause never shortens a longer one
        return [t - start for t in await asyncio.gather(*(waited(gate) for _ in range(3)))]

    async def waited(gate: RunGate) -> float:
        await gate.wait()
        return time.monotonic()

    assert all(0.19 <= t < 0.35 for t in asyncio.run(go()))


@pytest.mark.parametrize(
    ("headers", "seconds"),
    [
        ({"retry-after-ms": "250"}, 0.25),
        ({"Retry-After": "7"}, 7.0),
        ({"x-ratelimit-reset-requests": "1s", "x-ratelimit-reset-tokens": "6m0s"}, 360.0),
        ({"x-ratelimit-reset-tokens": "20ms"}, 0.02),
        ({"retry-after": "garbage"}, None),
        ({}, None),
    ],
)
def test_retry_after_headers(headers: dict[str, str], seconds: float | None) -> None:
    assert retry_after_seconds(headers) == (pytest.approx(seconds) if seconds is not None else None)


def test_retry_after_http_date() -> None:
    assert retry_after_seconds({"retry-after": formatdate(time.time() + 30, usegmt=True)}) == pytest.approx(
        30, abs=1.5
    )


@pytest.mark.parametrize(("text", "seconds"), [("1h2m3.5s", 3723.5), ("0.5", 0.5), ("5x", None), ("", None)])
def test_parse_duration(text: str, seconds: float | None) -> None:
    assert parse_duration(text) == seconds


def test_backoff_is_jittered_exponential_and_capped() -> None:
    samples = [
        backoff_seconds(attempt, base=1.0, cap=8.0) for attempt in (1, 2, 3, 4, 10) for _ in range(200)
    ]
    assert all(0 <= s <= 8.0 for s in samples)
    assert max(backoff_seconds(1, base=1.0) for _ in range(200)) <= 1.0
    assert len({round(s, 6) for s in samples}) > 100, "jittered, not fixed"
