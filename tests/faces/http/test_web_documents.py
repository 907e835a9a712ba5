"""Passages you can check, in headless Chromium: the passage dialog shows the whole passage with the quoted
sentences marked, its heading path and page, and a link that opens the document page at that passage;
the document page renders a document's passages under their headings and opens at #chunk-id. The chat
keeps its conversation across a reload. Screenshots of the passage view go to screenshots/ (not kept in
git) when SCREENSHOTS=1."""

from __future__ import annotations

import re
from urllib.parse import quote

import httpx
import pytest
from playwright.sync_api import expect

from tests.faces.http.conftest import Chat, Server
from tests.support.browser import screenshot

pytestmark = pytest.mark.slow

SOURCE = "iuc-call-starting-city-to-city-cooperation.txt"


def component(text: str) -> str:
    """As JavaScript's encodeURIComponent writes it."""
    return quote(text, safe="-_.!~*'()")


def _open_chip_after(chat: Chat, words: str) -> int:
    text = chat.page.get_by_test_id("answer-text").first.inner_text()
    match = re.search(re.escape(words) + r"[^\[]*\[(\d+)\]", text)
    assert match, text
    number = int(match.group(1))
    chat.page.locator(f'[data-testid="citation-chip"][data-citation="{number}"]').first.click()
    expect(chat.page.get_by_role("dialog")).to_be_visible()
    return number


def test_the_passage_dialog_shows_the_whole_passage_with_the_quote_marked(chat: Chat, server: Server) -> None:
    chat.open()
    chat.ask("Who can apply?")
    chat.answered()
    number = _open_chip_after(chat, "100,000")
    page = chat.page
    passage = page.get_by_test_id("citation-quote")
    expect(passage).to_have_attribute("data-whole", "true")
    current = page.get_by_test_id("passage-quote-current")
    expect(current).to_have_count(1)
    expect(current).to_have_attribute("data-citation", str(number))
    [citation] = [c for c in _citations(server, "Who can apply?") if c.id == number]
    chunk = server.service.index.get().chunks[citation.chunk_id]
    assert passage.text_content() == chunk.text  # the whole passage, not the quote alone
    assert len(chunk.text) > len(citation.quote)
    expect(current).to_have_text(citation.quote)
    expect(page.get_by_test_id("citation-where")).to_contain_text("Who can apply?")
    link = page.get_by_test_id("citation-open-document")
    expect(link).to_be_visible()
    document_id = citation.chunk_id.rsplit(":", 1)[0]
    expected = (
        f"/documents/{component(document_id)}?mark={component(citation.quote)}#{component(citation.chunk_id)}"
    )
    assert link.get_attribute("href") == expected
    screenshot(page, "passage-dialog")

    with page.context.expect_page() as opened:
        link.click()
    document = opened.value
    document.wait_for_load_state()
    target = document.get_by_test_id("passage-target")
    expect(target).to_be_visible()
    expect(target).to_have_attribute("id", citation.chunk_id)
    expect(target.locator("mark.quote--current")).to_have_text(citation.quote)  # the quote, marked
    expect(document.get_by_test_id("document-title")).not_to_be_empty()
    expect(document.get_by_test_id("document-meta")).to_contain_text(SOURCE)
    assert document.evaluate("document.activeElement && document.activeElement.id") == citation.chunk_id
    screenshot(document, "document-at-passage")
    document.close()


def _citations(server: Server, question: str) -> list:  # type: ignore[type-arg]
    return server.service.ask(question).citations


def test_the_document_page_lists_every_passage_in_order(chat: Chat, server: Server) -> None:
    snapshot = server.service.index.get()
    chunks = sorted((c for c in snapshot.chunks.values() if c.source == SOURCE), key=lambda c: c.ordinal)
    document_id = chunks[0].id.rsplit(":", 1)[0]
    chat.open(f"/documents/{component(document_id)}")
    passages = chat.page.get_by_test_id("passage")
    expect(passages).to_have_count(len(chunks))
    assert [passages.nth(i).get_attribute("id") for i in range(len(chunks))] == [c.id for c in chunks]
    headings = {c.section.split(" > ")[-1] for c in chunks if c.section}
    for heading in headings:
        expect(chat.page.locator(".document__heading", has_text=heading).first).to_be_visible()
    expect(chat.page.get_by_test_id("passage-target")).to_have_count(0)  # no anchor, nothing marked


def test_an_unknown_document_says_so(chat: Chat) -> None:
    chat.open("/documents/no-such-document")
    expect(chat.page.get_by_test_id("document-status")).to_contain_text("no-such-document")
    expect(chat.page.get_by_test_id("document")).to_be_hidden()


def test_the_chat_keeps_its_conversation_across_a_reload(chat: Chat, server: Server) -> None:
    if not httpx.get(f"{server.base}/openapi.json").json()["paths"].get("/v1/sessions/{session_id}"):
        pytest.skip("GET /v1/sessions/{session_id} (the state-store work) is not in this build yet")
    chat.open()
    chat.ask("Which EU city is paired with Kochi?")
    chat.answered(1)
    chat.ask("Who can apply?")
    chat.answered(2)
    first_answer = chat.page.get_by_test_id("answer-text").nth(1).inner_text()
    chat.page.reload()
    expect(chat.page.get_by_test_id("turn")).to_have_count(2)
    expect(chat.page.get_by_test_id("question").first).to_contain_text("Kochi")
    expect(chat.page.get_by_test_id("answer-text").nth(1)).to_have_text(first_answer)
    expect(chat.page.get_by_test_id("citation-marker").first).to_be_visible()
    expect(chat.page.get_by_test_id("citation-chip").first).to_be_visible()
    chat.ask("What do they work on?")  # the same conversation goes on
    chat.answered(3)
    sessions = chat.asked_sessions()
    assert sessions[0] is None and sessions[1] == sessions[2] and sessions[2]
    chat.page.get_by_role("button", name="New conversation").click()
    chat.page.reload()
    expect(chat.page.get_by_test_id("turn")).to_have_count(0)
    expect(chat.page.get_by_test_id("intro")).to_be_visible()


def test_a_conversation_the_server_no_longer_has_starts_afresh(chat: Chat) -> None:
    chat.open()
    chat.page.evaluate(f"sessionStorage.setItem('assistant.session', '{'f' * 32}')")
    chat.page.reload()
    expect(chat.page.get_by_test_id("intro")).to_be_visible()
    # the page forgets the id once the server's 404 is back (the intro shows before that)
    for _ in range(100):  # polled from here: the page's CSP forbids wait_for_function's string eval
        if chat.page.evaluate("sessionStorage.getItem('assistant.session')") is None:
            break
        chat.page.wait_for_timeout(50)
    assert chat.page.evaluate("sessionStorage.getItem('assistant.session')") is None
