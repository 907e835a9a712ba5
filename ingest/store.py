"""Index generations: each ingest builds a complete new generation beside the serving one, then
switches a pointer file atomically. A crash midway leaves the previous generation serving.

Layout under ``<data_dir>/index``: ``CURRENT`` (the serving generation's name) and one folder per
generation with ``records.sqlite3``, ``sentences.npy``, ``bm25/`` and ``chroma/`` (persistent mode).
"""

from __future__ import annotations

import logging
import os
import shutil
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ingest.embedder import Vectors
from ingest.errors import IndexMissingError
from ingest.keyword_index import KeywordIndex
from ingest.models import Chunk, DocumentMeta, PairingRow, Sentence
from ingest.records import ParsedFile, read_records, read_rules, write_records
from ingest.rules import AnchoredRule, RulesFile
from ingest.vector_index import ChromaVectorIndex, VectorIndex

logger = logging.getLogger(__name__)
_COMPLETE = "COMPLETE"
KEEP_GENERATIONS = 3

# Opens (create=False) or creates (create=True) the vector index of a generation.
VectorIndexFactory = Callable[[Path, str, bool], VectorIndex]


def persistent_chroma(generation_dir: Path, name: str, create: bool) -> VectorIndex:
    return ChromaVectorIndex.persistent(generation_dir / "chroma", "chunks", create=create)


def index_root(data_dir: Path) -> Path:
    return data_dir / "index"


def current_generation(data_dir: Path) -> str | None:
    try:
        name = (index_root(data_dir) / "CURRENT").read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return None
    return name if name and (index_root(data_dir) / name / _COMPLETE).exists() else None


def _publish(data_dir: Path, name: str) -> None:
    pointer = index_root(data_dir) / "CURRENT"
    temporary = pointer.with_suffix(f".{uuid.uuid4().hex}.tmp")
    temporary.write_text(name, encoding="utf-8")
    with temporary.open("rb") as handle:
        os.fsync(handle.fileno())
    temporary.replace(pointer)


def remove_stray_pointers(data_dir: Path) -> None:
    """Remove the temporary pointer files (``CURRENT.<hex>.tmp``) a crash between writing one and
    switching it in can leave; only ever called while holding the writer lock."""
    root = index_root(data_dir)
    if root.exists():
        for stray in root.glob("CURRENT.*.tmp"):
            stray.unlink(missing_ok=True)


def prune(data_dir: Path, keep: int = KEEP_GENERATIONS) -> None:
    """Remove old and unfinished generations; only ever called while holding the writer lock."""
    root = index_root(data_dir)
    if not root.exists():
        return
    current = current_generation(data_dir)
    generations = sorted(
        (path for path in root.iterdir() if path.is_dir() and path.name.startswith("gen-")),
        key=lambda path: path.name,
        reverse=True,
    )
    complete = [path for path in generations if (path / _COMPLETE).exists()]
    keep_names = {path.name for path in complete[:keep]} | ({current} if current else set())
    for path in generations:
        if path.name not in keep_names:
            shutil.rmtree(path, ignore_errors=True)


def _sentence_context(chunk: Chunk, sentence: Sentence) -> str:
    leaf = chunk.section.rsplit(" > ", 1)[-1]
    return f"{leaf}: {sentence.text}" if leaf else sentence.text


def chunk_search_text(chunk: Chunk) -> str:
    """What is embedded and keyword-indexed for a chunk: its place in the document, then its text."""
    return "\n".join(part for part in (chunk.title, chunk.section, chunk.text) if part)


def build_generation(
    data_dir: Path,
    files: list[ParsedFile],
    embed: Callable[[list[str]], Vectors],
    info: dict[str, str],
    vector_factory: VectorIndexFactory = persistent_chroma,
    *,
    rules_files: list[RulesFile] | None = None,
    rules: list[AnchoredRule] | None = None,
) -> str:
    """Write a complete generation and make it the serving one. Returns its name."""
    root = index_root(data_dir)
    root.mkdir(parents=True, exist_ok=True)
    # Nanoseconds, so names sort in the order generations were built, even within one second.
    name = f"gen-{time.time_ns():020d}-{uuid.uuid4().hex[:8]}"
    directory = root / name
    directory.mkdir()
    chunks = [chunk for parsed in files for chunk in parsed.chunks]
    by_id = {chunk.id: chunk for chunk in chunks}
    sentences = [sentence for parsed in files for sentence in parsed.sentences]

    write_records(directory / "records.sqlite3", files, info, rules_files or [], rules or [])
    chunk_vectors = embed([chunk_search_text(chunk) for chunk in chunks])
    sentence_vectors = embed([_sentence_context(by_id[s.chunk_id], s) for s in sentences])
    np.save(directory / "sentences.npy", sentence_vectors)
    vector_index = vector_factory(directory, name, True)
    vector_index.add([chunk.id for chunk in chunks], chunk_vectors, [_filterable(chunk) for chunk in chunks])
    keyword = KeywordIndex.build(
        [chunk.id for chunk in chunks], [chunk_search_text(chunk) for chunk in chunks]
    )
    (directory / "bm25").mkdir()
    keyword.save(directory / "bm25")
    (directory / _COMPLETE).write_text(name, encoding="utf-8")
    _publish(data_dir, name)
    prune(data_dir)
    logger.info("published index generation %s: %d files, %d chunks", name, len(files), len(chunks))
    return name


def _filterable(chunk: Chunk) -> dict[str, str]:
    values = {"source": chunk.source, "programme": chunk.programme or "", "kind": chunk.kind}
    return {key: value for key, value in values.items() if value}


@dataclass
class IndexSnapshot:
    """A read-only view of one generation, loaded into memory for fast answering."""

    generation: str
    files: list[ParsedFile]
    info: dict[str, str]
    vectors: VectorIndex
    keywords: KeywordIndex
    sentence_vectors: Vectors
    chunks: dict[str, Chunk] = field(default_factory=dict)
    sentences: list[Sentence] = field(default_factory=list)
    sentence_index: dict[str, int] = field(default_factory=dict)
    sentences_by_chunk: dict[str, list[int]] = field(default_factory=dict)
    documents: dict[str, DocumentMeta] = field(default_factory=dict)
    pairings: list[PairingRow] = field(default_factory=list)
    rules: list[AnchoredRule] = field(default_factory=list)  # eligibility rules, each quoting a chunk
    rules_files: list[RulesFile] = field(default_factory=list)

    def __post_init__(self) -> None:
        for parsed in self.files:
            self.documents[parsed.meta.source] = parsed.meta
            self.chunks.update({chunk.id: chunk for chunk in parsed.chunks})
            self.pairings.extend(parsed.pairings)
            for sentence in parsed.sentences:
                self.sentence_index[sentence.id] = len(self.sentences)
                self.sentences_by_chunk.setdefault(sentence.chunk_id, []).append(len(self.sentences))
                self.sentences.append(sentence)

    @classmethod
    def open(
        cls, data_dir: Path, name: str, vector_factory: VectorIndexFactory = persistent_chroma
    ) -> IndexSnapshot:
        directory = index_root(data_dir) / name
        files, info = read_records(directory / "records.sqlite3")
        rules_files, rules = read_rules(directory / "records.sqlite3")
        return cls(
            generation=name,
            files=files,
            info=info,
            vectors=vector_factory(directory, name, False),
            keywords=KeywordIndex.load(directory / "bm25"),
            sentence_vectors=np.load(directory / "sentences.npy"),
            rules=rules,
            rules_files=rules_files,
        )


class IndexHandle:
    """The serving snapshot, switched to a newer generation as soon as one is published."""

    def __init__(self, data_dir: Path, vector_factory: VectorIndexFactory = persistent_chroma) -> None:
        self.data_dir = data_dir
        self._factory = vector_factory
        self._snapshot: IndexSnapshot | None = None
        self._lock = threading.Lock()

    def get(self) -> IndexSnapshot:
        name = current_generation(self.data_dir)
        snapshot = self._snapshot
        if name is None:
            if snapshot is not None:
                return snapshot
            raise IndexMissingError(
                f"No index in {self.data_dir}. Build one with `assistant ingest` (or `make run`)."
            )
        if snapshot is not None and snapshot.generation == name:
            return snapshot
        with self._lock:
            if self._snapshot is None or self._snapshot.generation != name:
                self._snapshot = IndexSnapshot.open(self.data_dir, name, self._factory)
                logger.info("serving index generation %s", name)
            return self._snapshot

    def ready(self) -> bool:
        try:
            self.get()
        except IndexMissingError:
            return False
        return True
