"""Debian's Chromium driven by playwright (no browser download), for the tests of the web pages."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import (
    Browser,
    BrowserContext,
    ConsoleMessage,
    Page,
    Playwright,
    Request,
    sync_playwright,
)

CHROMIUM = Path("/usr/bin/chromium")
# The address a CSP console message names: "Loading the image 'https://…' violates …"
_QUOTED_URL = re.compile(r"'(https?://[^'\s]+)'")
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def skip_without_browser() -> None:
    if os.environ.get("SKIP_BROWSER_TESTS") == "1":
        pytest.skip("SKIP_BROWSER_TESTS=1: the browser tests are skipped")


def screenshot(page: Page, name: str, full_page: bool = False) -> None:
    """A PNG of the page in screenshots/ of the work tree (not kept in git), when SCREENSHOTS=1."""
    if os.environ.get("SCREENSHOTS") == "1":
        folder = Path(__file__).resolve().parents[2] / "screenshots"
        folder.mkdir(exist_ok=True)
        page.screenshot(path=str(folder / f"{name}.png"), full_page=full_page)


@contextmanager
def chromium() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail(
            f"The web tests need Debian's chromium at {CHROMIUM}: run `apt-get install chromium` "
            "(or `make browser`), or set SKIP_BROWSER_TESTS=1 to skip them.",
            pytrace=False,
        )
    playwright: Playwright = sync_playwright().start()
    try:
        launched = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield launched
        launched.close()
    finally:
        playwright.stop()


@dataclass
class Watched:
    """A page with what it asked of the network and what went wrong in it (page errors, CSP reports)."""

    context: BrowserContext
    page: Page
    requests: list[Request] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def assert_stayed_home(self, base: str, blocked: tuple[str, ...] = ()) -> None:
        """No request left for another host, and nothing went wrong; requests to the ``blocked`` hosts
        (a vendored library's own links) are allowed only as refused by the page's CSP, before any
        network is reached.

        Chromium reports a refusal twice, as a console message and as a failed request, and the two
        events can arrive in either order; when the page closes between them only one is seen. Either
        is proof of the refusal, so each counts."""
        origin = urlsplit(base).netloc
        refused_urls = {r.url for r in self.requests if r.failure == "csp"} | {
            url
            for problem in self.problems
            if problem.startswith("CSP:")
            for url in _QUOTED_URL.findall(problem)
        }
        refused_urls = {url for url in refused_urls if urlsplit(url).netloc in blocked}
        left = [
            r.url for r in self.requests if urlsplit(r.url).netloc != origin and r.url not in refused_urls
        ]
        assert not left, f"the page reached other hosts: {left}"
        problems = [
            problem
            for problem in self.problems
            if not (problem.startswith("CSP:") and any(url in problem for url in refused_urls))
        ]
        assert not problems, problems


@contextmanager
def watched_page(browser: Browser, width: int = 1024, height: int = 800) -> Iterator[Watched]:
    context = browser.new_context(viewport={"width": width, "height": height}, service_workers="block")
    context.set_default_timeout(10_000)
    watched = Watched(context, context.new_page())

    def on_request(request: Request) -> None:  # playwright cannot hold a builtin method as a handler
        watched.requests.append(request)

    def on_console(message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text:
            watched.problems.append(f"CSP: {message.text}")

    watched.page.on("request", on_request)
    watched.page.on("pageerror", lambda error: watched.problems.append(f"page error: {error}"))
    watched.page.on("console", on_console)
    try:
        yield watched
    finally:
        context.close()
