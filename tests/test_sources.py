"""Articles load from files, stdin and URLs; bad input is refused with one clear line."""

import http.server
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from briefer import sources
from briefer.errors import InputError
from briefer.sources import load_article

SEED = Path(__file__).parents[1] / "seeds" / "pakistan-taliban-warning.txt"
BODY = SEED.read_text()
PAGE = f"""<!DOCTYPE html><html><head><title>Pakistan warns the Taliban</title></head><body>
<nav><a href="/">Home</a> | <a href="/world">World</a> | Subscribe now!</nav>
<article><h1>Pakistan warns the Taliban</h1>{"".join(f"<p>{line}</p>" for line in BODY.splitlines()[7:])}</article>
<footer>Copyright 2026 Example News. All rights reserved. Cookie settings.</footer></body></html>"""


def test_text_file_is_read_as_is() -> None:
    article = load_article(str(SEED))
    assert article.text == BODY.strip() and article.source == str(SEED)
    assert len(article.sha256) == 64


def test_html_main_text_is_extracted_without_boilerplate(tmp_path: Path) -> None:
    page = tmp_path / "story.html"
    page.write_text(PAGE)
    article = load_article(str(page))
    assert article.title == "Pakistan warns the Taliban"
    assert "Khawaja Asif issued a strong warning" in article.text
    assert "Khaama Press" in article.text
    assert "Cookie settings" not in article.text and "Subscribe now" not in article.text


def test_legacy_encodings_are_detected(tmp_path: Path) -> None:
    text = BODY.replace("—", "-")  # cp1252 has curly quotes; keep the rest of the seed intact
    path = tmp_path / "story-cp1252.txt"
    path.write_bytes(text.encode("cp1252"))
    assert load_article(str(path)).text == text.strip()
    path.write_bytes(text.encode("utf-16"))
    assert load_article(str(path)).text == text.strip()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty"),
        (b"  \n\t\n", "empty"),
        (b"Too short.", "fewer than 5 words"),
        (b"\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x03\x00>\x00", "binary"),
    ],
)
def test_unusable_files_are_refused(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "input.txt"
    path.write_bytes(content)
    with pytest.raises(InputError, match=message):
        load_article(str(path))


def test_missing_file_and_directory_are_refused(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        load_article(str(tmp_path / "absent.txt"))
    with pytest.raises(InputError, match="is a directory"):
        load_article(str(tmp_path))


def test_oversized_input_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sources, "MAX_INPUT_BYTES", 100)
    with pytest.raises(InputError, match="larger than"):
        load_article(str(SEED))


def test_short_text_is_allowed_when_not_checking(tmp_path: Path) -> None:
    path = tmp_path / "short.txt"
    path.write_text("Hi.")
    assert load_article(str(path), check=False).text == "Hi."


class _Pages(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        routes = {
            "/story": (200, "text/html; charset=utf-8", PAGE.encode()),
            "/plain": (200, "text/plain; charset=utf-8", BODY.encode()),
            "/image": (200, "image/png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64),
            "/big": (200, "text/html", b"<html><body>" + b"<p>word word word</p>" * 600_000),
        }
        status, ctype, body = routes.get(self.path, (404, "text/plain", b"not found"))
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def web() -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Pages)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_urls_are_fetched_and_extracted(web: str) -> None:
    article = load_article(f"{web}/story")
    assert article.source == f"{web}/story" and article.title == "Pakistan warns the Taliban"
    assert "Abdul Mateen Qani" in article.text
    assert load_article(f"{web}/plain").text == BODY.strip()


@pytest.mark.parametrize(
    ("path", "message"), [("/missing", "HTTP 404"), ("/image", "not an article"), ("/big", "larger than")]
)
def test_bad_urls_are_refused(web: str, path: str, message: str) -> None:
    with pytest.raises(InputError, match=message):
        load_article(f"{web}{path}")


def test_unreachable_url_is_refused() -> None:
    with pytest.raises(InputError, match="cannot fetch"):
        load_article("http://127.0.0.1:9/story")
