"""Conversation state as the rest of the code sees it: turns, the unanswered-questions items, and the one
small port every state store implements (``StateStore``). The stores themselves (SQLite, PostgreSQL) and
the guard that keeps answering when the database fails live in ``assistant/state/``; ``wiring.py``
chooses one."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol


@dataclass
class Turn:
    question: str
    subject: str = ""  # the question as understood, with what it leans on from earlier turns
    answer: str = ""
    abstained: bool = False
    pairing_ids: list[str] = field(default_factory=list)
    answer_id: str = ""
    citations: list[dict[str, Any]] = field(default_factory=list)  # as the answer carried them
    markers: list[dict[str, Any]] = field(default_factory=list)  # where the text holds its markers
    notices: list[dict[str, Any]] = field(default_factory=list)
    asked: str = ""  # ISO 8601, UTC; set by the store


@dataclass(frozen=True)
class UnansweredItem:
    question: str
    asked: str  # ISO 8601, UTC
    abstained: bool
    down_rated: bool
    comment: str
    answer_id: str


@dataclass(frozen=True)
class StateHealth:
    """Whether the state database can be written; ``problem`` says what is wrong and what to do."""

    ok: bool
    problem: str = ""


class StateStore(Protocol):
    """Sessions, their turns, feedback and the unanswered-questions report."""

    def open_session(self, session_id: str | None, caller: str | None = None) -> str:
        """The session to continue. A server-issued id continues its session; ``None`` starts a new one;
        any other text is the caller's own label: the caller's session under that label, or a new one
        remembered under it. Always returns a server-issued id (128-bit random, hex)."""
        ...

    def history(self, session_id: str, limit: int) -> list[Turn]:
        """The session's last ``limit`` turns, oldest first."""
        ...

    def record(self, session_id: str, turn: Turn) -> None: ...

    def session_turns(self, session_id: str) -> list[Turn] | None:
        """Every turn of a session, oldest first; ``None`` when no session has this id."""
        ...

    def has_answer(self, answer_id: str) -> bool: ...

    def record_feedback(self, answer_id: str, rating: int, comment: str) -> bool:
        """Store a rating of an answer; False when no such answer was given."""
        ...

    def unanswered(self, limit: int) -> list[UnansweredItem]:
        """Abstained and down-rated questions, newest first."""
        ...

    def health(self) -> StateHealth: ...

    def close(self) -> None: ...
