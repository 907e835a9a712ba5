"""The vector-index port and its Chroma adapter; Chroma types stay in this module."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from ingest.embedder import Vectors
from ingest.errors import UpstreamError

logger = logging.getLogger(__name__)
_BATCH = 1000
Filter = dict[str, str]


class VectorIndex(Protocol):
    def add(self, ids: Sequence[str], vectors: Vectors, metadatas: Sequence[Filter]) -> None: ...

    def query(self, vector: Vectors, k: int, where: Filter | None = None) -> list[tuple[str, float]]:
        """Nearest ids with their cosine similarity, best first."""
        ...

    def count(self) -> int: ...


def _where(where: Filter | None) -> dict[str, Any] | None:
    if not where:
        return None
    clauses = [{key: value} for key, value in where.items()]
    return clauses[0] if len(clauses) == 1 else {"$and": clauses}


class ChromaVectorIndex:
    """A Chroma collection holding chunk vectors computed by our own embedder."""

    def __init__(self, client: Any, collection_name: str, *, create: bool) -> None:
        self._client = client
        if create:
            self._collection = client.create_collection(
                collection_name, embedding_function=None, configuration={"hnsw": {"space": "cosine"}}
            )
        else:
            self._collection = client.get_collection(collection_name, embedding_function=None)

    @classmethod
    def persistent(cls, path: Path, collection_name: str, *, create: bool) -> ChromaVectorIndex:
        import chromadb
        from chromadb.config import Settings

        client = chromadb.PersistentClient(path=str(path), settings=Settings(anonymized_telemetry=False))
        return cls(client, collection_name, create=create)

    @classmethod
    def http(cls, host: str, port: int, collection_name: str, *, create: bool) -> ChromaVectorIndex:
        import chromadb
        from chromadb.config import Settings

        try:
            client = chromadb.HttpClient(host=host, port=port, settings=Settings(anonymized_telemetry=False))
            return cls(client, collection_name, create=create)
        except Exception as error:  # chromadb raises many types for a server that is down
            raise UpstreamError(f"Chroma server at {host}:{port} did not answer: {error}") from error

    def add(self, ids: Sequence[str], vectors: Vectors, metadatas: Sequence[Filter]) -> None:
        for start in range(0, len(ids), _BATCH):
            end = start + _BATCH
            self._collection.add(
                ids=list(ids[start:end]),
                embeddings=np.asarray(vectors[start:end]),
                metadatas=[dict(m) if m else None for m in metadatas[start:end]],
            )

    def query(self, vector: Vectors, k: int, where: Filter | None = None) -> list[tuple[str, float]]:
        total = self.count()
        if total == 0:
            return []
        result = self._collection.query(
            query_embeddings=np.asarray(vector).reshape(1, -1),
            n_results=min(k, total),
            where=_where(where),
            include=["distances"],
        )
        ids = result["ids"][0]
        distances = result["distances"][0] if result["distances"] else [1.0] * len(ids)
        return [(chunk_id, 1.0 - float(distance)) for chunk_id, distance in zip(ids, distances, strict=True)]

    def count(self) -> int:
        return int(self._collection.count())

    def delete_collection(self, name: str) -> None:
        self._client.delete_collection(name)
