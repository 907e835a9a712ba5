"""Reading index generations: ``IndexSnapshot`` (one generation, loaded for answering) and
``IndexHandle`` (the serving snapshot of a process, switched when a newer generation is published).

A server watches for new generations in the background (``watch``): it loads the new one, warms it
(one question answered end to end, so nothing is built by a user's first question), then switches;
requests meanwhile keep the snapshot they started with. A snapshot no longer serving is closed (its
vector client, files and threads released) when its last reader is done."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ingest.embedder import Vectors
from ingest.errors import IndexMissingError
from ingest.generations import LEGACY_SPACE, current_generation, index_root, read_entries
from ingest.keyword_index import KeywordIndex
from ingest.models import Chunk, DocumentMeta, PairingRow, Sentence
from ingest.records import ParsedFile, read_records, read_rules
from ingest.rules import AnchoredRule, RulesFile
from ingest.vector_index import EmbeddedChroma, VectorEntry, VectorIndex, VectorStore

logger = logging.getLogger(__name__)


@dataclass
class IndexSnapshot:
    """A read-only view of one generation, loaded into memory for fast answering (sentence vectors
    stay on disk, mapped: pages are read as answers touch them and shared by the processes of a
    machine)."""

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
    def open(cls, data_dir: Path, name: str, vectors: VectorStore | None = None) -> IndexSnapshot:
        directory = index_root(data_dir) / name
        files, info = read_records(directory / "records.sqlite3")
        rules_files, rules = read_rules(directory / "records.sqlite3")
        space, pairs = read_entries(directory)
        if space == LEGACY_SPACE:  # written before vector entries: the collection's ids are chunk ids
            pairs = [(chunk.id, chunk.id) for parsed in files for chunk in parsed.chunks]
        entries = [VectorEntry(key, chunk_id, {}) for key, chunk_id in pairs]
        index = (vectors or EmbeddedChroma()).open(directory, space, entries)
        try:
            return cls(
                generation=name,
                files=files,
                info=info,
                vectors=index,
                keywords=KeywordIndex.load(directory / "bm25"),
                sentence_vectors=np.load(directory / "sentences.npy", mmap_mode="r"),
                rules=rules,
                rules_files=rules_files,
            )
        except BaseException:
            index.close()
            raise

    def close(self) -> None:
        self.vectors.close()


class IndexHandle:
    """The serving snapshot, switched to a newer generation as soon as one is published."""

    def __init__(self, data_dir: Path, vectors: VectorStore | None = None) -> None:
        self.data_dir = data_dir
        self._vectors = vectors or EmbeddedChroma()
        self._snapshot: IndexSnapshot | None = None
        self._readers: dict[int, int] = {}  # id(snapshot) -> requests reading it
        self._retired: dict[int, IndexSnapshot] = {}  # switched away from, waiting for their last reader
        self._lock = threading.Lock()  # the fields above
        self._load_lock = threading.Lock()  # one generation loads at a time
        self._warm_up: Callable[[IndexSnapshot], None] | None = None
        self._stop = threading.Event()
        self._watcher: threading.Thread | None = None

    def on_load(self, warm_up: Callable[[IndexSnapshot], None]) -> None:
        """Run ``warm_up`` on each generation a watching handle loads, before it serves."""
        self._warm_up = warm_up

    # --- which snapshot serves ---------------------------------------------------------------------
    def get(self) -> IndexSnapshot:
        """The serving snapshot. Without a watcher, a newly published generation is loaded here (and
        this call waits for it); with one, the watcher switches and this never waits but at start."""
        snapshot = self._snapshot
        if snapshot is not None and self._watcher is not None:
            return snapshot
        name = current_generation(self.data_dir)
        if name is None:
            if snapshot is not None:
                return snapshot
            raise IndexMissingError(
                f"No index in {self.data_dir}. Build one with `assistant ingest` (or `make run`)."
            )
        if snapshot is not None and snapshot.generation == name:
            return snapshot
        # A watching handle warms every generation it serves, this first one too (asked before the
        # watcher got to it, it would otherwise serve cold, and the watcher would find it served).
        return self._switch(name, warm=self._watcher is not None)

    def loaded(self) -> IndexSnapshot | None:
        """The serving snapshot if one is loaded (and warmed, when watching), else None."""
        return self._snapshot

    def refresh(self) -> IndexSnapshot | None:
        """Serve the published generation if it is not served yet: load it, warm it, switch."""
        name = current_generation(self.data_dir)
        if name is None:
            return self._snapshot
        snapshot = self._snapshot
        if snapshot is not None and snapshot.generation == name:
            return snapshot
        return self._switch(name, warm=True)

    def _switch(self, name: str, *, warm: bool) -> IndexSnapshot:
        with self._load_lock:
            current = self._snapshot
            if current is not None and current.generation == name:
                return current
            fresh = IndexSnapshot.open(self.data_dir, name, self._vectors)
            if warm and self._warm_up is not None:
                try:
                    self._warm_up(fresh)
                except Exception:  # a warm-up that fails must not keep a good generation from serving
                    logger.exception("warming up index generation %s failed", name)
            with self._lock:
                old, self._snapshot = self._snapshot, fresh
                if old is not None:
                    if self._readers.get(id(old)):
                        self._retired[id(old)] = old
                    else:
                        old.close()
            logger.info("serving index generation %s", name)
            return fresh

    @contextmanager
    def reading(self) -> Iterator[IndexSnapshot]:
        """The serving snapshot, held open until the block ends even if another generation starts
        serving meanwhile."""
        while True:
            snapshot = self.get()
            with self._lock:
                if snapshot is self._snapshot:
                    self._readers[id(snapshot)] = self._readers.get(id(snapshot), 0) + 1
                    break
        try:
            yield snapshot
        finally:
            with self._lock:
                left = self._readers[id(snapshot)] - 1
                if left:
                    self._readers[id(snapshot)] = left
                else:
                    del self._readers[id(snapshot)]
                    retired = self._retired.pop(id(snapshot), None)
                    if retired is not None:
                        retired.close()

    def ready(self) -> bool:
        try:
            self.get()
        except IndexMissingError:
            return False
        return True

    # --- watching ----------------------------------------------------------------------------------
    def watch(self, interval: float) -> None:
        """Look for a newly published generation every ``interval`` seconds, in a background thread."""
        if self._watcher is not None:
            return

        def loop() -> None:
            while not self._stop.is_set():
                try:
                    self.refresh()
                except Exception:  # a bad generation or a vector server down: keep serving, retry
                    logger.exception("could not switch to the published index generation")
                self._stop.wait(interval)

        self._watcher = threading.Thread(target=loop, name="index-watcher", daemon=True)
        self._watcher.start()

    def close(self) -> None:
        self._stop.set()
        if self._watcher is not None:
            self._watcher.join(timeout=30)
        with self._lock:
            for snapshot in [self._snapshot, *self._retired.values()]:
                if snapshot is not None:
                    snapshot.close()
            self._snapshot = None
            self._retired.clear()
        self._vectors.close()
