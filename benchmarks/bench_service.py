"""What the HTTP service costs on top of the library: POST /v1/briefs vs brief_article, same run.

Run: .venv/bin/python benchmarks/bench_service.py [--requests 400] [--workers 1]

Starts `briefer serve --engine extractive` on a free 127.0.0.1 port with a fresh cache, and
sends articles that differ in their first sentence, so every request is briefed (no cache hits).
For concurrency 1 and 16 it prints requests/s and p50/p99 latency of the service (measured at
the client, keep-alive connections) and of `brief_article` called directly (threads for
concurrency 16), then the overhead: service p50 − library p50 in ms, and the throughput ratio.
Target: p50 overhead < 5 ms at concurrency 1.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from itertools import count
from pathlib import Path

import httpx

from briefer.config import Settings
from briefer.engines import make_engine
from briefer.models import Article
from briefer.pipeline import brief_article

REPO = Path(__file__).resolve().parents[1]
ARTICLE = (REPO / "seeds" / "pakistan-taliban-warning.txt").read_text()
_serial = count()


def fresh_text() -> str:
    """A new article each call: the first sentence differs, so the cache never hits."""
    return f"Bulletin {next(_serial)} from the desk. {ARTICLE}"


@dataclass
class Run:
    label: str
    concurrency: int
    latencies_s: list[float]
    wall_s: float

    @property
    def rps(self) -> float:
        return len(self.latencies_s) / self.wall_s

    def percentile_ms(self, q: int) -> float:
        return statistics.quantiles(self.latencies_s, n=100, method="inclusive")[q - 1] * 1000

    def row(self) -> str:
        return (
            f"{self.label:<8} {self.concurrency:>3} {len(self.latencies_s):>6} {self.rps:>9.1f} "
            f"{statistics.fmean(self.latencies_s) * 1000:>8.2f} "
            f"{self.percentile_ms(50):>8.2f} {self.percentile_ms(99):>8.2f}"
        )


def measure(label: str, call: Callable[[], None], requests: int, concurrency: int) -> Run:
    def timed(_: int) -> float:
        started = time.perf_counter()
        call()
        return time.perf_counter() - started

    started = time.perf_counter()
    with ThreadPoolExecutor(concurrency) as pool:
        latencies = list(pool.map(timed, range(requests)))
    return Run(label, concurrency, latencies, time.perf_counter() - started)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(port: int, cache: Path, workers: int) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "BRIEFER_"))}
    command = [str(REPO / ".venv" / "bin" / "briefer"), "serve", "--engine", "extractive"]
    command += [
        "--port",
        str(port),
        "--cache",
        str(cache),
        "--workers",
        str(workers),
        "--max-in-flight",
        "64",
    ]
    server = subprocess.Popen(command, env=env, stderr=subprocess.DEVNULL)  # access log: 1 line/request
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz").status_code == 200:
                return server
        except httpx.TransportError:
            time.sleep(0.1)
    server.kill()
    sys.exit("the server did not start within 30 s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=400, help="Requests per concurrency level.")
    parser.add_argument("--workers", type=int, default=1, help="Server worker processes.")
    args = parser.parse_args()

    settings = Settings(engine="extractive")
    engine = make_engine(settings)

    def direct() -> None:
        brief_article(Article(text=fresh_text()), settings, engine)

    port = free_port()
    with tempfile.TemporaryDirectory() as tmp:
        server = start_server(port, Path(tmp) / "cache.sqlite3", args.workers)
        limits = httpx.Limits(max_connections=32, max_keepalive_connections=32)
        try:
            with httpx.Client(base_url=f"http://127.0.0.1:{port}", limits=limits, timeout=60) as client:

                def over_http() -> None:
                    response = client.post("/v1/briefs", json={"text": fresh_text()})
                    assert response.status_code == 201 and response.headers["x-briefer-cache"] == "miss"

                for call in (direct, over_http):  # warm up: imports, connections, first-call costs
                    measure("warmup", call, 30, 4)
                runs = [
                    (
                        measure("library", direct, args.requests, c),
                        measure("service", over_http, args.requests, c),
                    )
                    for c in (1, 16)
                ]
        finally:
            server.terminate()
            server.wait(10)

    print(
        f"extractive engine, {len(ARTICLE):,}-character article, {args.workers} server worker(s), "
        f"{os.cpu_count()} CPUs"
    )
    print(f"{'':<8} {'c':>3} {'reqs':>6} {'req/s':>9} {'mean ms':>8} {'p50 ms':>8} {'p99 ms':>8}")
    for library, service in runs:
        print(library.row())
        print(service.row())
    for library, service in runs:
        overhead = service.percentile_ms(50) - library.percentile_ms(50)
        print(
            f"concurrency {library.concurrency:>2}: p50 overhead {overhead:+.2f} ms, "
            f"throughput service/library {service.rps / library.rps:.2f}×"
        )


if __name__ == "__main__":
    main()
