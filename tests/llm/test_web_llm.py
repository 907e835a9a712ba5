"""The web page in LLM mode, in Debian's headless Chromium over a uvicorn server and the scripted endpoint:
while the model works the page says what is under way (the tool it runs), then the verified answer
comes with its citations and the notice that a sentence was left out."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

if os.environ.get("SKIP_BROWSER_TESTS") == "1":
    pytest.skip("SKIP_BROWSER_TESTS=1: the browser tests are skipped", allow_module_level=True)

from playwright.sync_api import Browser, expect

from assistant.faces.http.app import create_app
from tests.llm.conftest import LlmService
from tests.support.browser import chromium
from tests.support.scripted_llm import Calls, ScriptedLLM, Slow, answer_citing
from tests.support.servers import serve

pytestmark = pytest.mark.slow

ENCOURAGED = "Cities with more than 100,000 inhabitants are encouraged to apply"
# Every text the progress line shows, recorded as it changes (set before any page script runs).
RECORD_PROGRESS = """
window.__progress = [];
new MutationObserver(() => {
  const line = document.querySelector('[data-testid="answer-progress"]');
  const seen = window.__progress;
  if (line && line.textContent !== seen[seen.length - 1]) seen.push(line.textContent);
}).observe(document, { childList: true, subtree: true, characterData: true });
"""


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as launched:
        yield launched


def test_the_page_shows_the_tool_round_then_the_verified_answer_and_its_notice(
    llm_service: LlmService, browser: Browser
) -> None:
    answer = answer_citing(f"{ENCOURAGED} [{{p}}]. Every city gets 9 million euros [{{p}}].", p="100,000")
    script = ScriptedLLM(
        Calls.one("search_documents", query="cities with more than 100,000 inhabitants encouraged to apply"),
        lambda body: Slow(1, answer(body)),  # the model takes its time: the page shows what is under way
    )
    with llm_service(script) as service, serve(create_app(service.settings, service)) as base:
        context = browser.new_context(service_workers="block")
        context.set_default_timeout(15_000)
        page = context.new_page()
        page.add_init_script(RECORD_PROGRESS)
        try:
            page.goto(base + "/")
            box = page.get_by_label("Your question")
            box.fill("Who can apply?")
            box.press("Enter")
            expect(page.get_by_test_id("answer-progress")).to_have_text("Asking the language model…")
            expect(page.locator('[data-testid="answer"][data-state="done"]')).to_have_count(1)
            shown = page.evaluate("window.__progress")
            assert shown[0] == "Looking in the documents…"
            assert any(text.startswith("Searching the documents for “cities") for text in shown), shown
            assert shown[-1] == "Checking every sentence against its passage…"
            expect(page.get_by_test_id("answer-pending")).to_be_hidden()
            expect(page.get_by_test_id("answer-text")).to_have_text(f"{ENCOURAGED} [1].")
            notice = page.locator('[data-testid="notice"][data-kind="llm_repaired"]')
            expect(notice).to_contain_text(
                "One sentence of the language model's answer was left out: the documents do not support it."
            )
            expect(page.get_by_test_id("citations")).to_be_visible()
        finally:
            context.close()
