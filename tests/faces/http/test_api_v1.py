"""The /v1 HTTP API against the real app over the fast fake service: answers (whole and streamed), search,
pairings, the OpenAI-compatible face (with the real `openai` client over a uvicorn server), feedback, the
admin routes, readiness, request errors, and queries answered without a miss while a reindex runs."""

from __future__ import annotations

import json
import re
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import openai
import pytest
from fastapi.testclient import TestClient

from assistant.service import AssistantService
from ingest.lock import writer_lock
from tests.faces.http.conftest import ADMIN, ADMIN_KEY, Api
from tests.support.http import ANSWER_KEYS, CITATION_KEYS, assert_error, follow_job
from tests.support.servers import serve

HIT_KEYS = {"source", "title", "section", "page", "text", "score", "chunk_id"}
PAIRING_TABLE_ROWS = 55  # the IUC call's table of city pairings
OFF_TOPIC = "What is the weather in Brussels?"


# --- a real server on loopback ----------------------------------------------------------------------
@pytest.fixture
def live(api: Api) -> Iterator[str]:
    with serve(api.app) as base:
        yield base


# --- helpers ----------------------------------------------------------------------------------------
def assert_answer(body: dict[str, Any], service: AssistantService) -> None:
    assert set(body) == ANSWER_KEYS
    assert body["mode"] == "offline"
    assert body["answer"] and body["session_id"] and body["answer_id"]
    chunks = service.index.get().chunks
    for citation in body["citations"]:
        assert set(citation) == CITATION_KEYS
        assert f"[{citation['id']}]" in body["answer"]
        assert " ".join(citation["quote"].split()) in " ".join(chunks[citation["chunk_id"]].text.split())


@dataclass
class Event:
    name: str | None
    data: Any


def parse_sse(text: str) -> list[Event]:
    events = []
    for block in text.split("\n\n"):
        if not block.strip():
            continue
        name = None
        data = []
        for line in block.split("\n"):
            field_name, _, value = line.partition(": ")
            if field_name == "event":
                name = value
            elif field_name == "data":
                data.append(value)
        joined = "\n".join(data)
        events.append(Event(name, joined if joined == "[DONE]" else json.loads(joined)))
    return events


# --- health and readiness ---------------------------------------------------------------------------
def test_healthz_and_readyz_name_the_serving_generation(api: Api, client: TestClient) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ready", "generation": api.service.index.get().generation}


def test_before_any_ingest_readyz_and_answers_are_503_json(make_api: Callable[..., Api]) -> None:
    with make_api(indexed=False).client() as client:
        assert client.get("/healthz").status_code == 200
        assert_error(client.get("/readyz"), 503, "index_missing", "assistant ingest")
        assert_error(client.post("/v1/ask", json={"question": "Who can apply?"}), 503, "index_missing")
        assert_error(client.post("/v1/ask/stream", json={"question": "Who can apply?"}), 503, "index_missing")
        assert_error(client.get("/v1/search", params={"q": "tours"}), 503, "index_missing")
        assert_error(client.get("/v1/pairings"), 503, "index_missing")


# --- answers ----------------------------------------------------------------------------------------
def test_ask_answers_with_verbatim_citations(api: Api, client: TestClient) -> None:
    question = "Which cities are encouraged to apply to the IUC call?"
    response = client.post("/v1/ask", json={"question": question})
    assert response.status_code == 200, response.text
    body = response.json()
    assert_answer(body, api.service)
    assert not body["abstained"]
    assert body["citations"]
    assert "100,000 inhabitants" in body["answer"]
    assert api.service.conversations.has_answer(body["answer_id"])


def test_ask_filters_keep_to_the_chosen_programme(api: Api, client: TestClient) -> None:
    programme = "Partnerships for Sustainable Cities"
    response = client.post(
        "/v1/ask", json={"question": "Who takes part in the meeting?", "programme": programme}
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert_answer(body, api.service)
    assert _programmes_cited(body, api.service) == {programme}


def _programmes_cited(body: dict[str, Any], service: AssistantService) -> set[str | None]:
    """The programmes of the passages an answer cites, leaving out its "whom to contact" line (which may
    come from another programme's document when the chosen one names no contact)."""
    chunks = service.index.get().chunks
    return {
        chunks[citation["chunk_id"]].programme
        for citation in body["citations"]
        if "@" not in citation["quote"]
    }


@pytest.mark.parametrize("filters", [{"programme": "IURC"}, {"kind": "factsheet"}], ids=["programme", "kind"])
def test_ask_filters_also_hold_for_pairing_answers(
    api: Api, client: TestClient, filters: dict[str, str]
) -> None:
    body = client.post("/v1/ask", json={"question": "Which EU city is paired with Kochi?", **filters}).json()
    assert_answer(body, api.service)
    chunks = api.service.index.get().chunks
    name, value = next(iter(filters.items()))
    cited = {getattr(chunks[c["chunk_id"]], name) for c in body["citations"] if "@" not in c["quote"]}
    assert cited <= {value}, body["answer"]


def test_an_off_topic_question_abstains_in_the_same_shape(api: Api, client: TestClient) -> None:
    body = client.post("/v1/ask", json={"question": OFF_TOPIC}).json()
    assert_answer(body, api.service)
    assert body["abstained"]


def test_an_unknown_session_starts_a_new_conversation(api: Api, client: TestClient) -> None:
    """An id the server never issued is the client's own label: it gets a new server-issued id, and
    sending the label again (as ../shared/eval/score.py does on every turn) continues the conversation."""
    first = client.post(
        "/v1/ask", json={"question": "Which EU city is paired with Ottawa?", "session_id": "new-1"}
    )
    assert first.status_code == 200, first.text
    issued = first.json()["session_id"]
    assert issued != "new-1" and len(issued) == 32
    second = client.post("/v1/ask", json={"question": "What do they work on?", "session_id": "new-1"}).json()
    assert second["session_id"] == issued
    assert "Malmö" in second["answer"]  # the follow-up leans on the first turn of this session
    turns = api.service.conversations.history(issued, 10)
    assert [turn.question for turn in turns] == [
        "Which EU city is paired with Ottawa?",
        "What do they work on?",
    ]


def test_questions_over_the_configured_length_are_refused(make_api: Callable[..., Api]) -> None:
    with make_api(MAX_QUESTION_CHARS="40").client() as client:
        fits = "Who can apply to the IUC programme?"
        assert len(fits) <= 40
        assert client.post("/v1/ask", json={"question": fits}).status_code == 200
        long = fits + " Please answer in detail."
        assert_error(client.post("/v1/ask", json={"question": long}), 422, "invalid_request", "40")
        assert_error(client.post("/v1/ask/stream", json={"question": long}), 422, "invalid_request", "40")
        chat = {"messages": [{"role": "user", "content": long}]}
        assert_error(client.post("/v1/chat/completions", json=chat), 422, "invalid_request", "40")
        streamed = {**chat, "stream": True}
        assert_error(client.post("/v1/chat/completions", json=streamed), 422, "invalid_request", "40")
        assert_error(client.get("/v1/search", params={"q": long}), 422, "invalid_request", "40")


# --- streamed answers -------------------------------------------------------------------------------
def test_ask_stream_sends_start_pieces_citations_and_done(api: Api, client: TestClient) -> None:
    question = {"question": "Which cities are encouraged to apply to the IUC call?", "session_id": "streamed"}
    with client.stream("POST", "/v1/ask/stream", json=question) as response:
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/event-stream")
        events = parse_sse(response.read().decode())
    start, *pieces, citations, done = events
    assert start.name == "start"
    assert set(start.data) == {"session_id", "answer_id", "mode"}
    assert start.data["session_id"] != "streamed" and start.data["mode"] == "offline"  # issued by the server
    assert len(pieces) > 1
    assert all(piece.name is None and set(piece.data) == {"text"} for piece in pieces)
    assert citations.name == "citations" and done.name == "done"
    answer = done.data
    assert_answer(answer, api.service)
    assert "".join(piece.data["text"] for piece in pieces) == answer["answer"]
    assert citations.data == answer["citations"] and citations.data
    assert answer["answer_id"] == start.data["answer_id"]
    assert api.service.conversations.has_answer(answer["answer_id"])


def test_ask_stream_refuses_bad_input_with_a_json_error(client: TestClient) -> None:
    assert_error(client.post("/v1/ask/stream", json={"question": "  "}), 422, "invalid_request", "question")
    assert_error(client.post("/v1/ask/stream", json={"question": 7}), 422, "invalid_request", "question")


STREAMED = "Which cities are encouraged to apply to the IUC call?"
STREAMS: dict[str, tuple[str, dict[str, Any], bytes]] = {
    "ask-stream": ("/v1/ask/stream", {"question": STREAMED}, rb'"answer_id": "([0-9a-f]+)"'),
    "chat-stream": (
        "/v1/chat/completions",
        {"stream": True, "messages": [{"role": "user", "content": STREAMED}]},
        rb'"id": "chatcmpl-([0-9a-f]+)"',
    ),
}


def _read_first_event_then_hang_up(base: str, path: str, payload: dict[str, Any], answer_id: bytes) -> str:
    """Send a streamed request over a raw socket, read up to the end of its first event, close."""
    host, port = base.removeprefix("http://").split(":")
    body = json.dumps(payload).encode()
    head = (
        f"POST {path} HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\nAccept: text/event-stream\r\n\r\n"
    ).encode()
    with socket.create_connection((host, int(port)), timeout=10) as connection:
        connection.sendall(head + body)
        received = b""
        while not (match := re.search(answer_id, received)) or b"\n\n" not in received[match.end() :]:
            chunk = connection.recv(4096)
            assert chunk, f"the server closed the stream early: {received!r}"
            received += chunk
    return match.group(1).decode()


@pytest.mark.slow  # a real server on loopback
@pytest.mark.parametrize("route", list(STREAMS))
def test_a_stream_read_to_its_end_is_recorded_and_one_cut_short_is_not(
    api: Api, live: str, route: str
) -> None:
    path, payload, answer_id = STREAMS[route]
    with (
        httpx.Client(base_url=live, timeout=30) as http,
        http.stream("POST", path, json=payload) as response,
    ):
        whole = response.read()
    match = re.search(answer_id, whole)
    assert match, whole
    assert api.service.conversations.has_answer(match.group(1).decode())

    api.embedder.delay = 0.3  # each step after the first event now takes a while: the client leaves
    cut_short = _read_first_event_then_hang_up(live, path, payload, answer_id)
    time.sleep(2.0)  # several times what the whole answer would take
    assert not api.service.conversations.has_answer(cut_short)
    # the server is unharmed and keeps recording complete answers
    api.embedder.delay = 0.0
    response = httpx.post(f"{live}/v1/ask", json={"question": STREAMED}, timeout=30)
    assert response.status_code == 200
    assert api.service.conversations.has_answer(response.json()["answer_id"])


# --- search -----------------------------------------------------------------------------------------
def test_search_returns_scored_passages(api: Api, client: TestClient) -> None:
    response = client.get("/v1/search", params={"q": "study tours and peer exchanges", "k": 3})
    assert response.status_code == 200, response.text
    results = response.json()["results"]
    assert set(response.json()) == {"results"}
    assert 1 <= len(results) <= 3
    chunks = api.service.index.get().chunks
    for hit in results:
        assert set(hit) == HIT_KEYS
        assert isinstance(hit["score"], float)
        assert hit["text"] == chunks[hit["chunk_id"]].text
        assert hit["source"] == chunks[hit["chunk_id"]].source
    scores = [hit["score"] for hit in results]
    assert scores == sorted(scores, reverse=True)
    assert len(client.get("/v1/search", params={"q": "cities", "k": 1}).json()["results"]) == 1
    assert len(client.get("/v1/search", params={"q": "cities", "k": 50}).json()["results"]) > 5


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"q": "tours", "k": 0}, "k"),
        ({"q": "tours", "k": 51}, "k"),
        ({"q": "tours", "k": "many"}, "k"),
        ({"k": 3}, "q"),
        ({"q": ""}, "q"),
        ({"q": "tours", "programme": "x" * 101}, "programme"),
    ],
    ids=["k-zero", "k-over-50", "k-not-int", "no-q", "empty-q", "long-programme"],
)
def test_search_refuses_bad_parameters_naming_them(
    client: TestClient, params: dict[str, Any], field: str
) -> None:
    assert_error(client.get("/v1/search", params=params), 422, "invalid_request", field)


@pytest.mark.parametrize(
    ("name", "value"),
    [("programme", "IUC"), ("programme", "IURC"), ("kind", "factsheet"), ("kind", "event takeaways")],
)
def test_search_filters_narrow_the_results(api: Api, client: TestClient, name: str, value: str) -> None:
    chunks = api.service.index.get().chunks
    every = client.get("/v1/search", params={"q": "cities cooperation", "k": 50}).json()["results"]
    kept = client.get("/v1/search", params={"q": "cities cooperation", "k": 50, name: value}).json()[
        "results"
    ]
    assert kept
    assert {getattr(chunks[hit["chunk_id"]], name) for hit in kept} == {value}
    assert {getattr(chunks[hit["chunk_id"]], name) for hit in every} != {value}
    unknown = client.get("/v1/search", params={"q": "cities", name: "No such thing"})
    assert_error(unknown, 422, "invalid_request", name, value)  # the message names the allowed values


# --- pairings ---------------------------------------------------------------------------------------
def test_pairings_without_filters_list_the_whole_table(client: TestClient) -> None:
    body = client.get("/v1/pairings").json()
    assert set(body) == {"count", "pairings"}
    assert body["count"] == len(body["pairings"]) == PAIRING_TABLE_ROWS
    row = body["pairings"][0]
    assert {"eu_city", "eu_country", "partner_city", "partner_country", "topics", "source", "quote"} <= set(
        row
    )


def test_pairings_filter_by_country_city_and_topic(client: TestClient) -> None:
    def rows(**params: str) -> list[dict[str, Any]]:
        body = client.get("/v1/pairings", params=params).json()
        assert body["count"] == len(body["pairings"])
        pairings: list[dict[str, Any]] = body["pairings"]
        return pairings

    everything = rows()
    india = rows(country="India")
    assert india and len(india) < len(everything)
    assert india == [row for row in everything if "India" in (row["eu_country"], row["partner_country"])]
    hamburg = rows(city="Hamburg")
    assert hamburg and all("Hamburg" in (row["eu_city"], row["partner_city"]) for row in hamburg)
    assert any(row["partner_city"] == "Vijayawada" for row in hamburg)
    mobility = rows(topic="mobility")
    assert mobility and all("mobility" in row["topics"].lower() for row in mobility)
    both = rows(country="India", topic="mobility")
    assert both == [row for row in india if row in mobility]
    assert {("Hamburg", "Vijayawada"), ("Vilnius", "Kochi")} <= {
        (r["eu_city"], r["partner_city"]) for r in both
    }
    assert rows(country="Atlantis") == []
    assert rows(city="Nowhereville") == []


def test_pairings_refuse_over_long_filters(client: TestClient) -> None:
    assert_error(client.get("/v1/pairings", params={"city": "x" * 201}), 422, "invalid_request", "city")


# --- OpenAI-compatible ------------------------------------------------------------------------------
def test_models_lists_the_one_model(client: TestClient) -> None:
    body = client.get("/v1/models").json()
    assert body["object"] == "list"
    assert len(body["data"]) == 1
    assert body["data"][0]["object"] == "model" and body["data"][0]["id"]


def test_chat_completions_json_shape_over_testclient(api: Api, client: TestClient) -> None:
    payload = {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "Who can apply to the IUC?"}]}
    response = client.post("/v1/chat/completions", json=payload)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["object"] == "chat.completion" and body["model"] == "gpt-4o-mini"
    (choice,) = body["choices"]
    assert choice["finish_reason"] == "stop" and choice["message"]["role"] == "assistant"
    content = choice["message"]["content"]
    assert "[1]" in content and "\n\nSources:\n[1] " in content
    assert body["citations"] and all(set(c) == CITATION_KEYS for c in body["citations"])
    assert api.service.conversations.has_answer(body["id"].removeprefix("chatcmpl-"))


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"messages": []}, "messages"),
        ({}, "messages"),
        ({"messages": "Who can apply?"}, "messages"),
        ({"messages": [{"role": "user", "content": "Hi"}], "stream": "yes please"}, "stream"),
        ({"messages": [{"role": "robot", "content": "Who can apply?"}]}, "role"),
        ({"messages": [{"role": "system", "content": "Be brief."}]}, "last message"),
        (
            {"messages": [{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "?"}]},
            "last message",
        ),
        ({"messages": [{"role": "user", "content": [{"type": "image_url"}]}]}, "last message"),
    ],
    ids=["empty", "missing", "string", "stream-not-bool", "bad-role", "no-user", "last-not-user", "no-text"],
)
def test_chat_completions_refuse_bad_requests(client: TestClient, payload: object, field: str) -> None:
    assert_error(client.post("/v1/chat/completions", json=payload), 422, "invalid_request", field)


@pytest.fixture
def openai_client(live: str) -> Iterator[openai.OpenAI]:
    with openai.OpenAI(base_url=f"{live}/v1", api_key="x", max_retries=0, timeout=30) as client:
        yield client


@pytest.mark.slow  # a real server on loopback
def test_openai_client_lists_models(openai_client: openai.OpenAI) -> None:
    assert [model.id for model in openai_client.models.list()] == ["city-coop-assistant"]


@pytest.mark.slow  # a real server on loopback
def test_openai_client_whole_completion(api: Api, openai_client: openai.OpenAI) -> None:
    completion = openai_client.chat.completions.create(
        model="any-model-name",
        messages=[
            {"role": "system", "content": "You are helpful."},
            {"role": "user", "content": "Which cities are encouraged to apply to the IUC call?"},
        ],
        temperature=0.2,
    )
    assert completion.model == "any-model-name"
    content = completion.choices[0].message.content or ""
    assert completion.choices[0].finish_reason == "stop"
    assert "100,000 inhabitants" in content
    answer, sources = content.split("\n\nSources:\n")
    citations = (completion.model_extra or {})["citations"]
    assert citations
    for citation in citations:
        assert f"[{citation['id']}]" in answer
        assert f"[{citation['id']}] {citation['title']}" in sources
    assert api.service.conversations.has_answer(completion.id.removeprefix("chatcmpl-"))


@pytest.mark.slow  # a real server on loopback
def test_openai_client_streamed_completion(openai_client: openai.OpenAI) -> None:
    stream = openai_client.chat.completions.create(
        model="whatever",
        messages=[{"role": "user", "content": "Which cities are encouraged to apply to the IUC call?"}],
        stream=True,
    )
    chunks = list(stream)
    assert len(chunks) > 3
    assert chunks[0].choices[0].delta.role == "assistant"
    assert {chunk.model for chunk in chunks} == {"whatever"}
    assert len({chunk.id for chunk in chunks}) == 1
    content = "".join(chunk.choices[0].delta.content or "" for chunk in chunks)
    assert "100,000 inhabitants" in content and "[1]" in content and "\n\nSources:\n[1] " in content
    last = chunks[-1]
    assert last.choices[0].finish_reason == "stop"
    assert (last.model_extra or {})["citations"]
    assert all(chunk.choices[0].finish_reason is None for chunk in chunks[:-1])


@pytest.mark.slow  # a real server on loopback
@pytest.mark.parametrize("stream", [False, True], ids=["whole", "streamed"])
def test_openai_client_follow_up_through_message_history(openai_client: openai.OpenAI, stream: bool) -> None:
    def ask(messages: list[Any]) -> str:
        if not stream:
            reply = openai_client.chat.completions.create(model="m", messages=messages)
            return reply.choices[0].message.content or ""
        parts = openai_client.chat.completions.create(model="m", messages=messages, stream=True)
        return "".join(chunk.choices[0].delta.content or "" for chunk in parts)

    first_question = "Which EU city is paired with Ottawa?"
    first = ask([{"role": "user", "content": first_question}])
    assert "Malmö" in first
    follow_up = "What topics do they work on?"
    alone = ask([{"role": "user", "content": follow_up}])
    assert "Ottawa" not in alone  # on its own the follow-up lacks its subject
    answer = ask(
        [
            {"role": "user", "content": first_question},
            {"role": "assistant", "content": first},
            {"role": "user", "content": follow_up},
        ]
    )
    assert "smart cities" in answer and "Ottawa" in answer


# --- feedback ---------------------------------------------------------------------------------------
def _answer_id(client: TestClient, question: str) -> str:
    response = client.post("/v1/ask", json={"question": question})
    assert response.status_code == 200, response.text
    answer_id: str = response.json()["answer_id"]
    return answer_id


def test_feedback_is_recorded_and_down_ratings_reach_staff(client: TestClient) -> None:
    liked = _answer_id(client, "Which cities are encouraged to apply to the IUC call?")
    disliked = _answer_id(client, "Which EU city is paired with Kochi?")
    response = client.post("/v1/feedback", json={"answer_id": liked, "rating": 1})
    assert response.status_code == 201, response.text
    assert response.json() == {"status": "recorded", "answer_id": liked, "rating": 1}
    response = client.post(
        "/v1/feedback", json={"answer_id": disliked, "rating": -1, "comment": "  Wrong city.  "}
    )
    assert response.status_code == 201
    groups = client.get("/v1/admin/unanswered", headers=ADMIN).json()["groups"]
    questions = [question for group in groups for question in group["questions"]]
    assert [(q["answer_id"], q["down_rated"], q["comment"]) for q in questions] == [
        (disliked, True, "Wrong city.")
    ]


def test_feedback_for_an_unknown_answer_is_404(client: TestClient) -> None:
    response = client.post("/v1/feedback", json={"answer_id": "0" * 32, "rating": 1})
    assert_error(response, 404, "not_found", "0" * 32)


@pytest.mark.parametrize(
    "payload",
    [
        {"rating": 0},
        {"rating": 2},
        {"rating": "1"},
        {"rating": 1.5},
        {"rating": None},
        {"rating": True},
        {"rating": False},
        {},
    ],
    ids=["zero", "two", "string", "float", "null", "true", "false", "missing"],
)
def test_feedback_ratings_other_than_plus_or_minus_one_are_422(
    client: TestClient, payload: dict[str, Any]
) -> None:
    answer_id = _answer_id(client, "Which cities are encouraged to apply to the IUC call?")
    assert_error(
        client.post("/v1/feedback", json={"answer_id": answer_id, **payload}),
        422,
        "invalid_request",
        "rating",
    )


def test_feedback_needs_an_answer_id_and_a_short_comment(client: TestClient) -> None:
    assert_error(client.post("/v1/feedback", json={"rating": 1}), 422, "invalid_request", "answer_id")
    answer_id = _answer_id(client, "Which cities are encouraged to apply to the IUC call?")
    long = {"answer_id": answer_id, "rating": -1, "comment": "x" * 2001}
    assert_error(client.post("/v1/feedback", json=long), 422, "invalid_request", "comment")


# --- admin ------------------------------------------------------------------------------------------
ADMIN_ROUTES = [
    ("GET", "/v1/admin/unanswered"),
    ("POST", "/v1/admin/reindex"),
    ("POST", "/v1/admin/documents"),
    ("DELETE", "/v1/admin/documents/some-document"),
    ("GET", "/v1/admin/ingests"),
    ("GET", "/v1/admin/ingests/some-job"),
]


@pytest.mark.parametrize(("method", "path"), ADMIN_ROUTES)
def test_admin_routes_are_disabled_without_a_key(
    make_api: Callable[..., Api], method: str, path: str
) -> None:
    with make_api().client() as client:
        for headers in ({}, ADMIN):
            response = client.request(method, path, headers=headers)
            assert_error(response, 403, "disabled", "ASSISTANT_ADMIN_KEY")


@pytest.mark.parametrize(("method", "path"), ADMIN_ROUTES)
@pytest.mark.parametrize(
    "authorization",
    [None, "", "Bearer", "Bearer wrong-key", f"Basic {ADMIN_KEY}", f"Bearer {ADMIN_KEY}x", ADMIN_KEY],
    ids=["none", "empty", "no-key", "wrong-key", "basic", "longer-key", "no-scheme"],
)
def test_admin_routes_refuse_a_missing_or_wrong_key(
    client: TestClient, method: str, path: str, authorization: str | None
) -> None:
    headers = {} if authorization is None else {"Authorization": authorization}
    response = client.request(method, path, headers=headers)
    assert_error(response, 401, "unauthorized", "Bearer")
    assert response.headers["www-authenticate"] == "Bearer"


@pytest.mark.parametrize(("method", "path"), ADMIN_ROUTES)
@pytest.mark.parametrize("key", ["", "   "], ids=["empty", "blank"])
@pytest.mark.parametrize("name", ["ADMIN_KEY", "HTTP__ADMIN_KEY"], ids=["flat", "sectioned"])
def test_an_empty_or_blank_admin_key_leaves_the_admin_routes_disabled(
    make_api: Callable[..., Api], method: str, path: str, key: str, name: str
) -> None:
    with make_api(**{name: key}).client() as client:
        for authorization in [None, "Bearer", "Bearer ", "bearer  ", f"Bearer {key}"]:
            headers = {} if authorization is None else {"Authorization": authorization}
            response = client.request(method, path, headers=headers)
            assert_error(response, 403, "disabled", "ASSISTANT_ADMIN_KEY")


def test_admin_key_scheme_is_case_insensitive(client: TestClient) -> None:
    response = client.get("/v1/admin/unanswered", headers={"Authorization": f"bearer {ADMIN_KEY}"})
    assert response.status_code == 200


def test_unanswered_groups_similar_questions_newest_first(client: TestClient) -> None:
    asked = [
        OFF_TOPIC,
        "Write me a poem about the sea.",
        "what is the weather in   BRUSSELS?",
        "Which cities are encouraged to apply to the IUC call?",  # answered: not listed
    ]
    bodies = [client.post("/v1/ask", json={"question": question}).json() for question in asked]
    assert [body["abstained"] for body in bodies] == [True, True, True, False]
    disliked = _answer_id(client, "Which EU city is paired with Kochi?")
    assert client.post("/v1/feedback", json={"answer_id": disliked, "rating": -1}).status_code == 201

    response = client.get("/v1/admin/unanswered", headers=ADMIN)
    assert response.status_code == 200, response.text
    groups = response.json()["groups"]
    assert [(group["question"], group["count"]) for group in groups] == [
        ("Which EU city is paired with Kochi?", 1),
        ("what is the weather in   BRUSSELS?", 2),
        ("Write me a poem about the sea.", 1),
    ]
    kochi, weather, poem = groups
    assert (kochi["abstained"], kochi["down_rated"]) == (0, 1)
    assert (weather["abstained"], weather["down_rated"]) == (2, 0)
    assert [q["question"] for q in weather["questions"]] == ["what is the weather in   BRUSSELS?", OFF_TOPIC]
    assert weather["last_asked"] == weather["questions"][0]["asked"]
    asked_times = [group["last_asked"] for group in groups]
    assert asked_times == sorted(asked_times, reverse=True)
    assert poem["questions"][0]["answer_id"] == bodies[1]["answer_id"]
    limited = client.get("/v1/admin/unanswered", params={"limit": 1}, headers=ADMIN).json()["groups"]
    assert [group["question"] for group in limited] == ["Which EU city is paired with Kochi?"]
    assert_error(
        client.get("/v1/admin/unanswered", params={"limit": 0}, headers=ADMIN), 422, "invalid_request"
    )


def test_reindex_syncs_the_corpus_in_the_background_and_readyz_follows(
    make_api: Callable[..., Api], corpus_copy: Path
) -> None:
    api = make_api(ADMIN_KEY=ADMIN_KEY, CORPUS_DIR=str(corpus_copy))
    with api.client() as client:
        before = client.get("/readyz").json()["generation"]
        (corpus_copy / "lighthouse-note.txt").write_text(NEW_DOCUMENT, encoding="utf-8")
        accepted = client.post("/v1/admin/reindex", headers=ADMIN)
        assert accepted.json()["kind"] == "reindex"
        assert accepted.json()["state"] in ("queued", "running", "done")
        job = follow_job(lambda path: client.get(path, headers=ADMIN), accepted)
        assert (job["state"], job["phase"], job["error"]) == ("done", "done", None)
        report = job["report"]
        assert [Path(name).name for name in report["files_added"]] == ["lighthouse-note.txt"]
        assert report["files_changed"] == [] and report["files_removed"] == []
        assert not report["files_failed"]
        assert job["files_done"] == job["files_total"] == 6
        assert job["chunks_total"] == report["chunks_total"]
        assert job["embedding_done"] == job["embedding_total"] > 0
        after = client.get("/readyz").json()["generation"]
        assert after == report["generation"] != before


@pytest.mark.slow  # a real server on loopback
def test_reindexes_asked_while_one_runs_wait_as_one_job_and_all_end_done(
    make_api: Callable[..., Api], corpus_copy: Path
) -> None:
    api = make_api(ADMIN_KEY=ADMIN_KEY, CORPUS_DIR=str(corpus_copy))
    (corpus_copy / "lighthouse-note.txt").write_text(NEW_DOCUMENT, encoding="utf-8")
    api.embedder.delay = 1.0  # the new document's embedding keeps the first reindex busy
    with serve(api.app) as base, httpx.Client(base_url=base, headers=ADMIN, timeout=60) as http:
        first = http.post("/v1/admin/reindex")
        location = first.headers["location"]
        while http.get(location).json()["state"] == "queued":
            time.sleep(0.01)
        barrier = threading.Barrier(2)
        responses: list[httpx.Response] = []

        def reindex() -> None:
            barrier.wait()
            responses.append(http.post("/v1/admin/reindex"))

        threads = [threading.Thread(target=reindex) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        assert [response.status_code for response in responses] == [202, 202]
        running = follow_job(http.get, first)
        [waiting] = {response.json()["id"]: follow_job(http.get, response) for response in responses}.values()
    assert waiting["id"] != running["id"]
    assert running["state"] == waiting["state"] == "done"
    assert [Path(name).name for name in running["report"]["files_added"]] == ["lighthouse-note.txt"]
    assert waiting["report"]["files_added"] == [] and waiting["report"]["files_unchanged"]
    assert waiting["started_at"] >= running["finished_at"]  # one ingest at a time


@pytest.mark.slow  # another process holds the writer lock
def test_a_reindex_while_another_process_writes_fails_its_job_with_the_reason(
    make_api: Callable[..., Api], corpus_copy: Path
) -> None:
    api = make_api(ADMIN_KEY=ADMIN_KEY, CORPUS_DIR=str(corpus_copy))
    with api.client() as client, writer_lock(api.settings.data_dir):
        job = follow_job(
            lambda path: client.get(path, headers=ADMIN), client.post("/v1/admin/reindex", headers=ADMIN)
        )
    assert job["state"] == job["phase"] == "failed"
    assert job["report"] is None
    assert job["error"]["code"] == "index_locked"
    assert "Another ingest is already writing the index" in job["error"]["message"]


# --- request errors ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("path", "payload", "field"),
    [
        ("/v1/ask", {"question": 42}, "question"),
        ("/v1/ask", {"question": "Who can apply?", "session_id": 5}, "session_id"),
        ("/v1/ask", {"question": "Who can apply?", "session_id": "s" * 129}, "session_id"),
        ("/v1/ask", {"question": "Who can apply?", "programme": ["IUC"]}, "programme"),
        ("/v1/ask/stream", {"question": None}, "question"),
        ("/v1/feedback", {"answer_id": 3, "rating": 1}, "answer_id"),
        ("/v1/chat/completions", {"messages": [{"role": "user", "content": 5}]}, "content"),
    ],
)
def test_wrong_types_are_422_naming_the_field(
    client: TestClient, path: str, payload: dict[str, Any], field: str
) -> None:
    assert_error(client.post(path, json=payload), 422, "invalid_request", field)


@pytest.mark.parametrize("path", ["/v1/ask", "/v1/ask/stream", "/v1/chat/completions", "/v1/feedback"])
@pytest.mark.parametrize(
    "body",
    [b'{"question": "Who can apply?"', b"not json", b"", b"[1, 2"],
    ids=["cut", "text", "empty", "list"],
)
def test_malformed_json_is_422(client: TestClient, path: str, body: bytes) -> None:
    response = client.post(path, content=body, headers={"Content-Type": "application/json"})
    assert_error(response, 422, "invalid_request")


@pytest.mark.parametrize("path", ["/v1/ask", "/v1/chat/completions", "/v1/feedback"])
def test_a_body_that_is_not_utf8_is_422(client: TestClient, path: str) -> None:
    response = client.post(
        path, content=b'{"question": "\xff\xfe"}', headers={"Content-Type": "application/json"}
    )
    assert_error(response, 422, "invalid_request")


def test_unknown_routes_and_methods_are_json_errors(client: TestClient) -> None:
    assert_error(client.get("/v1/nothing-here"), 404, "not_found")
    assert_error(client.post("/v2/ask", json={"question": "Who?"}), 404, "not_found")
    response = client.get("/v1/ask")
    assert_error(response, 405, "method_not_allowed")
    assert "POST" in response.headers["allow"]


def test_an_unexpected_failure_is_a_json_500_without_a_trace(
    api: Api, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(*_: object) -> None:
        raise RuntimeError("secret internal detail")

    monkeypatch.setattr(api.service, "pairings", broken)
    with api.client(raise_server_exceptions=False) as client:
        response = client.get("/v1/pairings")
    message = assert_error(response, 500, "internal")
    assert "secret" not in response.text and "RuntimeError" not in message
    assert "unexpected error" in caplog.text  # logged on the server side instead


# --- reindex while answering ------------------------------------------------------------------------
NEW_DOCUMENT = """Lighthouse twinning pilot

The Lighthouse Twinning Pilot pairs harbour cities that run historic lighthouses. Each lighthouse
partnership receives a grant of 7,500 euros for restoring lantern rooms. The lighthouse pilot runs
for nine months and ends with a shared exhibition of lighthouse keepers' logbooks.
"""
NEW_QUESTION = "How much is the grant for restoring lighthouse lantern rooms?"
BASELINE_QUESTIONS = [
    "Which cities are encouraged to apply to the IUC call?",
    "Which EU city is paired with Kochi?",
    "What must chosen cities commit to?",
    OFF_TOPIC,
]


@dataclass
class Observed:
    statuses: list[int] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    spans: list[tuple[float, float]] = field(default_factory=list)  # when each answer was asked, got
    new_answers: list[tuple[bool, str]] = field(default_factory=list)  # (from the new document, text)
    generations: list[str] = field(default_factory=list)  # as /readyz names them, in order


def _keep_asking(base: str, worker: int, stop: threading.Event, seen: Observed) -> None:
    with httpx.Client(base_url=base, timeout=30) as http:
        turn = worker
        while not stop.is_set():
            question = NEW_QUESTION if turn % 2 else BASELINE_QUESTIONS[turn % len(BASELINE_QUESTIONS)]
            turn += 1
            try:
                asked = time.monotonic()
                response = http.post("/v1/ask", json={"question": question})
                seen.spans.append((asked, time.monotonic()))
                ready = http.get("/readyz")
            except httpx.HTTPError as error:
                seen.failures.append(repr(error))
                continue
            seen.statuses += [response.status_code, ready.status_code]
            if response.status_code != 200 or ready.status_code != 200:
                seen.failures += [response.text, ready.text]
                continue
            seen.generations.append(ready.json()["generation"])
            if question == NEW_QUESTION:
                body = response.json()
                cited = {citation["source"] for citation in body["citations"]}
                seen.new_answers.append(("lighthouse-note.txt" in cited, body["answer"]))


@pytest.mark.slow  # a real server on loopback
def test_queries_are_answered_without_a_miss_while_a_reindex_switches_atomically(
    make_api: Callable[..., Api], corpus_copy: Path
) -> None:
    api = make_api(ADMIN_KEY=ADMIN_KEY, CORPUS_DIR=str(corpus_copy))
    with serve(api.app) as base:
        before = httpx.get(f"{base}/readyz").json()["generation"]
        stop = threading.Event()
        observed = [Observed() for _ in range(4)]
        workers = [
            threading.Thread(target=_keep_asking, args=(base, index, stop, seen), daemon=True)
            for index, seen in enumerate(observed)
        ]
        for worker in workers:
            worker.start()
        try:
            time.sleep(0.5)
            (corpus_copy / "lighthouse-note.txt").write_text(NEW_DOCUMENT, encoding="utf-8")
            reindex_began = time.monotonic()
            accepted = httpx.post(f"{base}/v1/admin/reindex", headers=ADMIN, timeout=60)
            job = follow_job(lambda path: httpx.get(f"{base}{path}", headers=ADMIN, timeout=60), accepted)
            reindex_ended = time.monotonic()
            assert job["state"] == "done", job
            generation = job["report"]["generation"]
            time.sleep(0.5)
        finally:
            stop.set()
            for worker in workers:
                worker.join(timeout=30)
        assert httpx.get(f"{base}/readyz").json() == {"status": "ready", "generation": generation}
        assert generation != before
        answer = httpx.post(f"{base}/v1/ask", json={"question": NEW_QUESTION}, timeout=30).json()

    assert [failure for seen in observed for failure in seen.failures] == []
    statuses = [status for seen in observed for status in seen.statuses]
    assert len(statuses) > 40 and set(statuses) == {200}
    during = [
        span
        for seen in observed
        for span in seen.spans
        if reindex_began <= span[0] and span[1] <= reindex_ended
    ]
    assert during, "no answer was given while the reindex ran"
    assert not answer["abstained"] and "7,500 euros" in answer["answer"]
    assert {citation["source"] for citation in answer["citations"]} == {"lighthouse-note.txt"}
    for seen in observed:
        # each client sees the old index, then the new one: never a step back, never a third
        flags = [from_new for from_new, _ in seen.new_answers]
        assert flags == sorted(flags), flags
        assert seen.generations == sorted(seen.generations, key=[before, generation].index)
    assert {flag for seen in observed for flag, _ in seen.new_answers} == {False, True}
    outcomes = {text for seen in observed for _, text in seen.new_answers}
    assert answer["answer"] in outcomes
    assert len(outcomes) == 2, outcomes  # the old index's answer and the new one's: nothing in between
