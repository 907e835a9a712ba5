"""What the bot does with a message, a question, a click or a set of facts, apart from Discord: which
messages it answers, the service calls, the replies rendered as message parts, and failures turned into
a short reply (an apology with an error id, logged with that id). Nothing here imports discord.py; the
client (``client.py``) translates Discord's events into these calls and runs the blocking ones in a
worker thread."""

from __future__ import annotations

import logging
import threading
import time
import uuid
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import Enum
from typing import TYPE_CHECKING

from pydantic import ValidationError

from assistant.eligibility.models import EligibilityRequest
from assistant.faces.discord.formatting import (
    answer_parts,
    eligibility_parts,
    question_from_mention,
    session_label,
    sources_parts,
)
from assistant.faces.discord.ratelimit import Decision, UserRateLimiter
from assistant.models import Citation
from assistant.settings import DiscordSettings
from ingest.errors import InvalidRequestError, NotFoundError
from prompts import say

if TYPE_CHECKING:
    from assistant.service import AssistantService

__all__ = ["BotHandlers", "Incoming", "MessagePlan", "Reply", "Route"]

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Reply:
    """What the bot posts: message parts in order, and the answer they carry (for its buttons)."""

    parts: list[str]
    answer_id: str | None = None
    ok: bool = True


@dataclass(frozen=True)
class Incoming:
    """A message as the bot needs to see it."""

    author_id: int
    author_is_bot: bool
    channel_id: int
    content: str
    mentions_bot: bool
    thread_owner_id: int | None = None  # set when the message is in a thread
    parent_id: int | None = None  # the channel a thread belongs to


class Route(Enum):
    IGNORE = "ignore"
    NEW_THREAD = "new_thread"  # open a thread on the message and answer there
    IN_THREAD = "in_thread"  # answer in the thread the message is in
    HINT = "hint"  # the bot was mentioned with no question


@dataclass(frozen=True)
class MessagePlan:
    route: Route
    question: str = ""


@dataclass
class _Sources:
    """The citations of recent answers, for their "Sources" button (bounded; lost on restart)."""

    capacity: int
    items: OrderedDict[str, list[Citation]] = field(default_factory=OrderedDict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def keep(self, answer_id: str, citations: list[Citation]) -> None:
        with self.lock:
            self.items[answer_id] = citations
            self.items.move_to_end(answer_id)
            while len(self.items) > self.capacity:
                self.items.popitem(last=False)

    def get(self, answer_id: str) -> list[Citation] | None:
        with self.lock:
            return self.items.get(answer_id)


class BotHandlers:
    def __init__(
        self,
        service: AssistantService,
        settings: DiscordSettings,
        *,
        clock: Callable[[], float] = time.monotonic,
        sources_kept: int = 5_000,
    ) -> None:
        self.service = service
        self.settings = settings
        self.limiter = UserRateLimiter(settings.rate_limit_per_minute, settings.rate_limit_burst, clock)
        self._sources = _Sources(sources_kept)

    # --- which messages the bot answers -----------------------------------------------------------
    def channel_allowed(self, channel_id: int, parent_id: int | None = None) -> bool:
        """A channel the bot answers in (a thread counts as its parent channel); empty list: all."""
        allowed = self.settings.allowed_channels
        return not allowed or channel_id in allowed or (parent_id is not None and parent_id in allowed)

    def plan_message(self, message: Incoming, bot_id: int) -> MessagePlan:
        """Bots (itself included) are ignored. In a thread the bot opened, every message is a follow-up;
        elsewhere only an @mention in an allowed channel is a question."""
        if message.author_is_bot or message.author_id == bot_id:
            return MessagePlan(Route.IGNORE)
        question = question_from_mention(message.content, bot_id)
        in_thread = message.thread_owner_id is not None
        if in_thread and message.thread_owner_id == bot_id:
            return MessagePlan(Route.IN_THREAD, question) if question else MessagePlan(Route.IGNORE)
        if not message.mentions_bot or not self.channel_allowed(message.channel_id, message.parent_id):
            return MessagePlan(Route.IGNORE)
        if not question:
            return MessagePlan(Route.HINT)
        return MessagePlan(Route.IN_THREAD if in_thread else Route.NEW_THREAD, question)

    def check_rate(self, user_id: int) -> Decision:
        return self.limiter.check(user_id)

    @staticmethod
    def rate_limited_text(decision: Decision) -> str:
        return say("discord.rate_limited", seconds=decision.retry_seconds)

    def wrong_channel_text(self) -> str:
        return say(
            "discord.wrong_channel", channels=", ".join(f"<#{id_}>" for id_ in self.settings.allowed_channels)
        )

    # --- the service calls (blocking: the client runs them in a worker thread) ---------------------
    def ask(self, question: str, conversation_id: int | None) -> Reply:
        """The service's answer to a question asked in a thread or DM (each one conversation), or, with
        no conversation id, on its own."""
        try:
            label = session_label(conversation_id) if conversation_id is not None else None
            answer = self.service.ask(question, session_id=label, caller="discord")
        except Exception as error:  # every failure becomes a reply; the bot stays up
            return Reply([self.failure(error)], ok=False)
        self._sources.keep(answer.answer_id, answer.citations)
        return Reply(answer_parts(answer), answer_id=answer.answer_id)

    def read_facts(self, facts: Mapping[str, object]) -> EligibilityRequest | str:
        """The facts given as a check request, or what is wrong with them (in words)."""
        try:
            return EligibilityRequest.model_validate(
                {key: value for key, value in facts.items() if value is not None}
            )
        except ValidationError as error:
            problems = "; ".join(
                f"{'.'.join(map(str, item['loc']))}: {item['msg']}".removeprefix(": ")
                for item in error.errors()
            )
            return say("discord.facts_invalid", problems=problems)

    def eligibility(self, request: EligibilityRequest) -> Reply:
        try:
            report = self.service.check_eligibility(request)
        except Exception as error:  # every failure becomes a reply; the bot stays up
            return Reply([self.failure(error)], ok=False)
        return Reply(eligibility_parts(report))

    def feedback(self, answer_id: str, rating: int) -> str:
        """Record a rating in the same store the API's /v1/feedback writes to."""
        try:
            self.service.feedback(answer_id, rating)
        except Exception as error:  # every failure becomes a reply; the bot stays up
            return self.failure(error)
        return say("discord.thanks_helpful") if rating > 0 else say("discord.thanks_not_helpful")

    def sources(self, answer_id: str) -> list[str]:
        citations = self._sources.get(answer_id)
        return [say("discord.sources_gone")] if citations is None else sources_parts(citations)

    # --- failures -----------------------------------------------------------------------------------
    @staticmethod
    def failure(error: BaseException) -> str:
        """The reply to a failure: the project's own errors in their words, anything else as a short
        apology with an error id that the log holds with the traceback. (A missing index or a failing
        upstream is the team's to fix, not the asker's: an apology too, its message in the log.)"""
        if isinstance(error, InvalidRequestError | NotFoundError):  # about the request: say what is wrong
            logger.info("refused: %s (%s)", error.message, error.code)
            return say("discord.refused", message=error.message)
        error_id = uuid.uuid4().hex[:10]
        logger.error("discord: internal error %s", error_id, exc_info=error)
        return say("discord.apology", error_id=error_id)
