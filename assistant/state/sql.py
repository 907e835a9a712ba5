"""The state store both engines share: the same SQL on SQLite and PostgreSQL."""

from __future__ import annotations

import hashlib
import json
import secrets
from datetime import UTC, datetime

from assistant.conversation import StateHealth, Turn, UnansweredItem
from assistant.state.engines import Connection, Database
from assistant.state.migrations import migrate

# The questions staff should look at: abstained, or whose latest rating is a thumbs down.
_UNANSWERED = """
SELECT t.question, t.created, t.abstained, f.rating, f.comment, t.answer_id
FROM turns t
LEFT JOIN feedback f ON f.id = (SELECT MAX(id) FROM feedback WHERE answer_id = t.answer_id)
WHERE t.abstained = 1 OR f.rating = -1
ORDER BY t.id DESC
LIMIT ?
"""
_TURN_COLUMNS = (
    "question, subject, answer, abstained, pairing_ids, answer_id, citations, markers, notices, created"
)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


def new_session_id() -> str:
    """128 random bits, hex: what the server issues; nobody can guess another's."""
    return secrets.token_hex(16)


def label_key(caller: str | None, label: str) -> str:
    """A caller's own name for a session, as stored: hashed together with the caller, so the same label
    from another caller names another session, and the table holds neither in clear."""
    return hashlib.sha256(f"{caller or ''}\0{label}".encode()).hexdigest()


def _turn(row: tuple[object, ...]) -> Turn:
    question, subject, answer, abstained, pairings, answer_id, citations, markers, notices, created = row
    return Turn(
        str(question),
        str(subject),
        str(answer),
        bool(abstained),
        json.loads(str(pairings)),
        str(answer_id),
        json.loads(str(citations)),
        json.loads(str(markers)),
        json.loads(str(notices)),
        str(created),
    )


class SqlStateStore:
    """Opens (creating and migrating the schema) on construction; raises what the engine raises."""

    def __init__(self, database: Database) -> None:
        self.database = database
        try:
            migrate(database)
        except BaseException:
            database.close()
            raise

    def describe(self) -> str:
        return self.database.describe()

    def open_session(self, session_id: str | None, caller: str | None = None) -> str:
        with self.database.transaction() as connection:
            if session_id is None:
                return self._create(connection)
            if connection.execute("SELECT 1 FROM sessions WHERE id = ?", (session_id,)):
                return session_id
            label = label_key(caller, session_id)
            found = connection.execute("SELECT session_id FROM session_labels WHERE label = ?", (label,))
            if found:
                return str(found[0][0])
            created = self._create(connection)
            connection.execute(
                "INSERT INTO session_labels (label, session_id, created) VALUES (?, ?, ?)"
                " ON CONFLICT (label) DO NOTHING",
                (label, created, _now()),
            )
            # Two first turns under one label at once: both read the label the first one stored.
            return str(
                connection.execute("SELECT session_id FROM session_labels WHERE label = ?", (label,))[0][0]
            )

    @staticmethod
    def _create(connection: Connection) -> str:
        session_id = new_session_id()
        connection.execute("INSERT INTO sessions (id, created) VALUES (?, ?)", (session_id, _now()))
        return session_id

    def history(self, session_id: str, limit: int) -> list[Turn]:
        with self.database.transaction() as connection:
            rows = connection.execute(
                f"SELECT {_TURN_COLUMNS} FROM turns WHERE session_id = ? ORDER BY id DESC LIMIT ?",
                (session_id, limit),
            )
        return [_turn(row) for row in reversed(rows)]

    def session_turns(self, session_id: str) -> list[Turn] | None:
        with self.database.transaction() as connection:
            if not connection.execute("SELECT 1 FROM sessions WHERE id = ?", (session_id,)):
                return None
            rows = connection.execute(
                f"SELECT {_TURN_COLUMNS} FROM turns WHERE session_id = ? ORDER BY id", (session_id,)
            )
        return [_turn(row) for row in rows]

    def record(self, session_id: str, turn: Turn) -> None:
        with self.database.transaction() as connection:
            connection.execute(
                "INSERT INTO turns (session_id, answer_id, question, subject, answer, abstained, pairing_ids,"
                " citations, markers, notices, created) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    session_id,
                    turn.answer_id,
                    turn.question,
                    turn.subject,
                    turn.answer,
                    int(turn.abstained),
                    json.dumps(turn.pairing_ids),
                    json.dumps(turn.citations),
                    json.dumps(turn.markers),
                    json.dumps(turn.notices),
                    _now(),
                ),
            )

    def has_answer(self, answer_id: str) -> bool:
        with self.database.transaction() as connection:
            return bool(connection.execute("SELECT 1 FROM turns WHERE answer_id = ?", (answer_id,)))

    def record_feedback(self, answer_id: str, rating: int, comment: str) -> bool:
        with self.database.transaction() as connection:
            if not connection.execute("SELECT 1 FROM turns WHERE answer_id = ?", (answer_id,)):
                return False
            connection.execute(
                "INSERT INTO feedback (answer_id, rating, comment, created) VALUES (?, ?, ?, ?)",
                (answer_id, rating, comment, _now()),
            )
        return True

    def unanswered(self, limit: int) -> list[UnansweredItem]:
        with self.database.transaction() as connection:
            rows = connection.execute(_UNANSWERED, (limit,))
        return [
            UnansweredItem(str(question), str(asked), bool(abstained), rating == -1, comment or "", answer_id)
            for question, asked, abstained, rating, comment, answer_id in rows
        ]

    def probe(self) -> None:
        """A real write and its undoing: raises when the database cannot be written."""
        with self.database.exclusive() as connection:
            connection.execute("INSERT INTO schema_migrations (version, applied) VALUES (?, ?)", (-1, _now()))
            connection.execute("DELETE FROM schema_migrations WHERE version = ?", (-1,))

    def health(self) -> StateHealth:
        self.probe()
        return StateHealth(ok=True)

    def close(self) -> None:
        self.database.close()
