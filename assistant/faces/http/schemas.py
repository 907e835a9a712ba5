"""Request and response bodies of the HTTP API, with the examples the OpenAPI schema shows."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

from assistant.models import PairingRow, SearchHit
from assistant.unanswered import UnansweredGroup

ERROR_SCHEMA: dict[str, Any] = {
    "description": "An error",
    "content": {
        "application/json": {
            "example": {"error": {"code": "invalid_request", "message": "question: Field required"}}
        }
    },
}
# What every admin route may answer besides its own: no key configured (403), a missing or wrong key (401).
ADMIN_ERRORS: dict[int | str, dict[str, Any]] = {401: ERROR_SCHEMA, 403: ERROR_SCHEMA}
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
        default=None, max_length=128, description="Continue a conversation; an unknown id starts a new one"
    )
    programme: str | None = Field(default=None, max_length=100, description="Only this programme's documents")
    kind: str | None = Field(default=None, max_length=100, description="Only documents of this kind")


class SearchResults(BaseModel):
    results: list[SearchHit]


class PairingList(BaseModel):
    count: int
    pairings: list[PairingRow]


class FeedbackRequest(BaseModel):
    answer_id: str = Field(min_length=1, max_length=64, examples=["3f1c0e2a9b7d4c6e8f0a1b2c3d4e5f60"])
    rating: Literal[1, -1] = Field(description="1: helpful, -1: not helpful")
    comment: str = Field(default="", max_length=2000, examples=["It missed the 2018 deadline."])


class FeedbackRecorded(BaseModel):
    status: Literal["recorded"] = "recorded"
    answer_id: str
    rating: int


class UnansweredList(BaseModel):
    groups: list[UnansweredGroup]


class Readiness(BaseModel):
    status: Literal["ready"]
    generation: str
