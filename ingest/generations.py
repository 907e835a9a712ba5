"""Where index generations live and which one serves: ``<data_dir>/index/CURRENT`` names the serving
generation, and each ``gen-…`` folder holds one complete generation (``COMPLETE`` is written last).

Every generation folder holds ``records.sqlite3`` (documents, chunks, sentences, pairings, rules),
``sentences.npy`` (sentence vectors), ``bm25/`` (the keyword index) and ``vectors.tsv`` (its vector
entries: key, chunk id); an embedded-Chroma generation also its own ``chroma/`` folder."""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Sequence
from pathlib import Path

from ingest.vector_index import VectorEntry

COMPLETE = "COMPLETE"
ENTRIES = "vectors.tsv"
LEGACY_SPACE = "chunks"  # generations written before vector entries: one collection named so


def index_root(data_dir: Path) -> Path:
    return data_dir / "index"


def new_generation_name() -> str:
    # Nanoseconds, so names sort in the order generations were built, even within one second.
    return f"gen-{time.time_ns():020d}-{uuid.uuid4().hex[:8]}"


def is_complete(directory: Path) -> bool:
    return (directory / COMPLETE).exists()


def current_generation(data_dir: Path) -> str | None:
    try:
        name = (index_root(data_dir) / "CURRENT").read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return None
    return name if name and is_complete(index_root(data_dir) / name) else None


def publish(data_dir: Path, name: str) -> None:
    """Make ``name`` the serving generation: one atomic rename of the pointer file."""
    root = index_root(data_dir)
    for stray in root.glob("CURRENT.*.tmp"):  # left by a crash between write and rename
        stray.unlink(missing_ok=True)
    pointer = root / "CURRENT"
    temporary = pointer.with_suffix(f".{uuid.uuid4().hex}.tmp")
    temporary.write_text(name, encoding="utf-8")
    with temporary.open("rb") as handle:
        os.fsync(handle.fileno())
    temporary.replace(pointer)


def generation_dirs(data_dir: Path) -> list[Path]:
    """Every generation folder, complete or not, newest first."""
    root = index_root(data_dir)
    if not root.exists():
        return []
    found = [path for path in root.iterdir() if path.is_dir() and path.name.startswith("gen-")]
    return sorted(found, key=lambda path: path.name, reverse=True)


def write_entries(directory: Path, space: str, entries: Sequence[VectorEntry]) -> None:
    lines = "".join(f"{entry.key}\t{entry.chunk_id}\n" for entry in entries)
    (directory / ENTRIES).write_text(f"#space\t{space}\n{lines}", encoding="utf-8")


def read_entries(directory: Path) -> tuple[str, list[tuple[str, str]]]:
    """The embedding space of a generation and its vector entries as (key, chunk id); a generation
    written before vector entries has the legacy space and no entries (its keys are its chunk ids)."""
    path = directory / ENTRIES
    if not path.exists():
        return LEGACY_SPACE, []
    header, _, body = path.read_text(encoding="utf-8").partition("\n")
    space = header.split("\t", 1)[1]
    pairs = [line.split("\t", 1) for line in body.splitlines() if line]
    return space, [(key, chunk_id) for key, chunk_id in pairs]
