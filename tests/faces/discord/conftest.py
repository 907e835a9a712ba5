"""A service over a private copy of the hashing-embedder index, for the bot's handlers and its
end-to-end tests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.service import AssistantService
from assistant.settings import get_settings
from assistant.wiring import build_service
from tests.support.fakes import HashingEmbedder


@pytest.fixture
def service(fake_data: Path) -> Iterator[AssistantService]:
    built = build_service(get_settings(), embedder_factory=HashingEmbedder)
    yield built
    built.close()
