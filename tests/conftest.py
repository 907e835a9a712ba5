"""Every test gets its own data dir and environment; nothing reads the developer's index or home.

Two indexes of the shipped corpus are built once per session and copied by the tests that write: one
with the hashing embedder (``fake_index``, fast) and one with the real model (``real_index``)."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from assistant.service import AssistantService
from assistant.settings import Settings, get_settings
from assistant.wiring import build_service
from ingest.embedder import Embedder
from tests.support.fakes import HashingEmbedder
from tests.support.paths import CORPUS


def _corpus_state() -> dict[str, bytes]:
    return {str(path.relative_to(CORPUS)): path.read_bytes() for path in CORPUS.rglob("*") if path.is_file()}


@pytest.fixture(scope="session", autouse=True)
def shipped_corpus_untouched() -> Iterator[None]:
    """Routes now write to the corpus folder (uploads, removals): no test may write to the shipped one,
    which is every test's default ASSISTANT_CORPUS_DIR. Tests that write use ``corpus_copy``."""
    before = _corpus_state()
    yield
    assert _corpus_state() == before, "a test changed the shipped corpus/ folder"


@pytest.fixture(autouse=True)
def isolated_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    for name in list(__import__("os").environ):
        if name.startswith("ASSISTANT_"):
            monkeypatch.delenv(name)
    data = tmp_path / "data"
    monkeypatch.setenv("ASSISTANT_DATA_DIR", str(data))
    monkeypatch.setenv("ASSISTANT_CORPUS_DIR", str(CORPUS))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    yield data


@pytest.fixture
def corpus_copy(tmp_path: Path) -> Path:
    """A writable copy of the shipped corpus."""
    target = tmp_path / "corpus"
    shutil.copytree(CORPUS, target)
    return target


@pytest.fixture
def fake_service(isolated_env: Path) -> Iterator[AssistantService]:
    """A service over a fresh data dir with the hashing embedder (fast; no model load)."""
    embedder = HashingEmbedder()
    service = build_service(get_settings(), embedder_factory=lambda: embedder)
    yield service
    service.close()


def index_corpus(data: Path, embedder_factory: Callable[[], Embedder] | None = None) -> Path:
    """Index the shipped corpus into ``data`` (the real model unless a factory is given); a fixture for
    a module or session calls this once and its tests copy the result before writing."""
    service = (
        build_service(Settings(data_dir=data, corpus_dir=CORPUS), embedder_factory=embedder_factory)
        if embedder_factory
        else build_service(Settings(data_dir=data, corpus_dir=CORPUS))
    )
    report = service.ingest()
    service.close()
    assert not report.files_failed, report.files_failed
    return data


@pytest.fixture(scope="session")
def fake_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped corpus indexed once with the hashing embedder; tests copy it before writing
    (``fake_data``), never write to it."""
    return index_corpus(tmp_path_factory.mktemp("fake-index") / "data", HashingEmbedder)


@pytest.fixture
def fake_data(fake_index: Path, isolated_env: Path) -> Path:
    """This test's data dir (``ASSISTANT_DATA_DIR``) holding a private copy of the hashing-embedder index."""
    shutil.copytree(fake_index, isolated_env)
    return isolated_env


@pytest.fixture(scope="session")
def real_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped corpus indexed once with the real embedding model; tests copy it before writing."""
    return index_corpus(tmp_path_factory.mktemp("real-index") / "data")


@pytest.fixture
def real_service(
    real_index: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[AssistantService]:
    """A service on a private copy of the real index (conversations written there stay private)."""
    data = tmp_path / "real-data"
    shutil.copytree(real_index, data)
    monkeypatch.setenv("ASSISTANT_DATA_DIR", str(data))
    service = build_service(get_settings())
    yield service
    service.close()
