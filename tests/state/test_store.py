"""The state store on both engines, real ones: SQLite in the test's folder and PostgreSQL on loopback.
Sessions are issued by the server; a caller's own label continues its conversation and only its own;
feedback, the unanswered report and migrations behave the same on both."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.conversation import Turn
from assistant.state.engines import PostgresDatabase, SqliteDatabase
from assistant.state.migrations import LATEST
from assistant.state.sql import SqlStateStore


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[SqlStateStore]:
    if request.param == "sqlite":
        opened = SqlStateStore(SqliteDatabase(tmp_path / "state.sqlite3"))
    else:
        opened = SqlStateStore(PostgresDatabase(request.getfixturevalue("postgres_url"), 4, 10))
    yield opened
    opened.close()


def _turn(question: str, answer_id: str, abstained: bool = False) -> Turn:
    return Turn(question, question, f"answer to {question}", abstained, ["p1"], answer_id, [{"id": 1}])


def test_the_server_issues_unguessable_session_ids(store: SqlStateStore) -> None:
    first, second = store.open_session(None), store.open_session(None)
    assert first != second
    assert len(first) == 32 and int(first, 16) >= 0  # 128 bits, hex
    assert store.open_session(first) == first  # the id continues its session


def test_a_label_continues_the_callers_own_session_only(store: SqlStateStore) -> None:
    mine = store.open_session("eval-1234", caller="10.0.0.1")
    assert mine != "eval-1234"
    assert store.open_session("eval-1234", caller="10.0.0.1") == mine
    theirs = store.open_session("eval-1234", caller="10.0.0.2")
    assert theirs not in (mine, "eval-1234")
    assert store.open_session("eval-1234") not in (mine, theirs)  # no caller is a caller of its own
    assert store.open_session("1", caller="10.0.0.1") not in ("1", mine)  # client-chosen ids never stick


def test_labels_are_stored_hashed(store: SqlStateStore) -> None:
    store.open_session("my-private-label", caller="10.0.0.9")
    with store.database.transaction() as connection:
        rows = connection.execute("SELECT label FROM session_labels")
    assert rows and all("my-private-label" not in str(row) and "10.0.0.9" not in str(row) for row in rows)


def test_one_label_asked_twice_at_once_names_one_session(store: SqlStateStore) -> None:
    found: list[str] = []
    barrier = threading.Barrier(4)

    def first_turn() -> None:
        barrier.wait()
        found.append(store.open_session("raced", caller="c"))

    threads = [threading.Thread(target=first_turn) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(set(found)) == 1


def test_turns_history_and_the_whole_session(store: SqlStateStore) -> None:
    session = store.open_session(None)
    for number in range(5):
        store.record(session, _turn(f"q{number}", f"a{number}"))
    assert [turn.question for turn in store.history(session, 2)] == ["q3", "q4"]
    turns = store.session_turns(session)
    assert turns is not None and [turn.answer_id for turn in turns] == [f"a{n}" for n in range(5)]
    assert turns[0].citations == [{"id": 1}] and turns[0].pairing_ids == ["p1"] and turns[0].asked
    assert store.session_turns("0" * 32) is None
    assert store.session_turns(store.open_session(None)) == []


def test_feedback_and_the_unanswered_report(store: SqlStateStore) -> None:
    session = store.open_session(None)
    store.record(session, _turn("answered", "a1"))
    store.record(session, _turn("abstained", "a2", abstained=True))
    assert store.has_answer("a1") and not store.has_answer("nope")
    assert store.record_feedback("a1", -1, "wrong year")
    assert not store.record_feedback("nope", 1, "")
    report = store.unanswered(10)
    assert [(item.question, item.abstained, item.down_rated, item.comment) for item in report] == [
        ("abstained", True, False, ""),
        ("answered", False, True, "wrong year"),
    ]
    store.record_feedback("a1", 1, "")  # the latest rating counts
    assert [item.question for item in store.unanswered(10)] == ["abstained"]


def test_the_schema_is_migrated_once_and_versioned(store: SqlStateStore) -> None:
    with store.database.transaction() as connection:
        versions = [row[0] for row in connection.execute("SELECT version FROM schema_migrations ORDER BY 1")]
    assert versions == list(range(1, LATEST + 1))
    store.probe()  # a real write, undone
    again = SqlStateStore(store.database)  # opening again migrates nothing
    with again.database.transaction() as connection:
        assert connection.execute("SELECT COUNT(*) FROM schema_migrations")[0][0] == LATEST


def test_a_file_written_before_migrations_existed_is_adopted(tmp_path: Path) -> None:
    path = tmp_path / "state.sqlite3"
    with sqlite3.connect(path) as old:  # the schema of the releases before versioned migrations
        old.executescript(
            "CREATE TABLE sessions (id TEXT PRIMARY KEY, created TEXT NOT NULL);"
            "CREATE TABLE turns (id INTEGER PRIMARY KEY AUTOINCREMENT, session_id TEXT NOT NULL,"
            " answer_id TEXT NOT NULL, question TEXT NOT NULL, subject TEXT NOT NULL, answer TEXT NOT NULL,"
            " abstained INTEGER NOT NULL, pairing_ids TEXT NOT NULL, created TEXT NOT NULL);"
            "CREATE TABLE feedback (id INTEGER PRIMARY KEY AUTOINCREMENT, answer_id TEXT NOT NULL,"
            " rating INTEGER NOT NULL, comment TEXT NOT NULL, created TEXT NOT NULL);"
            "INSERT INTO sessions VALUES ('old-session', '2026-01-01');"
            "INSERT INTO turns VALUES (1, 'old-session', 'old-answer', 'q', 'q', 'a', 0, '[]', '2026-01-01');"
        )
    store = SqlStateStore(SqliteDatabase(path))
    try:
        [turn] = store.history("old-session", 5)
        assert (turn.answer_id, turn.citations) == ("old-answer", [])
        assert store.open_session("old-session") == "old-session"
    finally:
        store.close()
