"""What an ingest report says changed: files added, changed, removed and failed; rules added, changed and
removed; and documents forgotten on request (a removal), wherever they came from."""

from __future__ import annotations

import shutil
from pathlib import Path

from ingest.models import IngestReport
from ingest.pipeline import sync
from ingest.store import IndexHandle
from tests.support.fakes import HashingEmbedder
from tests.support.paths import CORPUS

CALL = "iuc-call-starting-city-to-city-cooperation.txt"
FACTSHEET = "iuc-city-to-city-initiative-factsheet.txt"
ESPOO = "eurocities-espoo-2022-takeaways.txt"
RULES = "eligibility.rules.yaml"


def names(paths: list[str]) -> list[str]:
    return sorted(Path(path).name for path in paths)


def run(data: Path, *paths: Path, forget: tuple[str, ...] = ()) -> IngestReport:
    return sync(data, list(paths), HashingEmbedder, forget=forget)


def test_the_report_sorts_files_into_added_changed_and_removed(
    corpus_copy: Path, isolated_env: Path, tmp_path: Path
) -> None:
    first = run(isolated_env, corpus_copy)
    assert names(first.files_added) == names(first.files_indexed) and first.files_changed == []
    espoo = corpus_copy / ESPOO
    espoo.write_text(espoo.read_text(encoding="utf-8") + "\nA closing note was added.\n", encoding="utf-8")
    (corpus_copy / FACTSHEET).unlink()
    (corpus_copy / "harbour-notes.md").write_text("# Harbour notes\n\nPorto met Recife.\n", encoding="utf-8")
    (corpus_copy / "empty.txt").write_bytes(b"")
    report = run(isolated_env, corpus_copy)
    assert names(report.files_added) == ["harbour-notes.md"]
    assert names(report.files_changed) == [ESPOO]
    assert names(report.files_indexed) == sorted(["harbour-notes.md", ESPOO])
    assert report.files_removed == [FACTSHEET]
    assert [(Path(f.path).name, f.error) for f in report.files_failed] == [("empty.txt", "empty file")]
    assert (report.rules_added, report.rules_changed, report.rules_removed) == ([], [], [])


def test_the_report_lists_rules_added_changed_and_removed(corpus_copy: Path, isolated_env: Path) -> None:
    rules = corpus_copy / RULES
    text = rules.read_text(encoding="utf-8")
    rules.unlink()
    assert run(isolated_env, corpus_copy).rules_loaded == 0
    shutil.copy(CORPUS / RULES, rules)
    report = run(isolated_env, corpus_copy)
    assert report.rules_loaded == len(report.rules_added) > 0
    assert all(name.startswith(f"{RULES}: ") for name in report.rules_added)
    first_id = report.rules_added[0].split(": ", 1)[1]
    # a rule's wording changes: listed as changed; the others stay quiet
    edited = text.replace("label: ", "label: Edited - ", 1)
    assert edited != text
    rules.write_text(edited, encoding="utf-8")
    changed = run(isolated_env, corpus_copy)
    assert len(changed.rules_changed) == 1 and changed.rules_added == [] and changed.rules_removed == []
    rules.unlink()
    removed = run(isolated_env, corpus_copy)
    assert f"{RULES}: {first_id}" in removed.rules_removed
    assert len(removed.rules_removed) == report.rules_loaded and removed.rules_loaded == 0


def test_forgotten_documents_leave_wherever_they_came_from(
    corpus_copy: Path, isolated_env: Path, tmp_path: Path
) -> None:
    alone = tmp_path / "alone.md"
    alone.write_text("# Alone\n\nA note added on its own, from no folder.\n", encoding="utf-8")
    run(isolated_env, corpus_copy)
    run(isolated_env, alone)
    assert "alone.md" in IndexHandle(isolated_env).get().documents
    report = run(isolated_env, corpus_copy, forget=("alone.md",))
    assert report.files_removed == ["alone.md"]
    assert "alone.md" not in IndexHandle(isolated_env).get().documents
    assert sorted(IndexHandle(isolated_env).get().documents) == sorted(
        path.name for path in corpus_copy.iterdir() if path.suffix == ".txt"
    )
