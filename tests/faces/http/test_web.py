"""The web chat at / in a real headless browser (Debian's chromium driven by playwright) over a real uvicorn
server on loopback: ask by keyboard, watch the answer stream in, open a citation, rate the answer, stop an
answer, start over, see errors as alerts, fit a phone's width, and never reach another host."""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Generator, Sequence
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Route, expect

from assistant.models import AnswerEvent, CitationsReady, Exchange, Filters
from tests.faces.http.conftest import Chat, Server

pytestmark = pytest.mark.slow

SOURCE = "iuc-call-starting-city-to-city-cooperation.txt"


def marker_after(text: str, words: str) -> int:
    """The citation number that follows ``words`` in an answer."""
    match = re.search(re.escape(words) + r"[^\[]*\[(\d+)\]", text)
    assert match, f"no citation after {words!r} in {text!r}"
    return int(match.group(1))


# --- the tests ---------------------------------------------------------------------------------------
def test_page_is_self_contained_and_labelled(chat: Chat) -> None:
    chat.open()
    page = chat.page
    policy = page.locator('meta[http-equiv="Content-Security-Policy"]').get_attribute("content") or ""
    assert "default-src 'self'" in policy
    assert "script-src 'self'" in policy
    assert "http" not in policy
    assert page.locator("script:not([src])").count() == 0
    assert page.locator("[onclick], [onkeydown], [onsubmit], [style]").count() == 0
    expect(page.get_by_role("button", name="Send")).to_be_enabled()
    expect(page.get_by_role("button", name="New conversation")).to_be_visible()
    expect(page.get_by_test_id("transcript")).to_have_attribute("aria-live", "polite")
    paths = {urlsplit(r.url).path for r in chat.requests}
    assert {"/", "/static/style.css", "/static/app.js", "/static/lib/dom.js"} <= paths
    assert all(path == "/" or path.startswith("/static/") for path in paths), paths  # no API call yet


def test_a_question_asked_by_keyboard_streams_its_answer_and_citations(chat: Chat) -> None:
    chat.open()
    page = chat.page
    chat.ask("Who can apply?")
    answer = page.get_by_test_id("answer-text")
    expect(answer).to_contain_text("100,000")
    chat.answered()
    expect(page.get_by_test_id("citation-chip").first).to_be_visible()
    expect(page.get_by_label("Your question")).to_have_value("")
    expect(page.get_by_label("Your question")).to_be_focused()
    expect(page.get_by_role("button", name="Send")).to_be_enabled()
    expect(page.get_by_role("button", name="Stop")).to_be_hidden()

    lengths: list[int] = page.evaluate("window.__answerLengths")
    assert len([n for n in lengths if n > 0]) >= 3, f"the answer did not come in pieces: {lengths}"
    assert lengths == sorted(lengths), lengths

    text = answer.inner_text()
    number = marker_after(text, "100,000")
    chips = page.get_by_test_id("citation-chip")
    assert chips.count() >= number
    expect(page.get_by_test_id("citation-marker")).to_have_count(len(re.findall(r"\[\d+\]", text)))
    assert chat.asked_sessions() == [None]


def test_a_citation_chip_opens_the_quoted_passage_and_escape_closes_it(chat: Chat) -> None:
    chat.open()
    page = chat.page
    chat.ask("Who can apply?")
    chat.answered()
    number = marker_after(page.get_by_test_id("answer-text").inner_text(), "100,000")
    chip = page.locator(f'[data-testid="citation-chip"][data-citation="{number}"]')
    expect(chip).to_contain_text(f"[{number}]")

    chip.focus()
    page.keyboard.press("Enter")
    panel = page.get_by_role("dialog")
    expect(panel).to_be_visible()
    expect(panel).to_contain_text(f"Source [{number}]")
    expect(page.get_by_test_id("citation-quote")).to_contain_text("100,000 inhabitants")
    expect(page.get_by_test_id("citation-source")).to_have_text(SOURCE)
    expect(page.get_by_test_id("citation-title")).not_to_be_empty()
    page.keyboard.press("Escape")
    expect(panel).to_be_hidden()
    expect(chip).to_be_focused()

    marker = page.locator(f'[data-testid="citation-marker"][data-citation="{number}"]').first
    marker.click()
    expect(page.get_by_test_id("citation-quote")).to_contain_text("100,000 inhabitants")
    page.get_by_role("button", name="Close").click()
    expect(panel).to_be_hidden()
    expect(marker).to_be_focused()


def test_thumbs_down_is_recorded_with_a_comment(chat: Chat) -> None:
    chat.open()
    page = chat.page
    chat.ask("Who can apply?")
    chat.answered()
    answer_id = page.get_by_test_id("answer").get_attribute("data-answer-id")
    assert answer_id

    down = page.get_by_role("button", name="Not helpful")
    down.click()
    expect(page.get_by_test_id("feedback-status")).to_contain_text("Thanks")
    expect(down).to_have_attribute("aria-pressed", "true")
    expect(down).to_be_disabled()
    expect(page.get_by_role("button", name="Helpful", exact=True)).to_be_disabled()
    [item] = chat.server.service.conversations.unanswered(10)
    assert (item.answer_id, item.question, item.down_rated) == (answer_id, "Who can apply?", True)

    page.get_by_label("What was missing or wrong? (optional)").fill("It should say when the next call opens.")
    page.get_by_role("button", name="Send comment").click()
    expect(page.get_by_test_id("feedback-status")).to_contain_text("comment was sent")
    [item] = chat.server.service.conversations.unanswered(10)
    assert item.comment == "It should say when the next call opens."


def test_follow_ups_keep_the_session_and_new_conversation_clears_it(chat: Chat) -> None:
    chat.open()
    page = chat.page
    chat.ask("Which EU city is paired with Kochi?")
    chat.answered(1)
    expect(page.get_by_test_id("answer-text").first).to_contain_text("Vilnius")
    chat.ask("What do they work on?")
    chat.answered(2)
    first, second = chat.asked_sessions()
    assert first is None and second

    page.get_by_role("button", name="New conversation").click()
    expect(page.get_by_test_id("turn")).to_have_count(0)
    expect(page.get_by_label("Your question")).to_be_focused()
    chat.ask("Who can apply?")
    chat.answered(1)
    assert chat.asked_sessions()[-1] is None


def test_an_abstained_answer_is_shown_as_such(chat: Chat) -> None:
    chat.open()
    page = chat.page
    chat.ask("What is the capital of Mars?")
    chat.answered()
    expect(page.get_by_test_id("abstained-badge")).to_be_visible()
    expect(page.get_by_test_id("answer")).to_have_class(re.compile(r"\banswer--abstained\b"))
    expect(page.get_by_test_id("citations")).to_contain_text("Closest passages")


def test_errors_are_shown_as_alerts(chat: Chat) -> None:
    chat.open()
    page = chat.page
    limit = chat.server.service.settings.answers.max_question_chars
    long_question = "Who can apply? " + "x" * limit
    box = page.get_by_label("Your question")
    box.fill(long_question)
    box.press("Enter")
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text(f"the limit is {limit}")
    expect(page.get_by_test_id("turn")).to_have_count(0)
    expect(box).to_have_value(long_question)
    expect(page.get_by_role("button", name="Send")).to_be_enabled()

    def rate_limited(route: Route) -> None:
        route.fulfill(
            status=429,
            headers={"Retry-After": "7"},
            content_type="application/json",
            body=json.dumps({"error": {"code": "rate_limited", "message": "Too many requests."}}),
        )

    page.route("**/v1/ask/stream", rate_limited)
    box.fill("Who can apply?")
    box.press("Enter")
    expect(alert).to_have_text("Too many requests. Try again in 7 s.")
    assert "Traceback" not in alert.inner_text()


def test_stop_aborts_a_streaming_answer(chat: Chat, server: Server, monkeypatch: pytest.MonkeyPatch) -> None:
    release = threading.Event()
    original = server.service.ask_stream

    def held(
        question: str,
        session_id: str | None = None,
        filters: Filters | None = None,
        history: Sequence[Exchange] | None = None,
        caller: str | None = None,
    ) -> Generator[AnswerEvent, None, None]:
        for event in original(question, session_id, filters, history, caller):
            if isinstance(event, CitationsReady):
                release.wait(timeout=10)  # hold the answer open until the test lets go
            yield event

    monkeypatch.setattr(server.service, "ask_stream", held)
    try:
        chat.open()
        page = chat.page
        chat.ask("Who can apply?")
        expect(page.get_by_test_id("answer-text")).to_contain_text("100,000")
        expect(page.get_by_role("button", name="Send")).to_be_disabled()
        expect(page.get_by_test_id("transcript")).to_have_attribute("aria-busy", "true")
        page.get_by_role("button", name="Stop").click()
        expect(page.get_by_test_id("answer")).to_have_attribute("data-state", "stopped")
        expect(page.get_by_test_id("answer-note")).to_contain_text("Stopped")
        expect(page.get_by_role("button", name="Send")).to_be_enabled()
        expect(page.get_by_role("button", name="Stop")).to_be_hidden()
        expect(page.get_by_role("alert")).to_be_hidden()
        expect(page.get_by_label("Your question")).to_be_focused()
    finally:
        release.set()


def test_a_phone_width_has_no_horizontal_scroll(phone_chat: Chat) -> None:
    phone_chat.open()
    page = phone_chat.page
    phone_chat.ask("Which EU cities were paired with cities in India?")
    phone_chat.answered()
    page.get_by_test_id("citation-chip").first.click()
    expect(page.get_by_role("dialog")).to_be_visible()
    widths: list[int] = page.evaluate(
        "[document.scrollingElement.scrollWidth, document.scrollingElement.clientWidth]"
    )
    assert widths[0] <= widths[1] == 360, widths
    box = page.get_by_role("dialog").bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 360, box
