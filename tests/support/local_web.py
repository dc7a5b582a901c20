"""A small web server on 127.0.0.1 for tests that fetch URLs: tests never touch the network.

``with serving({"/story": Reply(200, PAGE, "text/html")}) as site:`` serves fixed replies at
``site.url("/story")`` and records every request it gets (path and headers) in ``site.requests``.
Also the sample article (``SEED``) and a news page built from it (``PAGE``).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

SEED_PATH = Path(__file__).resolve().parents[2] / "seeds" / "pakistan-taliban-warning.txt"
SEED = SEED_PATH.read_text()
PAGE = f"""<!DOCTYPE html><html><head><title>Pakistan warns the Taliban</title></head><body>
<nav><a href="/">Home</a> | <a href="/world">World</a> | Subscribe now!</nav>
<article><h1>Pakistan warns the Taliban</h1>{"".join(f"<p>{line}</p>" for line in SEED.splitlines()[7:])}</article>
<footer>Copyright 2026 Example News. All rights reserved. Cookie settings.</footer></body></html>"""


@dataclass
class Reply:
    status: int = 200
    body: bytes | str = b""
    content_type: str | None = "text/plain; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    delay_s: float = 0.0


def redirect(location: str, status: int = 302) -> Reply:
    return Reply(status, b"", None, {"Location": location})


@dataclass
class Site:
    base: str
    routes: dict[str, Reply]
    requests: list[tuple[str, dict[str, str]]] = field(default_factory=list)

    @property
    def port(self) -> int:
        return int(self.base.rsplit(":", 1)[1])

    def url(self, path: str) -> str:
        return self.base + path

    @property
    def paths(self) -> list[str]:
        return [path for path, _ in self.requests]


@contextmanager
def serving(routes: dict[str, Reply]) -> Iterator[Site]:
    """Serve ``routes`` (404 for any other path) in a thread for the duration of the block."""
    site = Site("", routes)

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            site.requests.append((self.path, dict(self.headers.items())))
            reply = site.routes.get(self.path, Reply(404, b"not found"))
            time.sleep(reply.delay_s)
            body = reply.body.encode() if isinstance(reply.body, str) else reply.body
            self.send_response(reply.status)
            if reply.content_type:
                self.send_header("Content-Type", reply.content_type)
            for name, value in reply.headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    site.base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, args=(0.01,), daemon=True)  # quick shutdown
    thread.start()
    try:
        yield site
    finally:
        server.shutdown()
        server.server_close()
