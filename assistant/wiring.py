"""The one place that chooses adapters: the embedding model, the vector backend, the state store and the
answerer. Faces call ``build_service``; nothing below this module names an adapter."""

from __future__ import annotations

from collections.abc import Callable

from assistant.answering.multilingual import CrossLingual
from assistant.answering.offline import OfflineAnswerer
from assistant.conversation import ConversationStore
from assistant.service import AssistantService
from assistant.settings import Settings
from ingest.e5 import E5Embedder
from ingest.embedder import Embedder, LazyEmbedder
from ingest.embedding_cache import CachedEmbedder
from ingest.store import IndexHandle, VectorIndexFactory, persistent_chroma


def minilm_embedder() -> Embedder:
    from ingest.minilm import MiniLMEmbedder

    return MiniLMEmbedder()


def _cross_lingual(settings: Settings) -> CrossLingual:
    """The multilingual model for questions in other languages; passage vectors persist in the data
    dir's embedding cache, so each text is encoded once."""
    queries, passages = E5Embedder.pair()
    cached = LazyEmbedder(lambda: CachedEmbedder(passages, settings.data_dir / "embeddings.sqlite3"))
    return CrossLingual(queries, cached)


def build_service(
    settings: Settings,
    *,
    embedder_factory: Callable[[], Embedder] = minilm_embedder,
    vector_factory: VectorIndexFactory = persistent_chroma,
) -> AssistantService:
    """The service for these settings. Tests pass a fast embedder; everything else comes from settings."""
    embedder = LazyEmbedder(embedder_factory)
    answerer = OfflineAnswerer(
        settings.answers, embedder, settings.current_date, multilingual=_cross_lingual(settings)
    )
    return AssistantService(
        settings,
        answerer=answerer,
        embedder=embedder,
        index=IndexHandle(settings.data_dir, vector_factory),
        conversations=ConversationStore(settings.data_dir / "state.sqlite3"),
        vector_factory=vector_factory,
    )
