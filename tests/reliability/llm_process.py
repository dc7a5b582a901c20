"""The test LLM server (``tests/support/openai_server.py``) in a process of its own, so it can die for real
(``kill -9``) and come back on the same port, and so its authoring CPU does not skew the
latencies a test measures. It answers every chat completion after ``delay`` seconds (a fixed number,
or a ``(low, high)`` range drawn from anew for each answer, as a loaded model's latency varies)
and keeps ``requests`` (completions received) and ``most`` (held at once) in a JSON file.

    python tests/reliability/llm_process.py PORT LOW HIGH STATS_FILE
"""

from __future__ import annotations

import functools
import json
import os
import random
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

HERE = Path(__file__).resolve().parent


class LLM:
    """A handle on the server process: its URL, its figures, and killing or restarting it."""

    def __init__(self, port: int, delay: tuple[float, float], stats: Path) -> None:
        self.port, self.delay, self.stats = port, delay, stats
        self.process: subprocess.Popen | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    def start(self) -> None:
        command = [
            sys.executable,
            str(HERE / "llm_process.py"),
            str(self.port),
            *map(str, self.delay),
            str(self.stats),
        ]
        self.process = subprocess.Popen(command, env=os.environ | {"PYTHONPATH": str(HERE.parent)})
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return
            except OSError:
                assert time.monotonic() < deadline, "the LLM server never came up"
                time.sleep(0.05)

    def kill(self) -> None:
        """Die as a crashed server does: at once, connections dropped."""
        if self.process is not None:
            self.process.kill()
            self.process.wait()
            self.process = None

    def figures(self) -> dict[str, int]:
        try:
            return json.loads(self.stats.read_text())
        except (OSError, ValueError):
            return {"requests": 0, "most": 0}


@contextmanager
def llm_process(delay: float | tuple[float, float], folder: Path) -> Iterator[LLM]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    llm = LLM(port, delay if isinstance(delay, tuple) else (delay, delay), folder / f"llm-{port}.json")
    llm.start()
    try:
        yield llm
    finally:
        llm.kill()


def main(port: int, low: float, high: float, stats: Path) -> None:
    from support.openai_server import OpenAIServer, Turn, ok

    lock, now = threading.Lock(), [0]
    figures = LLM(port, (low, high), stats).figures()  # a restart goes on counting
    answer = ok().respond

    def save() -> None:  # atomically: a kill -9 mid-write must not leave a torn file for the restart
        stats.with_suffix(".tmp").write_text(json.dumps(figures))
        os.replace(stats.with_suffix(".tmp"), stats)

    def respond(request):  # called after the delay: the request is leaving
        with lock:
            now[0] -= 1
        return answer(request)

    delay = functools.partial(random.uniform, low, high)
    server = OpenAIServer(
        default=Turn(f"slow {low:g}-{high:g}s", respond, delay_s=delay, times=10**9), port=port
    )
    record = server.record

    def arrived(request) -> None:
        if request.method == "POST":
            with lock:
                now[0] += 1
                figures["requests"] += 1
                figures["most"] = max(figures["most"], now[0])
                save()
        record(request)

    server.record = arrived  # type: ignore[method-assign]
    with server:
        signal.sigwait({signal.SIGTERM, signal.SIGINT})


if __name__ == "__main__":
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM, signal.SIGINT})
    main(int(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3]), Path(sys.argv[4]))
