"""One typed settings tree, read from ``ASSISTANT_*`` environment variables by ``get_settings()``.

Sections are nested models; a field of a section is set with ``ASSISTANT_<SECTION>__<FIELD>``
(``ASSISTANT_HTTP__PORT=8080``). The flat names of earlier releases (``ASSISTANT_PORT``,
``ASSISTANT_ADMIN_KEY``…) keep working as aliases: deployments use them.
"""

from __future__ import annotations

import ipaddress
import json
import os
import re
from datetime import date
from pathlib import Path
from typing import Annotated, get_origin

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    SecretStr,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_settings import BaseSettings, SettingsConfigDict

from ingest.discovery import FileLimits
from ingest.errors import ConfigurationError

_PREFIX = "ASSISTANT_"
_NESTED = "__"


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid")


class AnswerSettings(_Section):
    """How questions are read and answers are cut."""

    max_answer_chars: int = Field(default=1200, ge=200, le=4000, description="Upper bound of an answer")
    max_question_chars: int = Field(default=2000, ge=10, description="Longer questions are refused")
    retrieval_k: int = Field(default=8, ge=1, le=50, description="Chunks read per question")
    history_turns: int = Field(default=4, ge=0, le=20, description="Earlier turns used for follow-ups")


_MIN_KEY_CHARS = 16


class ApiKey(_Section):
    """An integrator's key: requests carrying it are limited per key, not per address."""

    name: str = Field(
        min_length=1, max_length=64, pattern=r"^[\w.-]+$", description="Who holds the key (shown in 429s)"
    )
    key: SecretStr = Field(description="The secret, sent as 'Authorization: Bearer KEY' or 'X-API-Key: KEY'")
    per_minute: int = Field(default=600, ge=0, description="Requests per minute with this key; 0: no limit")
    burst: int = Field(default=60, ge=1, description="Requests this key may send at once")

    @field_validator("key")
    @classmethod
    def _long_enough(cls, value: SecretStr) -> SecretStr:
        if len(value.get_secret_value().strip()) < _MIN_KEY_CHARS:
            raise ValueError(
                f"an API key needs at least {_MIN_KEY_CHARS} characters (e.g. `openssl rand -hex 16`)"
            )
        return value


class HttpSettings(_Section):
    """The HTTP face: where it listens, what it lets through, whom it trusts."""

    host: str = Field(default="127.0.0.1", description="Address `assistant serve` listens on")
    port: int = Field(default=8000, ge=1, le=65535, description="Port `assistant serve` listens on")
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
    # --- integrators and proxies ---
    api_keys: list[ApiKey] = Field(
        default_factory=list,
        description='API keys (JSON list of {"name", "key", "per_minute", "burst"}); each limited on its own',
    )
    api_keys_file: Path | None = Field(
        default=None, description="A JSON file with more API keys, in the same shape as API_KEYS"
    )
    trusted_proxies: list[str] = Field(
        default_factory=list,
        description="Addresses or networks (JSON list) of proxies whose X-Forwarded-For is believed",
    )
    admin_failures_per_minute: int = Field(
        default=5, ge=1, description="Failed admin-key attempts an address regains per minute"
    )
    admin_failures_burst: int = Field(
        default=10, ge=1, description="Failed admin-key attempts an address may make before a 429"
    )
    # --- connections (uvicorn) ---
    keep_alive_seconds: int = Field(
        default=5, ge=1, le=300, description="An idle kept-alive connection closes"
    )
    header_timeout_seconds: float = Field(
        default=10.0,
        gt=0,
        le=300,
        description="A connection whose request head is not complete by then closes",
    )
    max_header_bytes: int = Field(
        default=16 * 1024, ge=1024, le=1024 * 1024, description="Larger request heads get 431"
    )
    max_connections: int = Field(
        default=512, ge=1, description="Open connections at most; more are answered 503 and closed"
    )
    max_connections_per_client: int = Field(
        default=32, ge=1, description="Open connections per client address (trusted proxies excepted)"
    )
    max_concurrent_requests: int = Field(
        default=64, ge=1, description="Requests in progress at once; more get 503 with Retry-After"
    )
    backlog: int = Field(
        default=128, ge=1, le=65535, description="Connections the kernel queues before accept"
    )

    @field_validator("admin_key", mode="before")
    @classmethod
    def _blank_key_is_unset(cls, value: object) -> object:
        # 'ASSISTANT_ADMIN_KEY=' must not open the admin routes to an empty bearer token.
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        return value

    @field_validator("trusted_proxies")
    @classmethod
    def _networks(cls, value: list[str]) -> list[str]:
        for entry in value:
            try:
                ipaddress.ip_network(entry.strip(), strict=False)
            except ValueError as error:
                raise ValueError(
                    f"{entry!r} is not an address or network (e.g. 10.0.0.5, 10.0.0.0/24)"
                ) from error
        return [entry.strip() for entry in value]

    @model_validator(mode="after")
    def _distinct_keys(self) -> HttpSettings:
        names = [key.name for key in self.api_keys]
        secrets = [key.key.get_secret_value() for key in self.api_keys]
        if len(set(names)) != len(names) or len(set(secrets)) != len(secrets):
            raise ValueError("API keys need distinct names and distinct secrets")
        if self.admin_key is not None and self.admin_key.get_secret_value() in secrets:
            raise ValueError("an API key must not be the admin key")
        return self


DISCORD_API = "https://discord.com/api/v10"


class DiscordSettings(_Section):
    """The Discord bot (`assistant bot`): its token, where it answers and how often a user may ask."""

    token: SecretStr | None = Field(
        default=None,
        description="Bot token from the Discord Developer Portal (your application → Bot → Reset Token)",
    )
    allowed_channels: list[int] = Field(
        default_factory=list,
        description="Channel ids (JSON list) where the bot answers; empty means every channel it can see",
    )
    rate_limit_per_minute: int = Field(
        default=6, ge=0, description="Questions per minute per Discord user; 0 turns the limit off"
    )
    rate_limit_burst: int = Field(default=3, ge=1, description="Questions a user may ask at once")
    message_content: bool = Field(
        default=True,
        description="Ask for the privileged Message Content intent, so follow-ups in the bot's threads "
        "need no @mention (enable it in the Developer Portal too)",
    )
    sync_commands: bool = Field(
        default=True, description="Register the /ask and /eligibility commands with Discord at start"
    )
    api_base_url: str = Field(
        default=DISCORD_API,
        description="Discord's REST API; the gateway is the one its /gateway/bot names. "
        "Change only to reach a stand-in or a proxy",
    )
    login_timeout_seconds: float = Field(
        default=10, gt=0, le=120, description="How long the start waits for Discord to accept the token"
    )

    @field_validator("token", mode="before")
    @classmethod
    def _blank_token_is_unset(cls, value: object) -> object:
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        return value

    @field_validator("api_base_url")
    @classmethod
    def _http_url(cls, value: str) -> str:
        if not re.fullmatch(r"https?://[^\s/]+(/\S*)?", value):
            raise ValueError(f"{value!r} is not an http(s) URL")
        return value.rstrip("/")


def _none_if_blank(value: object) -> object:
    return None if isinstance(value, str) and not value.strip() else value


OptionalUrl = Annotated[str | None, BeforeValidator(_none_if_blank)]  # 'NAME=' means unset


class IndexSettings(_Section):
    """Where chunk vectors live and how index generations are kept and switched."""

    chroma_url: OptionalUrl = Field(
        default=None,
        description="A Chroma server (http://host:port) for chunk vectors; unset keeps them in the data dir",
    )
    chroma_collection_prefix: str = Field(
        default="assistant",
        pattern=r"^[a-zA-Z0-9][a-zA-Z0-9._-]{1,40}$",
        description="Names of this deployment's collections on the Chroma server start with it",
    )
    keep_generations: int = Field(
        default=2, ge=2, le=20, description="Complete index generations kept (the serving one included)"
    )
    max_removed_share: float = Field(
        default=0.5,
        ge=0.0,
        le=1.0,
        description="A sync that would remove more than this share of the indexed documents is refused "
        "unless forced (`assistant ingest --force`)",
    )
    poll_seconds: float = Field(
        default=1.0, gt=0, le=60, description="How often a server looks for a newly published generation"
    )

    @field_validator("chroma_url")
    @classmethod
    def _http_url(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith(("http://", "https://")):
            raise ValueError("ASSISTANT_INDEX__CHROMA_URL must start with http:// or https://")
        return value


class StateSettings(_Section):
    """Where conversations, feedback and session labels are kept."""

    database_url: OptionalUrl = Field(
        default=None,
        description="postgresql://user:password@host:port/database; unset keeps them in "
        "<data_dir>/state.sqlite3",
    )
    pool_size: int = Field(default=4, ge=1, le=64, description="PostgreSQL connections per server process")
    connect_timeout: float = Field(
        default=5.0, gt=0, le=120, description="Seconds to wait for the state database"
    )

    @field_validator("database_url")
    @classmethod
    def _postgres_url(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith(
            ("postgresql://", "postgres://", "postgresql+psycopg://")
        ):
            raise ValueError("ASSISTANT_STATE__DATABASE_URL must be a postgresql:// URL")
        return value


class IngestSettings(_Section):
    """What one file may cost an ingest, and the background ingest jobs of the server."""

    max_file_bytes: int = Field(
        default=32 * 1024 * 1024,
        ge=1024,
        description="A larger file fails on its own (reported) and a larger upload is refused (413)",
    )
    max_text_chars: int = Field(
        default=3_000_000, ge=1000, description="A file whose extracted text is longer fails on its own"
    )
    jobs_kept: int = Field(
        default=100,
        ge=1,
        le=10_000,
        description="Finished ingest jobs the server remembers for their progress",
    )

    def limits(self) -> FileLimits:
        return FileLimits(max_file_bytes=self.max_file_bytes, max_text_chars=self.max_text_chars)


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix=_PREFIX, extra="forbid", env_nested_delimiter=_NESTED)

    data_dir: Path = Field(default=Path("data"), description="Indexes and state (SQLite) live here")
    corpus_dir: Path = Field(default=Path("corpus"), description="Folder synced by `assistant ingest`")
    log_level: str = Field(default="INFO", description="Logging level of the CLI and server")
    today: date | None = Field(
        default=None, description="The date deadlines are compared with; unset means the real date"
    )
    answers: AnswerSettings = Field(default_factory=AnswerSettings, description="Reading and answering")
    http: HttpSettings = Field(default_factory=HttpSettings, description="The HTTP API and web page")
    discord: DiscordSettings = Field(default_factory=DiscordSettings, description="The Discord bot")
    ingest: IngestSettings = Field(default_factory=IngestSettings, description="Limits and background jobs")
    index: IndexSettings = Field(default_factory=IndexSettings, description="Vectors and index generations")
    state: StateSettings = Field(default_factory=StateSettings, description="Conversations and feedback")

    def current_date(self) -> date:
        return self.today or date.today()


# The flat names of earlier releases, each an alias of a section's field (and ASSISTANT_API_KEYS, the
# name integrators are told).
LEGACY_NAMES: dict[str, tuple[str, str]] = {
    **{
        f"{_PREFIX}{name.upper()}": ("answers", name)
        for name in ("max_answer_chars", "max_question_chars", "retrieval_k", "history_turns")
    },
    **{
        f"{_PREFIX}{name.upper()}": ("http", name)
        for name in (
            "host",
            "port",
            "admin_key",
            "max_body_bytes",
            "rate_limit_per_minute",
            "rate_limit_burst",
            "cors_origins",
            "api_keys",
        )
    },
}


def setting_names() -> dict[str, str]:
    """Every environment variable that names a setting, with its description."""
    names: dict[str, str] = {}
    for name, field in Settings.model_fields.items():
        annotation = field.annotation
        if isinstance(annotation, type) and issubclass(annotation, _Section):
            for inner, inner_field in annotation.model_fields.items():
                names[f"{_PREFIX}{name}{_NESTED}{inner}".upper()] = inner_field.description or ""
        else:
            names[f"{_PREFIX}{name}".upper()] = field.description or ""
    for legacy, (section, field_name) in LEGACY_NAMES.items():
        names[legacy] = f"alias of {_PREFIX}{section.upper()}{_NESTED}{field_name.upper()}"
    return names


def _legacy_value(section: str, field_name: str, raw: str) -> object:
    """A flat variable's text as the environment source would read it: JSON for lists."""
    annotation = Settings.model_fields[section].annotation
    assert isinstance(annotation, type) and issubclass(annotation, _Section)
    if get_origin(annotation.model_fields[field_name].annotation) is list:
        try:
            return json.loads(raw)
        except ValueError as error:
            raise ConfigurationError(f"{_PREFIX}{field_name.upper()} must be a JSON list: {error}") from error
    return raw


def get_settings() -> Settings:
    """Settings from the environment now; call again after changing it (tests do). An ``ASSISTANT_*``
    variable that names no setting is an error: a typo must not pass silently."""
    known = setting_names()
    present = {name.upper(): value for name, value in os.environ.items() if name.upper().startswith(_PREFIX)}
    unknown = sorted(name for name in present if name not in known)
    if unknown:
        raise ConfigurationError(
            f"Unknown setting{'s' if len(unknown) > 1 else ''} {', '.join(unknown)}; "
            f"known: {', '.join(sorted(known))}."
        )
    sections: dict[str, dict[str, object]] = {}
    for legacy, (section, field_name) in LEGACY_NAMES.items():
        if legacy not in present:
            continue
        current = f"{_PREFIX}{section}{_NESTED}{field_name}".upper()
        if current in present and present[current] != present[legacy]:
            raise ConfigurationError(
                f"{legacy} and {current} are both set, to different values; keep {current}."
            )
        sections.setdefault(section, {})[field_name] = _legacy_value(section, field_name, present[legacy])
    # Values given here are merged under the environment's own nested values (pydantic-settings
    # deep-merges init values with the environment, init values first).
    try:
        return Settings(**sections)  # type: ignore[arg-type]
    except ValidationError as error:
        raise ConfigurationError(_settings_problems(error)) from None


def _settings_problems(error: ValidationError) -> str:
    """Each problem named by its variable (values are not repeated: some are secrets)."""
    problems = []
    for item in error.errors():
        names = [part for part in item["loc"] if isinstance(part, str)]
        where = "".join(f"[{part}]" for part in item["loc"] if isinstance(part, int))
        variable = f"{_PREFIX}{_NESTED.join(names[:2])}".upper() if names else "settings"
        inner = ".".join(names[2:])
        problems.append(f"{variable}{where}{'.' + inner if inner else ''}: {item['msg']}")
    return "Invalid setting: " + "; ".join(problems) + "."
