"""The bot's token, checked before anything else starts (this module imports nothing heavy)."""

from __future__ import annotations

from assistant.settings import DiscordSettings
from ingest.errors import ConfigurationError

__all__ = ["PORTAL", "TOKEN_VARIABLE", "require_token"]

TOKEN_VARIABLE = "ASSISTANT_DISCORD__TOKEN"
PORTAL = "https://discord.com/developers/applications"


def require_token(settings: DiscordSettings) -> str:
    """The bot token, or a fix-it error naming the variable."""
    token = settings.token.get_secret_value().strip() if settings.token else ""
    if not token:
        raise ConfigurationError(
            f"{TOKEN_VARIABLE} is not set. Create an application at {PORTAL}, open Bot → Reset Token, "
            f"and export {TOKEN_VARIABLE}=<the token> (README: 'Discord bot')."
        )
    return token
