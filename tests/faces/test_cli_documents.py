"""The command line's document library and ingest progress, through typer's runner (and one run in a
pseudo-terminal, as a user sees it), with the real embedding model over a small corpus."""

from __future__ import annotations

import json
import os
import pty
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from assistant.faces.cli import app, main
from ingest.chunking import document_id
from tests.support.paths import CORPUS

pytestmark = pytest.mark.slow

CALL = "iuc-call-starting-city-to-city-cooperation.txt"
FACTSHEET = "iuc-city-to-city-initiative-factsheet.txt"
BAR_WORDS = ("files", "embedding")


@pytest.fixture
def folders(tmp_path: Path, isolated_env: Path) -> tuple[Path, Path]:
    """A corpus of two documents and the rules quoting one, and the data folder."""
    corpus = tmp_path / "small-corpus"
    corpus.mkdir()
    for name in (CALL, FACTSHEET, "eligibility.rules.yaml"):
        shutil.copy(CORPUS / name, corpus / name)
    return corpus, isolated_env


@pytest.fixture
def runner(folders: tuple[Path, Path]) -> CliRunner:
    corpus, data = folders
    return CliRunner(env={"ASSISTANT_DATA_DIR": str(data), "ASSISTANT_CORPUS_DIR": str(corpus)})


@pytest.fixture
def indexed(runner: CliRunner) -> CliRunner:
    result = runner.invoke(app, ["ingest", "--json"])
    assert result.exit_code == 0, result.output
    return runner


def test_ingest_is_quiet_off_a_terminal_and_under_json(runner: CliRunner) -> None:
    plain = runner.invoke(app, ["ingest"])
    assert plain.exit_code == 0, plain.output
    assert plain.stdout.startswith("indexed 2 (2 added, 0 changed), unchanged 0, removed 0, failed 0; ")
    assert not any(word in plain.stderr for word in BAR_WORDS)
    as_json = runner.invoke(app, ["ingest", "--json", "--progress"])  # --json wins
    assert as_json.exit_code == 0, as_json.output
    assert len(as_json.stdout.strip().splitlines()) == 1
    assert json.loads(as_json.stdout)["files_unchanged"]
    assert as_json.stderr == ""


def test_ingest_progress_shows_files_chunks_and_embeddings(runner: CliRunner) -> None:
    result = runner.invoke(app, ["ingest", "--progress"])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("indexed 2 ")  # the report stays alone on stdout
    bar = result.stderr  # drawn for a terminal: the last frame holds the totals
    assert "files" in bar and "2/2" in bar and " chunks" in bar
    assert "embedding" in bar and "passages and sentences" in bar


def test_ingest_draws_its_bar_on_a_terminal(folders: tuple[Path, Path]) -> None:
    corpus, data = folders
    controller, terminal = pty.openpty()
    env = {
        **os.environ,
        "ASSISTANT_DATA_DIR": str(data),
        "ASSISTANT_CORPUS_DIR": str(corpus),
        "TERM": "xterm",
    }
    command = [str(Path(sys.executable).parent / "assistant"), "ingest"]
    process = subprocess.Popen(command, stdin=terminal, stdout=terminal, stderr=terminal, env=env)
    os.close(terminal)
    seen = bytearray()
    while True:
        try:
            chunk = os.read(controller, 4096)
        except OSError:  # the terminal closed: the command is done
            break
        if not chunk:
            break
        seen += chunk
    os.close(controller)
    assert process.wait(timeout=120) == 0, seen.decode(errors="replace")
    text = seen.decode(errors="replace")
    assert all(word in text for word in BAR_WORDS), text
    assert "indexed 2 (2 added, 0 changed)" in text


def test_documents_list_as_text_and_json(indexed: CliRunner) -> None:
    result = indexed.invoke(app, ["documents", "list"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].startswith("2 documents in index generation gen-")
    assert CALL in lines and FACTSHEET in lines
    call = "\n".join(lines[lines.index(CALL) : lines.index(CALL) + 4])
    assert "call for applications; IUC; edition 2018;" in call
    assert "eligibility rules active" in call
    assert f"id {document_id(CALL)}" in call
    factsheet = "\n".join(lines[lines.index(FACTSHEET) : lines.index(FACTSHEET) + 4])
    assert "no eligibility rules" in factsheet
    as_json = json.loads(indexed.invoke(app, ["documents", "list", "--json"]).stdout)
    assert as_json["count"] == 2
    assert [document["source"] for document in as_json["documents"]] == sorted([CALL, FACTSHEET])
    assert {document["rules_active"] for document in as_json["documents"]} == {True, False}


def test_documents_remove_takes_it_out_and_sets_its_file_aside(
    indexed: CliRunner, folders: tuple[Path, Path]
) -> None:
    corpus, data = folders
    result = indexed.invoke(app, ["documents", "remove", document_id(FACTSHEET), "--json"])
    assert result.exit_code == 0, result.output
    removal = json.loads(result.stdout)
    assert removal["source"] == FACTSHEET
    assert removal["report"]["files_removed"] == [FACTSHEET]
    moved = Path(removal["moved_to"])
    assert moved.is_relative_to(data / "removed") and moved.name == FACTSHEET and moved.is_file()
    assert not (corpus / FACTSHEET).exists()
    listing = json.loads(indexed.invoke(app, ["documents", "list", "--json"]).stdout)
    assert [document["source"] for document in listing["documents"]] == [CALL]
    # the call goes too, by name, in words: its rules leave with it, and the report says so
    words = indexed.invoke(app, ["documents", "remove", CALL])
    assert words.stdout.startswith(f"removed {CALL} from the index; its file moved to ")
    assert "  rule removed: eligibility.rules.yaml: " in words.stdout
    assert "rule refused:" in words.stderr


def test_removing_an_unknown_document_is_one_error_line(
    indexed: CliRunner,
    folders: tuple[Path, Path],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    corpus, data = folders
    monkeypatch.setenv("ASSISTANT_DATA_DIR", str(data))
    monkeypatch.setenv("ASSISTANT_CORPUS_DIR", str(corpus))
    monkeypatch.setattr(sys, "argv", ["assistant", "documents", "remove", "nothing.txt"])
    with pytest.raises(SystemExit) as exit_info:
        main()
    assert exit_info.value.code == 2
    captured = capsys.readouterr()
    assert captured.err.strip() == "error: No indexed document has the id or file name 'nothing.txt'."
    assert captured.out == ""
