"""Conversation memory in SQLite: sessions and their turns, so follow-ups keep their subject."""

from __future__ import annotations

import json
import sqlite3
import threading
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

_SCHEMA = """
CREATE TABLE IF NOT EXISTS sessions (id TEXT PRIMARY KEY, created TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS turns (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    session_id TEXT NOT NULL REFERENCES sessions(id),
    answer_id TEXT NOT NULL,
    question TEXT NOT NULL,
    subject TEXT NOT NULL,
    answer TEXT NOT NULL,
    abstained INTEGER NOT NULL,
    pairing_ids TEXT NOT NULL,
    created TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS turns_by_session ON turns(session_id, id);
CREATE INDEX IF NOT EXISTS turns_by_answer ON turns(answer_id);
CREATE TABLE IF NOT EXISTS feedback (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    answer_id TEXT NOT NULL REFERENCES turns(answer_id),
    rating INTEGER NOT NULL CHECK (rating IN (-1, 1)),
    comment TEXT NOT NULL,
    created TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS feedback_by_answer ON feedback(answer_id, id);
"""

# The questions staff should look at: abstained, or whose latest rating is a thumbs down.
_UNANSWERED = """
SELECT t.question, t.created, t.abstained, f.rating, f.comment, t.answer_id
FROM turns t
LEFT JOIN feedback f ON f.id = (SELECT MAX(id) FROM feedback WHERE answer_id = t.answer_id)
WHERE t.abstained = 1 OR f.rating = -1
ORDER BY t.id DESC
LIMIT ?
"""


@dataclass
class Turn:
    question: str
    subject: str = ""  # the question as understood, with what it leans on from earlier turns
    answer: str = ""
    abstained: bool = False
    pairing_ids: list[str] = field(default_factory=list)
    answer_id: str = ""


@dataclass(frozen=True)
class UnansweredItem:
    question: str
    asked: str  # ISO 8601, UTC
    abstained: bool
    down_rated: bool
    comment: str
    answer_id: str


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


class ConversationStore:
    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._connection = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._connection.execute("PRAGMA journal_mode=WAL")
        self._connection.executescript(_SCHEMA)
        self._lock = threading.Lock()

    def open_session(self, session_id: str | None) -> str:
        """The given session, created if unknown (an unknown id is not an error), or a new one."""
        session_id = session_id or uuid.uuid4().hex
        with self._lock:
            self._connection.execute("INSERT OR IGNORE INTO sessions VALUES (?, ?)", (session_id, _now()))
        return session_id

    def history(self, session_id: str, limit: int) -> list[Turn]:
        with self._lock:
            rows = self._connection.execute(
                "SELECT question, subject, answer, abstained, pairing_ids, answer_id FROM turns "
                "WHERE session_id = ? ORDER BY id DESC LIMIT ?",
                (session_id, limit),
            ).fetchall()
        return [
            Turn(question, subject, answer, bool(abstained), json.loads(pairings), answer_id)
            for question, subject, answer, abstained, pairings, answer_id in reversed(rows)
        ]

    def record(self, session_id: str, turn: Turn) -> None:
        with self._lock:
            self._connection.execute(
                "INSERT INTO turns (session_id, answer_id, question, subject, answer, abstained, pairing_ids,"
                " created) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    session_id,
                    turn.answer_id,
                    turn.question,
                    turn.subject,
                    turn.answer,
                    int(turn.abstained),
                    json.dumps(turn.pairing_ids),
                    _now(),
                ),
            )

    def has_answer(self, answer_id: str) -> bool:
        with self._lock:
            row = self._connection.execute("SELECT 1 FROM turns WHERE answer_id = ?", (answer_id,)).fetchone()
        return row is not None

    def record_feedback(self, answer_id: str, rating: int, comment: str) -> bool:
        """Store a rating of an answer; False when no such answer was given."""
        with self._lock:
            known = self._connection.execute("SELECT 1 FROM turns WHERE answer_id = ?", (answer_id,))
            if known.fetchone() is None:
                return False
            self._connection.execute(
                "INSERT INTO feedback (answer_id, rating, comment, created) VALUES (?, ?, ?, ?)",
                (answer_id, rating, comment, _now()),
            )
        return True

    def unanswered(self, limit: int) -> list[UnansweredItem]:
        """Abstained and down-rated questions, newest first."""
        with self._lock:
            rows = self._connection.execute(_UNANSWERED, (limit,)).fetchall()
        return [
            UnansweredItem(question, asked, bool(abstained), rating == -1, comment or "", answer_id)
            for question, asked, abstained, rating, comment, answer_id in rows
        ]

    def close(self) -> None:
        with self._lock:
            self._connection.close()
