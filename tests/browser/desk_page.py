"""Driving the desk in a real headless Chromium (Debian's package) with Playwright's Python API.

Nothing is downloaded: Playwright is pointed at the system browser (``executable_path``), never
``playwright install``. The tests are skipped, saying why, unless ``make browser`` runs them and
a Chromium is there.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from support.service_server import running

from briefer.config import Settings
from briefer.service import create_app

CHROMIUM = os.environ.get("BRIEFER_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
WIDE = {"width": 1400, "height": 900}
PHONE = {"width": 390, "height": 844}
ZOOM_200 = {"width": 640, "height": 450}  # a 1280 x 900 window at 200% zoom


def skip_reason() -> str | None:
    if os.environ.get("BRIEFER_BROWSER_TESTS") != "1":
        return "browser tests run with `make browser` (headless Chromium), not `make test`"
    if importlib.util.find_spec("playwright") is None:
        return "Playwright is not installed: `make browser` installs the browser extra"
    if CHROMIUM is None:
        return "no Chromium on this machine: `apt-get install chromium` (.ci/run does it)"
    return None


BROWSER_TESTS = pytest.mark.skipif(skip_reason() is not None, reason=skip_reason() or "")


@contextmanager
def desk_server(tmp_path: Path, settings: Settings | None = None, **options: Any) -> Iterator[str]:
    """The service on a free loopback port; its base URL. ``options`` go to ``create_app``."""
    app = create_app(
        settings or Settings(engine="extractive"), cache_path=tmp_path / "cache.sqlite3", **options
    )
    with running(app) as client:
        yield str(client.base_url).rstrip("/")


@dataclass
class Watch:
    """What a page did that no test asked for: script errors, dialogs, CSP reports, outside requests."""

    base: str
    errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    csp: list[str] = field(default_factory=list)
    outside: list[str] = field(default_factory=list)
    requests: list[Any] = field(default_factory=list)

    def attach(self, page: Any) -> None:
        page.on("pageerror", lambda error: self.errors.append(str(error)))
        page.on("dialog", lambda dialog: (self.dialogs.append(dialog.message), dialog.dismiss()))
        page.on("console", self._console)
        page.on("request", self._request)

    def _console(self, message: Any) -> None:
        if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text:
            self.csp.append(message.text)

    def _request(self, request: Any) -> None:
        self.requests.append(request)
        if not request.url.startswith((self.base + "/", "blob:", "data:")):
            self.outside.append(request.url)

    def assert_quiet(self) -> None:
        assert not self.errors, f"script errors: {self.errors}"
        assert not self.dialogs, f"dialogs opened: {self.dialogs}"
        assert not self.csp, f"the Content-Security-Policy had to block something: {self.csp}"
        assert not self.outside, f"requests outside the server: {self.outside}"


class Desk:
    """The desk page of one test, with the steps an editor takes."""

    def __init__(self, page: Any, base: str, watch: Watch) -> None:
        self.page, self.base, self.watch = page, base, watch

    def open(self, token: str | None = None, *, wait: bool = True) -> Desk:
        """Load the page, give it ``token`` when it asks, and (``wait``) wait for the server's options."""
        self.page.goto(self.base + "/")
        if token is not None:
            self.page.fill("#token", token)
            self.page.click("#token-form button[type=submit]")
        if wait:
            self.page.wait_for_selector("#engine option", state="attached")
        return self

    def brief(self, text: str) -> Desk:
        self.page.fill("#article-text", text)
        self.page.click("#brief-button")
        self.page.wait_for_selector("li.takeaway button.claim")
        return self

    def takeaways(self) -> list[str]:
        return self.page.locator("li.takeaway button.claim .text").all_text_contents()

    def lit(self) -> str:
        """The article text lit as evidence right now."""
        return "".join(self.page.locator("#article .lit").all_text_contents())

    def verdict(self) -> str:
        return self.page.inner_text("#verdict")

    def focused(self) -> str:
        return self.page.evaluate(
            "() => { const a = document.activeElement; return a ? (a.id || a.className || a.tagName) : '' }"
        )
