"""Ingest and retrieval on both vector engines: Chroma folders in the data dir (embedded) and a real
Chroma server on loopback. The same behaviour on both: an edit adds only its own vectors, readers see
only their generation, pruning leaves only what kept generations use, rollback serves the previous one."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.models import Filters
from assistant.service import AssistantService
from assistant.settings import get_settings
from assistant.wiring import build_service
from ingest.vector_index import close_http_client
from tests.support.fakes import HashingEmbedder

ESPOO = "eurocities-espoo-2022-takeaways.txt"
NEW_LINE = "Espoo tested a municipal heat-pump cooperative with its partner city."


@pytest.fixture(params=["embedded", "server"])
def engine(request: pytest.FixtureRequest) -> str:
    if request.param == "server":
        request.getfixturevalue("chroma_url")
    return str(request.param)


@pytest.fixture
def service(engine: str, isolated_env: Path) -> Iterator[AssistantService]:
    embedder = HashingEmbedder()
    built = build_service(get_settings(), embedder_factory=lambda: embedder)
    yield built
    built.close()


def _collection_ids(service: AssistantService) -> set[str]:
    import chromadb

    settings = service.settings.index
    assert settings.chroma_url is not None
    client = chromadb.HttpClient(host="127.0.0.1", port=int(settings.chroma_url.rsplit(":", 1)[1]))
    try:
        names = [c if isinstance(c, str) else c.name for c in client.list_collections()]
        ours = [name for name in names if name.startswith(settings.chroma_collection_prefix + "-")]
        return {key for name in ours for key in client.get_collection(name).get(include=[])["ids"]}
    finally:
        close_http_client(client)


def test_ingest_search_and_an_edit_on_each_engine(
    service: AssistantService, engine: str, corpus_copy: Path
) -> None:
    first = service.ingest([corpus_copy])
    assert first.ok and first.chunks_total > 0
    hits = service.search("Espoo takeaways", k=5)
    assert hits and any(hit.source == ESPOO for hit in hits)
    filtered = service.search(
        "cooperation", k=5, filters=Filters(kind="call for applications", programme="IUC")
    )
    assert all(hit.source != ESPOO for hit in filtered)
    path = corpus_copy / ESPOO
    path.write_text(path.read_text(encoding="utf-8") + f"\n\n{NEW_LINE}\n", encoding="utf-8")
    embedder = service.embedder.model
    assert isinstance(embedder, HashingEmbedder)
    before = embedder.texts_embedded
    second = service.ingest([corpus_copy])
    assert 0 < embedder.texts_embedded - before < 20
    assert service.index.get().generation == second.generation
    assert any(NEW_LINE in hit.text for hit in service.search("municipal heat-pump cooperative", k=5))
    if engine == "server":  # both kept generations' vectors are there, and nothing else
        assert service.index.get().vectors.count() == second.chunks_total
        assert len(_collection_ids(service)) <= first.chunks_total + second.chunks_total


def test_readers_see_only_their_generation_and_pruning_cleans_up(
    service: AssistantService, engine: str, corpus_copy: Path
) -> None:
    service.ingest([corpus_copy])
    path = corpus_copy / ESPOO
    for round_number in range(3):
        path.write_text(path.read_text(encoding="utf-8") + f"\n\nRound {round_number} heat pumps.\n")
        service.ingest([corpus_copy])
    snapshot = service.index.get()
    hits = snapshot.vectors.query(service.embedder.embed(["Round heat pumps"])[0], 50)
    assert {chunk_id for chunk_id, _ in hits} <= set(snapshot.chunks)
    assert len(hits) == min(50, len(snapshot.chunks))
    if engine == "server":
        kept = service.settings.index.keep_generations
        assert len(_collection_ids(service)) <= kept * len(snapshot.chunks)


def test_rollback_on_each_engine(service: AssistantService, corpus_copy: Path) -> None:
    first = service.ingest([corpus_copy])
    (corpus_copy / ESPOO).unlink()
    service.ingest([corpus_copy])
    assert all(hit.source != ESPOO for hit in service.search("Espoo takeaways", k=10))
    assert service.rollback()[1] == first.generation
    assert any(hit.source == ESPOO for hit in service.search("Espoo takeaways", k=10))
