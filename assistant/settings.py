"""One typed settings object, read from ``ASSISTANT_*`` environment variables by ``get_settings()``."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from ingest.errors import ConfigurationError


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
    admin_key: SecretStr | None = Field(
        default=None, description="Bearer key of the /v1/admin routes; unset disables them"
    )
    max_body_bytes: int = Field(default=64 * 1024, ge=1024, description="Larger request bodies get 413")
    rate_limit_per_minute: int = Field(
        default=120, ge=0, description="Requests per minute per client on /v1 routes; 0 turns it off"
    )
    rate_limit_burst: int = Field(default=20, ge=1, description="Requests a client may send at once")
    cors_origins: list[str] = Field(
        default_factory=list, description="Origins allowed by CORS (JSON list); empty keeps CORS closed"
    )
    today: date | None = Field(
        default=None, description="The date deadlines are compared with; unset means the real date"
    )

    @field_validator("admin_key", mode="before")
    @classmethod
    def _blank_key_is_unset(cls, value: object) -> object:
        # 'ASSISTANT_ADMIN_KEY=' must not open the admin routes to an empty bearer token.
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        return value

    def current_date(self) -> date:
        return self.today or date.today()


def get_settings() -> Settings:
    """Settings from the environment now; call again after changing it (tests do). An ``ASSISTANT_*``
    variable that names no setting is an error: a typo must not pass silently."""
    known = {f"ASSISTANT_{name}".upper() for name in Settings.model_fields}
    unknown = sorted(
        name for name in os.environ if name.upper().startswith("ASSISTANT_") and name.upper() not in known
    )
    if unknown:
        raise ConfigurationError(
            f"Unknown setting{'s' if len(unknown) > 1 else ''} {', '.join(unknown)}; "
            f"known: {', '.join(sorted(known))}."
        )
    return Settings()
