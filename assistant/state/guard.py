"""The state database must never stop an answer: a guard around the store that opens it on first use
(``assistant ingest`` never opens it), answers without memory when it cannot be read, answers anyway
when a turn cannot be saved (and logs it), tells readiness, and names the database and the fix in every
message."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import TypeVar

from assistant.conversation import StateHealth, Turn, UnansweredItem
from assistant.state.sql import SqlStateStore, new_session_id
from ingest.errors import AssistantError, StateUnavailableError

logger = logging.getLogger(__name__)
T = TypeVar("T")
_RECHECK_SECONDS = 10.0  # a healthy database is probed again (a real write) at most this often


def explain(where: str, engine: str, error: BaseException) -> str:
    """What went wrong with the state database at ``where``, and what to do about it."""
    text = str(error) or type(error).__name__
    lowered = text.lower()
    if isinstance(error, AssistantError):
        return error.message
    if engine == "sqlite":
        if "not a database" in lowered or "malformed" in lowered or "corrupt" in lowered:
            fix = (
                f"it is damaged: stop the assistant, move it aside (mv {where} {where}.damaged) and start "
                f"again; a new, empty one is created (try `sqlite3 {where}.damaged .recover` to save the "
                "old conversations)"
            )
        elif "readonly" in lowered or "read-only" in lowered or isinstance(error, PermissionError):
            fix = f"it cannot be written: make {where} and its folder writable by the assistant's user"
        elif "full" in lowered or "no space" in lowered:
            fix = f"the disk holding {where} is full: free space there"
        elif "unable to open" in lowered:
            fix = f"it cannot be opened: check that the folder of {where} exists and is writable"
        else:
            fix = f"check that {where} is a readable and writable SQLite file"
        return f"The conversation database {where} is not usable ({text}); {fix}."
    return (
        f"The conversation database {where} is not usable ({text}); check that PostgreSQL is running and "
        "reachable there, and the user, password and database name in ASSISTANT_STATE__DATABASE_URL."
    )


class GuardedStateStore:
    """A ``StateStore`` that degrades instead of failing the answer."""

    def __init__(self, opener: Callable[[], SqlStateStore], where: str, engine: str) -> None:
        self._opener = opener
        self.where = where
        self.engine = engine
        self._store: SqlStateStore | None = None
        self._lock = threading.Lock()
        self._problem = ""
        self._checked = 0.0

    # --- opening and health ------------------------------------------------------------------------
    def _opened(self) -> SqlStateStore:
        store = self._store
        if store is not None:
            return store
        with self._lock:
            if self._store is None:
                self._store = self._opener()
            return self._store

    def _failed(self, action: str, error: BaseException) -> str:
        self._problem = explain(self.where, self.engine, error)
        logger.error("%s: %s", action, self._problem)
        return self._problem

    def _use(self, action: str, work: Callable[[SqlStateStore], T]) -> T:
        """Run ``work``; a failure is logged, remembered for readiness and raised as the project's error."""
        try:
            result = work(self._opened())
        except Exception as error:
            raise StateUnavailableError(self._failed(action, error), database=self.where) from error
        return result

    def health(self) -> StateHealth:
        now = time.monotonic()
        if not self._problem and self._store is not None and now - self._checked < _RECHECK_SECONDS:
            return StateHealth(ok=True)
        try:
            self._opened().probe()
        except Exception as error:
            return StateHealth(ok=False, problem=self._failed("state database check failed", error))
        self._problem = ""
        self._checked = now
        return StateHealth(ok=True)

    # --- what answering needs: never fails ---------------------------------------------------------
    def open_session(self, session_id: str | None, caller: str | None = None) -> str:
        try:
            return self._use("cannot open the session", lambda store: store.open_session(session_id, caller))
        except StateUnavailableError:
            return new_session_id()  # this answer goes on without the conversation's memory

    def history(self, session_id: str, limit: int) -> list[Turn]:
        try:
            return self._use("cannot read the conversation", lambda store: store.history(session_id, limit))
        except StateUnavailableError:
            return []

    def record(self, session_id: str, turn: Turn) -> None:
        try:
            self._use("the answer was given but not saved", lambda store: store.record(session_id, turn))
        except StateUnavailableError:
            return
        self._problem = ""

    # --- what is the feature itself: fails with the reason ----------------------------------------
    def session_turns(self, session_id: str) -> list[Turn] | None:
        return self._use("cannot read the session", lambda store: store.session_turns(session_id))

    def has_answer(self, answer_id: str) -> bool:
        return self._use("cannot read answers", lambda store: store.has_answer(answer_id))

    def record_feedback(self, answer_id: str, rating: int, comment: str) -> bool:
        return self._use(
            "cannot save the feedback", lambda store: store.record_feedback(answer_id, rating, comment)
        )

    def unanswered(self, limit: int) -> list[UnansweredItem]:
        return self._use("cannot read the unanswered questions", lambda store: store.unanswered(limit))

    def close(self) -> None:
        with self._lock:
            if self._store is not None:
                self._store.close()
                self._store = None
