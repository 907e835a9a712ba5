"""Questions asked in another language: BM25 cannot match their words and MiniLM barely places them, so
passages are found and ranked with the multilingual model (multilingual-e5-small), which puts a Spanish
question near the English passage that answers it. The answer quotes the English original."""

from __future__ import annotations

import logging
import re
import threading
import time
from collections.abc import Callable, Sequence

import numpy as np

from assistant.answering.evidence import FEATURES, Candidate
from assistant.answering.retrieval import CorpusStats, RetrievedChunk
from ingest.embedder import Embedder
from ingest.models import Chunk
from ingest.store import IndexSnapshot, chunk_search_text

WHOLE_CORPUS = 3000  # up to this many chunks, every chunk is compared with the question
CHUNKS = 6  # chunks whose sentences are ranked
_CHUNK_SHARE = 0.3  # how much the chunk's similarity counts beside the sentence's own
_SHORT = 80  # characters under which a line is penalised, in proportion…
_SHORT_PENALTY = 0.03  # …up to this much similarity
_FIGURE = re.compile(r"(?<![\d.,])(?!(?:19|20)\d\d\b)\d")  # a figure, not a year
# Names are the same in every language ('Bari', 'CERV'): a document using those the question does is
# preferred by up to this much similarity, more than the few hundredths that part the model's closest
# passages (0.03 and 0.05 measured lower on the own sets in other languages; 0.08–0.2 alike).
_NAMES_BONUS = 0.08
_PREPARE_BATCH = 2  # chunks encoded per model call by the background pass: a question waits at most this
# The background pass encodes only after this long without a question: its model calls take both cores,
# and answers given meanwhile would wait for them (dev p95 104–108 ms against 65–79 ms measured).
QUIET_SECONDS = 1.0

logger = logging.getLogger(__name__)


def _chunk_key(chunk: Chunk) -> str:
    return f"c:{chunk.id}"


class CrossLingual:
    """Ranks sentences for a question in any language. Vectors of passages are kept per index
    generation (and, through the embedding cache, across restarts): each text is encoded once."""

    def __init__(self, queries: Embedder, passages: Embedder, quiet_seconds: float = QUIET_SECONDS) -> None:
        self.queries = queries
        self.passages = passages
        self.quiet_seconds = quiet_seconds
        self._last_question = 0.0  # time.monotonic() of the latest question
        self._vectors: dict[str, np.ndarray] = {}
        self._generation = ""
        self._lock = threading.Lock()  # the two fields above
        # One encoding at a time, so a question and the background pass never encode the same text twice.
        self._encoding = threading.Lock()
        self._stop_preparing = threading.Event()
        self._preparing: threading.Thread | None = None

    def _missing(self, generation: str, keyed: dict[str, str]) -> list[str]:
        with self._lock:
            if generation != self._generation:
                self._vectors, self._generation = {}, generation
            return [key for key in keyed if key not in self._vectors]

    def _encoded(self, generation: str, keyed: dict[str, str]) -> dict[str, np.ndarray]:
        """Vectors of the texts, by key, computing only those not yet known for this generation."""
        if self._missing(generation, keyed):
            with self._encoding:
                missing = self._missing(generation, keyed)  # the background pass may have done them
                if missing:
                    vectors = self.passages.embed([keyed[key] for key in missing])
                    with self._lock:
                        if generation == self._generation:
                            self._vectors.update(zip(missing, vectors, strict=True))
        with self._lock:
            return {key: self._vectors[key] for key in keyed if key in self._vectors}

    @staticmethod
    def _chunk_texts(chunks: Sequence[Chunk]) -> dict[str, str]:
        """The texts of chunks to encode, keyed apart from sentences' ('c:' and 's:')."""
        return {_chunk_key(chunk): chunk_search_text(chunk) for chunk in chunks}

    @staticmethod
    def _compared(snapshot: IndexSnapshot, retrieved: Sequence[RetrievedChunk]) -> list[Chunk]:
        """The chunks a question is compared with: all of a corpus this size, else those retrieved."""
        if len(snapshot.chunks) <= WHOLE_CORPUS:
            return list(snapshot.chunks.values())
        return [hit.chunk for hit in retrieved]

    def prepare(self, snapshot: IndexSnapshot) -> None:
        """Encode, in the background, the chunks every question in another language is compared with,
        so the first such question does not (a corpus's first encoding takes seconds per hundred chunks;
        the embedding cache keeps it across restarts). Replaces a pass on an older generation."""
        self.close()
        stop = threading.Event()
        thread = threading.Thread(
            target=self._prepare, args=(snapshot, stop), name="multilingual-prepare", daemon=True
        )
        self._stop_preparing, self._preparing = stop, thread
        thread.start()

    def note_question(self) -> None:
        """A question is being answered: the background pass holds off until questions pause."""
        self._last_question = time.monotonic()

    def _wait_for_a_pause(self, stop: threading.Event) -> None:
        while not stop.is_set():
            idle = time.monotonic() - self._last_question
            if idle >= self.quiet_seconds:
                return
            stop.wait(self.quiet_seconds - idle)

    def _prepare(self, snapshot: IndexSnapshot, stop: threading.Event) -> None:
        try:
            self.encode_compared(snapshot, stop, before_each=lambda: self._wait_for_a_pause(stop))
        except Exception:  # a question encodes what it needs itself; nothing is lost but time
            logger.exception("encoding generation %s for other languages failed", snapshot.generation)

    def encode_compared(
        self,
        snapshot: IndexSnapshot,
        stop: threading.Event | None = None,
        before_each: Callable[[], None] | None = None,
    ) -> None:
        """Encode the chunks every question is compared with, a few at a time, until done or stopped;
        ``before_each`` is called before each few (the background pass waits there for a pause)."""
        keyed = list(self._chunk_texts(self._compared(snapshot, [])).items())
        for start in range(0, len(keyed), _PREPARE_BATCH):
            if before_each is not None:
                before_each()
            if stop is not None and stop.is_set():
                return
            self._encoded(snapshot.generation, dict(keyed[start : start + _PREPARE_BATCH]))

    def wait_prepared(self, timeout: float | None = None) -> bool:
        """Wait for the background pass to end (benchmarks, tests); False if it is still running."""
        thread = self._preparing
        if thread is not None:
            thread.join(timeout)
        return thread is None or not thread.is_alive()

    def close(self) -> None:
        """Stop a background pass (it ends after the batch it is encoding)."""
        self._stop_preparing.set()
        if self._preparing is not None:
            self._preparing.join()
            self._preparing = None

    def rank(
        self,
        snapshot: IndexSnapshot,
        stats: CorpusStats,
        question: str,
        retrieved: list[RetrievedChunk],
        names: Sequence[str] = (),
    ) -> list[Candidate]:
        """``names``: the question's names that the documents use (folded)."""
        query = self.queries.embed([question])[0]
        pool = self._compared(snapshot, retrieved)
        chunk_vectors = self._encoded(snapshot.generation, self._chunk_texts(pool))

        def named(source: str) -> float:
            words = stats.document_words.get(source, frozenset())
            return sum(name in words for name in names) / len(names) if names else 0.0

        similarity = {
            chunk.id: float(chunk_vectors[_chunk_key(chunk)] @ query) + _NAMES_BONUS * named(chunk.source)
            for chunk in pool
        }
        best_chunks = sorted(pool, key=lambda chunk: similarity[chunk.id], reverse=True)[:CHUNKS]
        sentences = {
            f"s:{index}": snapshot.sentences[index].text
            for chunk in best_chunks
            for index in snapshot.sentences_by_chunk.get(chunk.id, [])
        }
        sentence_vectors = self._encoded(snapshot.generation, sentences)
        candidates = []
        for chunk in best_chunks:
            for index in snapshot.sentences_by_chunk.get(chunk.id, []):
                score = (1 - _CHUNK_SHARE) * float(sentence_vectors[f"s:{index}"] @ query) + _CHUNK_SHARE * (
                    similarity[chunk.id]
                )
                # Short lines (titles, labels) sit close to any question in this model's space; a short
                # line with a figure other than a year ('Kelby (Norway), 12–14 March 2031', 'Daily
                # fee: EUR 300') says something.
                text = snapshot.sentences[index].text
                if not _FIGURE.search(text):
                    score -= _SHORT_PENALTY * max(0.0, 1 - len(text) / _SHORT)
                values = dict.fromkeys(FEATURES, 0.0)
                values["dense"] = score
                candidates.append(
                    Candidate(index, chunk.source, stats.sentence_position[index], chunk, values, score)
                )
        return sorted(candidates, key=lambda candidate: candidate.score, reverse=True)
