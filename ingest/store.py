"""Index generations: each ingest builds a complete new generation beside the serving one, then switches
a pointer file atomically. A crash midway leaves the previous generation serving; the previous
generation stays for ``rollback``.

A generation reuses what the previous one computed: its vectors are the previous generation's plus the
difference (``ingest/vector_index.py``), and unchanged text is never embedded twice (the embedding
cache). Reading a generation is ``ingest/snapshot.py``."""

from __future__ import annotations

import logging
import shutil
from collections.abc import Callable
from pathlib import Path

import numpy as np

from ingest.embedder import Vectors
from ingest.errors import IndexMissingError
from ingest.generations import (
    COMPLETE,
    current_generation,
    generation_dirs,
    index_root,
    is_complete,
    new_generation_name,
    publish,
    read_entries,
    write_entries,
)
from ingest.keyword_index import KeywordIndex
from ingest.models import Chunk, Sentence
from ingest.records import ParsedFile, write_records
from ingest.rules import AnchoredRule, RulesFile
from ingest.snapshot import IndexHandle, IndexSnapshot
from ingest.vector_index import EmbeddedChroma, VectorEntry, VectorStore, entry_key

__all__ = [
    "KEEP_GENERATIONS",
    "IndexHandle",
    "IndexSnapshot",
    "build_generation",
    "chunk_entries",
    "chunk_search_text",
    "current_generation",
    "index_root",
    "prune",
    "remove_stray_pointers",
    "rollback",
]

logger = logging.getLogger(__name__)
KEEP_GENERATIONS = 2  # the serving generation and the one before it, for rollback


def prune(data_dir: Path, vectors: VectorStore | None = None, keep: int = KEEP_GENERATIONS) -> None:
    """Remove unfinished generations and all but the newest ``keep`` complete ones (the serving one is
    always kept), then what the vector store holds for no kept generation. Only ever called while
    holding the writer lock."""
    current = current_generation(data_dir)
    directories = generation_dirs(data_dir)
    complete = [path for path in directories if is_complete(path)]
    keep_names = {path.name for path in complete[:keep]} | ({current} if current else set())
    for path in directories:
        if path.name not in keep_names:
            shutil.rmtree(path, ignore_errors=True)
    if vectors is not None:
        kept = [read_entries(path) for path in complete if path.name in keep_names]
        vectors.prune([(space, [key for key, _ in entries]) for space, entries in kept])


def remove_stray_pointers(data_dir: Path) -> None:
    """Remove the temporary pointer files (``CURRENT.<hex>.tmp``) a crash between writing one and
    switching it in can leave; only ever called while holding the writer lock."""
    root = index_root(data_dir)
    if root.exists():
        for stray in root.glob("CURRENT.*.tmp"):
            stray.unlink(missing_ok=True)


def rollback(data_dir: Path) -> tuple[str, str]:
    """Serve the newest kept generation older than the serving one; returns (from, to). Call it while
    holding the writer lock."""
    current = current_generation(data_dir)
    if current is None:
        raise IndexMissingError(f"No index in {data_dir} to roll back. Build one with `assistant ingest`.")
    older = [path.name for path in generation_dirs(data_dir) if is_complete(path) and path.name < current]
    if not older:
        raise IndexMissingError(
            f"No generation older than {current} is kept in {index_root(data_dir)}; nothing to roll back to."
        )
    publish(data_dir, older[0])
    logger.info("rolled back from index generation %s to %s", current, older[0])
    return current, older[0]


def _sentence_context(chunk: Chunk, sentence: Sentence) -> str:
    leaf = chunk.section.rsplit(" > ", 1)[-1]
    return f"{leaf}: {sentence.text}" if leaf else sentence.text


def chunk_search_text(chunk: Chunk) -> str:
    """What is embedded and keyword-indexed for a chunk: its place in the document, then its text."""
    return "\n".join(part for part in (chunk.title, chunk.section, chunk.text) if part)


def _filterable(chunk: Chunk) -> dict[str, str]:
    values = {"source": chunk.source, "programme": chunk.programme or "", "kind": chunk.kind}
    return {key: value for key, value in values.items() if value}


def chunk_entries(chunks: list[Chunk]) -> list[VectorEntry]:
    entries = []
    for chunk in chunks:
        metadata = _filterable(chunk)
        entries.append(
            VectorEntry(entry_key(chunk.id, chunk_search_text(chunk), metadata), chunk.id, metadata)
        )
    return entries


def build_generation(
    data_dir: Path,
    files: list[ParsedFile],
    embed: Callable[[list[str]], Vectors],
    info: dict[str, str],
    vectors: VectorStore | None = None,
    *,
    space: str,
    rules_files: list[RulesFile] | None = None,
    rules: list[AnchoredRule] | None = None,
    keep: int = KEEP_GENERATIONS,
) -> str:
    """Write a complete generation and make it the serving one. Returns its name."""
    vectors = vectors or EmbeddedChroma()
    root = index_root(data_dir)
    root.mkdir(parents=True, exist_ok=True)
    previous = current_generation(data_dir)
    name = new_generation_name()
    directory = root / name
    directory.mkdir()
    chunks = [chunk for parsed in files for chunk in parsed.chunks]
    by_id = {chunk.id: chunk for chunk in chunks}
    sentences = [sentence for parsed in files for sentence in parsed.sentences]

    write_records(
        directory / "records.sqlite3", files, {**info, "space": space}, rules_files or [], rules or []
    )
    entries = chunk_entries(chunks)
    added = vectors.build(
        directory,
        root / previous if previous else None,
        space,
        entries,
        lambda positions: embed([chunk_search_text(chunks[position]) for position in positions]),
    )
    write_entries(directory, space, entries)
    np.save(directory / "sentences.npy", embed([_sentence_context(by_id[s.chunk_id], s) for s in sentences]))
    keyword = KeywordIndex.build(
        [chunk.id for chunk in chunks],
        [chunk_search_text(chunk) for chunk in chunks],
        [entry.key for entry in entries],
        KeywordIndex.known_terms(root / previous / "bm25", info.get("pipeline", "")) if previous else None,
    )
    (directory / "bm25").mkdir()
    keyword.save(directory / "bm25", info.get("pipeline", ""))
    (directory / COMPLETE).write_text(name, encoding="utf-8")
    publish(data_dir, name)
    prune(data_dir, vectors, keep)
    logger.info(
        "published index generation %s: %d files, %d chunks (%d vectors added)",
        name,
        len(files),
        len(chunks),
        added,
    )
    return name
