"""The two database engines a state store runs on, behind one tiny interface: run SQL (written once, with
``?`` placeholders: both engines speak ``ON CONFLICT`` and ``RETURNING``) in a transaction. These are the
only modules that name sqlite3 or psycopg."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Literal, Protocol
from urllib.parse import urlsplit, urlunsplit

from ingest.errors import ConfigurationError

Row = tuple[Any, ...]
Params = Sequence[Any]
# Serialises migrations across processes on one PostgreSQL database (any constant; 'asst' in ASCII).
_MIGRATION_LOCK = 0x61737374


class Connection(Protocol):
    def execute(self, sql: str, params: Params = ()) -> list[Row]:
        """Run one statement; the rows it returns (none for a statement without results)."""
        ...


class Database(Protocol):
    engine: Literal["sqlite", "postgresql"]

    def describe(self) -> str:
        """Where the data is, for messages: a file path or a URL without its password."""
        ...

    def transaction(self) -> Any:
        """A context manager yielding a ``Connection``; commits on success, rolls back on error."""
        ...

    def exclusive(self) -> Any:
        """Like ``transaction``, and no other process runs an exclusive transaction meanwhile."""
        ...

    def close(self) -> None: ...


class _SqliteConnection:
    def __init__(self, connection: sqlite3.Connection) -> None:
        self._connection = connection

    def execute(self, sql: str, params: Params = ()) -> list[Row]:
        return self._connection.execute(sql, tuple(params)).fetchall()


class SqliteDatabase:
    """One file; one connection shared by the threads of a process, one statement at a time (WAL lets
    other processes read meanwhile)."""

    engine: Literal["sqlite", "postgresql"] = "sqlite"

    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        self._connection = sqlite3.connect(path, check_same_thread=False, isolation_level=None, timeout=10)
        self._lock = threading.Lock()
        try:
            self._connection.execute("PRAGMA journal_mode=WAL")
        except sqlite3.DatabaseError:
            self._connection.close()
            raise

    def describe(self) -> str:
        return str(self.path)

    @contextmanager
    def _begin(self, mode: str) -> Iterator[Connection]:
        with self._lock:
            self._connection.execute(f"BEGIN {mode}")
            try:
                yield _SqliteConnection(self._connection)
            except BaseException:
                self._connection.execute("ROLLBACK")
                raise
            self._connection.execute("COMMIT")

    def transaction(self) -> Any:
        return self._begin("DEFERRED")

    def exclusive(self) -> Any:
        return self._begin("IMMEDIATE")

    def close(self) -> None:
        with self._lock:
            self._connection.close()


class _PostgresConnection:
    def __init__(self, connection: Any) -> None:
        self._connection = connection

    def execute(self, sql: str, params: Params = ()) -> list[Row]:
        cursor = self._connection.execute(sql.replace("?", "%s"), tuple(params))
        return list(cursor.fetchall()) if cursor.description is not None else []


def redact(url: str) -> str:
    """The URL without its password."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.rsplit("@", 1)[-1]
    user = parts.username or ""
    return urlunsplit(parts._replace(netloc=f"{user}:***@{netloc}" if user else netloc))


class PostgresDatabase:
    """A small pool of psycopg connections (the server answers from a thread pool)."""

    engine: Literal["sqlite", "postgresql"] = "postgresql"

    def __init__(self, url: str, pool_size: int, connect_timeout: float) -> None:
        try:
            import psycopg  # noqa: F401 - fail here, with the fix, when the driver is missing
            from psycopg_pool import ConnectionPool
        except ImportError as error:
            raise ConfigurationError(
                "ASSISTANT_STATE__DATABASE_URL names PostgreSQL, but psycopg is not installed: "
                "pip install 'psycopg[binary,pool]'."
            ) from error
        self.url = url
        self._timeout = connect_timeout
        self._pool = ConnectionPool(
            url.replace("postgresql+psycopg://", "postgresql://", 1),
            min_size=1,
            max_size=pool_size,
            kwargs={"connect_timeout": max(1, int(connect_timeout))},
            open=False,
            name="assistant-state",
        )
        self._pool.open(wait=True, timeout=connect_timeout)

    def describe(self) -> str:
        return redact(self.url)

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        with self._pool.connection(timeout=self._timeout) as connection, connection.transaction():
            yield _PostgresConnection(connection)

    @contextmanager
    def exclusive(self) -> Iterator[Connection]:
        with self.transaction() as connection:
            connection.execute("SELECT pg_advisory_xact_lock(?)", (_MIGRATION_LOCK,))
            yield connection

    def close(self) -> None:
        self._pool.close()
