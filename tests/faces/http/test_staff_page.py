"""The staff page in headless Chromium: the admin key entered in the page (kept in the tab only), the
document list with upload, removal and reindex followed to their end, and the unanswered-questions
report grouped with counts. A screenshot goes to screenshots/ (not kept in git) when SCREENSHOTS=1."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from assistant.faces.http.app import create_app
from assistant.settings import Settings
from assistant.wiring import build_service
from tests.faces.http.conftest import ADMIN_KEY, Chat, Server, open_pages
from tests.support.browser import screenshot
from tests.support.fakes import HashingEmbedder
from tests.support.servers import serve

pytestmark = pytest.mark.slow

NOTE = """Lighthouse exchange note

Lighthouse cities exchange staff for two weeks every spring. The exchange is paid by the host city.
"""


@pytest.fixture
def staff_server(fake_data: Path, corpus_copy: Path) -> Iterator[Server]:
    """The pages over a copy of the fake index whose corpus folder the test may change."""
    embedder = HashingEmbedder()
    settings = Settings(data_dir=fake_data, corpus_dir=corpus_copy, http={"admin_key": ADMIN_KEY})
    service = build_service(settings, embedder_factory=lambda: embedder)
    try:
        with serve(create_app(settings, service)) as base:
            yield Server(base, service)
    finally:
        service.close()


@pytest.fixture
def staff(browser: Browser, staff_server: Server) -> Iterator[Chat]:
    yield from open_pages(browser, staff_server, {"width": 1200, "height": 900})


def _sign_in(staff: Chat, key: str = ADMIN_KEY) -> None:
    staff.open("/staff")
    page = staff.page
    page.get_by_label("The server's admin key").fill(key)
    page.get_by_role("button", name="Sign in").click()


def test_a_wrong_key_is_refused_and_the_right_one_shows_the_library(
    staff: Chat, staff_server: Server
) -> None:
    _sign_in(staff, "not-the-key")
    page = staff.page
    expect(page.get_by_test_id("staff-alert")).to_contain_text("ASSISTANT_ADMIN_KEY")
    expect(page.get_by_test_id("documents")).to_be_hidden()
    _sign_in(staff)
    rows = page.get_by_test_id("document-row")
    expect(rows).to_have_count(len(staff_server.service.index.get().documents))
    expect(page.get_by_test_id("documents-count")).to_contain_text(str(rows.count()))
    assert page.evaluate("sessionStorage.getItem('assistant.admin-key')") == ADMIN_KEY
    assert page.evaluate("localStorage.length") == 0  # the key never outlives the tab
    page.reload()
    expect(rows.first).to_be_visible()  # still signed in after a reload
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_test_id("sign-in")).to_be_visible()
    assert page.evaluate("sessionStorage.getItem('assistant.admin-key')") is None


def test_upload_then_remove_a_document_with_progress(
    staff: Chat, staff_server: Server, tmp_path: Path
) -> None:
    _sign_in(staff)
    page = staff.page
    before = len(staff_server.service.index.get().documents)
    expect(page.get_by_test_id("document-row")).to_have_count(before)
    upload = tmp_path / "lighthouse-exchange.txt"
    upload.write_text(NOTE, encoding="utf-8")
    page.get_by_test_id("upload-file").set_input_files(str(upload))
    page.get_by_role("button", name="Upload and index").click()
    job = page.get_by_test_id("job")
    expect(job).to_have_attribute("data-state", "done", timeout=60_000)
    expect(page.get_by_test_id("job-detail")).to_contain_text("1 indexed")
    row = page.locator('[data-testid="document-row"][data-source="lighthouse-exchange.txt"]')
    expect(row).to_have_count(1)
    expect(page.get_by_test_id("document-row")).to_have_count(before + 1)
    assert (staff_server.service.settings.corpus_dir / "lighthouse-exchange.txt").exists()
    screenshot(page, "staff-page")

    remove = row.get_by_role("button", name="Remove lighthouse-exchange.txt")
    remove.click()
    expect(remove).to_have_text("Confirm removal")  # one click does not remove
    remove.click()
    expect(job).to_have_attribute("data-state", "done", timeout=60_000)
    expect(page.get_by_test_id("job-detail")).to_contain_text("1 removed")
    expect(page.get_by_test_id("document-row")).to_have_count(before)
    assert not (staff_server.service.settings.corpus_dir / "lighthouse-exchange.txt").exists()


def test_reindex_is_followed_to_its_report(staff: Chat) -> None:
    _sign_in(staff)
    page = staff.page
    page.get_by_role("button", name="Reindex the corpus folder").click()
    expect(page.get_by_test_id("job")).to_have_attribute("data-state", "done", timeout=60_000)
    expect(page.get_by_test_id("job-detail")).to_contain_text("0 failed")


def test_a_refused_upload_says_why(staff: Chat, tmp_path: Path) -> None:
    _sign_in(staff)
    page = staff.page
    bad = tmp_path / "tool.exe"
    bad.write_bytes(b"MZ\x90\x00binary")
    page.get_by_test_id("upload-file").set_input_files(str(bad))
    page.get_by_role("button", name="Upload and index").click()
    expect(page.get_by_test_id("staff-alert")).to_be_visible()
    expect(page.get_by_test_id("job")).to_be_hidden()


def test_unanswered_questions_are_grouped_with_counts(staff: Chat, staff_server: Server) -> None:
    service = staff_server.service
    for question in ("What is the capital of Mars?", "What is the capital of Mars?", "Who won the 1998 cup?"):
        service.ask(question)
    answered = service.ask("Who can apply?")
    service.feedback(answered.answer_id, -1, "Too long")
    _sign_in(staff)
    page = staff.page
    groups = page.get_by_test_id("unanswered-group")
    expect(groups).to_have_count(3)
    mars = groups.filter(has_text="capital of Mars")
    expect(mars.get_by_test_id("unanswered-count")).to_contain_text("asked 2 times")
    expect(mars.get_by_test_id("unanswered-count")).to_contain_text("2 not answered")
    rated = groups.filter(has_text="Who can apply?")
    expect(rated.get_by_test_id("unanswered-count")).to_contain_text("1 rated down")
    expect(rated.get_by_test_id("unanswered-comment")).to_have_text("“Too long”")
    expect(page.get_by_test_id("document-row").first).to_be_visible()
    screenshot(page, "staff-page-whole", full_page=True)
