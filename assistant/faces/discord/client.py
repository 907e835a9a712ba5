"""The discord.py client: ``/ask``, ``/eligibility``, @mentions and follow-ups in the bot's threads.
It only translates: Discord's events become ``BotHandlers`` calls (the blocking ones in a worker thread,
``asyncio.to_thread``), and their replies become messages. Every interaction is acknowledged ("thinking…")
before any work; a refusal that needs no work (rate limit, wrong channel, unreadable facts) is the
immediate answer instead, shown only to the asker."""

from __future__ import annotations

import asyncio
import logging
import sys
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, Literal

import discord
from discord import app_commands

from assistant.faces.discord.formatting import scrub_mentions, thread_name
from assistant.faces.discord.handlers import BotHandlers, Incoming, Reply, Route
from assistant.faces.discord.views import NO_MENTIONS, FeedbackButton, SourcesButton, answer_view, handlers_of
from assistant.settings import DiscordSettings
from ingest.criteria import APPLICANT_TYPES, display_type
from prompts import say

__all__ = ["REQUIRED_PERMISSIONS", "AssistantBot", "intents_for"]

logger = logging.getLogger(__name__)

# What the bot needs in a channel: see it, read the message it answers, open a thread, post in it.
REQUIRED_PERMISSIONS = discord.Permissions(
    view_channel=True,
    send_messages=True,
    read_message_history=True,
    create_public_threads=True,
    send_messages_in_threads=True,
)
# A thread nobody writes in for a day is archived (and reopens when written to).
THREAD_ARCHIVE_MINUTES: Literal[1440] = 1440


def intents_for(settings: DiscordSettings) -> discord.Intents:
    """Guilds (channels and threads), guild messages, and message content only if configured."""
    intents = discord.Intents.none()
    intents.guilds = True
    intents.guild_messages = True
    intents.message_content = settings.message_content
    return intents


class AssistantBot(discord.Client):
    def __init__(self, settings: DiscordSettings) -> None:
        # The bot has no voice: discord.py's warnings that voice libraries are missing do not apply.
        discord.VoiceClient.warn_nacl = discord.VoiceClient.warn_dave = False
        super().__init__(intents=intents_for(settings), allowed_mentions=NO_MENTIONS)
        self.settings = settings
        self.tree = _CommandTree(self)
        self.tree.add_command(_ask)
        self.tree.add_command(_eligibility)
        self._bot_handlers: BotHandlers | None = None

    @property
    def handlers(self) -> BotHandlers:
        assert self._bot_handlers is not None, "attach the handlers before connecting"
        return self._bot_handlers

    def attach(self, handlers: BotHandlers) -> None:
        self._bot_handlers = handlers

    async def setup_hook(self) -> None:
        self.add_dynamic_items(SourcesButton, FeedbackButton)
        if self.settings.sync_commands:
            try:
                synced = await self.tree.sync()
            except discord.HTTPException as error:
                logger.error("could not register the slash commands (%s); @mentions still work", error)
            else:
                logger.info(
                    "slash commands registered: %s", ", ".join(f"/{command.name}" for command in synced)
                )

    async def on_ready(self) -> None:
        assert self.user is not None
        invite = discord.utils.oauth_url(
            self.user.id, permissions=REQUIRED_PERMISSIONS, scopes=("bot", "applications.commands")
        )
        logger.info("connected as %s (%s); invite it with %s", self.user, self.user.id, invite)

    async def on_resumed(self) -> None:
        logger.info("gateway session resumed")

    async def on_error(self, event_method: str, /, *args: Any, **kwargs: Any) -> None:
        # An event handler failed outside the guarded parts: log it with an id; the bot stays up.
        error = sys.exc_info()[1]
        if error is not None:
            BotHandlers.failure(error)

    # --- messages: @mentions, and follow-ups in the bot's threads ----------------------------------
    async def on_message(self, message: discord.Message) -> None:
        if self.user is None:
            return
        channel = message.channel
        thread = channel if isinstance(channel, discord.Thread) else None
        incoming = Incoming(
            author_id=message.author.id,
            author_is_bot=message.author.bot or message.webhook_id is not None,
            channel_id=channel.id,
            content=message.content,
            mentions_bot=any(user.id == self.user.id for user in message.mentions),
            thread_owner_id=thread.owner_id if thread else None,
            parent_id=thread.parent_id if thread else None,
        )
        plan = self.handlers.plan_message(incoming, self.user.id)
        if plan.route is Route.IGNORE:
            return
        try:
            await self._answer_message(message, plan.route, plan.question)
        except Exception as error:  # an apology with an error id; the bot stays up
            await _reply_quietly(message, self.handlers.failure(error))

    async def _answer_message(self, message: discord.Message, route: Route, question: str) -> None:
        decision = self.handlers.check_rate(message.author.id)
        if not decision.allowed:
            if decision.first_refusal:  # one polite reply per wait, not one per message
                await _reply_quietly(message, self.handlers.rate_limited_text(decision))
            return
        if route is Route.HINT:
            await _reply_quietly(message, say("discord.empty_question"))
            return
        target: discord.abc.Messageable = message.channel
        if route is Route.NEW_THREAD:
            try:
                target = await message.create_thread(
                    name=thread_name(question), auto_archive_duration=THREAD_ARCHIVE_MINUTES
                )
            except discord.HTTPException as error:  # no right to open threads here: answer in the channel
                logger.warning(
                    "cannot open a thread in channel %s (%s); answering in place", message.channel.id, error
                )
        async with target.typing():
            reply = await asyncio.to_thread(self.handlers.ask, question, _conversation_of(target))
        await post(target.send, reply)


class _CommandTree(app_commands.CommandTree[AssistantBot]):
    async def on_error(
        self, interaction: discord.Interaction[Any], error: app_commands.AppCommandError
    ) -> None:
        """A slash command failed outside its own guard: an apology with an error id, to the asker."""
        original = error.original if isinstance(error, app_commands.CommandInvokeError) else error
        await _tell(interaction, [handlers_of(interaction).failure(original)], ephemeral=True)


def _conversation_of(channel: object) -> int | None:
    """The conversation a channel is: a thread or a DM is one; a plain channel is not."""
    if isinstance(channel, discord.Thread | discord.DMChannel):
        return channel.id
    return None


async def _reply_quietly(message: discord.Message, text: str) -> None:
    await message.reply(text, mention_author=False, allowed_mentions=NO_MENTIONS)


async def post(send: Callable[..., Awaitable[object]], reply: Reply) -> None:
    """Post a reply's parts in order with ``send`` (a channel's or an interaction's follow-up); the
    last part carries the answer's buttons."""
    for index, part in enumerate(reply.parts):
        last = index == len(reply.parts) - 1
        buttons = {"view": answer_view(reply.answer_id)} if last and reply.answer_id else {}
        await send(part, allowed_mentions=NO_MENTIONS, **buttons)


async def _tell(
    interaction: discord.Interaction[Any], parts: Sequence[str], *, ephemeral: bool = False
) -> None:
    """Send parts as the interaction's response, or as follow-ups once it has been acknowledged."""
    for part in parts:
        if not interaction.response.is_done():
            await interaction.response.send_message(part, ephemeral=ephemeral, allowed_mentions=NO_MENTIONS)
        else:
            await interaction.followup.send(part, ephemeral=ephemeral, allowed_mentions=NO_MENTIONS)


def _channel_ids(interaction: discord.Interaction[Any]) -> tuple[int, int | None]:
    channel = interaction.channel
    if isinstance(channel, discord.Thread):
        return channel.id, channel.parent_id
    return interaction.channel_id or 0, None


async def _refused_before_work(interaction: discord.Interaction[Any], handlers: BotHandlers) -> bool:
    """Answer at once, to the asker only, when the question will not be answered: a channel the bot does
    not answer in, or a user over the rate limit. True when so answered."""
    if interaction.guild_id is not None and not handlers.channel_allowed(*_channel_ids(interaction)):
        await _tell(interaction, [handlers.wrong_channel_text()], ephemeral=True)
        return True
    decision = handlers.check_rate(interaction.user.id)
    if not decision.allowed:
        await _tell(interaction, [handlers.rate_limited_text(decision)], ephemeral=True)
        return True
    return False


@app_commands.command(name="ask", description="Ask about the EU's city-to-city cooperation programmes")
@app_commands.describe(question="Your question, e.g. 'We are a town of 60,000 in Italy. Can we apply?'")
async def _ask(interaction: discord.Interaction[Any], question: app_commands.Range[str, 1, 2000]) -> None:
    handlers = handlers_of(interaction)
    if await _refused_before_work(interaction, handlers):
        return
    await interaction.response.defer(thinking=True)
    try:
        channel = interaction.channel
        if not isinstance(channel, discord.TextChannel):
            # Already a conversation (a thread, a DM), or a channel without threads: answer here.
            conversation = _conversation_of(channel)
            reply = await asyncio.to_thread(handlers.ask, question, conversation)
            await post(interaction.followup.send, reply)
            return
        header = await interaction.followup.send(
            say("discord.asked", asker=interaction.user.mention, question=scrub_mentions(question)),
            wait=True,
            allowed_mentions=NO_MENTIONS,
        )
        try:
            thread = await channel.create_thread(
                name=thread_name(question), message=header, auto_archive_duration=THREAD_ARCHIVE_MINUTES
            )
        except discord.HTTPException as error:  # no right to open threads here: answer under the question
            logger.warning("cannot open a thread in channel %s (%s); answering in place", channel.id, error)
            reply = await asyncio.to_thread(handlers.ask, question, None)
            await post(interaction.followup.send, reply)
            return
        reply = await asyncio.to_thread(handlers.ask, question, thread.id)
        await post(thread.send, reply)
    except Exception as error:  # an apology with an error id; the bot stays up
        await _tell(interaction, [handlers.failure(error)], ephemeral=True)


_TYPE_CHOICES = [app_commands.Choice(name=display_type(name), value=name) for name in APPLICANT_TYPES]


@app_commands.command(name="eligibility", description="Check an applicant against a call's eligibility rules")
@app_commands.describe(
    applicant_type="What kind of body applies",
    population="Inhabitants (a group of municipalities: the total)",
    country="Country name or ISO code, e.g. Italy or IT",
    group="Applying as a group of municipalities",
    members="Municipalities in the group",
    commitment_months="Months you can commit to the cooperation",
    lead_contact="The group has named its lead authority and administrative contact",
    members_committed="The group's other municipalities have given their commitment",
    partner_agreement="You will sign the partnership agreement",
    partner_region="World region (or country) of the partner city you seek",
    programme="The programme whose call to check, e.g. IUC (default: the one with rules)",
    edition="The call edition, e.g. 2018 (default: the newest)",
)
@app_commands.choices(applicant_type=_TYPE_CHOICES)
async def _eligibility(  # noqa: PLR0917 - Discord passes each option as a parameter
    interaction: discord.Interaction[Any],
    applicant_type: str | None = None,
    population: app_commands.Range[int, 0] | None = None,
    country: str | None = None,
    group: bool | None = None,
    members: app_commands.Range[int, 1] | None = None,
    commitment_months: app_commands.Range[float, 0] | None = None,
    lead_contact: bool | None = None,
    members_committed: bool | None = None,
    partner_agreement: bool | None = None,
    partner_region: str | None = None,
    programme: str | None = None,
    edition: str | None = None,
) -> None:
    handlers = handlers_of(interaction)
    # The options given, by name and as Discord sent them (the parameters above declare them to Discord).
    request = handlers.read_facts(dict(iter(interaction.namespace)))
    if isinstance(request, str):  # unreadable facts: say which, at once, to the asker only
        await _tell(interaction, [request], ephemeral=True)
        return
    if await _refused_before_work(interaction, handlers):
        return
    await interaction.response.defer(thinking=True)
    try:
        reply = await asyncio.to_thread(handlers.eligibility, request)
        await post(interaction.followup.send, reply)
    except Exception as error:  # an apology with an error id; the bot stays up
        await _tell(interaction, [handlers.failure(error)], ephemeral=True)
