"""The structured half of an index generation: documents, chunks, sentences, pairings and eligibility
rules in SQLite."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ingest.models import Chunk, DocumentMeta, PairingRow, Sentence
from ingest.rules import AnchoredRule, RulesFile

_SCHEMA = """
CREATE TABLE documents (source TEXT PRIMARY KEY, sha256 TEXT NOT NULL, origin TEXT, meta TEXT NOT NULL);
CREATE TABLE chunks (id TEXT PRIMARY KEY, source TEXT NOT NULL, body TEXT NOT NULL);
CREATE INDEX chunks_by_source ON chunks(source);
CREATE TABLE sentences (position INTEGER PRIMARY KEY, source TEXT NOT NULL, body TEXT NOT NULL);
CREATE TABLE pairings (id TEXT PRIMARY KEY, source TEXT NOT NULL, body TEXT NOT NULL);
CREATE TABLE info (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE rules_files (source TEXT PRIMARY KEY, body TEXT NOT NULL);
CREATE TABLE rules (position INTEGER PRIMARY KEY, rules_file TEXT NOT NULL, body TEXT NOT NULL);
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


def write_records(
    path: Path,
    files: Iterable[ParsedFile],
    info: dict[str, str],
    rules_files: Iterable[RulesFile] = (),
    rules: Iterable[AnchoredRule] = (),
) -> None:
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
        connection.executemany(
            "INSERT INTO rules_files VALUES (?, ?)",
            [(item.source, item.model_dump_json()) for item in rules_files],
        )
        connection.executemany(
            "INSERT INTO rules VALUES (?, ?, ?)",
            [(index, rule.rules_file, rule.model_dump_json()) for index, rule in enumerate(rules)],
        )
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


def read_documents(path: Path) -> dict[str, tuple[str, str | None]]:
    """Each indexed file's fingerprint and origin folder, without loading its chunks: what a sync
    compares the files with."""
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
    try:
        rows = connection.execute("SELECT source, sha256, origin FROM documents ORDER BY rowid").fetchall()
        return {source: (sha256, origin) for source, sha256, origin in rows}
    finally:
        connection.close()


def read_info(path: Path) -> dict[str, str]:
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
    try:
        return dict(connection.execute("SELECT key, value FROM info").fetchall())
    finally:
        connection.close()


def count_chunks(path: Path) -> int:
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
    try:
        return int(connection.execute("SELECT COUNT(*) FROM chunks").fetchone()[0])
    finally:
        connection.close()


def read_chunks(path: Path, source: str) -> list[Chunk]:
    """One file's chunks, in order."""
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
    try:
        rows = connection.execute("SELECT body FROM chunks WHERE source = ? ORDER BY rowid", (source,))
        return [Chunk.model_validate_json(body) for (body,) in rows]
    finally:
        connection.close()


def read_rules(path: Path) -> tuple[list[RulesFile], list[AnchoredRule]]:
    """The rules files and anchored rules of a generation (none for a generation built before rules)."""
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
    try:
        tables = {name for (name,) in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if not {"rules_files", "rules"} <= tables:
            return [], []
        files = [
            RulesFile.model_validate_json(body)
            for (body,) in connection.execute("SELECT body FROM rules_files ORDER BY rowid")
        ]
        rules = [
            AnchoredRule.model_validate_json(body)
            for (body,) in connection.execute("SELECT body FROM rules ORDER BY position")
        ]
        return files, rules
    finally:
        connection.close()
