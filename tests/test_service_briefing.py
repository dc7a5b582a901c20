"""How a request's article becomes a brief: text, HTML or (when allowed) a URL fetched only from
public addresses; NDJSON streams report each line as it finishes."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest
from support.local_web import Reply, serving
from support.service_server import SEED, assert_error, serve, story

from briefer.loading import fetch
from briefer.models import BriefResult
from briefer.service.briefing import CACHE_OFF


def test_html_article_is_extracted(client: httpx.Client) -> None:
    paragraphs = "".join(f"<p>{line}</p>" for line in SEED.splitlines() if line.strip())
    html = f"<html><head><title>Warning</title></head><body><article>{paragraphs}</article></body></html>"
    response = client.post("/v1/briefs", json={"html": html})
    assert response.status_code == 201, response.text
    assert "Pakistan" in BriefResult.model_validate(response.json()).brief.summary


def test_stream_reports_each_line_as_it_finishes(client: httpx.Client) -> None:
    lines = [
        json.dumps({"id": "good-1", "text": story(1)}),
        '{"id": "broken", "text": ',
        json.dumps({"id": "short", "text": "not an article"}),
        "",
        json.dumps({"text": story(2)}),
        json.dumps({"id": "extra", "text": story(3), "options": {}}),
    ]
    response = client.post(
        "/v1/briefs/stream",
        content="\n".join(lines).encode(),
        headers={"content-type": "application/x-ndjson"},
    )
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/x-ndjson")
    rows = [json.loads(line) for line in response.text.splitlines()]
    errors = {row["line"]: row for row in rows if "error" in row}
    briefs = {row["id"]: BriefResult.model_validate(row) for row in rows if "error" not in row}
    assert set(briefs) == {"good-1", "line-5"}
    assert set(errors) == {2, 3, 6}
    assert errors[2]["error"]["type"] == "bad_json" and errors[2]["id"] is None
    assert errors[3] == {
        "id": "short",
        "line": 3,
        "error": {"type": "input_error", "message": "short: input has fewer than 5 words; not an article"},
    }
    assert errors[6]["error"]["type"] == "validation_error" and "options" in errors[6]["error"]["message"]


def test_url_fetching_is_off_by_default(client: httpx.Client) -> None:
    response = client.post("/v1/briefs", json={"url": "https://example.com/news"})
    assert "--allow-url-fetch" in assert_error(response, 422, "url_fetch_disabled")["message"]


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:9/",
        "http://localhost/admin",
        "http://[::1]/",
        "http://[::ffff:127.0.0.1]/",
        "http://169.254.169.254/latest/meta-data/",
        "http://10.0.0.8/",
        "http://0.0.0.0/",
        "file:///etc/passwd",
    ],
)
def test_url_fetching_refuses_non_public_addresses(tmp_path: Path, url: str) -> None:
    with serve(tmp_path, allow_url_fetch=True) as c:
        message = assert_error(c.post("/v1/briefs", json={"url": url}), 422, "input_error")["message"]
        assert "refusing" in message or "only http(s)" in message


def test_url_fetching_connects_to_the_address_it_checked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No DNS rebinding: the fetch goes to the checked address with the original Host header,
    never resolving the name again (here a second lookup would hit the no-network guard)."""
    page = f"<html><body><article><p>{SEED}</p></article></body></html>"
    lookups: list[str] = []

    def resolve(host: str) -> list[str]:
        lookups.append(host)
        return ["127.0.0.1"]

    monkeypatch.setattr(fetch, "resolve", resolve)
    monkeypatch.setattr(fetch, "is_public", lambda address: True)  # let the test server count as public
    with serving({"/story": Reply(200, page, "text/html; charset=utf-8")}) as web:
        with serve(tmp_path, allow_url_fetch=True) as c:
            response = c.post("/v1/briefs", json={"url": f"http://news.example:{web.port}/story"})
        seen = [headers["Host"] for _, headers in web.requests]
    assert response.status_code == 201, response.text
    assert lookups == ["news.example"] and seen == [f"news.example:{web.port}"]
    assert "Khawaja Asif" in BriefResult.model_validate(response.json()).brief.headline


def test_a_url_article_keeps_the_title_the_client_gave(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(fetch, "is_public", lambda address: True)
    page = f"<html><head><title>Page title</title></head><body><article><p>{SEED}</p></article></body></html>"
    with (
        serving({"/story": Reply(200, page, "text/html")}) as web,
        serve(tmp_path, allow_url_fetch=True) as c,
    ):
        response = c.post("/v1/briefs", json={"url": web.url("/story"), "title": "Desk title", "id": "u1"})
    assert response.status_code == 201, response.text
    assert BriefResult.model_validate(response.json()).id == "u1"


def test_a_cache_that_fails_is_switched_off_out_loud_in_the_log_and_healthz(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    """Briefs go on without a damaged cache, but the service says so once and keeps saying it in /healthz."""
    with serve(tmp_path) as c:
        assert c.post("/v1/briefs", json={"text": story(1)}).status_code == 201
        assert c.get("/healthz").json()["warnings"] == []
        for part in tmp_path.glob("cache.sqlite3*"):  # the database, its WAL and its index overwritten
            part.write_bytes(b"\xde\xad" * (part.stat().st_size // 2))
        for n in (2, 3):
            assert c.post("/v1/briefs", json={"text": story(n)}).status_code == 201
        assert c.get("/v1/briefs").status_code == 200
        warnings = c.get("/healthz").json()["warnings"]
    logged = [json.loads(line) for line in capfd.readouterr().err.splitlines() if '"warning"' in line]
    assert warnings == [CACHE_OFF], "no path of the server's in an answer anyone may ask for"
    assert len(logged) == 1 and "went on without the cache" in logged[0]["warning"], (
        "the log says which, once"
    )
