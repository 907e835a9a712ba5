"""The structured half of an index generation: documents, chunks, sentences and pairings in SQLite."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ingest.models import Chunk, DocumentMeta, PairingRow, Sentence

_SCHEMA = """
CREATE TABLE documents (source TEXT PRIMARY KEY, sha256 TEXT NOT NULL, origin TEXT, meta TEXT NOT NULL);
CREATE TABLE chunks (id TEXT PRIMARY KEY, source TEXT NOT NULL, body TEXT NOT NULL);
CREATE TABLE sentences (position INTEGER PRIMARY KEY, source TEXT NOT NULL, body TEXT NOT NULL);
CREATE TABLE pairings (id TEXT PRIMARY KEY, source TEXT NOT NULL, body TEXT NOT NULL);
CREATE TABLE info (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""


@dataclass
class ParsedFile:
    """Everything one source file contributes to an index."""

    meta: DocumentMeta
    sha256: str
    origin: str | None
    chunks: list[Chunk] = field(default_factory=list)
    sentences: list[Sentence] = field(default_factory=list)
    pairings: list[PairingRow] = field(default_factory=list)


def write_records(path: Path, files: Iterable[ParsedFile], info: dict[str, str]) -> None:
    connection = sqlite3.connect(path)
    try:
        connection.executescript(_SCHEMA)
        position = 0
        for parsed in files:
            source = parsed.meta.source
            connection.execute(
                "INSERT INTO documents VALUES (?, ?, ?, ?)",
                (source, parsed.sha256, parsed.origin, parsed.meta.model_dump_json()),
            )
            connection.executemany(
                "INSERT INTO chunks VALUES (?, ?, ?)",
                [(chunk.id, source, chunk.model_dump_json()) for chunk in parsed.chunks],
            )
            rows = []
            for sentence in parsed.sentences:
                rows.append((position, source, sentence.model_dump_json()))
                position += 1
            connection.executemany("INSERT INTO sentences VALUES (?, ?, ?)", rows)
            connection.executemany(
                "INSERT INTO pairings VALUES (?, ?, ?)",
                [(row.id, source, row.model_dump_json()) for row in parsed.pairings],
            )
        connection.executemany("INSERT INTO info VALUES (?, ?)", list(info.items()))
        connection.commit()
    finally:
        connection.close()


def read_records(path: Path) -> tuple[list[ParsedFile], dict[str, str]]:
    """All files of a generation, in the order they were written (sentence order is preserved)."""
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
    try:
        files: dict[str, ParsedFile] = {}
        for source, sha256, origin, meta in connection.execute(
            "SELECT source, sha256, origin, meta FROM documents ORDER BY rowid"
        ):
            files[source] = ParsedFile(DocumentMeta.model_validate_json(meta), sha256, origin)
        for source, body in connection.execute("SELECT source, body FROM chunks ORDER BY rowid"):
            files[source].chunks.append(Chunk.model_validate_json(body))
        for source, body in connection.execute("SELECT source, body FROM sentences ORDER BY position"):
            files[source].sentences.append(Sentence.model_validate_json(body))
        for source, body in connection.execute("SELECT source, body FROM pairings ORDER BY rowid"):
            files[source].pairings.append(PairingRow.model_validate_json(body))
        info = dict(connection.execute("SELECT key, value FROM info").fetchall())
        return list(files.values()), info
    finally:
        connection.close()
