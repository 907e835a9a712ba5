"""Input the API refuses rather than half-accepts (issue 14, item 14): control characters in questions,
booleans where numbers belong, populations no place has."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.support.http import assert_error


@pytest.mark.parametrize("character", ["\u0000", "\u0007", "\u001b", "\u007f", "\u0085"])
@pytest.mark.parametrize("path", ["/v1/ask", "/v1/ask/stream"])
def test_questions_with_control_characters_are_refused(client: TestClient, path: str, character: str) -> None:
    response = client.post(path, json={"question": f"Who{character} can apply?"})
    assert_error(response, 422, "invalid_request", "control character", f"U+{ord(character):04X}")


def test_line_breaks_and_tabs_are_text(client: TestClient) -> None:
    assert client.post("/v1/ask", json={"question": "Who can\napply?\tPlease say."}).status_code == 200


def test_search_and_chat_refuse_nul_too(client: TestClient) -> None:
    assert_error(client.get("/v1/search", params={"q": "study\u0000tours"}), 422, "invalid_request", "U+0000")
    completion = {"messages": [{"role": "user", "content": "Who can apply?\u0000"}]}
    assert_error(client.post("/v1/chat/completions", json=completion), 422, "invalid_request", "U+0000")


@pytest.mark.parametrize(
    ("facts", "field"),
    [
        ({"population": 10**38}, "population"),
        ({"population": 1e38}, "population"),
        ({"population": True}, "population"),
        ({"members": True}, "members"),
        ({"members": 10**9}, "members"),
        ({"commitment_months": 1e38}, "commitment_months"),
        ({"commitment_months": False}, "commitment_months"),
    ],
)
def test_eligibility_refuses_impossible_numbers_and_booleans(
    client: TestClient, facts: dict[str, object], field: str
) -> None:
    assert_error(client.post("/v1/eligibility", json=facts), 422, "invalid_request", field)


def test_eligibility_takes_a_real_population(client: TestClient) -> None:
    response = client.post("/v1/eligibility", json={"population": 9_000_000_000, "applicant_type": "city"})
    assert response.status_code == 200, response.text
