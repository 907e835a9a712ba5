"""Starting the bot: the token checked before anything else, Discord's endpoints, login, the gateway.

discord.py has no per-client API address: every REST and webhook call is built from the class attribute
``discord.http.Route.BASE`` (the hook API proxies use), and a client's first connection goes to
``DiscordWebSocket.DEFAULT_GATEWAY``. ``endpoints`` sets both for the bot's lifetime and puts them back
after: the REST base from settings, the gateway from Discord's own answer to ``GET /gateway/bot`` (the
address Discord tells clients to use); resumes go where READY's ``resume_gateway_url`` says."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING

import aiohttp
import discord
import yarl
from discord.gateway import DiscordWebSocket
from discord.http import Route

from assistant.faces.discord.client import AssistantBot
from assistant.faces.discord.credentials import PORTAL, TOKEN_VARIABLE, require_token
from assistant.faces.discord.handlers import BotHandlers
from assistant.settings import DiscordSettings, Settings
from ingest.errors import ConfigurationError

if TYPE_CHECKING:
    from assistant.service import AssistantService

__all__ = ["endpoints", "run_bot"]

logger = logging.getLogger(__name__)


@asynccontextmanager
async def endpoints(api_base_url: str) -> AsyncIterator[None]:
    """Point discord.py's REST calls at ``api_base_url`` while the bot runs; restore them after."""
    saved = Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY
    Route.BASE = api_base_url.rstrip("/")
    try:
        yield
    finally:
        Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY = saved


async def _login(bot: AssistantBot, token: str, settings: DiscordSettings) -> None:
    """Log in, translating Discord's refusals into what to do about them."""
    try:
        await asyncio.wait_for(bot.login(token), timeout=settings.login_timeout_seconds)
    except discord.LoginFailure as error:
        raise ConfigurationError(
            f"Discord rejected the token in {TOKEN_VARIABLE} ({error}). Copy a fresh one from {PORTAL} "
            f"→ your application → Bot → Reset Token, and set {TOKEN_VARIABLE} to it."
        ) from error
    except (TimeoutError, aiohttp.ClientError, OSError) as error:
        raise ConfigurationError(
            f"Could not reach Discord at {settings.api_base_url} within {settings.login_timeout_seconds:g} s "
            f"({type(error).__name__}: {error}). Check the network; ASSISTANT_DISCORD__API_BASE_URL "
            "should be left unset unless you use a proxy."
        ) from error
    except discord.HTTPException as error:
        raise ConfigurationError(f"Discord refused the login: {error.status} {error.text}") from error


async def run_bot(settings: Settings, make_service: Callable[[], AssistantService]) -> None:
    """Run until cancelled (Ctrl-C). The token is checked, then accepted by Discord, before the service
    is built; the gateway reconnects and resumes by itself."""
    token = require_token(settings.discord)
    async with endpoints(settings.discord.api_base_url):
        bot = AssistantBot(settings.discord)
        async with bot:
            await _login(bot, token, settings.discord)
            _shards, gateway, _limits = await bot.http.get_bot_gateway()
            DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(gateway)
            service = make_service()
            try:
                service.start()  # warm the index in the background and follow new generations
                if not service.index.ready():
                    logger.warning("no index yet: questions get an apology until `assistant ingest` has run")
                bot.attach(BotHandlers(service, settings.discord))
                await bot.connect(reconnect=True)
            except discord.PrivilegedIntentsRequired as error:
                raise ConfigurationError(
                    "Discord refused the Message Content intent. Enable it at "
                    f"{PORTAL} → your application → Bot → Privileged Gateway Intents, or set "
                    "ASSISTANT_DISCORD__MESSAGE_CONTENT=false (then follow-ups need an @mention)."
                ) from error
            except discord.ConnectionClosed as error:
                reason = error.reason or "no reason given"
                raise ConfigurationError(
                    f"Discord closed the gateway connection (code {error.code}: {reason})."
                ) from error
            finally:
                service.close()
