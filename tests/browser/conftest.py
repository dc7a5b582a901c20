"""A headless Chromium for the browser tests, started once; a fresh page (and Watch) per test."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from .desk_page import CHROMIUM, WIDE, Desk, Watch, skip_reason


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if skip_reason() is not None:
        pytest.skip(skip_reason() or "")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM)  # Playwright adds --no-sandbox (root)
        yield chromium
        chromium.close()


@pytest.fixture
def open_desk(browser: Any) -> Iterator[Callable[..., Desk]]:
    """``open_desk(base, viewport=..., token=..., wait=...)``: the desk in a new browser context.

    Every page must stay quiet: no script error, dialog, CSP report or request off the server.
    """
    contexts: list[tuple[Any, Watch]] = []

    def open_(
        base: str,
        *,
        viewport: dict[str, int] = WIDE,
        token: str | None = None,
        wait: bool = True,
        **context: Any,
    ) -> Desk:
        ctx = browser.new_context(viewport=viewport, accept_downloads=True, **context)
        page = ctx.new_page()
        watch = Watch(base)
        watch.attach(page)
        contexts.append((ctx, watch))
        return Desk(page, base, watch).open(token, wait=wait)

    yield open_
    for ctx, watch in contexts:
        ctx.close()
        watch.assert_quiet()
