"""The vector ports and their Chroma adapters; Chroma types stay in this module.

A generation's chunk vectors are *entries*: a content key (the chunk, its embedded text and its filter
values, hashed) with the chunk id and filter values. Two stores keep them:

- ``EmbeddedChroma`` (the default): one Chroma folder per generation. A new generation starts as a
  copy of the previous folder and applies only the difference (deletes what left, adds what is new), so
  an edited file costs a file copy and its own vectors, not a re-add of every vector. Each folder is
  written once, by one process, then only read: readers in other processes never see a folder change.
- ``ServerChroma`` (``ASSISTANT_INDEX__CHROMA_URL``): one collection per embedding space on a Chroma
  server, shared by the generations that use that space; a generation adds the entries the collection
  lacks, and its readers keep only their own generation's keys from each result. Pruning deletes the
  entries no kept generation refers to and drops the collections of spaces none uses.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import shutil
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import urlsplit

import numpy as np

from ingest.embedder import Vectors
from ingest.errors import UpstreamError

logger = logging.getLogger(__name__)
_BATCH = 1000
_PAGE = 10_000
Filter = dict[str, str]


@dataclass(frozen=True)
class VectorEntry:
    key: str
    chunk_id: str
    metadata: Filter


def entry_key(chunk_id: str, text: str, metadata: Filter) -> str:
    """Equal keys mean equal vectors and filter values: what lets generations share and copy entries."""
    payload = json.dumps([chunk_id, text, sorted(metadata.items())], ensure_ascii=False)
    return hashlib.sha256(payload.encode()).hexdigest()[:32]


def space_name(embedder: str, dimension: int) -> str:
    """A collection name for an embedding space (Chroma: 3-512 of [a-zA-Z0-9._-], alphanumeric ends)."""
    slug = re.sub(r"[^a-zA-Z0-9._-]+", "-", embedder).strip("-._") or "vectors"
    return f"{slug}-{dimension}d"


class VectorIndex(Protocol):
    def query(self, vector: Vectors, k: int, where: Filter | None = None) -> list[tuple[str, float]]:
        """Nearest chunk ids with their cosine similarity, best first."""
        ...

    def count(self) -> int: ...

    def close(self) -> None:
        """Release what this index holds open (files, threads); it is not queried afterwards."""
        ...


class VectorStore(Protocol):
    def build(
        self,
        directory: Path,
        previous: Path | None,
        space: str,
        entries: Sequence[VectorEntry],
        vectors: Callable[[list[int]], Vectors],
    ) -> int:
        """Make ``entries`` the vectors of the generation in ``directory`` (the previous one's in
        ``previous``); ``vectors(positions)`` gives the vectors of the entries at those positions, asked
        only for entries that are missing. Returns how many entries were added."""
        ...

    def open(self, directory: Path, space: str, entries: Sequence[VectorEntry]) -> VectorIndex: ...

    def prune(self, kept: Sequence[tuple[str, Sequence[str]]]) -> None:
        """Drop what no kept generation, given as (space, entry keys), refers to."""
        ...

    def close(self) -> None: ...


def _where(where: Filter | None) -> dict[str, Any] | None:
    if not where:
        return None
    clauses = [{key: value} for key, value in where.items()]
    return clauses[0] if len(clauses) == 1 else {"$and": clauses}


def _chroma_settings() -> Any:
    from chromadb.config import Settings

    return Settings(anonymized_telemetry=False)


def _create(client: Any, name: str) -> Any:
    return client.get_or_create_collection(
        name, embedding_function=None, configuration={"hnsw": {"space": "cosine"}}
    )


def _all_ids(collection: Any) -> set[str]:
    found: set[str] = set()
    offset = 0
    while True:
        page = collection.get(include=[], limit=_PAGE, offset=offset)["ids"]
        found.update(page)
        if len(page) < _PAGE:
            return found
        offset += _PAGE


def _add(collection: Any, entries: Sequence[VectorEntry], vectors: Vectors) -> None:
    for start in range(0, len(entries), _BATCH):
        batch = entries[start : start + _BATCH]
        collection.add(
            ids=[entry.key for entry in batch],
            embeddings=np.asarray(vectors[start : start + _BATCH]),
            metadatas=[dict(entry.metadata) or None for entry in batch],
        )


def _delete(collection: Any, keys: Sequence[str]) -> None:
    for start in range(0, len(keys), _BATCH):
        collection.delete(ids=list(keys[start : start + _BATCH]))


def _add_missing(
    collection: Any,
    present: set[str],
    entries: Sequence[VectorEntry],
    vectors: Callable[[list[int]], Vectors],
) -> int:
    missing = [position for position, entry in enumerate(entries) if entry.key not in present]
    if missing:
        _add(collection, [entries[position] for position in missing], vectors(missing))
    return len(missing)


class ChromaVectorIndex:
    """One collection read by one generation. ``members`` (a shared collection) keeps only this
    generation's entries: the query asks for as many more results as the collection holds entries that
    are not this generation's, counted once when opened, and asks again for more should newer
    generations have added entries since."""

    def __init__(
        self,
        collection: Any,
        entries: Sequence[VectorEntry],
        *,
        shared: bool,
        on_close: Callable[[], None] | None = None,
    ) -> None:
        self._collection = collection
        self._chunk_of = {entry.key: entry.chunk_id for entry in entries}
        self._shared = shared
        self._size = len(self._chunk_of)
        self._others = max(0, int(collection.count()) - self._size) if shared else 0
        self._on_close = on_close

    def query(self, vector: Vectors, k: int, where: Filter | None = None) -> list[tuple[str, float]]:
        if self._size == 0 or k <= 0:
            return []
        wanted = min(k, self._size)
        asked = wanted + self._others
        while True:
            result = self._collection.query(
                query_embeddings=np.asarray(vector, dtype=np.float32).reshape(1, -1),
                n_results=asked,
                where=_where(where),
                include=["distances"],
            )
            ids = result["ids"][0]
            distances = result["distances"][0] if result["distances"] else [1.0] * len(ids)
            found = [
                (self._chunk_of[key], 1.0 - float(distance))
                for key, distance in zip(ids, distances, strict=True)
                if key in self._chunk_of
            ]
            if len(found) >= wanted or len(ids) < asked or not self._shared:
                return found[:wanted]
            asked *= 4  # newer generations added entries since this one was opened

    def count(self) -> int:
        return self._size

    def close(self) -> None:
        if self._on_close is not None:
            self._on_close()
            self._on_close = None


class EmbeddedChroma:
    """One Chroma folder per generation, ``<generation>/chroma``, copied from the previous generation's
    and brought up to date by difference."""

    @staticmethod
    def _client(path: Path) -> Any:
        """A client of the folder; ``close()`` it: Chroma counts the clients of a folder in a process,
        and the last one closed flushes and closes its files and ends its threads."""
        import chromadb

        return chromadb.PersistentClient(path=str(path), settings=_chroma_settings())

    def build(
        self,
        directory: Path,
        previous: Path | None,
        space: str,
        entries: Sequence[VectorEntry],
        vectors: Callable[[list[int]], Vectors],
    ) -> int:
        target = directory / "chroma"
        if previous is not None and (previous / "chroma").is_dir():
            shutil.copytree(previous / "chroma", target)
        client = self._client(target)
        try:
            for stale in client.list_collections():
                name = stale if isinstance(stale, str) else stale.name
                if name != space:
                    client.delete_collection(name)  # another space's, or an earlier layout's
            collection = _create(client, space)
            wanted = {entry.key for entry in entries}
            present = _all_ids(collection)
            _delete(collection, sorted(present - wanted))
            return _add_missing(collection, present & wanted, entries, vectors)
        finally:
            client.close()

    def open(self, directory: Path, space: str, entries: Sequence[VectorEntry]) -> VectorIndex:
        client = self._client(directory / "chroma")
        try:
            collection = client.get_collection(space, embedding_function=None)
        except Exception:
            client.close()
            raise
        return ChromaVectorIndex(collection, entries, shared=False, on_close=client.close)

    def prune(self, kept: Sequence[tuple[str, Sequence[str]]]) -> None:
        """Nothing to do: a generation's folder leaves with the generation."""

    def close(self) -> None:
        """Nothing is held between generations."""


class ServerChroma:
    """Collections ``<prefix>-<space>`` on a Chroma server, shared by the generations of a space."""

    def __init__(self, url: str, prefix: str) -> None:
        parts = urlsplit(url)
        self.url = url
        self._host = parts.hostname or "127.0.0.1"
        self._port = parts.port or (443 if parts.scheme == "https" else 8000)
        self._ssl = parts.scheme == "https"
        self._prefix = prefix
        self._client: Any = None
        self._lock = threading.Lock()

    def _connected(self) -> Any:
        with self._lock:
            if self._client is None:
                import chromadb

                try:
                    client = chromadb.HttpClient(
                        host=self._host, port=self._port, ssl=self._ssl, settings=_chroma_settings()
                    )
                    client.heartbeat()
                except Exception as error:  # chromadb raises many types for a server that is down
                    raise UpstreamError(
                        f"The Chroma server at {self.url} did not answer ({error}); start it "
                        "(chroma run --path DIR --port N) or fix ASSISTANT_INDEX__CHROMA_URL."
                    ) from error
                self._client = client
            return self._client

    def _name(self, space: str) -> str:
        return f"{self._prefix}-{space}"

    def build(
        self,
        directory: Path,
        previous: Path | None,
        space: str,
        entries: Sequence[VectorEntry],
        vectors: Callable[[list[int]], Vectors],
    ) -> int:
        collection = _create(self._connected(), self._name(space))
        return _add_missing(collection, _all_ids(collection), entries, vectors)

    def open(self, directory: Path, space: str, entries: Sequence[VectorEntry]) -> VectorIndex:
        try:
            collection = self._connected().get_collection(self._name(space), embedding_function=None)
        except UpstreamError:
            raise
        except Exception as error:
            raise UpstreamError(
                f"The Chroma server at {self.url} has no collection {self._name(space)} ({error}); "
                "run `assistant ingest` against this server."
            ) from error
        return ChromaVectorIndex(collection, entries, shared=True)

    def prune(self, kept: Sequence[tuple[str, Sequence[str]]]) -> None:
        client = self._connected()
        wanted: dict[str, set[str]] = {}
        for space, keys in kept:
            wanted.setdefault(self._name(space), set()).update(keys)
        for listed in client.list_collections():
            name = listed if isinstance(listed, str) else listed.name
            if not name.startswith(f"{self._prefix}-"):
                continue  # another deployment's
            if name not in wanted:
                client.delete_collection(name)
                logger.info("dropped collection %s: no kept generation uses it", name)
                continue
            collection = client.get_collection(name, embedding_function=None)
            stale = sorted(_all_ids(collection) - wanted[name])
            _delete(collection, stale)
            if stale:
                logger.info("deleted %d vectors no kept generation refers to from %s", len(stale), name)

    def close(self) -> None:
        with self._lock:
            if self._client is not None:
                close_http_client(self._client)
                self._client = None


def close_http_client(client: Any) -> None:
    """Close a Chroma HTTP client and its connections (``close()`` alone leaves the HTTP sessions of the
    client and of its admin client open)."""
    owners = [client, getattr(client, "_admin_client", None)]
    sessions = [getattr(getattr(owner, "_server", None), "_session", None) for owner in owners]
    client.close()
    for session in sessions:
        if session is not None:
            session.close()


def keys_of(entries: Iterable[VectorEntry]) -> list[str]:
    return [entry.key for entry in entries]
