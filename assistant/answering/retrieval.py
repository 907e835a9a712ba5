"""Hybrid retrieval: dense (Chroma) and keyword (BM25) rankings fused by reciprocal rank."""

from __future__ import annotations

import math
import re
import threading
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from assistant.answering.acronyms import initials
from assistant.models import Filters
from ingest.embedder import Embedder, Vectors
from ingest.models import Chunk, Sentence
from ingest.store import IndexSnapshot
from ingest.textutil import EMAIL, terms, words

_CONTACT_WORDS = re.compile(r"contact|information|question|write to|e-?mail", re.I)
_RRF_K = 60
_POOL = 30


@dataclass
class RetrievedChunk:
    chunk: Chunk
    score: float  # fused by reciprocal rank
    dense: float  # cosine similarity to the question (0 when the dense ranking did not reach it)
    keyword: float = 0.0  # BM25 score (0 when the keyword ranking did not reach it)


class _TermsOnDemand:
    """Each sentence's terms, read when first asked for and kept for the next questions: a question
    reads the sentences of a few documents, so a large corpus's millions of term sets are never all
    held at once (kept for every sentence, they were half of a 100k-chunk server's memory)."""

    _KEPT = 200_000  # term sets kept; beyond that the oldest are read again when needed

    def __init__(self, sentences: Sequence[Sentence], *, split_compounds: bool) -> None:
        self._sentences = sentences
        self._split_compounds = split_compounds
        self._kept: dict[int, frozenset[str]] = {}
        self._lock = threading.Lock()  # requests read in parallel threads

    def __len__(self) -> int:
        return len(self._sentences)

    def __getitem__(self, index: int) -> frozenset[str]:
        found = self._kept.get(index)
        if found is None:
            found = frozenset(terms(self._sentences[index].text, split_compounds=self._split_compounds))
            with self._lock:
                if len(self._kept) >= self._KEPT:
                    del self._kept[next(iter(self._kept))]  # the oldest first
                self._kept[index] = found
        return found


class CorpusStats:
    """Inverse document frequencies over citable sentences, for weighting terms."""

    def __init__(self, snapshot: IndexSnapshot) -> None:
        self.sentence_terms = _TermsOnDemand(snapshot.sentences, split_compounds=True)
        # Terms a sentence has as words of their own, not only inside a compound ('funded' in 'EU-funded').
        self.sentence_own_terms = _TermsOnDemand(snapshot.sentences, split_compounds=False)
        counts: Counter[str] = Counter()
        for sentence in snapshot.sentences:  # read once for the counts, not kept
            counts.update(frozenset(terms(sentence.text)))
        self.total = max(1, len(snapshot.sentences))
        self.document_frequency = counts
        self.unseen_idf = math.log(1 + self.total)
        # Every word of each document, with its title and file name: what a document is about.
        vocabularies = {
            source: set(words(f"{meta.title} {meta.source.replace('-', ' ')} {meta.programme or ''}"))
            for source, meta in snapshot.documents.items()
        }
        for chunk in snapshot.chunks.values():
            vocabularies[chunk.source].update(words(f"{chunk.section} {chunk.text}"))
        self.document_words: dict[str, frozenset[str]] = {
            source: frozenset(
                vocabulary | {part for word in vocabulary if "-" in word for part in word.split("-")}
            )
            for source, vocabulary in vocabularies.items()
        }
        # Each document's sentences in reading order, and each sentence's place in that order.
        self.document_sentences: dict[str, list[int]] = {}
        self.sentence_position: list[int] = []
        self.document_chars: Counter[str] = Counter()  # the length of each document's sentences together
        for index, sentence in enumerate(snapshot.sentences):
            source = snapshot.chunks[sentence.chunk_id].source
            order = self.document_sentences.setdefault(source, [])
            self.sentence_position.append(len(order))
            order.append(index)
            self.document_chars[source] += len(sentence.text)
        # Each chunk's heading path, title and programme as terms: the context its sentences are read in.
        self.chunk_context_terms: dict[str, frozenset[str]] = {
            chunk.id: frozenset(terms(f"{chunk.section} {chunk.title} {chunk.programme or ''}"))
            for chunk in snapshot.chunks.values()
        }
        # Words of each document's title, file name and programme, and the programme's initials ('PSC' of
        # a Partnerships for Sustainable Cities page): what names the document as a whole.
        self.document_label_words: dict[str, frozenset[str]] = {
            source: frozenset(words(f"{meta.title} {meta.source.replace('-', ' ')} {meta.programme or ''}"))
            | (initials((meta.programme or "").split()) if meta.programme else frozenset())
            for source, meta in snapshot.documents.items()
        }

        # Sentences naming a contact address, by document (a document's own contact comes first).
        self._contacts: dict[str, list[int]] = {}
        for index, sentence in enumerate(snapshot.sentences):
            if EMAIL.search(sentence.text) and _CONTACT_WORDS.search(sentence.text):
                self._contacts.setdefault(snapshot.chunks[sentence.chunk_id].source, []).append(index)
        self._by_programme: dict[str, list[str]] = {}
        for source, meta in snapshot.documents.items():
            if meta.programme:
                self._by_programme.setdefault(meta.programme, []).append(source)
        self._sentences = snapshot.sentences

    def contact_for(self, source: str, programme: str | None) -> int | None:
        """A sentence giving a contact address: the document's own, else one of the same programme's."""
        if self._contacts.get(source):
            return self._contacts[source][0]
        for other in self._by_programme.get(programme or "", []) if programme else []:
            if self._contacts.get(other):
                return self._contacts[other][0]
        return None

    def contact_address(self, index: int) -> str:
        found = EMAIL.search(self._sentences[index].text)
        return found.group(0).rstrip(".") if found else ""

    def idf(self, term: str) -> float:
        frequency = self.document_frequency.get(term, 0)
        if frequency == 0:
            return self.unseen_idf
        return math.log(1 + (self.total - frequency + 0.5) / (frequency + 0.5))


def embed_query(embedder: Embedder, text: str) -> Vectors:
    return np.asarray(embedder.embed([text])[0], dtype=np.float32)


_WIDER = 8  # a filtered search first reads this many times the pool unfiltered


def _dense(snapshot: IndexSnapshot, query_vector: Vectors, filters: Filters) -> list[tuple[str, float]]:
    """The pool of chunks nearest in meaning that the filters admit. A filter is first applied to a wider
    unfiltered search (a vector store's filtered search scans the metadata: ~130 ms at 100k chunks);
    only when that holds too few admitted chunks does the store filter."""
    where = filters.as_where()
    if not where:
        return snapshot.vectors.query(query_vector, _POOL)
    wider = snapshot.vectors.query(query_vector, _POOL * _WIDER)
    admitted = [
        (chunk_id, score)
        for chunk_id, score in wider
        if chunk_id in snapshot.chunks and filters.admits(snapshot.chunks[chunk_id])
    ]
    if len(admitted) >= _POOL or len(wider) < _POOL * _WIDER:  # enough, or the whole index was read
        return admitted[:_POOL]
    return snapshot.vectors.query(query_vector, _POOL, where)


def retrieve(
    snapshot: IndexSnapshot, query_vector: Vectors, query_text: str, k: int, filters: Filters | None = None
) -> list[RetrievedChunk]:
    """The ``k`` chunks that best answer ``query_text``, by fused dense and keyword rank."""
    filters = filters or Filters()
    dense = _dense(snapshot, query_vector, filters)
    keyword = [
        (chunk_id, score)
        for chunk_id, score in snapshot.keywords.query(query_text, _POOL * 2)
        if chunk_id in snapshot.chunks and filters.admits(snapshot.chunks[chunk_id])
    ][:_POOL]
    fused: dict[str, float] = {}
    for ranking in (dense, keyword):
        for rank, (chunk_id, _) in enumerate(ranking):
            fused[chunk_id] = fused.get(chunk_id, 0.0) + 1.0 / (_RRF_K + rank + 1)
    similarity = dict(dense)
    keyword_scores = dict(keyword)
    ordered = sorted(fused.items(), key=lambda item: item[1], reverse=True)[:k]
    return [
        RetrievedChunk(
            snapshot.chunks[chunk_id], score, similarity.get(chunk_id, 0.0), keyword_scores.get(chunk_id, 0.0)
        )
        for chunk_id, score in ordered
        if chunk_id in snapshot.chunks
    ]
