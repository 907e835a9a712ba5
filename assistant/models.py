"""The answer model every face shares: an answer with validated citations."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from ingest.models import PairingRow

__all__ = [
    "Answer",
    "AnswerDelta",
    "AnswerDone",
    "AnswerEvent",
    "AnswerStarted",
    "Citation",
    "CitationsReady",
    "Exchange",
    "PairingRow",
    "SearchHit",
]


class Citation(BaseModel):
    id: int = Field(description="The marker number used in the answer text, [id]")
    source: str = Field(description="File name of the cited document")
    title: str
    section: str = ""
    page: int | None = None
    quote: str = Field(description="Verbatim text of the cited chunk")
    chunk_id: str


class Answer(BaseModel):
    answer: str
    citations: list[Citation] = Field(default_factory=list)
    abstained: bool = False
    session_id: str = ""
    mode: str = "offline"
    answer_id: str = ""


class SearchHit(BaseModel):
    source: str
    title: str
    section: str
    page: int | None
    text: str
    score: float
    chunk_id: str


class Exchange(BaseModel):
    """An earlier question and the answer it got, as a client that keeps its own history sends them."""

    question: str
    answer: str = ""


# An answer as it is produced: started, text pieces, citations, done. Every face reads this one stream;
# the HTTP stream, the OpenAI-compatible stream and the plain JSON answer are renderings of it.
class AnswerStarted(BaseModel):
    type: Literal["start"] = "start"
    session_id: str
    answer_id: str
    mode: str


class AnswerDelta(BaseModel):
    type: Literal["delta"] = "delta"
    text: str


class CitationsReady(BaseModel):
    type: Literal["citations"] = "citations"
    citations: list[Citation]


class AnswerDone(BaseModel):
    type: Literal["done"] = "done"
    answer: Answer


AnswerEvent = AnswerStarted | AnswerDelta | CitationsReady | AnswerDone
