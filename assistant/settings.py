"""One typed settings object, read from ``ASSISTANT_*`` environment variables by ``get_settings()``."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="ASSISTANT_", extra="forbid", env_nested_delimiter="__")

    data_dir: Path = Field(default=Path("data"), description="Indexes and state (SQLite) live here")
    corpus_dir: Path = Field(default=Path("corpus"), description="Folder synced by `assistant ingest`")
    host: str = Field(default="127.0.0.1", description="Address `assistant serve` listens on")
    port: int = Field(default=8000, ge=1, le=65535, description="Port `assistant serve` listens on")
    max_answer_chars: int = Field(default=1200, ge=200, le=4000, description="Upper bound of an answer")
    max_question_chars: int = Field(default=2000, ge=10, description="Longer questions are refused")
    retrieval_k: int = Field(default=8, ge=1, le=50, description="Chunks read per question")
    history_turns: int = Field(default=4, ge=0, le=20, description="Earlier turns used for follow-ups")
    log_level: str = Field(default="INFO", description="Logging level of the CLI and server")


def get_settings() -> Settings:
    """Settings from the environment now; call again after changing it (tests do)."""
    return Settings()
