"""Tests of ``ingest.pipeline.sync`` and index generations, against real on-disk Chroma.

The hashing embedder stands in for the model (instant); the CLI tests at the end use the real one.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import NoReturn

import pytest
from typer.testing import CliRunner

from assistant.faces.cli import app, main
from assistant.service import AssistantService
from assistant.settings import get_settings
from assistant.wiring import build_service
from ingest.embedder import Vectors
from ingest.errors import IndexLockedError, IndexMissingError
from ingest.keyword_index import KeywordIndex
from ingest.lock import writer_lock
from ingest.models import IngestReport
from ingest.pipeline import pipeline_version, sync
from ingest.store import (
    KEEP_GENERATIONS,
    IndexHandle,
    IndexSnapshot,
    chunk_search_text,
    current_generation,
    index_root,
)
from tests.support.fakes import HashingEmbedder
from tests.support.paths import CORPUS

CALL = "iuc-call-starting-city-to-city-cooperation.txt"
FACTSHEET = "iuc-city-to-city-initiative-factsheet.txt"
ESPOO = "eurocities-espoo-2022-takeaways.txt"
CONCEPT = "partnerships-sustainable-cities-barcelona-2024-concept-note.txt"
REGIONS = "regions-week-2023-curious-minds-takeaways.txt"
ALL = sorted([CALL, FACTSHEET, ESPOO, CONCEPT, REGIONS])
OLD_SENTENCE = "Thinking out of the European box!"
NEW_SENTENCE = "Thinking beyond the borders of the continent!"


class RecordingEmbedder(HashingEmbedder):
    """The hashing embedder, remembering every text it was asked to embed."""

    def __init__(self, dimension: int = 64) -> None:
        super().__init__(dimension)
        self.texts: list[str] = []

    def embed(self, texts: Sequence[str]) -> Vectors:
        self.texts.extend(texts)
        return super().embed(texts)


@pytest.fixture
def data(isolated_env: Path) -> Path:
    return isolated_env


@pytest.fixture
def embedder() -> RecordingEmbedder:
    return RecordingEmbedder()


@pytest.fixture
def run(data: Path, embedder: RecordingEmbedder) -> Iterator[RunSync]:
    yield RunSync(data, embedder)


class RunSync:
    def __init__(self, data: Path, embedder: RecordingEmbedder) -> None:
        self.data = data
        self.embedder = embedder

    def __call__(self, *paths: Path) -> IngestReport:
        return sync(self.data, list(paths), lambda: self.embedder)

    def snapshot(self) -> IndexSnapshot:
        return IndexHandle(self.data).get()


def names(paths: list[str]) -> list[str]:
    return sorted(Path(path).name for path in paths)


def generations(data: Path) -> list[str]:
    return sorted(path.name for path in index_root(data).iterdir() if path.is_dir())


def unfinished(data: Path) -> list[str]:
    return [name for name in generations(data) if not (index_root(data) / name / "COMPLETE").exists()]


def all_text(snapshot: IndexSnapshot) -> str:
    return "\n".join(chunk.text for chunk in snapshot.chunks.values())


def edit_espoo(corpus: Path) -> None:
    path = corpus / ESPOO
    text = path.read_text(encoding="utf-8")
    assert OLD_SENTENCE in text
    path.write_text(text.replace(OLD_SENTENCE, NEW_SENTENCE), encoding="utf-8")


# --- first and repeated ingests ------------------------------------------------------------------


def test_first_ingest_indexes_the_corpus(
    fake_service: AssistantService, corpus_copy: Path, data: Path
) -> None:
    report = fake_service.ingest([corpus_copy])
    assert names(report.files_indexed) == ALL
    assert (report.files_unchanged, report.files_removed, report.files_failed) == ([], [], [])
    assert report.ok
    assert report.chunks_embedded > 0
    assert report.chunks_embedded == report.chunks_total
    assert report.generation is not None
    assert report.generation == current_generation(data)
    snapshot = fake_service.index.get()
    assert sorted(snapshot.documents) == ALL
    assert len(snapshot.chunks) == report.chunks_total
    assert snapshot.info == {
        "embedder": "hashing-64",
        "pipeline": pipeline_version(),
        "space": "hashing-64-64d",
    }
    assert len(snapshot.pairings) == 55
    assert snapshot.vectors.count() == report.chunks_total
    hits = fake_service.search("Vijayawada urban mobility Hamburg")
    assert hits
    assert hits[0].source == CALL


def test_service_ingests_its_corpus_folder_by_default(
    corpus_copy: Path, monkeypatch: pytest.MonkeyPatch, data: Path
) -> None:
    monkeypatch.setenv("ASSISTANT_CORPUS_DIR", str(corpus_copy))
    service = build_service(get_settings(), embedder_factory=HashingEmbedder)
    try:
        report = service.ingest()
    finally:
        service.close()
    assert names(report.files_indexed) == ALL


def test_second_ingest_changes_nothing(run: RunSync, corpus_copy: Path, data: Path) -> None:
    first = run(corpus_copy)
    texts = len(run.embedder.texts)
    before = generations(data)
    second = run(corpus_copy)
    assert names(second.files_unchanged) == ALL
    assert (second.files_indexed, second.files_removed, second.files_failed) == ([], [], [])
    assert second.chunks_embedded == 0
    assert second.chunks_total == first.chunks_total
    assert second.generation == first.generation == current_generation(data)
    assert generations(data) == before == [first.generation]
    assert len(run.embedder.texts) == texts  # the model was not called at all


def test_editing_one_file_re_embeds_only_its_changed_chunk(run: RunSync, corpus_copy: Path) -> None:
    run(corpus_copy)
    old = run.snapshot()
    edit_espoo(corpus_copy)
    run.embedder.texts.clear()
    report = run(corpus_copy)
    assert names(report.files_indexed) == [ESPOO]
    assert names(report.files_unchanged) == sorted(set(ALL) - {ESPOO})
    assert report.generation != old.generation
    new = run.snapshot()
    changed = {chunk_search_text(c) for c in new.chunks.values()} - {
        chunk_search_text(c) for c in old.chunks.values()
    }
    assert len(changed) == 1
    assert report.chunks_embedded == 1
    # the changed chunk, and the one changed sentence (in its context); nothing else went to the model
    assert len(run.embedder.texts) == 2
    assert changed < set(run.embedder.texts)
    assert any(text.endswith(NEW_SENTENCE) for text in run.embedder.texts)
    # the old text is gone from the index, the new one is there
    assert OLD_SENTENCE not in all_text(new)
    assert NEW_SENTENCE in all_text(new)
    assert OLD_SENTENCE not in [s.text for s in new.sentences]
    for chunk_id, _ in new.keywords.query(OLD_SENTENCE, 10):
        assert OLD_SENTENCE not in new.chunks[chunk_id].text
    # the other files' chunks are the very same
    for source in set(ALL) - {ESPOO}:
        assert [c for c in new.chunks.values() if c.source == source] == [
            c for c in old.chunks.values() if c.source == source
        ]


def test_service_search_no_longer_finds_edited_text(
    fake_service: AssistantService, corpus_copy: Path
) -> None:
    fake_service.ingest([corpus_copy])
    assert any(OLD_SENTENCE in hit.text for hit in fake_service.search(OLD_SENTENCE, k=10))
    edit_espoo(corpus_copy)
    fake_service.ingest([corpus_copy])
    hits = fake_service.search(OLD_SENTENCE, k=50)
    assert not any(OLD_SENTENCE in hit.text for hit in hits)
    assert any(NEW_SENTENCE in hit.text for hit in hits)


def test_editing_a_sidecar_re_indexes_the_file(run: RunSync, corpus_copy: Path) -> None:
    run(corpus_copy)
    espoo_chunks = [c for c in run.snapshot().chunks.values() if c.source == ESPOO]
    (corpus_copy / f"{ESPOO}.meta.json").write_text('{"title": "Espoo networking session"}', encoding="utf-8")
    report = run(corpus_copy)
    assert names(report.files_indexed) == [ESPOO]
    assert report.files_failed == []  # the sidecar is not a document of its own
    assert report.chunks_embedded == len(espoo_chunks)  # the title is part of every chunk's search text
    snapshot = run.snapshot()
    assert snapshot.documents[ESPOO].title == "Espoo networking session"
    assert {c.title for c in snapshot.chunks.values() if c.source == ESPOO} == {"Espoo networking session"}


def test_invalid_sidecar_fails_the_file_and_keeps_its_previous_version(
    run: RunSync, corpus_copy: Path
) -> None:
    first = run(corpus_copy)
    (corpus_copy / f"{ESPOO}.meta.json").write_text('{"edition": "soon"}', encoding="utf-8")
    report = run(corpus_copy)
    [failed] = report.files_failed
    assert Path(failed.path).name == ESPOO
    assert failed.error.startswith(f"invalid metadata file {ESPOO}.meta.json: ")
    assert failed.error.endswith("(the previously indexed version is kept)")
    assert report.generation == first.generation
    assert run.snapshot().documents[ESPOO].edition == 2022


# --- removals ------------------------------------------------------------------------------------


def test_deleting_a_file_from_the_folder_removes_it(run: RunSync, corpus_copy: Path, data: Path) -> None:
    first = run(corpus_copy)
    (corpus_copy / FACTSHEET).unlink()
    report = run(corpus_copy)
    assert report.files_removed == [FACTSHEET]
    assert names(report.files_unchanged) == sorted(set(ALL) - {FACTSHEET})
    assert report.chunks_embedded == 0
    assert report.generation not in (None, first.generation)
    assert current_generation(data) == report.generation
    snapshot = run.snapshot()
    assert FACTSHEET not in snapshot.documents
    assert not [c for c in snapshot.chunks.values() if c.source == FACTSHEET]
    assert report.chunks_total == len(snapshot.chunks) < first.chunks_total
    assert snapshot.vectors.count() == report.chunks_total


def test_a_file_ingested_on_its_own_stays_when_the_folder_is_synced(
    run: RunSync, corpus_copy: Path, tmp_path: Path
) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    notes = elsewhere / "iurc-notes-2025.md"
    notes.write_text(
        "# IURC notes\n\nThe IURC programme pairs Porto with Recife on heritage.\n", encoding="utf-8"
    )
    other = tmp_path / "other-folder"
    other.mkdir()
    (other / "minutes.txt").write_text(
        "Minutes of the meeting.\n\nCities agreed to meet again.\n", encoding="utf-8"
    )
    run(corpus_copy)
    assert names(run(notes).files_indexed) == ["iurc-notes-2025.md"]
    assert names(run(other).files_indexed) == ["minutes.txt"]
    report = run(corpus_copy)
    assert report.files_removed == []
    assert names(report.files_unchanged) == ALL
    assert sorted(run.snapshot().documents) == sorted([*ALL, "iurc-notes-2025.md", "minutes.txt"])
    # but a file gone from the folder it came from is removed
    (other / "minutes.txt").unlink()
    assert run(other).files_removed == ["minutes.txt"]
    assert "iurc-notes-2025.md" in run.snapshot().documents


def test_emptying_the_folder_removes_its_files_from_the_index(
    run: RunSync, corpus_copy: Path, data: Path
) -> None:
    run(corpus_copy)
    for path in corpus_copy.iterdir():
        path.unlink()
    report = sync(data, [corpus_copy], lambda: run.embedder, force=True)  # refused unless forced
    assert sorted(report.files_removed) == ALL
    # The report says the five files were removed: the index must not go on serving them.
    name = current_generation(data)
    served = IndexSnapshot.open(data, name) if name is not None else None
    assert served is None or not set(ALL) & set(served.documents), f"removed files still served from {name}"
    if served is not None:
        served.close()


# --- files that cannot be indexed ----------------------------------------------------------------


def test_bad_files_fail_with_clear_reasons_while_the_others_index(run: RunSync, corpus_copy: Path) -> None:
    (corpus_copy / "empty.txt").write_bytes(b"")
    (corpus_copy / "corrupt.pdf").write_bytes(
        b"%PDF-1.7\n1 0 obj << /Type /Catalog >>\nnot really a PDF\n%%EOF"
    )
    (corpus_copy / "blob.txt").write_bytes(bytes(range(256)) * 8)
    (corpus_copy / "letter.docx").write_bytes(b"PK\x03\x04 an office document")
    (corpus_copy / ".DS_Store").write_bytes(b"\x00\x01hidden")
    report = run(corpus_copy)
    assert names(report.files_indexed) == ALL
    reasons = {Path(failed.path).name: failed.error for failed in report.files_failed}
    assert sorted(reasons) == ["blob.txt", "corrupt.pdf", "empty.txt", "letter.docx"]
    assert reasons["empty.txt"] == "empty file"
    assert reasons["corrupt.pdf"].startswith("corrupt PDF: ")
    assert reasons["blob.txt"] == "binary file, not text (NUL bytes)"
    assert reasons["letter.docx"].startswith("unsupported file type '.docx' (supported: ")
    assert not report.ok
    assert sorted(run.snapshot().documents) == ALL
    # still failing next time, and still not stopping the rest
    again = run(corpus_copy)
    assert sorted(Path(f.path).name for f in again.files_failed) == sorted(reasons)
    assert names(again.files_unchanged) == ALL


def test_a_missing_path_is_reported(run: RunSync, tmp_path: Path, corpus_copy: Path) -> None:
    report = run(corpus_copy / CALL, tmp_path / "nowhere.txt")
    assert names(report.files_indexed) == [CALL]
    assert [(f.path, f.error) for f in report.files_failed] == [
        (str(tmp_path / "nowhere.txt"), "no such file or folder")
    ]


def test_a_corrupted_file_keeps_its_previous_version_serving(run: RunSync, corpus_copy: Path) -> None:
    first = run(corpus_copy)
    before = [c for c in run.snapshot().chunks.values() if c.source == FACTSHEET]
    original = (corpus_copy / FACTSHEET).read_bytes()
    (corpus_copy / FACTSHEET).write_bytes(b"\x00\x01\x02 garbage " * 100)

    alone = run(corpus_copy)
    [failed] = alone.files_failed
    assert Path(failed.path).name == FACTSHEET
    assert failed.error == "binary file, not text (NUL bytes) (the previously indexed version is kept)"
    assert alone.generation == first.generation
    assert FACTSHEET not in names(alone.files_removed)

    edit_espoo(corpus_copy)  # now another file changes too: a new generation is built
    report = run(corpus_copy)
    assert report.generation != first.generation
    assert [Path(f.path).name for f in report.files_failed] == [FACTSHEET]
    snapshot = run.snapshot()
    assert snapshot.generation == report.generation
    assert [c for c in snapshot.chunks.values() if c.source == FACTSHEET] == before
    assert NEW_SENTENCE in all_text(snapshot)

    (corpus_copy / FACTSHEET).write_bytes(original)  # repaired: it is the version already indexed
    repaired = run(corpus_copy)
    assert repaired.files_failed == []
    assert FACTSHEET in names(repaired.files_unchanged)


def test_two_files_with_the_same_name_from_different_folders(run: RunSync, tmp_path: Path) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    for folder, city in ((first, "Porto"), (second, "Lyon")):
        folder.mkdir()
        (folder / "notes.txt").write_text(f"Notes\n\n{city} joined the programme.\n", encoding="utf-8")
    report = run(first, second)
    assert report.files_indexed == [str(first / "notes.txt")]
    [failed] = report.files_failed
    assert failed.path == str(second / "notes.txt")
    assert "another file named 'notes.txt' is already in this ingest" in failed.error
    text = all_text(run.snapshot())
    assert "Porto joined the programme." in text
    assert "Lyon" not in text


def test_a_pairings_table_naming_a_city_twice_does_not_abort_the_ingest(
    run: RunSync, corpus_copy: Path
) -> None:
    (corpus_copy / "iurc-pairings-2025.txt").write_text(
        "IURC pairings 2025\n\n"
        "The International Urban and Regional Cooperation programme paired these cities:\n\n"
        "EU CityCountryPaired CityCountryTopics\n"
        "HamburgGermanyVijayawadaIndiaurban mobility\n"
        "HamburgGermanyGuadalajaraMexicosmart cities\n"
        "LyonFranceOsakaJapanculture\n",
        encoding="utf-8",
    )
    report = run(corpus_copy)
    assert names(report.files_indexed) == sorted([*ALL, "iurc-pairings-2025.txt"])
    pairings = [row for row in run.snapshot().pairings if row.source == "iurc-pairings-2025.txt"]
    assert [row.partner_city for row in pairings] == ["Vijayawada", "Guadalajara", "Osaka"]


# --- generations, crashes and the writer lock ----------------------------------------------------


def boom(*args: object, **kwargs: object) -> NoReturn:
    raise RuntimeError("simulated crash while building the keyword index")


def test_a_crash_while_building_leaves_the_previous_generation_serving(
    fake_service: AssistantService, corpus_copy: Path, data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = fake_service.ingest([corpus_copy])
    edit_espoo(corpus_copy)
    with monkeypatch.context() as patch:
        patch.setattr(KeywordIndex, "build", boom)
        with pytest.raises(RuntimeError, match="simulated crash"):
            fake_service.ingest([corpus_copy])
    assert current_generation(data) == first.generation
    assert len(unfinished(data)) == 1
    # the running service and a freshly started one both answer from the old generation
    hits = fake_service.search(OLD_SENTENCE, k=10)
    assert any(OLD_SENTENCE in hit.text for hit in hits)
    restarted = build_service(get_settings(), embedder_factory=HashingEmbedder)
    try:
        assert restarted.index.get().generation == first.generation
        assert any(OLD_SENTENCE in hit.text for hit in restarted.search(OLD_SENTENCE, k=10))
    finally:
        restarted.close()
    # the lock was released; the next sync publishes the edit and cleans the unfinished folder
    report = fake_service.ingest([corpus_copy])
    assert names(report.files_indexed) == [ESPOO]
    assert unfinished(data) == []
    assert generations(data) == sorted([first.generation or "", report.generation or ""])
    assert any(NEW_SENTENCE in hit.text for hit in fake_service.search(NEW_SENTENCE, k=10))


def test_old_generations_are_pruned(
    run: RunSync, corpus_copy: Path, data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Five builds in quick succession: names carry nanoseconds, so the newest are kept, in order.
    published = []
    for round_number in range(5):
        (corpus_copy / "round.txt").write_text(f"Round\n\nThis is round {round_number}.\n", encoding="utf-8")
        published.append(run(corpus_copy).generation)
    assert len(set(published)) == 5
    assert generations(data) == sorted(str(name) for name in published[-KEEP_GENERATIONS:])
    assert current_generation(data) == published[-1]


def test_sync_refuses_while_the_writer_lock_is_held(run: RunSync, corpus_copy: Path, data: Path) -> None:
    with writer_lock(data), pytest.raises(IndexLockedError) as info:
        run(corpus_copy)
    message = info.value.message
    assert "Another ingest is already writing the index" in message
    assert f"pid {os.getpid()}" in message
    assert "Wait for it to finish, then retry." in message
    assert info.value.code == "index_locked"
    assert current_generation(data) is None  # nothing was written
    assert names(run(corpus_copy).files_indexed) == ALL  # released: the next sync runs


HOLD_LOCK = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from ingest.lock import writer_lock

    with writer_lock(Path(sys.argv[1])):
        print("locked", flush=True)
        sys.stdin.read()
    """
)


@pytest.fixture
def lock_holder(data: Path) -> Iterator[subprocess.Popen[str]]:
    """Another process holding the writer lock until the test ends."""
    process = subprocess.Popen(
        [sys.executable, "-c", HOLD_LOCK, str(data)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        assert process.stdout.readline().strip() == "locked"
        yield process
    finally:
        if process.stdin is not None:
            process.stdin.close()
        process.wait(timeout=10)
        if process.stdout is not None:
            process.stdout.close()


def test_another_process_holding_the_lock_blocks_sync_and_the_cli(
    run: RunSync,
    corpus_copy: Path,
    lock_holder: subprocess.Popen[str],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(IndexLockedError) as info:
        run(corpus_copy)
    assert f"pid {lock_holder.pid}" in info.value.message
    assert "Wait for it to finish" in info.value.message
    # the command line says so and exits 2 (the lock is refused before any model is loaded)
    monkeypatch.setattr(sys, "argv", ["assistant", "ingest", str(corpus_copy)])
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # typer replaces it
    with pytest.raises(SystemExit) as exit_info:
        main()
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert "error: Another ingest is already writing the index" in err
    assert "Wait for it to finish, then retry." in err
    assert current_generation(run.data) is None


# --- the serving handle --------------------------------------------------------------------------


def test_index_handle_without_an_index(data: Path) -> None:
    handle = IndexHandle(data)
    assert not handle.ready()
    with pytest.raises(IndexMissingError, match="assistant ingest"):
        handle.get()


def test_index_handle_switches_to_a_new_generation_without_restart(run: RunSync, corpus_copy: Path) -> None:
    first = run(corpus_copy)
    handle = IndexHandle(run.data)
    snapshot = handle.get()
    assert snapshot.generation == first.generation
    assert handle.get() is snapshot  # cached while nothing is published
    edit_espoo(corpus_copy)
    second = run(corpus_copy)
    switched = handle.get()
    assert switched.generation == second.generation != first.generation
    assert NEW_SENTENCE in all_text(switched)
    assert OLD_SENTENCE not in all_text(switched)
    assert OLD_SENTENCE in all_text(snapshot)  # a request still holding the old snapshot keeps working
    assert handle.get() is switched


def test_changing_the_embedder_rebuilds_the_index(data: Path, corpus_copy: Path) -> None:
    # Embedder.name: "an index built with another name is rebuilt" - its vectors are of another model.
    first = sync(data, [corpus_copy], lambda: HashingEmbedder(64))
    other = HashingEmbedder(32)
    report = sync(data, [corpus_copy], lambda: other)
    assert report.generation != first.generation
    assert report.chunks_embedded == report.chunks_total
    assert IndexHandle(data).get().info["embedder"] == "hashing-32"


# --- the command line (real embedding model) -----------------------------------------------------


@pytest.mark.slow
def test_cli_ingest_json(tmp_path: Path, data: Path) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    shutil.copy(CORPUS / ESPOO, folder / ESPOO)
    (folder / "empty.txt").write_bytes(b"")
    runner = CliRunner()
    env = {"ASSISTANT_DATA_DIR": str(data)}

    result = runner.invoke(app, ["ingest", str(folder), "--json"], env=env)
    assert result.exit_code == 1, result.output
    assert len(result.stdout.strip().splitlines()) == 1
    report = json.loads(result.stdout)
    assert {"files_indexed", "files_unchanged", "files_removed", "files_failed", "chunks_embedded"} <= set(
        report
    )
    assert report["files_indexed"] == [str(folder / ESPOO)]
    assert report["files_unchanged"] == []
    assert report["files_removed"] == []
    assert report["files_failed"] == [{"path": str(folder / "empty.txt"), "error": "empty file"}]
    assert report["chunks_embedded"] == report["chunks_total"] > 0
    assert report["generation"] == current_generation(data)

    (folder / "empty.txt").unlink()
    result = runner.invoke(app, ["ingest", str(folder), "--json"], env=env)
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["files_unchanged"] == [str(folder / ESPOO)]
    assert (report["files_indexed"], report["files_failed"], report["chunks_embedded"]) == ([], [], 0)


@pytest.mark.slow
def test_cli_ingest_plain_output(tmp_path: Path, data: Path) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    shutil.copy(CORPUS / FACTSHEET, folder / FACTSHEET)
    (folder / "letter.docx").write_bytes(b"PK\x03\x04")
    result = CliRunner().invoke(app, ["ingest", str(folder)], env={"ASSISTANT_DATA_DIR": str(data)})
    assert result.exit_code == 1
    assert result.stdout.startswith("indexed 1 (1 added, 0 changed), unchanged 0, removed 0, failed 1; ")
    assert f"  added: {folder / FACTSHEET}" in result.stdout
    assert f"failed: {folder / 'letter.docx'}: unsupported file type '.docx'" in result.stderr
