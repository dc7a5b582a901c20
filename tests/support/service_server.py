"""The HTTP service under test: a real uvicorn server on 127.0.0.1 in a thread, called with httpx.

Engines that are slow, or that fail, are injected through ``create_app(engine=...)`` so limits and
error paths are exercised in well under a second each.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

import httpx
import uvicorn
from fastapi import FastAPI

from briefer.config import Settings
from briefer.engines import EngineOutput
from briefer.engines.extractive import ExtractiveEngine
from briefer.models import Article
from briefer.service import create_app

SEED = (Path(__file__).resolve().parents[2] / "seeds" / "pakistan-taliban-warning.txt").read_text()
EXTRACTIVE = Settings(engine="extractive")
TOKEN = "t0ken-for-tests"


def story(n: int) -> str:
    """A distinct article per ``n``, so each one misses the cache."""
    return f"Story number {n} from the desk. {SEED}"


class SlowEngine(ExtractiveEngine):
    """The extractive engine after a nap; ``started`` is set once a brief is under way."""

    fingerprint: ClassVar[dict[str, str]] = {"engine": "extractive", "model": "slow-test"}

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.started = threading.Event()

    def run(self, article: Article) -> EngineOutput:
        self.started.set()
        time.sleep(self.seconds)
        return super().run(article)


class BrokenEngine(ExtractiveEngine):
    """Fails like a bug would, with a secret in the message that must never be shown."""

    fingerprint: ClassVar[dict[str, str]] = {"engine": "extractive", "model": "broken-test"}

    def run(self, article: Article) -> EngineOutput:
        raise RuntimeError("boom: OPENAI_API_KEY=sk-live-secret")


@contextmanager
def running(app: FastAPI) -> Iterator[httpx.Client]:
    """Serve ``app`` with uvicorn on a free 127.0.0.1 port in a thread; a client for it."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", access_log=False))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.01)
    assert server.started, "uvicorn did not start"
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=10) as client:
            yield client
    finally:
        server.should_exit = True
        thread.join(10)
        sock.close()


def serve(tmp_path: Path, **options: Any) -> Any:
    """The service with the extractive engine and a fresh cache; ``options`` go to ``create_app``."""
    return running(create_app(EXTRACTIVE, cache_path=tmp_path / "cache.sqlite3", **options))


def assert_error(response: httpx.Response, status: int, type: str) -> dict[str, Any]:
    """Every error: the status, JSON ``{"error": {"type", "message"}}``, nothing else, no traceback."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"type", "message"}
    assert body["error"]["type"] == type
    assert "Traceback" not in response.text
    return body["error"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Served:
    """A ``briefer serve`` process, where it listens, and what it has written on stderr so far."""

    process: subprocess.Popen
    url: str
    log: Path

    def stderr(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 30) -> int:
        """Send ``sig``; the exit code once it has ended."""
        self.process.send_signal(sig)
        return self.process.wait(timeout)


@contextmanager
def serve_process(*args: str) -> Iterator[Served]:
    """``briefer serve ARGS`` as a real process on a free 127.0.0.1 port, once it answers /healthz.

    Its stderr (a JSON line per request) goes to a file, not a pipe nobody drains: a full pipe
    would block the server. The process is killed afterwards if the test left it running.
    """
    port = free_port()
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "BRIEFER_"))}
    command = [sys.executable, "-m", "briefer", "serve", "--port", str(port), *args]
    with tempfile.TemporaryDirectory() as folder:
        log = Path(folder) / "stderr.log"
        with log.open("w") as stderr:
            process = subprocess.Popen(command, env=clean, stdout=subprocess.DEVNULL, stderr=stderr)
        served = Served(process, f"http://127.0.0.1:{port}", log)
        try:
            deadline = time.monotonic() + 60
            while True:
                assert process.poll() is None, served.stderr()
                with contextlib.suppress(httpx.TransportError):
                    if httpx.get(f"{served.url}/healthz", timeout=1).status_code == 200:
                        break
                assert time.monotonic() < deadline, "briefer serve never answered /healthz"
                time.sleep(0.1)
            yield served
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()
