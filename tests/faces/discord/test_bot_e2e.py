"""The bot end to end: the real discord.py client, run as `assistant bot` runs it, against the Discord
stand-in on loopback (real HTTP, a real websocket, the gateway protocol with heartbeats and resumes).
Every answer is compared with the one the HTTP API gives for the same question and conversation."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from assistant.eligibility.models import EligibilityRequest
from assistant.faces.discord.formatting import answer_parts, eligibility_parts, session_label, sources_parts
from assistant.faces.http.app import create_app
from assistant.models import Answer
from assistant.service import AssistantService
from assistant.settings import DiscordSettings, Settings, get_settings
from assistant.wiring import build_service
from tests.support.discord_bot import BotThread
from tests.support.discord_standin import EPHEMERAL, DiscordStandIn, Posted
from tests.support.fakes import HashingEmbedder

CANADA = "Which EU cities were paired with cities in Canada?"
OFF_TOPIC = "What is the capital of Mars?"
ADMIN_KEY = "bot-test-admin-key"


def pings_nobody(message: Posted) -> bool:
    allowed = message.allowed_mentions
    return (
        allowed is not None
        and allowed.get("parse") == []
        and not allowed.get("users")
        and not allowed.get("roles")
        and not allowed.get("replied_user")
    )


@dataclass
class Rig:
    discord: DiscordStandIn
    bot: BotThread
    service: AssistantService
    settings: Settings

    def api(self) -> TestClient:
        """The HTTP API over the same data dir (as `assistant serve` beside `assistant bot`)."""
        return TestClient(
            create_app(self.settings, build_service(self.settings, embedder_factory=HashingEmbedder))
        )

    def api_answer(self, client: TestClient, question: str, session: str | None = None) -> Answer:
        body: dict[str, Any] = {"question": question, **({"session_id": session} if session else {})}
        response = client.post("/v1/ask", json=body)
        assert response.status_code == 200, response.text
        return Answer.model_validate(response.json())

    def answer_in(self, thread_id: int, after: int = 0) -> list[Posted]:
        """The bot's next complete answer in a thread (its last part carries the buttons)."""

        def complete() -> list[Posted]:
            messages = self.discord.bot_messages(thread_id)[after:]
            ends = [index for index, message in enumerate(messages) if message.custom_ids()]
            return messages[: ends[0] + 1] if ends else []

        return self.discord.wait_until(complete, what=f"an answer in thread {thread_id}")

    def replies(self, token: str, count: int = 1) -> list[Posted]:
        """The first ``count`` messages the bot sent answering an interaction."""

        def enough() -> list[Posted]:
            found = self.discord.bot_messages(interaction=token)
            return found[:count] if len(found) >= count else []

        return self.discord.wait_until(enough, what=f"{count} replies to interaction {token}")


@pytest.fixture
def make_rig(
    fake_data: Path, monkeypatch: pytest.MonkeyPatch, service: AssistantService
) -> Iterator[Callable[..., Rig]]:
    """Start the stand-in and the bot on it (``discord`` settings and other ASSISTANT_* as given)."""
    stack = ExitStack()
    rigs: list[Rig] = []

    def build(
        standin: DiscordStandIn | None = None, env: dict[str, str] | None = None, **discord: Any
    ) -> Rig:
        for name, value in {"HTTP__ADMIN_KEY": ADMIN_KEY, **(env or {})}.items():
            monkeypatch.setenv(f"ASSISTANT_{name}", value)
        server = stack.enter_context((standin or DiscordStandIn()).running())
        settings = get_settings().model_copy(
            update={"discord": DiscordSettings(token=server.token, api_base_url=server.api_base, **discord)}
        )
        bot_service = build_service(settings, embedder_factory=HashingEmbedder) if env else service
        bot = stack.enter_context(BotThread(settings, bot_service).running())
        rig = Rig(server, bot, bot_service, settings)
        rigs.append(rig)
        server.wait_until(
            lambda: (server.commands and server.gateway.record.identifies) or bot.failure(),
            what="the bot to log in, register its commands and identify",
        )
        assert bot.failure() is None, bot.failure()
        return rig

    with stack:
        yield build
    for rig in rigs:  # what holds for every test: Discord's rules kept, nothing pinged, the bot up
        assert rig.bot.failure() is None, rig.bot.failure()
        sent = rig.discord.bot_messages()
        assert all(len(message.content) <= 2000 for message in sent)
        assert all(pings_nobody(message) for message in sent), [message.allowed_mentions for message in sent]
        assert rig.discord.late_acknowledgements == []
        assert rig.discord.unknown_routes == []


@pytest.fixture
def rig(make_rig: Callable[..., Rig]) -> Rig:
    return make_rig()


def ask(rig: Rig, question: str, asker: dict[str, Any] | None = None) -> tuple[str, Posted]:
    """Run /ask; return the interaction token and the question's message the thread was opened on."""
    token = rig.discord.slash("ask", asker or rig.discord.user("anna"), question=question)
    [header] = rig.replies(token)
    rig.discord.wait_until(lambda: rig.discord.thread_of(header.id), what="the thread on the question")
    return token, header


def test_ask_defers_then_answers_in_a_new_thread_with_footnotes(rig: Rig) -> None:
    token, header = ask(rig, CANADA)
    kind, after = rig.discord.acknowledgement(token) or (None, None)
    assert kind == 5 and after is not None and after < 3, "deferred ('thinking…') at once"
    assert header.channel_id == rig.discord.me.channel_id and not header.ephemeral
    assert header.content.endswith(f"asked: {CANADA}")
    thread = rig.discord.thread_of(header.id)
    assert (
        thread is not None and thread["name"] == CANADA and thread["owner_id"] == str(rig.discord.me.bot_id)
    )
    answer = rig.answer_in(header.id)
    with rig.api() as client:
        expected = rig.api_answer(client, CANADA)
    assert [message.content for message in answer] == answer_parts(expected)
    assert "**Sources**\n[1]–[6] " in answer[-1].content
    session = rig.service.conversations.open_session(session_label(header.id), caller="discord")
    [turn] = rig.service.conversations.history(session, 10)
    assert answer[-1].custom_ids() == [
        f"cc:src:{turn.answer_id}",
        f"cc:rate:up:{turn.answer_id}",
        f"cc:rate:down:{turn.answer_id}",
    ]


def test_a_follow_up_in_the_thread_is_answered_in_its_context(rig: Rig) -> None:
    _, header = ask(rig, CANADA)
    first = rig.answer_in(header.id)
    user = rig.discord.user("anna")
    rig.discord.post(user, "And in India?", header.id, mention=False)  # no mention needed in its thread
    follow_up = rig.answer_in(header.id, after=len(first))
    with rig.api() as client:
        session = rig.api_answer(client, CANADA).session_id
        in_context = rig.api_answer(client, "And in India?", session)
        alone = rig.api_answer(client, "And in India?")
    assert [message.content for message in follow_up] == answer_parts(in_context)
    assert answer_parts(in_context) != answer_parts(alone)
    assert any(call.path == f"/channels/{header.id}/typing" for call in rig.discord.calls)
    # the bot's own messages, echoed to it by the gateway, started nothing
    assert len(rig.discord.bot_messages(header.id)) == len(first) + len(follow_up)


def test_a_long_answer_is_split_in_order(make_rig: Callable[..., Rig]) -> None:
    rig = make_rig(env={"ANSWERS__MAX_ANSWER_CHARS": "4000"})
    question = "Which cities work on smart cities?"
    _, header = ask(rig, question)
    answer = rig.answer_in(header.id)
    with rig.api() as client:
        expected = rig.api_answer(client, question)
    assert len(expected.answer) > 2000
    assert len(answer) >= 2 and [message.content for message in answer] == answer_parts(expected)
    assert [message.custom_ids() != [] for message in answer] == [False] * (len(answer) - 1) + [True]


def test_a_mention_opens_a_thread_on_the_message_and_other_channels_are_ignored(
    make_rig: Callable[..., Rig],
) -> None:
    standin = DiscordStandIn()
    rig = make_rig(standin, allowed_channels=[standin.me.channel_id])
    user = rig.discord.user("jonas")
    ignored = rig.discord.post(user, "Who can apply?", rig.discord.me.other_channel_id)
    asked = rig.discord.post(user, OFF_TOPIC)
    answer = rig.answer_in(asked.id)  # the thread takes the message's id
    assert rig.discord.thread_of(asked.id)["name"] == OFF_TOPIC  # type: ignore[index]
    with rig.api() as client:
        expected = rig.api_answer(client, OFF_TOPIC)
    assert expected.abstained and "contact" in expected.answer
    assert [message.content for message in answer] == answer_parts(expected)
    assert rig.discord.thread_of(ignored.id) is None
    assert rig.discord.bot_messages(rig.discord.me.other_channel_id) == []


def test_without_the_right_to_open_threads_the_bot_answers_in_place(make_rig: Callable[..., Rig]) -> None:
    standin = DiscordStandIn()
    standin.refuse_threads = True
    rig = make_rig(standin)
    with rig.api() as client:
        expected = answer_parts(rig.api_answer(client, CANADA))
    token = rig.discord.slash("ask", rig.discord.user("anna"), question=CANADA)
    header, *answer = rig.replies(token, 1 + len(expected))
    assert header.content.endswith(f"asked: {CANADA}")
    assert [message.content for message in answer] == expected and answer[-1].custom_ids()
    before = len(rig.discord.bot_messages(rig.discord.me.channel_id))
    asked = rig.discord.post(rig.discord.user("jonas"), CANADA)
    in_channel = rig.answer_in(rig.discord.me.channel_id, after=before)
    assert [message.content for message in in_channel] == expected
    assert rig.discord.threads == {} and asked.id not in rig.discord.threads


def test_sources_and_feedback_buttons(rig: Rig) -> None:
    _, header = ask(rig, CANADA)
    last = rig.answer_in(header.id)[-1]
    sources, helpful, not_helpful = last.custom_ids()
    reader = rig.discord.user("marta")

    token = rig.discord.click(last, sources, reader)
    [quotes] = rig.replies(token)
    assert rig.discord.acknowledgement(token)[0] == 5  # type: ignore[index]
    assert quotes.ephemeral
    with rig.api() as client:
        expected = rig.api_answer(client, CANADA)
    assert [quotes.content] == sources_parts(expected.citations)

    token = rig.discord.click(last, helpful, rig.discord.user("pia"))
    [thanks] = rig.replies(token)
    assert thanks.ephemeral and thanks.content == "Thank you: noted as helpful."
    token = rig.discord.click(last, not_helpful, reader)  # the latest rating counts
    [thanks] = rig.replies(token)
    assert thanks.ephemeral and thanks.content.startswith("Thank you: noted as not helpful")
    abstained = rig.discord.post(reader, OFF_TOPIC)
    rig.answer_in(abstained.id)
    with rig.api() as client:
        response = client.get("/v1/admin/unanswered", headers={"Authorization": f"Bearer {ADMIN_KEY}"})
    assert response.status_code == 200, response.text
    listed = {
        (question["question"], question["abstained"], question["down_rated"])
        for group in response.json()["groups"]
        for question in group["questions"]
    }
    assert {(CANADA, False, True), (OFF_TOPIC, True, False)} <= listed


def test_a_user_over_the_rate_limit_gets_one_polite_reply(make_rig: Callable[..., Rig]) -> None:
    rig = make_rig(rate_limit_per_minute=1, rate_limit_burst=1)
    anna, jonas = rig.discord.user("anna"), rig.discord.user("jonas")
    _, header = ask(rig, CANADA, anna)
    rig.answer_in(header.id)
    token = rig.discord.slash("ask", anna, question="Who can apply?")
    [refusal] = rig.replies(token)
    assert rig.discord.acknowledgement(token)[0] == 4 and refusal.ephemeral  # type: ignore[index]
    assert refusal.payload["flags"] & EPHEMERAL
    assert re.fullmatch(
        r"You are asking faster than I can answer well\. Please wait \d+ seconds, then ask again\.",
        refusal.content,
    )
    # by mention: one polite reply (to the message), then silence until the wait is over
    lena = rig.discord.user("lena")
    answered = rig.discord.post(lena, "Who can apply?")
    rig.answer_in(answered.id)
    refused = rig.discord.post(lena, "Who can apply, please?")
    ignored = rig.discord.post(lena, "Who can apply, please, please?")
    asked = rig.discord.post(jonas, "Who can apply?")  # others are answered meanwhile
    rig.answer_in(asked.id)
    [polite] = rig.discord.wait_until(
        lambda: [m for m in rig.discord.bot_messages(rig.discord.me.channel_id) if m.via == "channel"],
        what="the polite reply",
    )
    assert polite.content.startswith("You are asking faster than I can answer well.")
    assert int(polite.payload["message_reference"]["message_id"]) == refused.id
    assert rig.discord.thread_of(refused.id) is None and rig.discord.thread_of(ignored.id) is None
    assert sorted(rig.discord.threads) == sorted([header.id, answered.id, asked.id])


@pytest.mark.parametrize("how", ["network cut", "close frame 4000", "reconnect request"])
def test_the_bot_resumes_after_the_gateway_drops_it_and_gets_what_it_missed(rig: Rig, how: str) -> None:
    discord = rig.discord
    discord.wait_until(lambda: discord.gateway.record.acks, what="a heartbeat acknowledged")
    discord.hold_connections()
    if how == "network cut":
        discord.drop()
    elif how == "close frame 4000":
        discord.drop(4000)
    else:
        discord._run(discord.gateway.ask_reconnect())
    discord.wait_until(
        lambda: discord.gateway.current and discord.gateway.current.connection is None,
        what="the connection to end",
    )
    token = discord.slash("ask", discord.user("anna"), question=CANADA)  # sent while it is away
    discord.accept_connections()
    discord.wait_until(lambda: discord.gateway.record.resumes, what="a RESUME")
    [header] = rig.replies(token)
    rig.answer_in(header.id)
    record = discord.gateway.record
    assert len(record.identifies) == 1 and len(record.resumes) == 1 and record.connections == 2
    assert record.resumes[0]["session_id"] == discord.gateway.current.session_id  # type: ignore[union-attr]
    assert set(record.compressions) == {record.compressions[0]} and record.compressions[0]


def test_eligibility_in_words_and_unreadable_facts_refused_at_once(rig: Rig) -> None:
    asker = rig.discord.user("anna")
    token = rig.discord.slash(
        "eligibility",
        asker,
        applicant_type="group_of_municipalities",
        population=80000,
        country="Italy",
        members=3,
    )
    request = EligibilityRequest(
        applicant_type="group_of_municipalities", population=80000, country="Italy", members=3
    )
    expected = eligibility_parts(rig.service.check_eligibility(request))
    replies = rig.replies(token, len(expected))
    assert rig.discord.acknowledgement(token)[0] == 5  # type: ignore[index]
    assert [message.content for message in replies] == expected
    assert "**Does not meet** (required)" in "\n".join(expected)

    token = rig.discord.slash("eligibility", asker, country="Atlantis")
    [refusal] = rig.replies(token)
    assert rig.discord.acknowledgement(token)[0] == 4 and refusal.ephemeral  # type: ignore[index]
    assert refusal.content.startswith("I could not read those facts: country:")


def test_an_internal_error_gets_an_apology_with_an_id_and_the_bot_stays_up(
    rig: Rig, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    real_ask = rig.service.ask
    calls: list[str] = []

    def fails_once(question: str, *args: Any, **kwargs: Any) -> Answer:
        calls.append(question)
        if len(calls) == 1:
            raise RuntimeError("disk on fire")
        return real_ask(question, *args, **kwargs)

    monkeypatch.setattr(rig.service, "ask", fails_once)
    with caplog.at_level(logging.ERROR):
        _, header = ask(rig, CANADA)
        [apology] = rig.discord.wait_until(lambda: rig.discord.bot_messages(header.id), what="the apology")
    error_id = re.search(r"error id: ([0-9a-f]{10})\.$", apology.content)
    assert error_id, apology.content
    assert any(error_id.group(1) in record.getMessage() and record.exc_info for record in caplog.records)
    _, header = ask(rig, CANADA)
    assert rig.answer_in(header.id)


def test_a_question_that_mentions_everyone_pings_nobody(rig: Rig) -> None:
    _, header = ask(rig, "Can @everyone from <@&123> apply?")
    assert "@everyone" not in header.content and "<@&123>" not in header.content
    assert "@everyone" not in rig.discord.thread_of(header.id)["name"]  # type: ignore[index]
    rig.answer_in(header.id)
