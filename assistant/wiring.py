"""The one place that chooses adapters: the embedding model, the vector backend, the state store and the
answerer. Faces call ``build_service``; nothing below this module names an adapter."""

from __future__ import annotations

import os
from collections.abc import Callable
from urllib.parse import urlparse

from assistant.answering.base import Answerer
from assistant.answering.multilingual import CrossLingual
from assistant.answering.offline import OfflineAnswerer
from assistant.service import AssistantService
from assistant.settings import LlmSettings, Settings, StateSettings
from assistant.state.engines import PostgresDatabase, SqliteDatabase, redact
from assistant.state.guard import GuardedStateStore
from assistant.state.sql import SqlStateStore
from ingest.e5 import E5Embedder
from ingest.embedder import Embedder, LazyEmbedder
from ingest.embedding_cache import CachedEmbedder
from ingest.errors import ConfigurationError
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
    answerer: Answerer = OfflineAnswerer(
        settings.answers, embedder, settings.current_date, multilingual=_cross_lingual(settings)
    )
    if settings.llm.enabled:
        from assistant.llm.answerer import LlmAnswerer

        answerer = LlmAnswerer(
            settings.llm,
            settings.answers,
            api_key=llm_api_key(settings.llm),
            embedder=embedder,
            today=settings.current_date,
            fallback=answerer,
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


def llm_api_key(settings: LlmSettings) -> str:
    """The endpoint's key, resolved once: ASSISTANT_LLM__API_KEY, else OPENAI_API_KEY, else none (local
    servers need none). Checks the LLM settings first: a wrong one stops start-up with what to set."""
    base_url = settings.base_url or ""
    parsed = urlparse(base_url)
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        raise ConfigurationError(
            f"ASSISTANT_LLM__BASE_URL={base_url!r} is not an http(s) URL; set it to the endpoint's base, "
            "e.g. https://api.openai.com/v1 or http://127.0.0.1:11434/v1, or unset it to answer offline."
        )
    if not settings.model:
        raise ConfigurationError(
            "ASSISTANT_LLM__MODEL is not set: with ASSISTANT_LLM__BASE_URL set, name the model the endpoint "
            "serves (gpt-4o-mini, llama3.1:8b, …; GET <base_url>/models lists them)."
        )
    if settings.api_key is not None:
        return settings.api_key.get_secret_value()
    return os.environ.get("OPENAI_API_KEY", "").strip() or "no-key"


def check_llm(settings: Settings) -> str | None:
    """At start-up, in LLM mode: what is wrong with the endpoint or model, naming the setting to change
    (None when it answers and lists the model). Answers still come, offline, until it is fixed."""
    if not settings.llm.enabled:
        return None
    from assistant.llm.faults import probe

    fault = probe(settings.llm.base_url or "", settings.llm.model or "", llm_api_key(settings.llm))
    return fault.for_operator(settings.llm.base_url or "", settings.llm.model or "") if fault else None
