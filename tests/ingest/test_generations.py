"""Index generations beyond the first sync: a sync that would empty the index is refused unless forced,
the previous generation stays for `assistant index rollback`, an edited file adds only its own vectors,
and switching generations leaks nothing (clients of a generation no longer served close when its last
reader is done)."""

from __future__ import annotations

import gc
import threading
from pathlib import Path

import pytest
from typer.testing import CliRunner

from assistant.answering.offline import OfflineAnswerer
from assistant.faces.cli import app
from assistant.service import AssistantService
from ingest import keyword_index
from ingest.errors import IndexMissingError, SyncRefusedError
from ingest.generations import current_generation, generation_dirs
from ingest.pipeline import sync
from ingest.snapshot import IndexHandle
from tests.support.fakes import HashingEmbedder

ESPOO = "eurocities-espoo-2022-takeaways.txt"


def test_a_sync_that_would_empty_the_index_is_refused(isolated_env: Path, corpus_copy: Path) -> None:
    embedder = HashingEmbedder()
    first = sync(isolated_env, [corpus_copy], lambda: embedder)
    for path in corpus_copy.iterdir():
        path.unlink()
    with pytest.raises(SyncRefusedError) as refused:
        sync(isolated_env, [corpus_copy], lambda: embedder)
    assert "would remove 5 of the 5" in refused.value.message
    assert str(corpus_copy) in refused.value.message and "--force" in refused.value.message
    assert current_generation(isolated_env) == first.generation  # nothing changed
    forced = sync(isolated_env, [corpus_copy], lambda: embedder, force=True)
    assert len(forced.files_removed) == 5 and forced.generation != first.generation


def test_removing_a_share_below_the_limit_goes_through(isolated_env: Path, corpus_copy: Path) -> None:
    embedder = HashingEmbedder()
    sync(isolated_env, [corpus_copy], lambda: embedder)
    (corpus_copy / ESPOO).unlink()
    report = sync(isolated_env, [corpus_copy], lambda: embedder)
    assert report.files_removed == [ESPOO]
    with pytest.raises(SyncRefusedError):  # 4 of 4 left is more than a 0.1 share
        for path in corpus_copy.iterdir():
            path.unlink()
        sync(isolated_env, [corpus_copy], lambda: embedder, max_removed_share=0.1)


def test_rollback_serves_the_previous_generation(
    fake_service: AssistantService, corpus_copy: Path, isolated_env: Path
) -> None:
    first = fake_service.ingest([corpus_copy])
    (corpus_copy / ESPOO).unlink()
    second = fake_service.ingest([corpus_copy])
    assert ESPOO not in fake_service.index.get().documents
    switched = fake_service.rollback()
    assert switched == (second.generation, first.generation)
    assert current_generation(isolated_env) == first.generation
    assert ESPOO in fake_service.index.get().documents
    assert any(hit.source == ESPOO for hit in fake_service.search("Espoo takeaways", k=10))
    with pytest.raises(IndexMissingError, match="nothing to roll back to"):
        fake_service.rollback()


def test_rollback_from_the_command_line(isolated_env: Path, corpus_copy: Path) -> None:
    embedder = HashingEmbedder()
    first = sync(isolated_env, [corpus_copy], lambda: embedder)
    (corpus_copy / ESPOO).unlink()
    second = sync(isolated_env, [corpus_copy], lambda: embedder)
    result = CliRunner().invoke(app, ["index", "rollback"])
    assert result.exit_code == 0, result.output
    assert f"{second.generation} -> {first.generation}" in result.stdout
    assert current_generation(isolated_env) == first.generation


def test_an_edited_file_adds_only_its_own_vectors_and_terms(
    isolated_env: Path, corpus_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    embedder = HashingEmbedder()
    first = sync(isolated_env, [corpus_copy], lambda: embedder)
    embedded = embedder.texts_embedded
    tokenised: list[str] = []
    original_terms = keyword_index.terms
    monkeypatch.setattr(keyword_index, "terms", lambda text: tokenised.append(text) or original_terms(text))
    path = corpus_copy / ESPOO
    path.write_text(path.read_text(encoding="utf-8") + "\n\nOne more line about Espoo.\n", encoding="utf-8")
    second = sync(isolated_env, [corpus_copy], lambda: embedder)
    assert second.generation != first.generation
    assert 0 < embedder.texts_embedded - embedded < 20  # the new chunk and its sentences, nothing else
    assert 0 < len(tokenised) <= 2  # the keyword index re-reads only what changed
    handle = IndexHandle(isolated_env)
    snapshot = handle.get()
    assert snapshot.vectors.count() == second.chunks_total
    assert len(generation_dirs(isolated_env)) == 2  # the serving one and the one before, for rollback
    handle.close()


def test_a_watching_handle_warms_the_first_generation_it_serves(
    isolated_env: Path, corpus_copy: Path
) -> None:
    sync(isolated_env, [corpus_copy], HashingEmbedder)
    handle = IndexHandle(isolated_env)
    warmed: list[str] = []
    handle.on_load(lambda snapshot: warmed.append(snapshot.generation))
    handle.watch(interval=60)
    served = handle.get()  # whether the watcher or this call loads it, it is warmed before it serves
    assert warmed == [served.generation]
    handle.close()


def _open_files() -> int:
    gc.collect()  # what other tests left unreferenced is closed now, not in the middle of this one
    return len(list(Path("/proc/self/fd").iterdir()))


def _settled(service: AssistantService) -> None:
    """The served generation's background work (its multilingual passage vectors) done: what is open
    then is what the switches left, not a batch being encoded."""
    answerer = service.answerer
    assert isinstance(answerer, OfflineAnswerer) and answerer.multilingual is not None
    assert answerer.multilingual.wait_prepared(timeout=300)


def test_switching_generations_leaks_no_files_or_threads(
    fake_service: AssistantService, corpus_copy: Path
) -> None:
    fake_service.ingest([corpus_copy])
    fake_service.search("study tours")
    path = corpus_copy / ESPOO
    baseline: tuple[int, int] | None = None
    for round_number in range(8):
        path.write_text(path.read_text(encoding="utf-8") + f"\n\nRound {round_number}.\n", encoding="utf-8")
        fake_service.ingest([corpus_copy])
        fake_service.index.refresh()
        fake_service.search("study tours")
        if round_number == 1:
            _settled(fake_service)
            baseline = (_open_files(), threading.active_count())
    assert baseline is not None
    _settled(fake_service)
    # before, each switch left ~12 files and ~6 threads open: 6 switches would add ~72 and ~36
    assert _open_files() <= baseline[0] + 4
    assert threading.active_count() <= baseline[1] + 1


def test_a_generation_closes_when_its_last_reader_is_done(
    fake_service: AssistantService, corpus_copy: Path
) -> None:
    fake_service.ingest([corpus_copy])
    handle = fake_service.index
    closed: list[str] = []
    with handle.reading() as held:
        original = held.close
        held.close = lambda: (closed.append(held.generation), original())  # type: ignore[method-assign]
        path = corpus_copy / ESPOO
        path.write_text(path.read_text(encoding="utf-8") + "\n\nA new line.\n", encoding="utf-8")
        fake_service.ingest([corpus_copy])
        assert handle.get() is not held
        assert closed == []  # still read: open
        assert held.vectors.query(held.sentence_vectors[0][: held.sentence_vectors.shape[1]], 3) is not None
    assert closed == [held.generation]
