"""Answers you can check, in the web chat in headless Chromium: markers come only from the answer's own
marker positions (a document's "[2]" copied into an answer is text, never a button opening the genuine
call), notices of a closed call or an older edition are shown apart from the text, and source chips
tell sources apart."""

from __future__ import annotations

from collections.abc import Generator, Sequence

import pytest
from playwright.sync_api import expect

from assistant.models import Answer, AnswerDelta, AnswerDone, AnswerEvent, Exchange, Filters, Notice
from tests.faces.http.conftest import Chat, Server

pytestmark = pytest.mark.slow

FORGED = " A planted file says: all towns are eligible to apply [2]."


def _rewrite_answers(server: Server, monkeypatch: pytest.MonkeyPatch, change: AnswerChange) -> None:
    original = server.service.ask_stream

    def changed(
        question: str,
        session_id: str | None = None,
        filters: Filters | None = None,
        history: Sequence[Exchange] | None = None,
        *rest: object,
    ) -> Generator[AnswerEvent, None, None]:
        for event in original(question, session_id, filters, history, *rest):  # type: ignore[call-arg]
            if not isinstance(event, AnswerDone):
                yield event
                continue
            extra, answer = change(event.answer)
            if extra:
                yield AnswerDelta(text=extra)
            yield AnswerDone(answer=answer)

    monkeypatch.setattr(server.service, "ask_stream", changed)


class AnswerChange:
    """Changes a finished answer: text to stream before it, and the answer the page then gets."""

    def __init__(self, forged: str = "", notices: Sequence[Notice] = (), prefix: str = "") -> None:
        self.forged = forged
        self.notices = list(notices)
        self.prefix = prefix  # put before the answer, its markers moved by as many code points
        self.markers = 0  # of the last answer: its own, the forged text adds none
        self.text = ""

    def __call__(self, answer: Answer) -> tuple[str, Answer]:
        self.markers = len(answer.markers)
        self.text = self.prefix + answer.answer + self.forged
        shift = len(self.prefix)
        markers = [
            m.model_copy(update={"start": m.start + shift, "end": m.end + shift}) for m in answer.markers
        ]
        updated = answer.model_copy(
            update={"answer": self.text, "notices": answer.notices + self.notices, "markers": markers}
        )
        return self.forged, updated


def test_a_bracketed_number_outside_the_markers_is_text(
    chat: Chat, server: Server, monkeypatch: pytest.MonkeyPatch
) -> None:
    change = AnswerChange(forged=FORGED)
    _rewrite_answers(server, monkeypatch, change)
    chat.open()
    chat.ask("Who can apply?")
    chat.answered()
    page = chat.page
    expect(page.get_by_test_id("answer-text")).to_contain_text("eligible to apply [2].")
    assert change.markers >= 2  # the genuine [2] exists: the forged one would open the genuine call
    expect(page.get_by_test_id("citation-marker")).to_have_count(change.markers)
    assert page.evaluate(
        """() => {
            const text = document.querySelector('[data-testid="answer-text"]');
            const last = text.lastChild;
            return last.nodeType === Node.TEXT_NODE && last.textContent.includes('apply [2].');
        }"""
    ), "the forged [2] became an element"


def test_markers_follow_the_positions_even_across_wide_characters(
    chat: Chat, server: Server, monkeypatch: pytest.MonkeyPatch
) -> None:
    change = AnswerChange(forged=" 🏙️ [1] 🏙️")  # characters beyond 16 bits, then a bracket of no marker
    _rewrite_answers(server, monkeypatch, change)
    chat.open()
    chat.ask("Who can apply? 🏙️")
    chat.answered()
    markers = chat.page.get_by_test_id("citation-marker")
    expect(markers).to_have_count(change.markers)
    assert chat.page.get_by_test_id("answer-text").inner_text().endswith("🏙️ [1] 🏙️")
    # the text before each marker is intact: no marker swallowed or shifted a character
    for index in range(markers.count()):
        before = markers.nth(index).evaluate(
            "node => node.previousSibling && node.previousSibling.textContent"
        )
        assert before is None or not before.endswith("["), before


def test_notices_are_shown_apart_from_the_text(chat: Chat) -> None:
    chat.open()
    chat.ask("When did the 2018 call for EU cities close?")
    chat.answered()
    notice = chat.page.get_by_test_id("notice")
    expect(notice).to_have_count(1)
    expect(notice).to_have_attribute("data-kind", "deadline_passed")
    expect(notice).to_have_attribute("role", "note")
    expect(notice).to_contain_text("Deadline passed")
    expect(notice).to_contain_text("19 March 2018")


def test_an_older_edition_notice_is_shown(
    chat: Chat, server: Server, monkeypatch: pytest.MonkeyPatch
) -> None:
    older = Notice(
        kind="older_edition", text="Part of this answer comes from an older edition: the 2018 call."
    )
    _rewrite_answers(server, monkeypatch, AnswerChange(notices=[older]))
    chat.open()
    chat.ask("Who can apply?")
    chat.answered()
    notice = chat.page.locator('[data-testid="notice"][data-kind="older_edition"]')
    expect(notice).to_contain_text("Older edition")
    expect(notice).to_contain_text("the 2018 call")


def test_source_chips_tell_sources_apart(chat: Chat) -> None:
    chat.open()
    chat.ask("Who can apply?")
    chat.answered()
    chips = chat.page.get_by_test_id("citation-chip")
    labels = [chips.nth(index).inner_text() for index in range(chips.count())]
    assert len(labels) >= 2, labels
    assert len(set(labels)) == len(labels), labels  # never two chips that read the same
