"""A real OpenAI-compatible server (llama-cpp-python) with a real model (SmolLM2-135M-Instruct).

`make e2e` installs both and sets BRIEFER_E2E_SERVER_PYTHON / BRIEFER_E2E_MODEL; without them
these tests are skipped. The server runs on 127.0.0.1 for the whole session.
"""

from __future__ import annotations

import os
import socket
import subprocess
import time
from collections.abc import Iterator

import httpx
import pytest
from llama_server import RealServer

SERVER_PYTHON = os.environ.get("BRIEFER_E2E_SERVER_PYTHON")
MODEL = os.environ.get("BRIEFER_E2E_MODEL")
CONTEXT = int(os.environ.get("BRIEFER_E2E_N_CTX", "4096"))
STARTUP_S = 120

pytestmark = pytest.mark.e2e


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    if SERVER_PYTHON and MODEL:
        return
    skip = pytest.mark.skip(reason="needs the real server and model: run `make e2e`")
    for item in items:
        if "e2e" in item.nodeid.split("/"):
            item.add_marker(skip)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def real_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RealServer]:
    assert SERVER_PYTHON and MODEL
    port = _free_port()
    log = tmp_path_factory.mktemp("llama") / "server.log"
    command = [
        SERVER_PYTHON, "-m", "llama_cpp.server", "--model", MODEL, "--model_alias", "smollm2",
        "--host", "127.0.0.1", "--port", str(port), "--n_ctx", str(CONTEXT), "--n_threads", "2",
    ]  # fmt: skip
    with log.open("w") as sink:
        process = subprocess.Popen(command, stdout=sink, stderr=subprocess.STDOUT)
    base_url = f"http://127.0.0.1:{port}/v1"
    try:
        deadline = time.monotonic() + STARTUP_S
        while time.monotonic() < deadline:
            if process.poll() is not None:
                pytest.fail(f"the llama-cpp-python server exited: {log.read_text()[-2000:]}")
            try:
                if httpx.get(f"{base_url}/models", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.5)
        else:
            pytest.fail(f"the llama-cpp-python server did not start within {STARTUP_S} s")
        yield RealServer(base_url, "smollm2", log)
    finally:
        process.terminate()
        process.wait(timeout=30)
