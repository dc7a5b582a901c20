"""Pacing never exceeds a per-minute limit in any window; server wait hints are read correctly;
the wrapper every LLM request goes through retries what can succeed later and nothing else."""

import asyncio
import time
from email.utils import formatdate

import pytest

from briefer.engines.llm.exchange import ChatAnswer, ChatRequest, Message
from briefer.engines.llm.limits import (
    Limits,
    Pacer,
    RunGate,
    backoff_seconds,
    parse_duration,
    retry_after_seconds,
)
from briefer.errors import EngineError
from briefer.models import Brief


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


# -- the wrapper every LLM request goes through ---------------------------------------------------


class _Scripted:
    """A transport answering from a script: an EngineError to raise, or content to return."""

    model, server, context_window = "m", "scripted://", None

    def __init__(self, *turns: object) -> None:
        self.turns, self.calls = list(turns), 0

    def _next(self) -> ChatAnswer:
        self.calls += 1
        turn = self.turns.pop(0)
        if isinstance(turn, Exception):
            raise turn
        return ChatAnswer(content=str(turn))

    def complete(self, request: ChatRequest) -> ChatAnswer:
        return self._next()

    async def acomplete(self, request: ChatRequest) -> ChatAnswer:
        return self._next()

    def cost_usd(self, usage: object) -> float:
        return 0.0

    def warm_up(self) -> None:
        pass

    def prepare(self) -> None:
        pass

    async def aprepare(self) -> None:
        pass


REQUEST = ChatRequest(messages=(Message("user", "hi"),), output=Brief, mode="json_schema")


@pytest.fixture
def no_backoff(monkeypatch: pytest.MonkeyPatch) -> None:
    import briefer.engines.llm.limits

    monkeypatch.setattr(briefer.engines.llm.limits, "backoff_seconds", lambda *a, **k: 0.0)


def test_retryable_failures_are_retried_then_reported_with_the_count(no_backoff: None) -> None:
    limits = Limits(max_retries=2)
    flaky = _Scripted(*[EngineError("the server failed (500)", retryable=True)] * 3)
    with pytest.raises(EngineError, match=r"^the server failed \(500\) \(gave up after 2 retries\)$"):
        limits.wrap(flaky).complete(REQUEST)
    assert flaky.calls == 3 and (limits.sent, limits.retried) == (3, 2)


def test_fatal_and_final_failures_are_never_retried(no_backoff: None) -> None:
    for error in (EngineError("quota exceeded", fatal=True), EngineError("bad request")):
        transport = _Scripted(error, "never reached")
        with pytest.raises(EngineError, match=str(error)):
            Limits(max_retries=5).wrap(transport).complete(REQUEST)
        assert transport.calls == 1


def test_a_rate_limit_pauses_every_request_sharing_the_limits() -> None:
    limits = Limits(max_retries=1)
    limited = EngineError("rate limited (429)", retryable=True, rate_limited=True, retry_after_s=0.3)
    first = limits.wrap(_Scripted(limited, "ok"))
    other = limits.wrap(_Scripted("ok"))

    async def go() -> tuple[float, float]:
        start = time.monotonic()

        async def later() -> float:
            await asyncio.sleep(0.05)  # starts while the first request's 429 pause is on
            await other.acomplete(REQUEST)
            return time.monotonic() - start

        _, waited = await asyncio.gather(first.acomplete(REQUEST), later())
        return time.monotonic() - start, waited

    total, waited = asyncio.run(go())
    assert total >= 0.29 and waited >= 0.29, "the other request waited out the same pause"


def test_sync_requests_are_paced_too() -> None:
    transport = Limits(rpm=600).wrap(_Scripted("a", "b", "c"))  # one every 100 ms
    start = time.monotonic()
    for _ in range(3):
        transport.complete(REQUEST)
    assert time.monotonic() - start >= 0.19
