"""BM25 keyword search over chunk texts (bm25s), with the project's own terms (stems, folded accents)."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import numpy as np

from ingest.textutil import terms

logger = logging.getLogger(__name__)


class KeywordIndex:
    def __init__(self, retriever: Any, ids: list[str]) -> None:
        self._retriever = retriever
        self._ids = ids
        self._vocabulary: dict[str, int] = dict(getattr(retriever, "vocab_dict", {}) or {})

    @classmethod
    def build(cls, ids: list[str], texts: list[str]) -> KeywordIndex:
        import bm25s

        if not ids:
            return cls(None, [])  # an emptied corpus: an index that finds nothing
        retriever = bm25s.BM25()
        retriever.index([terms(text) or ["_empty_"] for text in texts], show_progress=False)
        return cls(retriever, ids)

    def save(self, directory: Path) -> None:
        if self._retriever is not None:
            self._retriever.save(str(directory), show_progress=False)
        (directory / "ids.txt").write_text("\n".join(self._ids), encoding="utf-8")

    @classmethod
    def load(cls, directory: Path) -> KeywordIndex:
        import bm25s

        ids = [line for line in (directory / "ids.txt").read_text(encoding="utf-8").split("\n") if line]
        if not ids:
            return cls(None, [])
        retriever = bm25s.BM25.load(str(directory), show_progress=False)
        return cls(retriever, ids)

    def query(self, text: str, k: int) -> list[tuple[str, float]]:
        query_terms = [term for term in terms(text) if term in self._vocabulary]
        if not query_terms or not self._ids:
            return []
        documents, scores = self._retriever.retrieve(
            [query_terms], k=min(k, len(self._ids)), show_progress=False, n_threads=1
        )
        return [
            (self._ids[int(index)], float(score))
            for index, score in zip(documents[0], scores[0], strict=True)
            if float(score) > 0 and np.isfinite(score)
        ]
