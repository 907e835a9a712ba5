"""The conversation database is never a single point of failure: with a damaged file, a read-only one or
a database that is down, questions are still answered (and the failed write logged), readiness says what
is wrong and what to do, and commands that need no conversations never open it."""

from __future__ import annotations

import json
import logging
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from assistant.faces.cli import app as cli
from assistant.faces.http.app import create_app
from assistant.service import AssistantService
from assistant.settings import get_settings
from assistant.wiring import build_service
from tests.support.fakes import HashingEmbedder
from tests.support.http import assert_error

QUESTION = "Who can apply to the IUC programme?"


@pytest.fixture
def service(fake_data: Path) -> Iterator[AssistantService]:
    built = build_service(get_settings(), embedder_factory=HashingEmbedder)
    yield built
    built.close()


def _damage(path: Path) -> None:
    path.write_bytes(b"this is not a database, it is a damaged file" * 100)


def test_a_damaged_file_still_answers_and_readiness_names_the_file_and_the_fix(
    service: AssistantService, fake_data: Path, caplog: pytest.LogCaptureFixture
) -> None:
    state = fake_data / "state.sqlite3"
    _damage(state)
    with TestClient(create_app(service.settings, service)) as client, caplog.at_level(logging.ERROR):
        response = client.post("/v1/ask", json={"question": QUESTION})
        assert response.status_code == 200, response.text
        assert response.json()["answer"] and len(response.json()["session_id"]) == 32
        message = assert_error(client.get("/readyz"), 503, "state_unavailable", str(state), "mv ")
        assert "damaged" in message
        assert_error(
            client.post("/v1/feedback", json={"answer_id": response.json()["answer_id"], "rating": 1}),
            503,
            "state_unavailable",
            str(state),
        )
    assert any(str(state) in record.getMessage() for record in caplog.records)
    assert "Traceback" not in caplog.text


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes to read-only files")
def test_a_read_only_database_answers_without_saving(service: AssistantService, fake_data: Path) -> None:
    service.ask(QUESTION)  # creates the file
    state = fake_data / "state.sqlite3"
    service.close()
    for path in fake_data.glob("state.sqlite3*"):
        path.chmod(0o444)
    fake_data.chmod(0o555)
    try:
        reopened = build_service(get_settings(), embedder_factory=HashingEmbedder)
        answer = reopened.ask(QUESTION)
        assert answer.answer
        health = reopened.state_health()
        assert not health.ok and str(state) in health.problem and "writable" in health.problem
        reopened.close()
    finally:
        fake_data.chmod(0o755)


def test_a_write_that_fails_is_logged_and_the_answer_given(
    service: AssistantService, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    service.ask(QUESTION)  # opens the store
    store = service.conversations._opened()  # type: ignore[attr-defined]

    def full_disk(*_: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(store, "record", full_disk)
    with caplog.at_level(logging.ERROR):
        answer = service.ask(QUESTION)
    assert answer.answer and not service.conversations.has_answer(answer.answer_id)
    assert "not saved" in caplog.text and "disk" in caplog.text
    monkeypatch.undo()
    service.ask(QUESTION)
    assert service.state_health().ok  # recovered once writes succeed again


def test_postgresql_down_still_answers(fake_data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.support.servers import free_port

    monkeypatch.setenv(
        "ASSISTANT_STATE__DATABASE_URL", f"postgresql://nobody:secret@127.0.0.1:{free_port()}/x"
    )
    monkeypatch.setenv("ASSISTANT_STATE__CONNECT_TIMEOUT", "1")
    service = build_service(get_settings(), embedder_factory=HashingEmbedder)
    try:
        assert service.ask(QUESTION).answer
        health = service.state_health()
        assert not health.ok
        assert "127.0.0.1" in health.problem and "secret" not in health.problem
        assert "ASSISTANT_STATE__DATABASE_URL" in health.problem
    finally:
        service.close()


def test_ingest_never_opens_the_conversation_database(isolated_env: Path, corpus_copy: Path) -> None:
    isolated_env.mkdir(parents=True)
    _damage(isolated_env / "state.sqlite3")
    service = build_service(get_settings(), embedder_factory=HashingEmbedder)
    report = service.ingest([corpus_copy])
    service.close()
    assert report.ok and report.files_indexed
    assert (isolated_env / "state.sqlite3").read_bytes().startswith(b"this is not a database")


def test_the_cli_answers_with_a_damaged_file(real_index: Path, isolated_env: Path) -> None:
    shutil.copytree(real_index, isolated_env)
    _damage(isolated_env / "state.sqlite3")
    result = CliRunner().invoke(cli, ["ask", QUESTION, "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["answer"]


def test_a_database_path_that_cannot_be_opened_is_named(service: AssistantService, fake_data: Path) -> None:
    (fake_data / "state.sqlite3").mkdir()  # root or not, nobody opens a folder as a database
    assert service.ask(QUESTION).answer
    health = service.state_health()
    assert not health.ok and str(fake_data / "state.sqlite3") in health.problem
