"""GET /v1/programmes over the shipped corpus and two editions of an invented call; the programme and
kind filters checked against what the index holds; an example of its own for every error status in the
OpenAPI schema."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from assistant.faces.http.app import create_app
from assistant.settings import Settings
from assistant.wiring import build_service
from tests.faces.http.conftest import Api
from tests.support.fakes import HashingEmbedder
from tests.support.http import assert_error
from tests.support.paths import CORPUS, INVENTED_CALLS


@pytest.fixture(scope="module")
def two_editions_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("programmes")
    corpus = root / "corpus"
    shutil.copytree(CORPUS, corpus)
    for path in INVENTED_CALLS.glob("ttce-call-*"):
        shutil.copy(path, corpus / path.name)
    service = build_service(
        Settings(data_dir=root / "data", corpus_dir=corpus), embedder_factory=HashingEmbedder
    )
    assert not service.ingest().files_failed
    service.close()
    return root / "data"


@pytest.fixture
def programmes_client(two_editions_index: Path, tmp_path: Path) -> Iterator[Callable[[date], TestClient]]:
    services = []

    def client(today: date) -> TestClient:
        data = tmp_path / f"data-{today}"
        shutil.copytree(two_editions_index, data)
        settings = Settings(data_dir=data, today=today)
        service = build_service(settings, embedder_factory=HashingEmbedder)
        services.append(service)
        return TestClient(create_app(settings, service))

    yield client
    for service in services:
        service.close()


def _programme(body: dict[str, Any], name: str) -> dict[str, Any]:
    [found] = [programme for programme in body["programmes"] if programme["programme"] == name]
    return found


def test_programmes_list_editions_and_calls_open_or_closed_today(
    programmes_client: Callable[[date], TestClient],
) -> None:
    with programmes_client(date(2026, 11, 21)) as client:
        body = client.get("/v1/programmes").json()
    assert body["today"] == "2026-11-21"
    ttce = _programme(body, "TTCE")
    assert ttce["editions"] == [2025, 2023]
    calls = {call["edition"]: call for call in ttce["calls"]}
    assert calls[2025]["status"] == "open" and calls[2025]["deadline"] == "2026-12-15"
    assert not calls[2025]["older_edition"]
    assert calls[2023]["status"] == "closed" and calls[2023]["deadline"] == "2023-03-31"
    assert calls[2023]["older_edition"] and "31 March 2023" in calls[2023]["note"]
    iuc = _programme(body, "IUC")
    assert [(call["status"], call["deadline"]) for call in iuc["calls"]] == [("closed", "2018-03-19")]
    assert "call for applications" in iuc["kinds"]


def test_a_call_is_open_until_its_deadline(programmes_client: Callable[[date], TestClient]) -> None:
    with programmes_client(date(2018, 3, 1)) as client:
        iuc = _programme(client.get("/v1/programmes").json(), "IUC")
    assert iuc["calls"][0]["status"] == "open"


def test_programmes_before_any_ingest_is_503(make_api: Callable[..., Api]) -> None:
    with make_api(indexed=False).client() as client:
        assert_error(client.get("/v1/programmes"), 503, "index_missing")


# --- filters -----------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("request_", "name", "value"),
    [
        ("ask", "programme", "IUCC"),
        ("ask", "kind", "call"),
        ("stream", "programme", "Erasmus"),
        ("search", "programme", "IUCC"),
        ("search", "kind", "brochure"),
    ],
)
def test_unknown_filter_values_are_422_naming_the_allowed_ones(
    client: TestClient, request_: str, name: str, value: str
) -> None:
    if request_ == "search":
        response = client.get("/v1/search", params={"q": "study tours", name: value})
    else:
        path = "/v1/ask" if request_ == "ask" else "/v1/ask/stream"
        response = client.post(path, json={"question": "Who can apply?", name: value})
    allowed = "IUC, IURC" if name == "programme" else "call for applications, concept note"
    assert_error(response, 422, "invalid_request", name, repr(value), allowed)


def test_filter_values_are_matched_whatever_their_case(client: TestClient) -> None:
    answer = client.post("/v1/ask", json={"question": "Who can apply?", "programme": "iuc"})
    assert answer.status_code == 200
    hits = client.get("/v1/search", params={"q": "apply", "kind": "Call For Applications"}).json()["results"]
    assert hits and all(hit["source"].startswith("iuc-call") for hit in hits)


# --- the schema ---------------------------------------------------------------------------------------
def test_every_error_status_has_an_example_of_its_own(make_app: Callable[..., FastAPI]) -> None:
    with TestClient(make_app()) as client:
        schema = client.get("/openapi.json").json()
    examples: dict[str, set[tuple[str, str]]] = {}
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            for status, response in operation["responses"].items():
                if int(status) < 400:
                    continue
                content = response.get("content", {}).get("application/json", {})
                assert "example" in content, (method, path, status)
                error = content["example"]["error"]
                assert set(error) == {"code", "message"}
                assert response["description"] != "An error", (method, path, status)
                examples.setdefault(status, set()).add((error["code"], error["message"]))
    assert {"401", "403", "404", "409", "413", "422", "429", "500", "503"} <= set(examples)
    assert all(len(found) == 1 for found in examples.values()), examples  # one example per status
    messages = [next(iter(found)) for found in examples.values()]
    assert len(set(messages)) == len(messages)  # each status its own
    assert schema["paths"]["/v1/programmes"]["get"]["responses"]["200"]
