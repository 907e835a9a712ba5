"""Sessions over HTTP: ids are issued by the server; a client's own label continues its conversation
(what ../shared/eval/score.py relies on: it sends its own id on every turn and never reads the returned
one) and only that client's; GET /v1/sessions/{id} returns the turns to whoever holds the id."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from assistant.faces.http.app import create_app
from assistant.service import AssistantService
from assistant.settings import get_settings
from assistant.wiring import build_service
from tests.support.fakes import HashingEmbedder
from tests.support.http import assert_error

FIRST = "Which EU city is paired with Ottawa?"
FOLLOW_UP = "What do they work on?"


@pytest.fixture
def service(fake_data: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[AssistantService]:
    monkeypatch.setenv("ASSISTANT_HTTP__RATE_LIMIT_PER_MINUTE", "0")
    built = build_service(get_settings(), embedder_factory=HashingEmbedder)
    yield built
    built.close()


def _client(service: AssistantService, address: str) -> TestClient:
    return TestClient(create_app(service.settings, service), client=(address, 40000))


def test_a_label_sent_on_every_turn_continues_that_clients_conversation(service: AssistantService) -> None:
    with _client(service, "10.0.0.1") as mine, _client(service, "10.0.0.2") as theirs:
        first = mine.post("/v1/ask", json={"question": FIRST, "session_id": "eval-0badc0de"}).json()
        second = mine.post("/v1/ask", json={"question": FOLLOW_UP, "session_id": "eval-0badc0de"}).json()
        assert first["session_id"] == second["session_id"] != "eval-0badc0de"
        other = theirs.post("/v1/ask", json={"question": FOLLOW_UP, "session_id": "eval-0badc0de"}).json()
        assert other["session_id"] != first["session_id"]
        turns = mine.get(f"/v1/sessions/{first['session_id']}").json()["turns"]
        assert [turn["question"] for turn in turns] == [FIRST, FOLLOW_UP]
        other_turns = theirs.get(f"/v1/sessions/{other['session_id']}").json()["turns"]
        assert [turn["question"] for turn in other_turns] == [FOLLOW_UP]


def test_whoever_holds_the_id_reads_and_continues_the_session(service: AssistantService) -> None:
    with _client(service, "10.0.0.1") as mine, _client(service, "10.0.0.3") as elsewhere:
        first = mine.post("/v1/ask", json={"question": FIRST}).json()
        session = first["session_id"]
        assert len(session) == 32
        second = elsewhere.post("/v1/ask", json={"question": FOLLOW_UP, "session_id": session}).json()
        assert second["session_id"] == session
        body = elsewhere.get(f"/v1/sessions/{session}").json()
        assert body["session_id"] == session
        assert [turn["answer_id"] for turn in body["turns"]] == [first["answer_id"], second["answer_id"]]
        assert body["turns"][0]["answer"] == first["answer"]
        assert body["turns"][0]["citations"] == first["citations"]
        assert body["turns"][0]["markers"] == first["markers"]
        keys = {"question", "answer", "abstained", "answer_id", "citations", "markers", "notices", "asked"}
        assert set(body["turns"][0]) == keys


def test_a_label_or_an_unknown_id_is_not_a_session(service: AssistantService) -> None:
    with _client(service, "10.0.0.1") as client:
        client.post("/v1/ask", json={"question": FIRST, "session_id": "my-label"})
        assert_error(client.get("/v1/sessions/my-label"), 404, "not_found")
        assert_error(client.get(f"/v1/sessions/{'0' * 32}"), 404, "not_found")
