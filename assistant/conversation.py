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
"""


@dataclass
class Turn:
    question: str
    subject: str = ""  # the question as understood, with what it leans on from earlier turns
    answer: str = ""
    abstained: bool = False
    pairing_ids: list[str] = field(default_factory=list)
    answer_id: str = ""


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


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

    def close(self) -> None:
        with self._lock:
            self._connection.close()
