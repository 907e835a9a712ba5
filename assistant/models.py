"""The answer model every face and answerer shares: an answer with validated citations, the events of
its stream, and what narrows a search."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from pydantic import BaseModel, Field

from ingest.models import Chunk, PairingRow

__all__ = [
    "Answer",
    "AnswerDelta",
    "AnswerDone",
    "AnswerEvent",
    "AnswerStarted",
    "Citation",
    "CitationsReady",
    "Composed",
    "Exchange",
    "Filters",
    "Marker",
    "Notice",
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


class Marker(BaseModel):
    """Where the answerer put a citation marker: ``[id]`` is the answer text from ``start`` to ``end``
    (offsets in Unicode code points). Faces link markers from these, never from brackets in the text:
    a document's own '[2]' quoted in an answer is text, not a citation."""

    id: int = Field(description="The citation it points to")
    start: int = Field(ge=0)
    end: int = Field(ge=0)


NoticeKind = Literal["deadline_passed", "older_edition"]


class Notice(BaseModel):
    """Something the asker must not miss, shown apart from the text by every face: the answer draws on
    a call whose deadline has passed, or on an older edition than the one in force."""

    kind: NoticeKind
    text: str
    source: str | None = Field(default=None, description="The document the notice is about")


class Answer(BaseModel):
    answer: str
    citations: list[Citation] = Field(default_factory=list)
    markers: list[Marker] = Field(
        default_factory=list, description="Where the answer text holds its citation markers, in order"
    )
    notices: list[Notice] = Field(default_factory=list)
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


@dataclass
class Filters:
    """What narrows a search: one programme, one kind of document, one source file."""

    programme: str | None = None
    kind: str | None = None
    source: str | None = None

    def as_where(self) -> dict[str, str]:
        values = {"programme": self.programme, "kind": self.kind, "source": self.source}
        return {key: value for key, value in values.items() if value}

    def admits(self, chunk: Chunk) -> bool:
        return all(getattr(chunk, key) == value for key, value in self.as_where().items())


@dataclass
class Composed:
    """What an answerer produces: the text with its [n] markers, the citations they point to, whether it
    abstained, and what the service records of the turn."""

    text: str
    citations: list[Citation]
    abstained: bool
    pairing_ids: list[str] = field(default_factory=list)
    subject: str = ""
    notices: list[Notice] = field(
        default_factory=list
    )  # the question as understood, with what it leans on from earlier turns
    # Where the answerer put its markers; None: every '[n]' naming one of the citations is one (true of
    # an answerer that neutralises bracketed numbers inside the document text it quotes).
    markers: list[Marker] | None = None
