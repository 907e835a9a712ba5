"""/docs (Swagger UI) and /redoc (ReDoc) in headless Chromium with every other host unreachable: both
render the API from the copies of their assets shipped in the package."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from types import SimpleNamespace
from typing import cast

import pytest
from fastapi import FastAPI
from playwright.sync_api import Browser, BrowserContext, Page, Request, Route, expect

from tests.support.browser import Watched, watched_page
from tests.support.servers import serve

pytestmark = pytest.mark.slow

_LOGO = "https://cdn.redoc.ly/redoc/logo-mini.svg"


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


@pytest.mark.parametrize(
    ("requests", "problems", "stays_home"),
    [
        # the refusal seen only as the console message: the page closed before the failed request came
        ([], [f"CSP: Loading the image '{_LOGO}' violates … \"img-src 'self' data:\"."], True),
        # seen only as the failed request, and seen as both
        ([(_LOGO, "csp")], [], True),
        ([(_LOGO, None)], [f"CSP: Loading the image '{_LOGO}' violates …"], True),
        # a request to the library's host that no CSP refused, and one to a host not allowed at all
        ([(_LOGO, "net::ERR_INTERNET_DISCONNECTED")], [], False),
        ([("https://fonts.example.org/a.woff", "csp")], [], False),
        ([], ["CSP: Loading the script 'https://fonts.example.org/a.js' violates …"], False),
    ],
)
def test_a_refusal_counts_whichever_of_its_two_reports_arrives(
    requests: list[tuple[str, str | None]], problems: list[str], stays_home: bool
) -> None:
    watched = Watched(
        context=cast(BrowserContext, None),
        page=cast(Page, None),
        requests=[cast(Request, SimpleNamespace(url=url, failure=failure)) for url, failure in requests],
        problems=problems,
    )
    if stays_home:
        watched.assert_stayed_home("http://127.0.0.1:8000", blocked=("cdn.redoc.ly",))
    else:
        with pytest.raises(AssertionError):
            watched.assert_stayed_home("http://127.0.0.1:8000", blocked=("cdn.redoc.ly",))
