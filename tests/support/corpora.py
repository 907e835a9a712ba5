"""A real service over the shipped corpus plus documents a test writes: the index, the embedder and the
answerer are the ones users run."""

from __future__ import annotations

import shutil

import pytest

from assistant.service import AssistantService
from assistant.settings import get_settings
from assistant.wiring import build_service
from tests.support.paths import CORPUS


def service_with(tmp_path_factory: pytest.TempPathFactory, documents: dict[str, str]) -> AssistantService:
    """The service, ingested: the shipped corpus and ``documents`` (file name → text). Close it after."""
    corpus = tmp_path_factory.mktemp("corpus")
    shutil.copytree(CORPUS, corpus, dirs_exist_ok=True)
    for name, text in documents.items():
        (corpus / name).write_text(text, encoding="utf-8")
    settings = get_settings().model_copy(update={"data_dir": tmp_path_factory.mktemp("data")})
    service = build_service(settings)
    service.ingest([corpus])
    return service
