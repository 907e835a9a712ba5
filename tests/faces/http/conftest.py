"""Fixtures of the HTTP tests: apps over a fast fake service, built from ASSISTANT_* variables as a
deployment builds them, with the session's fake index (``make_api``) or with no index (``make_app``)."""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from playwright.sync_api import Browser, Page, Request, expect

from assistant.faces.http.app import create_app
from assistant.service import AssistantService
from assistant.settings import Settings, get_settings
from assistant.wiring import build_service
from ingest.embedder import Vectors
from tests.support.browser import Watched, chromium, skip_without_browser, watched_page
from tests.support.fakes import HashingEmbedder
from tests.support.paths import CORPUS
from tests.support.servers import serve

ADMIN_KEY = "test-admin-key"


class SlowEmbedder(HashingEmbedder):
    """The hashing embedder, optionally slow, so a stream can be cut while its answer is being made."""

    def __init__(self) -> None:
        super().__init__()
        self.delay = 0.0

    def embed(self, texts: Sequence[str]) -> Vectors:
        if self.delay:
            time.sleep(self.delay)
        return super().embed(texts)


@dataclass
class Api:
    """An app over a fake service, built from the environment as a deployment would build it."""

    app: FastAPI
    service: AssistantService
    embedder: SlowEmbedder
    settings: Settings

    def client(self, **options: Any) -> TestClient:
        return TestClient(self.app, **options)


@pytest.fixture
def make_api(
    isolated_env: Path, fake_index: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Callable[..., Api]]:
    """Build an app: ``indexed`` copies the session's fake index into this test's data dir; ``env`` adds
    ASSISTANT_* variables (the rate limit is off unless given)."""
    services: list[AssistantService] = []

    def build(indexed: bool = True, **env: str) -> Api:
        env = {"RATE_LIMIT_PER_MINUTE": "0", **env}
        for name, value in env.items():
            monkeypatch.setenv(f"ASSISTANT_{name}", value)
        settings = get_settings()
        if indexed and not settings.data_dir.exists():
            shutil.copytree(fake_index, settings.data_dir)
        embedder = SlowEmbedder()
        service = build_service(settings, embedder_factory=lambda: embedder)
        services.append(service)
        return Api(create_app(settings, service), service, embedder, settings)

    yield build
    for service in services:
        service.close()


@pytest.fixture
def api(make_api: Callable[..., Api]) -> Api:
    return make_api(ADMIN_KEY=ADMIN_KEY)


@pytest.fixture
def client(api: Api) -> Iterator[TestClient]:
    with api.client() as test_client:
        yield test_client


ADMIN = {"Authorization": f"Bearer {ADMIN_KEY}"}


@pytest.fixture
def make_app(isolated_env: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[..., FastAPI]]:
    """An app over a fake service with no index, configured through ASSISTANT_* variables."""
    services: list[AssistantService] = []

    def build(**env: str) -> FastAPI:
        for name, value in env.items():
            monkeypatch.setenv(f"ASSISTANT_{name}", value)
        settings = get_settings()
        service = build_service(settings, embedder_factory=HashingEmbedder)
        services.append(service)
        return create_app(settings, service)

    yield build
    for service in services:
        service.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Debian's Chromium, headless, for the tests of the pages (skipped with SKIP_BROWSER_TESTS=1)."""
    skip_without_browser()
    with chromium() as launched:
        yield launched


# --- the pages in a browser -------------------------------------------------------------------------
# Pieces of the answer seen by the page as they arrive (set before any page script runs).
RECORD_GROWTH = """
window.__answerLengths = [];
new MutationObserver(() => {
  const text = document.querySelector('[data-testid="answer-text"]');
  const lengths = window.__answerLengths;
  if (text && text.textContent.length !== lengths[lengths.length - 1]) lengths.push(text.textContent.length);
}).observe(document, { childList: true, subtree: true, characterData: true });
"""


@dataclass
class Server:
    base: str
    service: AssistantService


@pytest.fixture
def server(fake_data: Path) -> Iterator[Server]:
    """The pages over a private copy of the session's fake index, served on loopback."""
    embedder = HashingEmbedder()
    service = build_service(
        Settings(data_dir=fake_data, corpus_dir=CORPUS, http={"admin_key": ADMIN_KEY}),
        embedder_factory=lambda: embedder,
    )
    try:
        with serve(create_app(service.settings, service)) as base:
            yield Server(base, service)
    finally:
        service.close()


@dataclass
class Chat:
    """A page on the chat, with what it asked of the network and what went wrong in it."""

    watched: Watched
    server: Server

    @property
    def page(self) -> Page:
        return self.watched.page

    @property
    def requests(self) -> list[Request]:
        return self.watched.requests

    def open(self, path: str = "/") -> None:
        self.page.goto(self.server.base + path)
        if path == "/":
            expect(self.page.get_by_label("Your question")).to_be_visible()

    def ask(self, question: str) -> None:
        box = self.page.get_by_label("Your question")
        box.click()
        box.press_sequentially(question)
        box.press("Enter")

    def answered(self, count: int = 1) -> None:
        """Wait until ``count`` answers are complete."""
        expect(self.page.locator('[data-testid="answer"][data-state="done"]')).to_have_count(count)

    def asked_sessions(self) -> list[str | None]:
        bodies = [r.post_data_json or {} for r in self.requests if r.url.endswith("/v1/ask/stream")]
        return [body.get("session_id") for body in bodies]


def open_pages(browser: Browser, server: Server, viewport: dict[str, int]) -> Iterator[Chat]:
    with watched_page(browser, viewport["width"], viewport["height"]) as watched:
        watched.page.add_init_script(RECORD_GROWTH)
        yield Chat(watched, server)
    watched.assert_stayed_home(server.base)


@pytest.fixture
def chat(browser: Browser, server: Server) -> Iterator[Chat]:
    yield from open_pages(browser, server, {"width": 1024, "height": 800})


@pytest.fixture
def phone_chat(browser: Browser, server: Server) -> Iterator[Chat]:
    yield from open_pages(browser, server, {"width": 360, "height": 740})
