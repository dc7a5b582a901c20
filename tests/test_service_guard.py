"""The guard in front of every route: bearer token, body cap, in-flight cap, request ids and the
access log."""

from __future__ import annotations

import gzip
import http.client
import json
import threading
from pathlib import Path

import httpx
import pytest
from support.service_server import SEED, TOKEN, SlowEngine, assert_error, serve, story


def test_token_is_required_everywhere_but_healthz(tmp_path: Path) -> None:
    with serve(tmp_path, token=TOKEN) as c:
        assert_error(c.post("/v1/briefs", json={"text": SEED}), 401, "unauthorized")
        wrong = c.post("/v1/briefs", json={"text": SEED}, headers={"Authorization": "Bearer nope"})
        assert TOKEN not in assert_error(wrong, 401, "unauthorized")["message"]
        basic = c.get("/openapi.json", headers={"Authorization": f"Basic {TOKEN}"})
        assert_error(basic, 401, "unauthorized")
        assert_error(c.get("/v1/briefs"), 401, "unauthorized")  # the desk's list of recent briefs
        assert_error(c.post("/v1/verify", json={}), 401, "unauthorized")
        unicode = c.get("/openapi.json", headers={"Authorization": "Bearer caf\u00e9".encode()})
        assert_error(unicode, 401, "unauthorized")
        right = c.post("/v1/briefs", json={"text": SEED}, headers={"Authorization": f"Bearer {TOKEN}"})
        assert right.status_code == 201
        assert c.get("/healthz").status_code == 200


def test_pages_are_open_but_carry_no_data_and_their_folder_leads_nowhere_else(tmp_path: Path) -> None:
    """The desk and the docs ask for the token in the browser; nothing under /static/ reaches the API."""
    with serve(tmp_path, token=TOKEN) as c:
        for path in ("/", "/docs", "/static/desk/desk.js", "/static/swagger/swagger-ui-bundle.js"):
            assert c.get(path).status_code == 200, path
        for path in ("/static/../v1/briefs", "/static/desk/../../v1/options", "/static/%2e%2e/openapi.json"):
            connection = http.client.HTTPConnection(c.base_url.host, c.base_url.port, timeout=5)
            connection.request("GET", path)  # sent as is: httpx would remove the dot segments first
            response = connection.getresponse()
            body = response.read().decode()
            connection.close()
            assert response.status in (401, 404), path
            assert "input_sha256" not in body and "allow_url_fetch" not in body and "openapi" not in body


def test_body_cap_is_413_by_content_length_and_while_streaming(tmp_path: Path) -> None:
    with serve(tmp_path, max_body_bytes=2000) as c:
        declared = c.post("/v1/briefs", json={"text": SEED})
        assert "2,000 bytes" in assert_error(declared, 413, "payload_too_large")["message"]
        body = json.dumps({"text": SEED}).encode()
        chunked = (body[i : i + 500] for i in range(0, len(body), 500))  # no Content-Length
        streamed = c.post("/v1/briefs", content=chunked, headers={"content-type": "application/json"})
        assert_error(streamed, 413, "payload_too_large")
        assert c.post("/v1/briefs", json={"text": SEED[:1500]}).status_code == 201


def test_a_compressed_body_is_refused_unread_so_no_bomb_gets_past_the_cap(tmp_path: Path) -> None:
    """A gzip body of 16 KiB unpacks to 16 MiB; the service never unpacks it, whatever its size."""
    bomb = gzip.compress(b'{"text": "' + b" " * (16 * 1024 * 1024) + b'"}')
    with serve(tmp_path) as c:
        for encoding in ("gzip", "deflate", "br"):
            headers = {"content-type": "application/json", "content-encoding": encoding}
            refused = c.post("/v1/briefs", content=bomb, headers=headers)
            assert "uncompressed" in assert_error(refused, 415, "unsupported_media_type")["message"]
            assert refused.headers["accept-encoding"] == "identity"
        plain = {"content-type": "application/json", "content-encoding": "identity"}
        assert c.post("/v1/briefs", content=json.dumps({"text": SEED}), headers=plain).status_code == 201


def test_saturated_server_says_429_and_slow_briefs_504(tmp_path: Path) -> None:
    engine = SlowEngine(1.0)
    with serve(tmp_path, engine=engine, max_in_flight=1, request_timeout_s=0.4) as c:
        first: dict[str, httpx.Response] = {}
        worker = threading.Thread(
            target=lambda: first.update(r=c.post("/v1/briefs", json={"text": story(1)}))
        )
        worker.start()
        assert engine.started.wait(5)
        busy = c.post("/v1/briefs", json={"text": story(2)})
        assert_error(busy, 429, "too_many_requests")
        assert busy.headers["retry-after"] == "1"
        assert c.get("/healthz").status_code == 200  # the engine runs off the event loop
        worker.join(5)
        assert "0.4 s" in assert_error(first["r"], 504, "timeout")["message"]


def test_access_log_is_one_json_line_per_request_without_bodies(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    with serve(tmp_path, token=TOKEN) as c:
        headers = {"Authorization": f"Bearer {TOKEN}"}
        c.post("/v1/briefs", json={"text": story(7)}, headers=headers)
        c.post("/v1/briefs", json={"text": story(7)}, headers=headers)
    log = capfd.readouterr().err
    rows = [json.loads(line) for line in log.splitlines() if line.startswith("{")]
    assert [(r["status"], r["cache"]) for r in rows] == [(201, "miss"), (201, "hit")]
    assert TOKEN not in log and "Story number 7" not in log


def test_a_clients_request_id_is_echoed_and_a_bad_one_replaced(tmp_path: Path) -> None:
    """Ids a client chose tie its logs to ours; anything else (odd characters, too long) is not
    trusted into the log line and gets a fresh id instead."""
    with serve(tmp_path) as c:
        assert (
            c.get("/healthz", headers={"X-Request-ID": "desk-42.a_b"}).headers["x-request-id"]
            == "desk-42.a_b"
        )
        for bad in ('x"} {"forged": 1', "x" * 65):
            replaced = c.get("/healthz", headers={"X-Request-ID": bad}).headers["x-request-id"]
            assert replaced != bad and len(replaced) == 32
        assert len(c.get("/healthz").headers["x-request-id"]) == 32


def test_the_body_cap_and_token_leave_healthz_and_small_requests_alone(tmp_path: Path) -> None:
    with serve(tmp_path, token=TOKEN, max_body_bytes=100) as c:
        assert c.get("/healthz").status_code == 200
        tiny = c.post("/v1/briefs", json={"text": "x"}, headers={"Authorization": f"Bearer {TOKEN}"})
        assert_error(tiny, 422, "input_error")
