"""The buttons under an answer: "Sources" (the quoted passages, shown only to whoever clicks) and
"Helpful" / "Not helpful" (written to the feedback store the API uses). Each button carries the answer
id in its custom id, so clicks keep working after the bot restarts (discord.py's dynamic items)."""

from __future__ import annotations

import asyncio
import re
from typing import TYPE_CHECKING, Any

import discord

from prompts import say

if TYPE_CHECKING:
    from assistant.faces.discord.handlers import BotHandlers

__all__ = ["NO_MENTIONS", "FeedbackButton", "SourcesButton", "answer_view", "handlers_of"]

NO_MENTIONS = discord.AllowedMentions.none()  # never ping anyone: not @everyone, not a role, not a user
_ANSWER_ID = r"[0-9a-f]{8,64}"


def handlers_of(interaction: discord.Interaction[Any]) -> BotHandlers:
    """The handlers of the bot this interaction came to (``client.AssistantBot`` carries them)."""
    handlers: BotHandlers = interaction.client.handlers
    return handlers


class SourcesButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]], template=rf"cc:src:(?P<answer>{_ANSWER_ID})"
):
    def __init__(self, answer_id: str) -> None:
        super().__init__(
            discord.ui.Button(
                label=say("discord.button_sources"),
                style=discord.ButtonStyle.secondary,
                emoji="📄",
                custom_id=f"cc:src:{answer_id}",
            )
        )
        self.answer_id = answer_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> SourcesButton:
        return cls(match["answer"])

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)
        handlers = handlers_of(interaction)
        try:
            parts = handlers.sources(self.answer_id)
        except Exception as error:  # an apology, never a silent failure
            parts = [handlers.failure(error)]
        for part in parts:
            await interaction.followup.send(part, ephemeral=True, allowed_mentions=NO_MENTIONS)


class FeedbackButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=rf"cc:rate:(?P<rating>up|down):(?P<answer>{_ANSWER_ID})",
):
    def __init__(self, answer_id: str, helpful: bool) -> None:
        super().__init__(
            discord.ui.Button(
                label=say("discord.button_helpful") if helpful else say("discord.button_not_helpful"),
                style=discord.ButtonStyle.success if helpful else discord.ButtonStyle.danger,
                emoji="👍" if helpful else "👎",
                custom_id=f"cc:rate:{'up' if helpful else 'down'}:{answer_id}",
            )
        )
        self.answer_id = answer_id
        self.helpful = helpful

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> FeedbackButton:
        return cls(match["answer"], match["rating"] == "up")

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)
        handlers = handlers_of(interaction)
        text = await asyncio.to_thread(handlers.feedback, self.answer_id, 1 if self.helpful else -1)
        await interaction.followup.send(text, ephemeral=True, allowed_mentions=NO_MENTIONS)


def answer_view(answer_id: str) -> discord.ui.View:
    """The buttons under the last part of an answer."""
    view = discord.ui.View(timeout=None)
    view.add_item(SourcesButton(answer_id))
    view.add_item(FeedbackButton(answer_id, helpful=True))
    view.add_item(FeedbackButton(answer_id, helpful=False))
    return view
