"""The answer model every face shares: an answer with validated citations."""

from __future__ import annotations

from pydantic import BaseModel, Field

from ingest.models import PairingRow

__all__ = ["Answer", "Citation", "PairingRow", "SearchHit"]


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
