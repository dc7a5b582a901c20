"""Batch throughput, rate-limit compliance, re-run cost and memory, against a local latency server.

Run: .venv/bin/python benchmarks/bench_batch.py [--articles 500] [--latency 0.2] [--skip-rpm] [--skip-rss]

Figures (each is also compared with its ideal in the same run):
1. N articles at the given latency with --concurrency 32: wall time vs N × latency / 32.
2. The same with --rpm 600: wall time vs N / 600 minutes, and the most requests the server saw
   in any 60-second window (must not exceed 600).
3. A re-run of batch 1 into the same output: requests sent (must be 0) and wall time.
4. Peak RSS of `briefer batch` over 10,000 small articles (streamed from a JSONL feed).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from latency_server import LatencyServer

REPO = Path(__file__).resolve().parents[1]
ARTICLE = (REPO / "seeds" / "pakistan-taliban-warning.txt").read_text()


def write_feed(path: Path, n: int, text: str) -> Path:
    with path.open("w") as handle:
        for i in range(n):
            handle.write(json.dumps({"id": f"a{i:05d}", "text": f"Story {i}. {text}"}) + "\n")
    return path


def run_batch(feed: Path, out: Path, cache: Path, base_url: str, *extra: str) -> tuple[float, dict]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "BRIEFER_"))}
    env["BRIEFER_ENGINE"] = "openai"  # the LLM engine's batching (auto: the hybrid for a local server)
    command = [
        str(REPO / ".venv" / "bin" / "briefer"),
        "batch",
        str(feed),
        "--out",
        str(out),
        "--cache",
        str(cache),
    ]
    # The canned brief is not backed by the articles: --no-repair keeps it to one request per article.
    argv = [*command, "--base-url", base_url, "--no-repair", *extra]
    started = time.perf_counter()
    process = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    stderr = process.stderr.read() if process.stderr else ""
    _, status, usage = os.wait4(process.pid, 0)  # this child's own peak RSS, not the max over all children
    process.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - started
    if process.returncode != 0:
        sys.exit(f"batch failed ({process.returncode}): {stderr[-2000:]}")
    report = json.loads((out / "report.json").read_text())
    report["peak_rss_mb"] = usage.ru_maxrss / 1024
    return wall, report


def sdk_baseline(base_url: str, n: int, concurrency: int) -> float:
    """Wall time of n bare AsyncOpenAI calls at the same concurrency: what this machine allows at all."""
    import asyncio

    import openai

    async def go() -> float:
        gate = asyncio.Semaphore(concurrency)
        async with openai.AsyncOpenAI(api_key="bench", base_url=base_url, max_retries=0) as client:

            async def one() -> None:
                async with gate:
                    await client.chat.completions.create(
                        model="gpt-4o-mini", messages=[{"role": "user", "content": ARTICLE}], temperature=0
                    )

            started = time.perf_counter()
            await asyncio.gather(*(one() for _ in range(n)))
            return time.perf_counter() - started

    return asyncio.run(go())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=500)
    parser.add_argument("--latency", type=float, default=0.2)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--rpm", type=float, default=600)
    parser.add_argument("--skip-rpm", action="store_true", help="skip the ~50 s rate-limited run")
    parser.add_argument("--skip-rss", action="store_true", help="skip the 10,000-article memory run")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="briefer-bench-"))
    feed = write_feed(work / "feed.jsonl", args.articles, ARTICLE)
    n = args.articles

    with LatencyServer(args.latency) as server:
        wall, report = run_batch(
            feed,
            work / "out",
            work / "cache.sqlite3",
            server.base_url,
            "--concurrency",
            str(args.concurrency),
        )
        ideal = n * args.latency / args.concurrency
        baseline = sdk_baseline(server.base_url, n, args.concurrency)
        print(
            f"0. baseline: {n} bare AsyncOpenAI calls at concurrency {args.concurrency}: {baseline:.2f} s "
            f"-> {baseline / ideal:.2f}x ideal (the SDK and the server on this machine)"
        )
        print(
            f"1. {n} articles, {args.latency:g} s latency, concurrency {args.concurrency}: "
            f"process wall {wall:.2f} s, batch wall {report['wall_s']:.2f} s, ideal {ideal:.2f} s "
            f"-> {report['wall_s'] / ideal:.2f}x ideal, {report['wall_s'] / baseline:.2f}x the bare-SDK baseline "
            f"({len(server.arrivals) - n} requests)"
        )

        sent = len(server.arrivals)
        wall, report = run_batch(
            feed,
            work / "out",
            work / "cache.sqlite3",
            server.base_url,
            "--concurrency",
            str(args.concurrency),
        )
        print(
            f"3. re-run: {len(server.arrivals) - sent} requests, {report['counts']['already_done']} already done, "
            f"process wall {wall:.2f} s, batch wall {report['wall_s']:.2f} s"
        )

    if not args.skip_rpm:
        with LatencyServer(args.latency) as server:
            wall, report = run_batch(
                feed,
                work / "out-rpm",
                work / "cache-rpm.sqlite3",
                server.base_url,
                "--concurrency",
                str(args.concurrency),
                "--rpm",
                f"{args.rpm:g}",
            )
            ideal = n / args.rpm * 60
            print(
                f"2. {n} articles at --rpm {args.rpm:g}: batch wall {report['wall_s']:.2f} s, ideal {ideal:.2f} s "
                f"-> {report['wall_s'] / ideal:.3f}x ideal; most requests in any 60 s window: "
                f"{server.max_in_window(60)} (limit {args.rpm:g}); in any 1 s window: "
                f"{server.max_in_window(1)} (limit {args.rpm / 60:g})"
            )

    if not args.skip_rss:
        small = write_feed(
            work / "small.jsonl", 10_000, "A short wire item about markets moving today, with enough words."
        )
        with LatencyServer(0.0) as server:
            wall, report = run_batch(
                small,
                work / "out-small",
                work / "cache-small.sqlite3",
                server.base_url,
                "--concurrency",
                "64",
            )
            print(
                f"4. 10,000 small articles: peak RSS {report['peak_rss_mb']:.0f} MB, "
                f"batch wall {report['wall_s']:.1f} s, {report['articles_per_s']:.0f} articles/s"
            )
    print(f"(work files in {work})")


if __name__ == "__main__":
    main()
