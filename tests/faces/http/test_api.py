"""The HTTP face over the real service: routes, the answer's JSON shape, request errors, sessions, and one
round trip over a real socket with uvicorn."""

from __future__ import annotations

import json
import socket
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest
import uvicorn
from fastapi.testclient import TestClient

from assistant.faces.http.app import create_app
from assistant.service import AssistantService
from prompts import CANNOT_ANSWER_PHRASE

pytestmark = pytest.mark.slow

ANSWER_KEYS = {"answer", "citations", "abstained", "session_id", "mode", "answer_id"}
CITATION_KEYS = {"id", "source", "title", "section", "page", "quote", "chunk_id"}


@pytest.fixture
def client(real_service: AssistantService) -> Iterator[TestClient]:
    with TestClient(create_app(real_service.settings, real_service)) as test_client:
        yield test_client


def assert_answer_shape(body: dict[str, Any]) -> None:
    assert set(body) == ANSWER_KEYS
    assert isinstance(body["answer"], str) and body["answer"]
    assert isinstance(body["abstained"], bool)
    assert isinstance(body["session_id"], str) and body["session_id"]
    assert isinstance(body["answer_id"], str) and body["answer_id"]
    assert body["mode"] == "offline"
    assert isinstance(body["citations"], list)
    for citation in body["citations"]:
        assert set(citation) == CITATION_KEYS
        assert isinstance(citation["id"], int)
        assert isinstance(citation["quote"], str) and citation["quote"]
        assert citation["page"] is None or isinstance(citation["page"], int)
        assert f"[{citation['id']}]" in body["answer"]


def assert_error(response: Any, *fields: str) -> dict[str, Any]:
    assert response.status_code == 422, response.text
    body: dict[str, Any] = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message"}
    assert body["error"]["code"] == "invalid_request"
    for field in fields:
        assert field in body["error"]["message"]
    return body


def test_healthz(client: TestClient) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_ask_answers_with_citations(client: TestClient) -> None:
    response = client.post("/v1/ask", json={"question": "Which EU city is paired with Kochi?"})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert_answer_shape(body)
    assert not body["abstained"]
    assert "Vilnius" in body["answer"]
    assert body["citations"][0]["source"] == "iuc-call-starting-city-to-city-cooperation.txt"


def test_ask_abstains_in_the_same_shape(client: TestClient) -> None:
    response = client.post("/v1/ask", json={"question": "Write me a Python script that lists the pairings."})
    assert response.status_code == 200
    body = response.json()
    assert_answer_shape(body)
    assert body["abstained"]
    assert body["answer"].startswith(CANNOT_ANSWER_PHRASE)


def test_malformed_json_is_a_422_error(client: TestClient) -> None:
    response = client.post(
        "/v1/ask", content=b'{"question": "Who can apply?"', headers={"Content-Type": "application/json"}
    )
    assert_error(response)


@pytest.mark.parametrize(
    "payload",
    [{}, {"session_id": "abc"}, {"question": 42}, {"question": ["Who can apply?"]}, {"question": None}],
    ids=["empty-object", "no-question", "int", "list", "null"],
)
def test_missing_or_wrong_typed_question_names_the_field(client: TestClient, payload: object) -> None:
    assert_error(client.post("/v1/ask", json=payload), "question")


def test_a_body_that_is_not_an_object_is_refused(client: TestClient) -> None:
    assert_error(client.post("/v1/ask", json=["Who can apply?"]))


@pytest.mark.parametrize("question", ["", "   "], ids=["empty", "blank"])
def test_an_empty_question_is_refused(client: TestClient, question: str) -> None:
    assert_error(client.post("/v1/ask", json={"question": question}), "question")


def test_an_over_long_question_is_refused(client: TestClient, real_service: AssistantService) -> None:
    question = "Who can apply? " + "x" * real_service.settings.answers.max_question_chars
    assert_error(client.post("/v1/ask", json={"question": question}))


def test_an_unknown_session_starts_a_new_conversation(
    client: TestClient, real_service: AssistantService
) -> None:
    response = client.post(
        "/v1/ask", json={"question": "What do they work on?", "session_id": "never-seen-before"}
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert_answer_shape(body)
    assert body["session_id"] == "never-seen-before"
    turns = real_service.conversations.history("never-seen-before", 10)
    assert [turn.question for turn in turns] == ["What do they work on?"]


def test_a_two_turn_conversation_through_session_id(client: TestClient) -> None:
    first = client.post("/v1/ask", json={"question": "Which EU city is paired with Ottawa?"}).json()
    assert "Malmö" in first["answer"]
    second = client.post(
        "/v1/ask", json={"question": "What do they work on?", "session_id": first["session_id"]}
    ).json()
    assert_answer_shape(second)
    assert second["session_id"] == first["session_id"]
    assert not second["abstained"], second["answer"]
    assert "smart cities" in second["answer"].lower()
    assert second["answer_id"] != first["answer_id"]


# --- a real server -------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def http(url: str, payload: object | None = None, timeout: float = 30) -> tuple[int, Any]:
    data = None if payload is None else json.dumps(payload).encode()
    request = urllib.request.Request(url, data=data, headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        with error:
            return error.code, json.loads(error.read())


def test_ask_over_real_http(real_service: AssistantService) -> None:
    port = free_port()
    app = create_app(real_service.settings, real_service)
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, name="uvicorn-test", daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 20
        while not server.started:
            assert thread.is_alive(), "the server thread died while starting"
            assert time.monotonic() < deadline, "the server did not start in 20 s"
            time.sleep(0.05)
        assert http(f"{base}/healthz") == (200, {"status": "ok"})

        status, body = http(f"{base}/v1/ask", {"question": "Who is Rotterdam's partner city?"})
        assert status == 200, body
        assert_answer_shape(body)
        assert "Surat" in body["answer"]

        status, body = http(f"{base}/v1/ask", {"question": ""})
        assert status == 422
        assert body["error"]["code"] == "invalid_request"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
    assert not thread.is_alive(), "the server did not stop"
