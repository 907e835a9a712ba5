"""Vectors already computed, keyed by model and text hash, so unchanged text is never embedded twice."""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import closing, contextmanager
from pathlib import Path

import numpy as np

from ingest.embedder import Embedder, Vectors


@contextmanager
def _connected(path: Path) -> Iterator[sqlite3.Connection]:
    """A connection that commits on success and is closed on leaving (sqlite3's own context manager
    only commits: the file would stay open until the connection is collected)."""
    with closing(sqlite3.connect(path)) as connection, connection:
        yield connection


def _key(model: str, text: str) -> str:
    return hashlib.sha256(f"{model}\0{text}".encode()).hexdigest()


class CachedEmbedder:
    """Wraps an embedder; counts how many texts really went through the model."""

    def __init__(self, embedder: Embedder, path: Path) -> None:
        self.embedder = embedder
        self.path = path
        self.embedded = 0
        path.parent.mkdir(parents=True, exist_ok=True)
        with _connected(path) as connection:
            connection.execute(
                "CREATE TABLE IF NOT EXISTS vectors (key TEXT PRIMARY KEY, vector BLOB NOT NULL)"
            )

    @property
    def name(self) -> str:
        return self.embedder.name

    @property
    def dimension(self) -> int:
        return self.embedder.dimension

    def count_missing(self, texts: Sequence[str]) -> int:
        """How many of ``texts`` would go through the model."""
        keys = {_key(self.embedder.name, text) for text in texts}
        with _connected(self.path) as connection:
            present = 0
            ordered = sorted(keys)
            for start in range(0, len(ordered), 500):
                batch = ordered[start : start + 500]
                marks = ",".join("?" * len(batch))
                present += connection.execute(
                    f"SELECT COUNT(*) FROM vectors WHERE key IN ({marks})", batch
                ).fetchone()[0]
        return len(keys) - present

    def embed(self, texts: Sequence[str]) -> Vectors:
        dimension = self.embedder.dimension
        keys = [_key(self.embedder.name, text) for text in texts]
        found: dict[str, Vectors] = {}
        with _connected(self.path) as connection:
            for start in range(0, len(keys), 500):
                batch = keys[start : start + 500]
                marks = ",".join("?" * len(batch))
                for key, blob in connection.execute(
                    f"SELECT key, vector FROM vectors WHERE key IN ({marks})", batch
                ):
                    found[key] = np.frombuffer(blob, dtype=np.float32)
            missing = sorted(
                {key: text for key, text in zip(keys, texts, strict=True) if key not in found}.items()
            )
            if missing:
                vectors = self.embedder.embed([text for _, text in missing])
                self.embedded += len(missing)
                rows = [
                    (key, vector.astype(np.float32).tobytes())
                    for (key, _), vector in zip(missing, vectors, strict=True)
                ]
                connection.executemany("INSERT OR REPLACE INTO vectors VALUES (?, ?)", rows)
                found.update(
                    {
                        key: vector.astype(np.float32)
                        for (key, _), vector in zip(missing, vectors, strict=True)
                    }
                )
        if not texts:
            return np.zeros((0, dimension), dtype=np.float32)
        return np.stack([found[key] for key in keys]).astype(np.float32)
