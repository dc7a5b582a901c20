"""Every error is JSON ``{"error": {"type", "message"}}`` with the right status; nothing leaks
(no traceback, no secret, no article) in responses or logs."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest
from support.service_server import SEED, BrokenEngine, assert_error, serve


def test_input_and_config_errors_are_422(client: httpx.Client, env_clean: pytest.MonkeyPatch) -> None:
    assert_error(client.post("/v1/briefs", json={"text": "too short"}), 422, "input_error")
    no_key = client.post("/v1/briefs", json={"text": SEED, "options": {"engine": "openai"}})
    assert "OPENAI_API_KEY" in assert_error(no_key, 422, "config_error")["message"]


def test_bad_json_and_wrong_content_type(client: httpx.Client) -> None:
    headers = {"content-type": "application/json"}
    assert_error(client.post("/v1/briefs", content=b'{"text": ', headers=headers), 400, "bad_json")
    assert_error(client.post("/v1/briefs", content=b"\xff\xfe{", headers=headers), 400, "bad_request")
    plain = client.post("/v1/briefs", content=SEED.encode(), headers={"content-type": "text/plain"})
    assert_error(plain, 415, "unsupported_media_type")
    assert_error(client.post("/v1/briefs/stream", json={"text": SEED}), 415, "unsupported_media_type")


def test_unexpected_errors_are_500_with_no_traceback_or_secret(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    with serve(tmp_path, engine=BrokenEngine()) as c:
        response = c.post("/v1/briefs", json={"text": SEED}, headers={"X-Request-ID": "req-42"})
    error = assert_error(response, 500, "internal_error")
    assert "req-42" in error["message"] and "boom" not in response.text and "sk-live" not in response.text
    log = capfd.readouterr().err
    assert "Traceback" not in log and "sk-live" not in log and "boom" not in log
    (access,) = [json.loads(line) for line in log.splitlines() if '"event": "request"' in line]
    assert access["request_id"] == "req-42" and access["status"] == 500
    assert {"method", "path", "duration_ms", "cache"} <= set(access)
