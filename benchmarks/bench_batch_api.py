"""`briefer batch --via batch-api` at archive scale, against the local Batch API test server.

Run: .venv/bin/python benchmarks/bench_batch_api.py [--articles 2000]

The server (tests/support/openai_batch_server.py) runs in its own process and answers every line with
one canned brief, so the figures are briefer's own side of a Batch API run:
1. N articles through one round: wall time (of which the polling pauses between the batch's
   looks: 5 s, then 10 s), input file size, files/batches calls, peak RSS of `briefer batch`.
2. The same command again into the same output: requests sent (must be 0) and wall time.
Every article is held in memory while its batch runs (its steps wait on the answer), so peak
RSS grows with N, unlike a live batch, which streams its input.
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

REPO = Path(__file__).resolve().parents[1]
ARTICLE = (REPO / "seeds" / "pakistan-taliban-warning.txt").read_text()
SERVER = """
import sys, time
sys.path.insert(0, {tests!r})
from support.openai_batch_server import BatchServer
from support.openai_server import ok, author_brief
canned = author_brief(open({seed!r}).read()).model_dump_json()
with BatchServer(default=ok(canned)) as server:
    print(server.base_url, flush=True)
    sys.stdin.read()  # until the benchmark closes stdin
    print(len(server.files), len(server.batches), sum(len(d) for f, d in server.files.values() if f["purpose"] == "batch"), flush=True)
"""


def write_feed(path: Path, n: int) -> Path:
    with path.open("w") as handle:
        for i in range(n):
            handle.write(json.dumps({"id": f"a{i:05d}", "text": f"Story {i}. {ARTICLE}"}) + "\n")
    return path


def run(feed: Path, out: Path, base_url: str) -> tuple[float, float, dict]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "BRIEFER_"))}
    env["BRIEFER_ENGINE"] = "openai"  # the LLM engine's Batch API (auto: the hybrid for a local server)
    argv = [str(REPO / ".venv" / "bin" / "briefer"), "batch", str(feed), "--out", str(out), "--no-cache"]
    argv += ["--via", "batch-api", "--base-url", base_url, "--server", "openai", "--no-repair"]
    started = time.perf_counter()
    process = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    stderr = process.stderr.read() if process.stderr else ""
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"batch failed: {stderr[-2000:]}")
    return wall, usage.ru_maxrss / 1024, json.loads((out / "report.json").read_text())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=2000)
    args = parser.parse_args()
    script = SERVER.format(
        tests=str(REPO / "tests"), seed=str(REPO / "seeds" / "pakistan-taliban-warning.txt")
    )
    server = subprocess.Popen(
        [sys.executable, "-c", script], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=REPO
    )
    base_url = server.stdout.readline().strip() if server.stdout else ""
    with tempfile.TemporaryDirectory() as tmp:
        feed, out = write_feed(Path(tmp) / "feed.jsonl", args.articles), Path(tmp) / "out"
        wall, rss, report = run(feed, out, base_url)
        again_wall, _, again = run(feed, out, base_url)
    stats, _ = server.communicate("", timeout=60)
    files, batches, upload_bytes = (int(x) for x in stats.split())
    print(f"articles              {args.articles:,}")
    print(
        f"briefed               {report['counts']['done']:,} in {len(report['batches'])} batch(es), {report['requests']:,} requests"
    )
    print(
        f"input file(s)         {upload_bytes / 1e6:.1f} MB; {files} files, {batches} batches on the server"
    )
    print(f"wall time             {wall:.1f} s (15 s of it the pauses between the batch's looks)")
    print(f"peak RSS              {rss:.0f} MB (briefer batch)")
    print(
        f"re-run                {again['requests']} requests, {again['counts']['already_done']:,} already done, {again_wall:.1f} s"
    )


if __name__ == "__main__":
    main()
