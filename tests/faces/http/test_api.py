"""The HTTP face over the real service: routes, the answer's JSON shape, request errors, sessions, and one
round trip over a real socket with uvicorn."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from assistant.faces.http.app import create_app
from assistant.service import AssistantService
from prompts import CANNOT_ANSWER_PHRASE
from tests.support.http import ANSWER_KEYS, CITATION_KEYS, Reply
from tests.support.http import assert_error as assert_error_envelope
from tests.support.servers import serve

pytestmark = pytest.mark.slow


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


def assert_error(response: Reply, *fields: str) -> str:
    """A 422 ``invalid_request`` error whose message names ``fields``."""
    return assert_error_envelope(response, 422, "invalid_request", *fields)


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
    assert body["session_id"] != "never-seen-before"  # the server issues its own id
    turns = real_service.conversations.history(body["session_id"], 10)
    assert [turn.question for turn in turns] == ["What do they work on?"]
    assert real_service.conversations.history("never-seen-before", 10) == []


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


def test_ask_over_real_http(real_service: AssistantService) -> None:
    with (
        serve(create_app(real_service.settings, real_service)) as base,
        httpx.Client(base_url=base, timeout=30) as http,
    ):
        health = http.get("/healthz")
        assert (health.status_code, health.json()) == (200, {"status": "ok"})

        response = http.post("/v1/ask", json={"question": "Who is Rotterdam's partner city?"})
        assert response.status_code == 200, response.text
        body = response.json()
        assert_answer_shape(body)
        assert "Surat" in body["answer"]

        assert_error(http.post("/v1/ask", json={"question": ""}), "question")
