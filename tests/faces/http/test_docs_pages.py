"""/docs (Swagger UI) and /redoc (ReDoc) in headless Chromium with every other host unreachable: both
render the API from the copies of their assets shipped in the package."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from fastapi import FastAPI
from playwright.sync_api import Browser, Route, expect

from tests.support.browser import watched_page
from tests.support.servers import serve

pytestmark = pytest.mark.slow


@pytest.fixture
def base(make_app: Callable[..., FastAPI]) -> Iterator[str]:
    with serve(make_app()) as url:
        yield url


def _offline(route: Route) -> None:
    route.abort("internetdisconnected")


def test_swagger_ui_works_with_no_network(browser: Browser, base: str) -> None:
    with watched_page(browser) as watched:
        watched.context.route(lambda url: not url.startswith(base), _offline)
        watched.page.goto(f"{base}/docs")
        expect(watched.page.locator(".opblock-summary-path", has_text="/v1/ask").first).to_be_visible()
        expect(watched.page.get_by_text("City-to-city cooperation assistant").first).to_be_visible()
    watched.assert_stayed_home(base)


def test_redoc_works_with_no_network(browser: Browser, base: str) -> None:
    with watched_page(browser) as watched:
        watched.context.route(lambda url: not url.startswith(base), _offline)
        watched.page.goto(f"{base}/redoc")
        summary = "Answer a question from the documents, with citations"
        expect(watched.page.get_by_role("heading", name=summary)).to_be_visible(timeout=20_000)
    watched.assert_stayed_home(base, blocked=("cdn.redoc.ly",))  # ReDoc's own logo link, refused by CSP


def test_the_docs_pages_name_no_other_host(make_app: Callable[..., FastAPI]) -> None:
    from fastapi.testclient import TestClient

    with TestClient(make_app()) as client:
        for path in ("/docs", "/redoc"):
            page = client.get(path)
            assert page.status_code == 200
            assert "http" not in page.text.replace("http-equiv", "")
            assert "default-src 'self'" in page.headers["content-security-policy"]
