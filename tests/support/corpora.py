"""A real service over the shipped corpus plus documents a test writes: the index, the embedder and the
answerer are the ones users run."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.service import AssistantService
from assistant.settings import get_settings
from assistant.wiring import build_service
from ingest.pipeline import sync
from ingest.store import IndexHandle, IndexSnapshot
from tests.support.fakes import HashingEmbedder
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


def serving(
    tmp_path_factory: pytest.TempPathFactory, documents: dict[str, str]
) -> Iterator[AssistantService]:
    """``service_with``, closed when the caller is done: a fixture writes ``yield from serving(…)``."""
    service = service_with(tmp_path_factory, documents)
    try:
        yield service
    finally:
        service.close()


def indexed(tmp_path: Path, pages: dict[str, str]) -> IndexSnapshot:
    """A snapshot of ``pages`` alone (file name → text), embedded by the hashing embedder: for tests of
    what is read from a page, not of how it ranks."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name, text in pages.items():
        (corpus / name).write_text(text, encoding="utf-8")
    sync(tmp_path / "data", [corpus], HashingEmbedder)
    return IndexHandle(tmp_path / "data").get()


def declined_beside_its_twin(
    service: AssistantService, question: str, reason: str, twin: str, twin_gives: str
) -> None:
    """Assert that ``question`` is declined for ``reason`` while its look-alike ``twin``, which the page
    does answer, gets an answer holding ``twin_gives``: the decline is about what is asked, not the page."""
    answer = service.ask(question)
    assert answer.abstained and reason in answer.answer, answer.answer
    answered = service.ask(twin)
    assert not answered.abstained and twin_gives in answered.answer, answered.answer
