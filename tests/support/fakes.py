"""Deterministic stand-ins for ports that cannot be real in a fast unit test."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

import numpy as np

from ingest.embedder import Vectors
from ingest.textutil import terms


class HashingEmbedder:
    """Bag-of-stems hashed into a fixed number of dimensions: texts sharing words are close."""

    def __init__(self, dimension: int = 64) -> None:
        self._dimension = dimension
        self.calls = 0
        self.texts_embedded = 0

    @property
    def name(self) -> str:
        return f"hashing-{self._dimension}"

    @property
    def dimension(self) -> int:
        return self._dimension

    def embed(self, texts: Sequence[str]) -> Vectors:
        self.calls += 1
        self.texts_embedded += len(texts)
        vectors = np.zeros((len(texts), self._dimension), dtype=np.float32)
        for row, text in enumerate(texts):
            for term in terms(text) or ["_empty_"]:
                bucket = int(hashlib.md5(term.encode()).hexdigest(), 16) % self._dimension
                vectors[row, bucket] += 1.0
            norm = float(np.linalg.norm(vectors[row]))
            vectors[row] /= norm if norm else 1.0
        return vectors
