"""Every test gets its own data dir and environment; nothing reads the developer's index or home.

Two indexes of the shipped corpus are built once per session and copied by the tests that write: one
with the hashing embedder (``fake_index``, fast) and one with the real model (``real_index``)."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from assistant.answering.offline import OfflineAnswerer
from assistant.service import AssistantService
from assistant.settings import IndexSettings, Settings, get_settings
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
    assert not report.files_failed, report.files_failed
    # Copies start with the passages' multilingual vectors in their embedding cache, as a deployment
    # restarts with them: no test's server encodes the corpus in the background again.
    answerer = service.answerer
    assert isinstance(answerer, OfflineAnswerer) and answerer.multilingual is not None
    answerer.multilingual.encode_compared(service.index.get())
    service.close()
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


SERVER_PREFIX = "real-index"  # the session's real index on the Chroma server


@pytest.fixture(scope="session")
def real_server_index(tmp_path_factory: pytest.TempPathFactory, real_index: Path, chroma_server: str) -> Path:
    """The shipped corpus indexed once with the real model into the session's Chroma server (the
    embedding cache of ``real_index`` is reused, so nothing is embedded twice)."""
    data = tmp_path_factory.mktemp("real-server-index") / "data"
    data.mkdir()
    shutil.copy(real_index / "embeddings.sqlite3", data / "embeddings.sqlite3")
    index = IndexSettings(chroma_url=chroma_server, chroma_collection_prefix=SERVER_PREFIX)
    service = build_service(Settings(data_dir=data, corpus_dir=CORPUS, index=index))
    report = service.ingest()
    service.close()
    assert not report.files_failed and report.chunks_total, report
    return data


@pytest.fixture(params=["embedded", "server"])
def real_service(
    request: pytest.FixtureRequest, real_index: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[AssistantService]:
    """A service on a private copy of the real index (conversations written there stay private), in
    both configurations: embedded (Chroma folders, SQLite) and servers (a Chroma server on loopback,
    PostgreSQL on loopback)."""
    data = tmp_path / "real-data"
    if request.param == "server":
        shutil.copytree(request.getfixturevalue("real_server_index"), data)
        monkeypatch.setenv("ASSISTANT_INDEX__CHROMA_URL", request.getfixturevalue("chroma_server"))
        monkeypatch.setenv("ASSISTANT_INDEX__CHROMA_COLLECTION_PREFIX", SERVER_PREFIX)
        monkeypatch.setenv("ASSISTANT_STATE__DATABASE_URL", request.getfixturevalue("postgres_url"))
    else:
        shutil.copytree(real_index, data)
    monkeypatch.setenv("ASSISTANT_DATA_DIR", str(data))
    service = build_service(get_settings())
    yield service
    service.close()


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """A real PostgreSQL on loopback for the whole session (``tests/support/postgres.py``)."""
    from tests.support.postgres import SKIP, postgres_server

    if SKIP:
        pytest.skip("SKIP_POSTGRES_TESTS=1")
    with postgres_server() as url:
        yield url


@pytest.fixture
def postgres_url(postgres_server: str) -> str:
    """A fresh database of this test's own on the session's PostgreSQL."""
    from tests.support.postgres import new_database

    return new_database(postgres_server)


@pytest.fixture(scope="session")
def chroma_server() -> Iterator[str]:
    """A real Chroma server on loopback for the whole session (``tests/support/chroma_server.py``)."""
    from tests.support.chroma_server import chroma_server

    with chroma_server() as url:
        yield url


@pytest.fixture
def chroma_url(chroma_server: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """This test's service keeps its vectors on the session's Chroma server, under a prefix of its own."""
    import uuid

    monkeypatch.setenv("ASSISTANT_INDEX__CHROMA_URL", chroma_server)
    monkeypatch.setenv("ASSISTANT_INDEX__CHROMA_COLLECTION_PREFIX", f"t{uuid.uuid4().hex[:10]}")
    return chroma_server
