"""How long the ``briefer`` command takes to start, next to simonw's ``llm`` CLI on the same machine.

Run: .venv/bin/python benchmarks/bench_startup.py [--runs 15] [--llm PATH] [--checkout DIR] [--importtime]

Times, as separate processes, each several times (median and best, wall clock):

- ``briefer --help`` and ``briefer brief --help``: what a user waits for before anything
  happens; target: at most a third of ``llm --help``;
- ``briefer batch`` of one small article with the offline engine into a fresh temp dir and
  cache: the fixed cost of a run (imports, pool, cache, report); target: under 1 s.

briefer runs as ``python -m briefer`` with this checkout (or the one ``--checkout DIR`` names,
e.g. ``git archive`` of an older commit, for a before/after) first on ``PYTHONPATH``. ``llm`` is found with
``--llm PATH``, ``$BRIEFER_BENCH_LLM`` or on ``PATH`` (``python3 -m venv /tmp/llmvenv &&
/tmp/llmvenv/bin/pip install llm``); without it the comparison is skipped. Commands run
interleaved, so load from other processes hits both sides alike. ``--importtime`` adds the
modules ``briefer --help`` spends most on importing (``python -X importtime``).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SEED = REPO / "seeds" / "pakistan-taliban-warning.txt"


def wall_s(command: list[str], env: dict[str, str]) -> float:
    """One run's wall time; a failing command stops the benchmark (its timing would mean nothing)."""
    began = time.perf_counter()
    done = subprocess.run(command, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - began
    if done.returncode != 0:
        sys.exit(f"{' '.join(command)} failed ({done.returncode}):\n{done.stderr}")
    return elapsed


def time_interleaved(
    commands: dict[str, list[str]], env: dict[str, str], runs: int
) -> dict[str, list[float]]:
    """Each command ``runs`` times, taking turns, after one untimed warm-up run each (disk cache)."""
    for command in commands.values():
        wall_s(command, env)
    times: dict[str, list[float]] = {label: [] for label in commands}
    for _ in range(runs):
        for label, command in commands.items():
            times[label].append(wall_s(command, env))
    return times


def batch_command(briefer: list[str], workdir: Path) -> list[str]:
    """``briefer batch`` of one short article into a directory and cache no earlier run has touched."""
    folder = Path(tempfile.mkdtemp(dir=workdir))
    (folder / "in").mkdir()
    (folder / "in" / "story.txt").write_text(SEED.read_text()[:1500])
    return [
        *briefer,
        *("batch", str(folder / "in"), "--out", str(folder / "out")),
        *("--engine", "extractive", "--cache", str(folder / "cache.sqlite3")),
    ]


def time_batch(briefer: list[str], env: dict[str, str], runs: int) -> list[float]:
    with tempfile.TemporaryDirectory() as workdir:
        wall_s(batch_command(briefer, Path(workdir)), env)
        return [wall_s(batch_command(briefer, Path(workdir)), env) for _ in range(runs)]


def import_hints(env: dict[str, str], top: int) -> list[str]:
    """The modules ``briefer --help`` spends most on importing (cumulative µs, from -X importtime)."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "briefer", "--help"],
        env=env,
        capture_output=True,
        text=True,
    )
    rows = []
    for line in done.stderr.splitlines():
        parts = [part.strip() for part in line.removeprefix("import time:").split("|")]
        if len(parts) == 3 and parts[1].isdigit():
            rows.append((int(parts[1]), parts[2]))
    return [f"  {us / 1000:7.1f} ms  {name}" for us, name in sorted(rows, reverse=True)[:top]]


def find_llm(given: str | None) -> str | None:
    candidate = given or os.environ.get("BRIEFER_BENCH_LLM") or shutil.which("llm")
    return candidate if candidate and Path(candidate).is_file() else None


def line(label: str, times: list[float]) -> str:
    median = statistics.median(times)
    return (
        f"{label:<28} median {median * 1000:6.0f} ms   best {min(times) * 1000:6.0f} ms   ({len(times)} runs)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15, help="timed runs per command (default 15)")
    parser.add_argument("--batch-runs", type=int, default=5, help="timed batch runs (default 5)")
    parser.add_argument("--llm", help="the llm executable (default: $BRIEFER_BENCH_LLM, then PATH)")
    parser.add_argument("--checkout", type=Path, default=REPO, help="the briefer source tree to time")
    parser.add_argument("--importtime", action="store_true", help="show where --help's imports go")
    args = parser.parse_args()

    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "BRIEFER_"))}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(args.checkout.resolve()), env.get("PYTHONPATH")]))
    env["PYTHONSAFEPATH"] = "1"  # python -m must not import briefer from the current directory instead
    briefer = [sys.executable, "-m", "briefer"]
    commands = {"briefer --help": [*briefer, "--help"], "briefer brief --help": [*briefer, "brief", "--help"]}
    llm = find_llm(args.llm)
    if llm:
        commands["llm --help"] = [llm, "--help"]
    times = time_interleaved(commands, env, args.runs)
    for label, runs in times.items():
        print(line(label, runs))
    if llm:
        ratio = statistics.median(times["briefer --help"]) / statistics.median(times["llm --help"])
        print(f"{'briefer --help / llm --help':<28} {ratio:.2f} (target at most 0.33)")
    else:
        print("llm not found: skipped")
    batch = time_batch(briefer, env, args.batch_runs)
    print(line("briefer batch, 1 article", batch) + "  (target under 1000 ms)")
    if args.importtime:
        print("imports of briefer --help, cumulative:")
        print("\n".join(import_hints(env, 15)))


if __name__ == "__main__":
    main()
