"""What every HTTP test asserts the same way: the answer's JSON keys and the one error envelope."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, Protocol

ANSWER_KEYS = {"answer", "citations", "markers", "notices", "abstained", "session_id", "mode", "answer_id"}
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


JOB_KEYS = {
    "id",
    "kind",
    "state",
    "phase",
    "document",
    "files_done",
    "files_total",
    "chunks_total",
    "embedding_done",
    "embedding_total",
    "created_at",
    "started_at",
    "finished_at",
    "report",
    "error",
}


def follow_job(get: Callable[[str], Reply], accepted: Reply, bound: float = 120) -> dict[str, Any]:
    """The ingest job a 202 answer started, read at its ``Location`` until it is done or failed (``bound``
    seconds at most: a hang guard, not a speed target)."""
    assert accepted.status_code == 202, accepted.text
    started = accepted.json()
    assert set(started) == JOB_KEYS, started
    location = accepted.headers["location"]
    assert location == f"/v1/admin/ingests/{started['id']}"
    deadline = time.monotonic() + bound
    while True:
        response = get(location)
        assert response.status_code == 200, response.text
        job: dict[str, Any] = response.json()
        if job["state"] in ("done", "failed"):
            return job
        assert time.monotonic() < deadline, f"the job has not ended after {bound} s: {job}"
        time.sleep(0.05)
