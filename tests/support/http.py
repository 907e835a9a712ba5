"""What every HTTP test asserts the same way: the answer's JSON keys and the one error envelope."""

from __future__ import annotations

from typing import Any, Protocol

ANSWER_KEYS = {"answer", "citations", "notices", "abstained", "session_id", "mode", "answer_id"}
CITATION_KEYS = {"id", "source", "title", "section", "page", "quote", "chunk_id"}


class Reply(Protocol):
    """A response of httpx or of the TestClient (which uses its own httpx fork)."""

    @property
    def status_code(self) -> int: ...
    @property
    def headers(self) -> Any: ...
    @property
    def text(self) -> str: ...
    def json(self) -> Any: ...


def assert_error(response: Reply, status: int, code: str, *words: str) -> str:
    """The response is the JSON error envelope ``{"error": {"code", "message"}}`` with this status and
    code, its message names every one of ``words``, and no trace leaks; returns the message."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message"}, body
    assert body["error"]["code"] == code, body
    message: str = body["error"]["message"]
    for word in words:
        assert word in message, message
    assert "Traceback" not in response.text
    return message
