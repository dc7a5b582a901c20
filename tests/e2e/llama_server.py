"""A real OpenAI-compatible server (llama-cpp-python) with a real model (SmolLM2-135M-Instruct).

`make e2e` installs both and sets BRIEFER_E2E_SERVER_PYTHON / BRIEFER_E2E_MODEL; without them
the e2e tests are skipped. The server listens on 127.0.0.1 only.
"""

from __future__ import annotations

import os
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

SERVER_PYTHON = os.environ.get("BRIEFER_E2E_SERVER_PYTHON")
MODEL = os.environ.get("BRIEFER_E2E_MODEL")
CONTEXT = int(os.environ.get("BRIEFER_E2E_N_CTX", "4096"))
STARTUP_S = 120


@dataclass
class RealServer:
    base_url: str
    model: str
    log: Path


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def running_server(log: Path, n_ctx: int = CONTEXT) -> Iterator[RealServer]:
    """Start llama-cpp-python's server on a free port, reading ``n_ctx`` tokens at once; stop it afterwards."""
    assert SERVER_PYTHON and MODEL
    port = _free_port()
    command = [
        SERVER_PYTHON, "-m", "llama_cpp.server", "--model", MODEL, "--model_alias", "smollm2",
        "--host", "127.0.0.1", "--port", str(port), "--n_ctx", str(n_ctx), "--n_threads", "2",
    ]  # fmt: skip
    with log.open("w") as sink:
        process = subprocess.Popen(command, stdout=sink, stderr=subprocess.STDOUT)
    base_url = f"http://127.0.0.1:{port}/v1"
    try:
        deadline = time.monotonic() + STARTUP_S
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise RuntimeError(f"the llama-cpp-python server exited: {log.read_text()[-2000:]}")
            try:
                if httpx.get(f"{base_url}/models", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.5)
        else:
            raise RuntimeError(f"the llama-cpp-python server did not start within {STARTUP_S} s")
        yield RealServer(base_url, "smollm2", log)
    finally:
        process.terminate()
        process.wait(timeout=30)
