"""The state schema as numbered migrations, applied in order by ``migrate`` and recorded in
``schema_migrations``; never edited once released (a change is a new migration).

Version 1 is the schema of the releases before migrations existed (a file they wrote is adopted as is:
its statements are all ``IF NOT EXISTS``). Each step is written once per engine where their DDL differs.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from ingest.errors import ConfigurationError

if TYPE_CHECKING:
    from assistant.state.engines import Database

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Migration:
    version: int
    description: str
    sqlite: tuple[str, ...]
    postgresql: tuple[str, ...]


_FEEDBACK_COLUMNS = (
    " rating INTEGER NOT NULL CHECK (rating IN (-1, 1)), comment TEXT NOT NULL, created TEXT NOT NULL)"
)
_V1_COMMON = (
    "CREATE INDEX IF NOT EXISTS turns_by_session ON turns(session_id, id)",
    "CREATE INDEX IF NOT EXISTS turns_by_answer ON turns(answer_id)",
    "CREATE INDEX IF NOT EXISTS feedback_by_answer ON feedback(answer_id, id)",
)

MIGRATIONS: tuple[Migration, ...] = (
    Migration(
        1,
        "sessions, turns and feedback",
        sqlite=(
            "CREATE TABLE IF NOT EXISTS sessions (id TEXT PRIMARY KEY, created TEXT NOT NULL)",
            "CREATE TABLE IF NOT EXISTS turns (id INTEGER PRIMARY KEY AUTOINCREMENT,"
            " session_id TEXT NOT NULL REFERENCES sessions(id), answer_id TEXT NOT NULL,"
            " question TEXT NOT NULL, subject TEXT NOT NULL, answer TEXT NOT NULL,"
            " abstained INTEGER NOT NULL, pairing_ids TEXT NOT NULL, created TEXT NOT NULL)",
            "CREATE TABLE IF NOT EXISTS feedback (id INTEGER PRIMARY KEY AUTOINCREMENT,"
            " answer_id TEXT NOT NULL REFERENCES turns(answer_id)," + _FEEDBACK_COLUMNS,
            *_V1_COMMON,
        ),
        postgresql=(
            "CREATE TABLE IF NOT EXISTS sessions (id TEXT PRIMARY KEY, created TEXT NOT NULL)",
            "CREATE TABLE IF NOT EXISTS turns (id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,"
            " session_id TEXT NOT NULL REFERENCES sessions(id), answer_id TEXT NOT NULL UNIQUE,"
            " question TEXT NOT NULL, subject TEXT NOT NULL, answer TEXT NOT NULL,"
            " abstained INTEGER NOT NULL, pairing_ids TEXT NOT NULL, created TEXT NOT NULL)",
            "CREATE TABLE IF NOT EXISTS feedback (id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,"
            " answer_id TEXT NOT NULL REFERENCES turns(answer_id)," + _FEEDBACK_COLUMNS,
            *_V1_COMMON,
        ),
    ),
    Migration(
        2,
        "session labels (a caller's own name for a session, stored hashed); each turn's citations, markers "
        "and notices",
        sqlite=(
            "CREATE TABLE session_labels (label TEXT PRIMARY KEY,"
            " session_id TEXT NOT NULL REFERENCES sessions(id), created TEXT NOT NULL)",
            "ALTER TABLE turns ADD COLUMN citations TEXT NOT NULL DEFAULT '[]'",
            "ALTER TABLE turns ADD COLUMN markers TEXT NOT NULL DEFAULT '[]'",
            "ALTER TABLE turns ADD COLUMN notices TEXT NOT NULL DEFAULT '[]'",
        ),
        postgresql=(
            "CREATE TABLE session_labels (label TEXT PRIMARY KEY,"
            " session_id TEXT NOT NULL REFERENCES sessions(id), created TEXT NOT NULL)",
            "ALTER TABLE turns ADD COLUMN citations TEXT NOT NULL DEFAULT '[]'",
            "ALTER TABLE turns ADD COLUMN markers TEXT NOT NULL DEFAULT '[]'",
            "ALTER TABLE turns ADD COLUMN notices TEXT NOT NULL DEFAULT '[]'",
        ),
    ),
)

LATEST = MIGRATIONS[-1].version


def migrate(database: Database) -> int:
    """Bring the schema to ``LATEST``; returns the version found before. Safe when several processes
    start at once: the engine serialises migrations (an exclusive transaction, an advisory lock)."""
    with database.exclusive() as connection:
        connection.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations"
            " (version INTEGER PRIMARY KEY, applied TEXT NOT NULL)"
        )
        rows = connection.execute("SELECT MAX(version) FROM schema_migrations")
        found = int(rows[0][0] or 0)
        if found > LATEST:
            raise ConfigurationError(
                f"The state database {database.describe()} has schema version {found}, newer than this "
                f"release knows ({LATEST}); upgrade the assistant, or point it at another database."
            )
        for migration in MIGRATIONS:
            if migration.version <= found:
                continue
            statements = migration.postgresql if database.engine == "postgresql" else migration.sqlite
            for statement in statements:
                connection.execute(statement)
            connection.execute(
                "INSERT INTO schema_migrations (version, applied) VALUES (?, ?)",
                (migration.version, datetime.now(UTC).isoformat(timespec="seconds")),
            )
            logger.info("state database %s: migrated to version %d", database.describe(), migration.version)
    return found
