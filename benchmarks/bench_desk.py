"""The editor's desk as a person meets it: page weight and time to first takeaway, in Chromium.

Run: .venv/bin/python benchmarks/bench_desk.py [--runs 10] [--screenshots docs]
(needs `make browser` first: Playwright, and Debian's chromium at /usr/bin/chromium)

Starts `briefer serve --engine extractive` (a real server process, fresh cache) and loads the
desk in headless Chromium. Prints:
- page weight: the bytes of everything the page loads before anyone types (HTML, CSS, JS, icon;
  API answers not counted), and how many requests went anywhere but the server (target: 0);
- time to first takeaway: from pressing "Brief it" on a pasted seed article to the first
  takeaway on screen, through the NDJSON endpoint, over ``--runs`` runs; each run's article
  differs in its first sentence, so none is a cache hit. Target: well under 1 s.
With --screenshots DIR it also writes DIR/desk-wide.png and DIR/desk-phone.png: the seed briefed,
one takeaway edited by hand to carry a number the article lacks and re-checked, another focused.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

from bench_service import ARTICLE, free_port, fresh_text, start_server

CHROMIUM = "/usr/bin/chromium"


def page_weight(browser: object, base: str) -> tuple[int, int, list[str]]:
    """Bytes loaded by the page on its own, requests made, and any request off the server."""
    page = browser.new_page()  # type: ignore[attr-defined]
    loaded: list[object] = []
    page.on("requestfinished", lambda request: loaded.append(request))
    page.goto(base + "/", wait_until="networkidle")
    own = [r for r in loaded if "/v1/" not in r.url]  # type: ignore[attr-defined]
    size = sum(len(r.response().body()) for r in own)  # type: ignore[attr-defined]
    outside = [r.url for r in loaded if not r.url.startswith(base)]  # type: ignore[attr-defined]
    page.close()
    return size, len(own), outside


def first_takeaway_s(browser: object, base: str, runs: int) -> list[float]:
    page = browser.new_page()  # type: ignore[attr-defined]
    page.goto(base + "/", wait_until="networkidle")
    times = []
    for _ in range(runs):
        page.fill("#article-text", fresh_text())
        page.evaluate("document.getElementById('brief').replaceChildren()")
        started = time.perf_counter()
        page.click("#brief-button")
        page.wait_for_selector("li.takeaway button.claim")
        times.append(time.perf_counter() - started)
    page.close()
    return times


def screenshots(browser: object, base: str, folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, viewport in (
        ("wide", {"width": 1400, "height": 900}),
        ("phone", {"width": 390, "height": 844}),
    ):
        page = browser.new_page(viewport=viewport)  # type: ignore[attr-defined]
        page.goto(base + "/", wait_until="networkidle")
        page.fill("#article-text", ARTICLE)
        page.click("#brief-button")
        page.wait_for_selector("li.takeaway button.claim")
        page.locator("li.takeaway").nth(2).get_by_role("button", name="Edit").click()
        page.fill("#edit-2", "Pakistan moved 42 brigades to the Afghan border after the talks failed.")
        page.get_by_role("button", name="Save").click()
        page.click("#recheck")
        page.wait_for_selector("#review-status:has-text('Re-checked')")
        page.locator("li.takeaway button.claim").nth(1).focus()
        page.mouse.move(0, 0)
        if name == "phone":
            page.locator("li.takeaway").nth(1).scroll_into_view_if_needed()
        else:
            page.locator("#review").scroll_into_view_if_needed()
        page.wait_for_timeout(700)  # the smooth scroll to the evidence
        page.screenshot(path=str(folder / f"desk-{name}.png"))
        page.close()
        print(f"wrote {folder / f'desk-{name}.png'}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument(
        "--screenshots", type=Path, default=None, help="write desk-wide.png, desk-phone.png here"
    )
    args = parser.parse_args()
    if not Path(CHROMIUM).exists():
        sys.exit(f"bench_desk: no {CHROMIUM}; apt-get install chromium")
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as playwright:
        port = free_port()
        server = start_server(port, Path(tmp) / "cache.sqlite3", 1)
        base = f"http://127.0.0.1:{port}"
        browser = playwright.chromium.launch(executable_path=CHROMIUM)
        try:
            size, requests, outside = page_weight(browser, base)
            print(f"page weight:          {size / 1024:.1f} KB in {requests} requests (target < 100 KB)")
            print(f"outside requests:     {len(outside)} {outside or ''}")
            times = first_takeaway_s(browser, base, args.runs)
            print(
                f"time to first takeaway ({args.runs} runs, seed, offline engine, no cache hits): "
                f"median {statistics.median(times) * 1000:.0f} ms, max {max(times) * 1000:.0f} ms (target < 1 s)"
            )
            if args.screenshots:
                screenshots(browser, base, args.screenshots)
        finally:
            browser.close()
            server.terminate()
            server.wait(10)


if __name__ == "__main__":
    main()
