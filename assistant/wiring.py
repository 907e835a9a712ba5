"""The one place that chooses adapters: the embedding model, the vector backend, the state store and the
answerer. Faces call ``build_service``; nothing below this module names an adapter."""

from __future__ import annotations

from collections.abc import Callable

from assistant.answering.multilingual import CrossLingual
from assistant.answering.offline import OfflineAnswerer
from assistant.service import AssistantService
from assistant.settings import Settings, StateSettings
from assistant.state.engines import PostgresDatabase, SqliteDatabase, redact
from assistant.state.guard import GuardedStateStore
from assistant.state.sql import SqlStateStore
from ingest.e5 import E5Embedder
from ingest.embedder import Embedder, LazyEmbedder
from ingest.embedding_cache import CachedEmbedder
from ingest.snapshot import IndexHandle
from ingest.vector_index import EmbeddedChroma, ServerChroma, VectorStore


def minilm_embedder() -> Embedder:
    from ingest.minilm import MiniLMEmbedder

    return MiniLMEmbedder()


def _cross_lingual(settings: Settings) -> CrossLingual:
    """The multilingual model for questions in other languages; passage vectors persist in the data
    dir's embedding cache, so each text is encoded once."""
    queries, passages = E5Embedder.pair()
    cached = LazyEmbedder(lambda: CachedEmbedder(passages, settings.data_dir / "embeddings.sqlite3"))
    return CrossLingual(queries, cached)


def state_store(settings: Settings) -> GuardedStateStore:
    """PostgreSQL when ``ASSISTANT_STATE__DATABASE_URL`` is set, else SQLite in the data dir; opened on
    first use, so commands that never touch conversations (``assistant ingest``) never open it."""
    state: StateSettings = settings.state
    url = state.database_url
    if url is not None:
        return GuardedStateStore(
            lambda: SqlStateStore(PostgresDatabase(url, state.pool_size, state.connect_timeout)),
            redact(url),
            "postgresql",
        )
    path = settings.data_dir / "state.sqlite3"
    return GuardedStateStore(lambda: SqlStateStore(SqliteDatabase(path)), str(path), "sqlite")


def vector_store(settings: Settings) -> VectorStore:
    """A Chroma server when ``ASSISTANT_INDEX__CHROMA_URL`` is set, else Chroma folders in the data dir."""
    url = settings.index.chroma_url
    if url is not None:
        return ServerChroma(url, settings.index.chroma_collection_prefix)
    return EmbeddedChroma()


def build_service(
    settings: Settings,
    *,
    embedder_factory: Callable[[], Embedder] = minilm_embedder,
) -> AssistantService:
    """The service for these settings. Tests pass a fast embedder; everything else comes from settings."""
    embedder = LazyEmbedder(embedder_factory)
    answerer = OfflineAnswerer(
        settings.answers, embedder, settings.current_date, multilingual=_cross_lingual(settings)
    )
    vectors = vector_store(settings)
    return AssistantService(
        settings,
        answerer=answerer,
        embedder=embedder,
        index=IndexHandle(settings.data_dir, vectors),
        conversations=state_store(settings),
        vectors=vectors,
    )
