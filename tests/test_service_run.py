"""``briefer serve``: what it refuses before binding, how its options reach uvicorn's workers, and
how SIGTERM drains it."""

from __future__ import annotations

import signal
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from support.openai_server import OpenAIServer, slow
from support.service_server import TOKEN, assert_error, running, serve_process, story
from typer.testing import CliRunner

from briefer import service
from briefer.cli import app as cli_app
from briefer.service import CONFIG_ENV, TOKEN_ENV


def test_serve_refuses_a_public_address_without_a_token(
    env_clean: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    env_clean.setattr(uvicorn, "run", lambda *a, **k: pytest.fail("must not bind"))
    result = CliRunner().invoke(cli_app, ["serve", "--host", "0.0.0.0", "--cache", str(tmp_path / "c")])
    assert result.exit_code == 2
    assert "refusing to listen on 0.0.0.0 without BRIEFER_SERVICE_TOKEN" in result.output
    assert "Traceback" not in result.output


def test_serve_passes_its_options_to_the_workers(env_clean: pytest.MonkeyPatch, tmp_path: Path) -> None:
    calls: list[dict[str, Any]] = []
    env_clean.setattr(uvicorn, "run", lambda app, **kwargs: calls.append({"app": app, **kwargs}))
    env_clean.setenv(TOKEN_ENV, TOKEN)
    env_clean.setenv(CONFIG_ENV, "{}")  # restored after the test: serve() sets it
    cache = tmp_path / "c.sqlite3"
    args = ["serve", "--host", "0.0.0.0", "--workers", "3", "--engine", "extractive", "--cache", str(cache)]
    result = CliRunner().invoke(cli_app, [*args, "--max-in-flight", "5"])
    assert result.exit_code == 0, result.output
    (call,) = calls
    assert call["app"] == "briefer.service:app_from_env" and call["factory"] is True
    assert (call["host"], call["workers"]) == ("0.0.0.0", 3)
    app = service.app_from_env()
    with running(app) as c:
        assert_error(c.get("/openapi.json"), 401, "unauthorized")
        assert c.get("/healthz").json()["engine"] == "extractive"
    assert cache.exists()


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1", True),
        ("localhost", True),
        ("::1", True),
        ("[::1]", True),
        ("127.8.9.10", True),
        ("0.0.0.0", False),
        ("192.168.1.5", False),
        ("::", False),
        ("briefer.example", False),
    ],
)
def test_only_loopback_hosts_may_serve_without_a_token(host: str, loopback: bool) -> None:
    assert service.is_loopback(host) is loopback


def test_sigterm_when_idle_exits_0_saying_it_stopped(tmp_path: Path) -> None:
    with serve_process("--engine", "extractive", "--cache", str(tmp_path / "c.sqlite3")) as served:
        assert served.stop(signal.SIGTERM) == 0, served.stderr()
        last = served.stderr().splitlines()[-1]
    assert last == "briefer: stopped (requests in flight were given up to 25 s to finish)"


def test_sigterm_lets_requests_in_flight_finish_refuses_new_ones_and_exits_0(tmp_path: Path) -> None:
    args = ("--cache", str(tmp_path / "c.sqlite3"), "--grace", "10")
    with (
        OpenAIServer(default=slow(1.5)) as llm,
        serve_process("--base-url", llm.base_url, *args) as served,
        ThreadPoolExecutor(1) as pool,
    ):
        body = {"text": story(1), "id": "in-flight"}
        answer = pool.submit(httpx.post, f"{served.url}/v1/briefs", json=body, timeout=30)
        deadline = time.monotonic() + 20
        while not llm.completions:  # the brief is under way
            assert time.monotonic() < deadline, "the request never reached the LLM"
            time.sleep(0.02)
        served.process.send_signal(signal.SIGTERM)
        time.sleep(0.3)
        with pytest.raises(httpx.ConnectError):
            httpx.post(f"{served.url}/v1/briefs", json={"text": story(2)}, timeout=5)
        response = answer.result(timeout=20)
        code, stderr = served.process.wait(20), served.stderr()
    assert response.status_code == 201 and response.json()["id"] == "in-flight"
    assert code == 0, stderr
    assert "briefer: stopped" in stderr and "Traceback" not in stderr
