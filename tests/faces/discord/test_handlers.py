"""The bot's handlers, apart from Discord: which messages it answers, answers from the service in a
thread's conversation, feedback into the API's store, sources on demand, eligibility facts, failures."""

from __future__ import annotations

import logging
import re

import pytest

from assistant.eligibility.models import EligibilityRequest
from assistant.faces.discord.formatting import answer_parts, eligibility_parts, session_label, sources_parts
from assistant.faces.discord.handlers import BotHandlers, Incoming, Route
from assistant.service import AssistantService
from assistant.settings import DiscordSettings
from ingest.errors import IndexMissingError

BOT, ALLOWED, OTHER, ASKER = 1, 10, 20, 5
CANADA = "Which EU cities were paired with cities in Canada?"
OFF_TOPIC = "What is the capital of Mars?"


@pytest.fixture
def handlers(service: AssistantService) -> BotHandlers:
    return BotHandlers(service, DiscordSettings(allowed_channels=[ALLOWED]))


def message(content: str, channel: int = ALLOWED, **fields: object) -> Incoming:
    values: dict[str, object] = {
        "author_id": ASKER,
        "author_is_bot": False,
        "channel_id": channel,
        "content": content,
        "mentions_bot": f"<@{BOT}>" in content,
        **fields,
    }
    return Incoming(**values)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("incoming", "route", "question"),
    [
        (message(f"<@{BOT}> Who can apply?"), Route.NEW_THREAD, "Who can apply?"),
        (message(f"<@{BOT}> Who can apply?", channel=OTHER), Route.IGNORE, ""),
        (message("Who can apply?"), Route.IGNORE, ""),
        (message(f"<@{BOT}>  "), Route.HINT, ""),
        (message(f"<@{BOT}> Who can apply?", author_is_bot=True), Route.IGNORE, ""),
        (message(f"<@{BOT}> Who can apply?", author_id=BOT), Route.IGNORE, ""),
        # a follow-up in the bot's thread needs no mention, wherever the thread is
        (
            message("And in India?", channel=30, thread_owner_id=BOT, parent_id=OTHER),
            Route.IN_THREAD,
            "And in India?",
        ),
        (
            message("Thanks!", channel=30, thread_owner_id=BOT, parent_id=ALLOWED, author_is_bot=True),
            Route.IGNORE,
            "",
        ),
        # someone else's thread: a mention, and the thread's channel must be allowed
        (
            message(f"<@{BOT}> Who?", channel=31, thread_owner_id=ASKER, parent_id=ALLOWED),
            Route.IN_THREAD,
            "Who?",
        ),
        (message("Who?", channel=31, thread_owner_id=ASKER, parent_id=ALLOWED), Route.IGNORE, ""),
        (message(f"<@{BOT}> Who?", channel=32, thread_owner_id=ASKER, parent_id=OTHER), Route.IGNORE, ""),
    ],
)
def test_which_messages_the_bot_answers(
    handlers: BotHandlers, incoming: Incoming, route: Route, question: str
) -> None:
    plan = handlers.plan_message(incoming, BOT)
    assert (plan.route, plan.question) == (route, question)


def test_no_allowed_channels_means_every_channel(service: AssistantService) -> None:
    everywhere = BotHandlers(service, DiscordSettings())
    assert everywhere.plan_message(message(f"<@{BOT}> Who?", channel=OTHER), BOT).route is Route.NEW_THREAD


def test_questions_in_one_thread_are_one_conversation_as_the_api_has_it(
    handlers: BotHandlers, service: AssistantService
) -> None:
    first = handlers.ask(CANADA, 77)
    follow_up = handlers.ask("And in India?", 77)
    assert first.ok and follow_up.ok and follow_up.answer_id
    # a thread's label names the bot's own session (the server issues the session id)
    session = service.conversations.open_session(session_label(77), caller="discord")
    history = service.conversations.history(session, 10)
    assert [turn.question for turn in history] == [CANADA, "And in India?"]
    assert history[-1].answer_id == follow_up.answer_id
    # the same conversation through the service directly (as the API would have it) gives the same answer
    service.ask(CANADA, "reference")
    assert follow_up.parts == answer_parts(service.ask("And in India?", "reference"))
    # and it is not the answer the follow-up gets on its own: the thread's context counts
    assert follow_up.parts != answer_parts(service.ask("And in India?"))
    # a question in another thread starts afresh
    handlers.ask("And in India?", 78)
    other = service.conversations.open_session(session_label(78), caller="discord")
    assert other != session and len(service.conversations.history(other, 10)) == 1


def test_an_internal_error_is_an_apology_with_an_id_the_log_holds(
    handlers: BotHandlers,
    service: AssistantService,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    def broken(*_: object, **__: object) -> None:
        raise RuntimeError("the vector store fell over")

    monkeypatch.setattr(service, "ask", broken)
    with caplog.at_level(logging.ERROR):
        reply = handlers.ask(CANADA, 77)
    assert not reply.ok and reply.answer_id is None
    [text] = reply.parts
    error_id = re.search(r"error id: ([0-9a-f]{10})", text)
    assert error_id and text.startswith("Sorry, something went wrong")
    assert "vector store" not in text
    [record] = [r for r in caplog.records if error_id.group(1) in r.getMessage()]
    assert record.exc_info and "vector store" in str(record.exc_info[1])


def test_what_is_wrong_with_a_question_is_said_but_not_the_teams_problems(
    handlers: BotHandlers, service: AssistantService, monkeypatch: pytest.MonkeyPatch
) -> None:
    [text] = handlers.ask("Why? " * 500, 77).parts
    assert text == "I cannot answer that: The question is 2499 characters long; the limit is 2000."

    def missing(*_: object, **__: object) -> None:
        raise IndexMissingError("No index in /srv/secret/data. Build one with `assistant ingest`.")

    monkeypatch.setattr(service, "ask", missing)
    [text] = handlers.ask(CANADA, 77).parts
    assert "error id" in text and "/srv/secret" not in text


def test_ratings_go_to_the_feedback_store_staff_read(
    handlers: BotHandlers, service: AssistantService
) -> None:
    abstained = handlers.ask(OFF_TOPIC, 1)
    answered = handlers.ask(CANADA, 2)
    assert answered.answer_id and abstained.answer_id
    assert handlers.feedback(answered.answer_id, -1) == (
        "Thank you: noted as not helpful. The programme team reviews these answers."
    )
    assert handlers.feedback(abstained.answer_id, 1) == "Thank you: noted as helpful."
    listed = {
        item.question: (item.abstained, item.down_rated) for item in service.conversations.unanswered(10)
    }
    assert listed == {CANADA: (False, True), OFF_TOPIC: (True, False)}
    assert handlers.feedback("0" * 32, 1) == f"I cannot answer that: No answer has the id {'0' * 32!r}."


def test_sources_are_kept_for_recent_answers_only(service: AssistantService) -> None:
    handlers = BotHandlers(service, DiscordSettings(), sources_kept=2)
    replies = [handlers.ask(question, None) for question in (CANADA, OFF_TOPIC, "Who can apply?")]
    answer = service.ask("Who can apply?")
    assert handlers.sources(replies[2].answer_id or "") == sources_parts(answer.citations)
    assert handlers.sources(replies[0].answer_id or "") == [
        "I no longer hold the sources of this answer (I have restarted since). Ask again to see them."
    ]


def test_eligibility_facts_are_read_or_refused_in_words(
    handlers: BotHandlers, service: AssistantService
) -> None:
    refused = handlers.read_facts({"country": "Atlantis", "population": None})
    assert refused == (
        "I could not read those facts: country: Value error, unknown country 'Atlantis' "
        "(give a country name or ISO code)"
    )
    request = handlers.read_facts(
        {
            "applicant_type": "group_of_municipalities",
            "population": 80000,
            "country": "Italy",
            "members": 3,
            "group": None,
        }
    )
    assert isinstance(request, EligibilityRequest)
    reply = handlers.eligibility(request)
    assert reply.parts == eligibility_parts(service.check_eligibility(request))
    text = "\n".join(reply.parts)
    assert "**Does not meet** (required)" in text and "does_not_meet" not in text
