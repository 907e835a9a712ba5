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
from playwright.sync_api import Browser

from assistant.faces.http.app import create_app
from assistant.service import AssistantService
from assistant.settings import Settings, get_settings
from assistant.wiring import build_service
from ingest.embedder import Vectors
from tests.support.browser import chromium, skip_without_browser
from tests.support.fakes import HashingEmbedder

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
