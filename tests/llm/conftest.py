"""LLM mode against real servers on loopback: a scripted OpenAI-protocol server (tests/support/
scripted_llm.py) whose replies each test writes, over a private copy of the hashing-embedder index."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path

import pytest

from assistant.service import AssistantService
from assistant.settings import get_settings
from assistant.wiring import build_service
from tests.support.fakes import HashingEmbedder
from tests.support.scripted_llm import MODEL, ScriptedLLM
from tests.support.servers import serve

LlmService = Callable[..., AbstractContextManager[AssistantService]]


def llm_env(monkeypatch: pytest.MonkeyPatch, base_url: str, **llm: object) -> None:
    """LLM mode in the environment, as a deployment sets it."""
    monkeypatch.setenv("ASSISTANT_LLM__BASE_URL", base_url)
    monkeypatch.setenv("ASSISTANT_LLM__MODEL", str(llm.pop("model", MODEL)))
    for name, value in llm.items():
        monkeypatch.setenv(
            f"ASSISTANT_LLM__{name.upper()}", str(value).lower() if isinstance(value, bool) else str(value)
        )


@pytest.fixture
def llm_service(fake_data: Path, monkeypatch: pytest.MonkeyPatch) -> LlmService:
    """``with llm_service(script, timeout_seconds=5) as service:`` — the script served on loopback,
    the service built from the environment in LLM mode pointing at it."""

    @contextmanager
    def start(script: ScriptedLLM, **llm: object) -> Iterator[AssistantService]:
        with serve(script.app) as url:
            llm_env(monkeypatch, f"{url}/v1", **llm)
            service = build_service(get_settings(), embedder_factory=HashingEmbedder)
            try:
                yield service
            finally:
                service.close()

    return start
