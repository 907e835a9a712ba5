"""Request and response bodies of the HTTP API, with the examples the OpenAPI schema shows."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field, field_validator

from assistant.models import PairingRow, SearchHit
from assistant.unanswered import UnansweredGroup


class ErrorDetail(BaseModel):
    code: str = Field(description="Stable, for programs: invalid_request, rate_limited, not_found…")
    message: str = Field(description="For people: what went wrong and what to do")


class ErrorBody(BaseModel):
    """The one shape of every error: never a stack trace."""

    error: ErrorDetail


# Each error status with what it means here and an example of its own.
_ERRORS: dict[int, tuple[str, str, str]] = {
    401: (
        "The admin key is missing or wrong",
        "unauthorized",
        "Admin routes need 'Authorization: Bearer <ASSISTANT_ADMIN_KEY>'.",
    ),
    403: (
        "Admin routes are switched off (no admin key configured)",
        "disabled",
        "Admin routes are disabled: set ASSISTANT_ADMIN_KEY to enable them.",
    ),
    404: ("No such thing", "not_found", "No answer has the id '3f1c0e2a9b7d4c6e8f0a1b2c3d4e5f60'."),
    409: (
        "Another ingest is writing the index",
        "index_locked",
        "Another ingest is running on this index; try again when it has finished.",
    ),
    413: (
        "The request body is over ASSISTANT_HTTP__MAX_BODY_BYTES",
        "payload_too_large",
        "The request body is over the limit of 65536 bytes.",
    ),
    422: (
        "The request is malformed or outside the limits (the message names the field)",
        "invalid_request",
        "programme: 'IUCC' is not a programme the documents hold; one of: IUC, IURC, URBACT.",
    ),
    429: (
        "A rate limit was reached (the message names which; Retry-After says when to try again)",
        "rate_limited",
        "Too many requests: over the limit per client address (120 per minute, 20 at once; an API key "
        "has a limit of its own); try again in 3 s.",
    ),
    500: (
        "The assistant failed (logged on the server)",
        "internal",
        "The assistant failed on this request; it has been logged.",
    ),
    503: (
        "No index has been built yet, or the server is busy (then with Retry-After)",
        "index_missing",
        "No index in data. Build one with `assistant ingest` (or `make run`).",
    ),
}


def errors(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses`` for these error statuses, each with its meaning and its own example."""
    return {
        status: {
            "model": ErrorBody,
            "description": _ERRORS[status][0],
            "content": {
                "application/json": {
                    "example": {"error": {"code": _ERRORS[status][1], "message": _ERRORS[status][2]}}
                }
            },
        }
        for status in statuses
    }


# What every admin route may answer besides its own: no key configured (403), a missing or wrong key
# (401), too many wrong keys from the address (429).
ADMIN_ERRORS: dict[int | str, dict[str, Any]] = errors(401, 403, 429)
# Before OpenAPI 3.2 a text/event-stream schema describes one event.
SSE_SCHEMA: dict[str, Any] = {
    "text/event-stream": {
        "schema": {
            "type": "object",
            "properties": {"event": {"type": "string"}, "data": {"type": "string"}},
            "required": ["data"],
        }
    }
}


class AskRequest(BaseModel):
    question: str = Field(
        min_length=1, pattern=r"\S", examples=["We are a town of 60,000 people. Can we apply?"]
    )
    session_id: str | None = Field(
        default=None,
        max_length=128,
        description="Continue a conversation: the id an earlier answer carried. Any other text starts a "
        "new conversation (with a new, server-issued id) that the same client continues by sending the "
        "same text again",
    )
    programme: str | None = Field(
        default=None,
        max_length=100,
        description="Only this programme's documents: one of the programmes GET /v1/programmes lists",
        examples=["IUC"],
    )
    kind: str | None = Field(
        default=None,
        max_length=100,
        description="Only documents of this kind (e.g. 'call for applications', 'FAQ'), as GET "
        "/v1/programmes lists them",
    )


class SearchResults(BaseModel):
    results: list[SearchHit]


class PairingList(BaseModel):
    count: int
    pairings: list[PairingRow]


class FeedbackRequest(BaseModel):
    answer_id: str = Field(min_length=1, max_length=64, examples=["3f1c0e2a9b7d4c6e8f0a1b2c3d4e5f60"])
    rating: Literal[1, -1] = Field(description="1: helpful, -1: not helpful")
    comment: str = Field(default="", max_length=2000, examples=["It missed the 2018 deadline."])

    @field_validator("rating", mode="before")
    @classmethod
    def _not_a_boolean(cls, value: object) -> object:
        if isinstance(value, bool):  # true == 1 in Python: refuse it rather than record a thumbs-up
            raise ValueError("a rating is the number 1 or -1, not true or false")
        return value


class FeedbackRecorded(BaseModel):
    status: Literal["recorded"] = "recorded"
    answer_id: str
    rating: int


class UnansweredList(BaseModel):
    groups: list[UnansweredGroup]


class Readiness(BaseModel):
    status: Literal["ready"]
    generation: str


class SessionTurn(BaseModel):
    question: str
    answer: str
    abstained: bool
    answer_id: str
    citations: list[dict[str, Any]] = Field(description="As the answer carried them")
    markers: list[dict[str, Any]] = Field(description="Where the answer text holds its citation markers")
    notices: list[dict[str, Any]] = Field(description="What the answer must not be read without")
    asked: str = Field(description="ISO 8601, UTC")


class SessionTurns(BaseModel):
    session_id: str
    turns: list[SessionTurn]
