"""A load generator for ``briefer serve``: N clients posting distinct articles for a while.

Each client waits for its answer (up to ``timeout_s``: longer is a hang), honours a 429's
``retry-after`` as a polite client would, and records what came back.
"""

from __future__ import annotations

import asyncio
import itertools
import statistics
import time
from dataclasses import dataclass

import httpx
from support.service_server import story


@dataclass
class Outcome:
    status: int | None  # None: no HTTP answer at all
    error: str | None  # the transport error's name when there was no answer
    seconds: float
    sha256: str | None = None
    retry_after: str | None = None


async def _client(
    client: httpx.AsyncClient, numbers: itertools.count, until: float, out: list[Outcome], timeout_s: float
) -> None:
    while time.monotonic() < until:
        started = time.perf_counter()
        try:
            response = await client.post("/v1/briefs", json={"text": story(next(numbers))}, timeout=timeout_s)
        except httpx.TransportError as exc:
            out.append(Outcome(None, type(exc).__name__, time.perf_counter() - started))
            if isinstance(exc, httpx.ConnectError):
                return  # the server is gone or refusing: this client is done
            continue
        elapsed = time.perf_counter() - started
        sha = response.json()["provenance"]["input_sha256"] if response.status_code == 201 else None
        retry_after = response.headers.get("retry-after")
        out.append(Outcome(response.status_code, None, elapsed, sha, retry_after))
        if response.status_code == 429:
            await asyncio.sleep(float(retry_after or 1))


def hammer(url: str, clients: int, seconds: float, *, first: int = 0, timeout_s: float = 30) -> list[Outcome]:
    """``clients`` concurrent clients for ``seconds``; article numbers from ``first`` up (all distinct)."""

    async def run() -> list[Outcome]:
        out: list[Outcome] = []
        numbers = itertools.count(first)
        # Idle connections are dropped before the server's 5 s keep-alive ends: reusing one the
        # server is closing at that moment fails the request, a race of the client's own making.
        limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients, keepalive_expiry=2)
        async with httpx.AsyncClient(base_url=url, limits=limits, trust_env=False) as client:
            until = time.monotonic() + seconds
            await asyncio.gather(*(_client(client, numbers, until, out, timeout_s) for _ in range(clients)))
        return out

    return asyncio.run(run())


def latencies(outcomes: list[Outcome], status: int) -> str:
    """p50/p99/max of the answers with ``status``, for the notes under the table."""
    times = sorted(o.seconds for o in outcomes if o.status == status)
    if not times:
        return f"no {status}"
    p99 = times[min(len(times) - 1, int(len(times) * 0.99))]
    return (
        f"{len(times)} × {status}: p50 {statistics.median(times) * 1000:.0f} ms, "
        f"p99 {p99 * 1000:.0f} ms, max {times[-1] * 1000:.0f} ms"
    )


def retrievable(url: str, shas: set[str]) -> set[str]:
    """Which of ``shas`` the service returns by ``GET /v1/briefs/{sha256}`` (16 at a time)."""

    async def run() -> set[str]:
        found: set[str] = set()
        gate = asyncio.Semaphore(16)
        async with httpx.AsyncClient(base_url=url, trust_env=False, timeout=30) as client:

            async def one(sha: str) -> None:
                async with gate:
                    response = await client.get(f"/v1/briefs/{sha}")
                if response.status_code == 200 and response.json()["provenance"]["input_sha256"] == sha:
                    found.add(sha)

            await asyncio.gather(*(one(sha) for sha in shas))
        return found

    return asyncio.run(run())
