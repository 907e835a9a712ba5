"""Editions, deadlines against today's date, source authority and naming the programme: unit tests of
the rules, and answers over two editions of an invented call (made for the tests) beside the corpus."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from assistant.answering.editions import (
    Editions,
    QuestionClass,
    authority,
    classify_question,
    dates_in,
    deadline_note,
    programmes_named,
)
from assistant.service import AssistantService
from assistant.settings import Settings
from assistant.wiring import build_service
from ingest.models import DocumentKind, DocumentMeta
from tests.conftest import CORPUS

INVENTED = Path(__file__).parent / "data" / "invented_calls"


def _meta(
    edition: int | None = 2023, kind: DocumentKind = DocumentKind.CALL, programme: str = "TTCE"
) -> DocumentMeta:
    return DocumentMeta(source=f"x-{edition}.txt", title="x", kind=kind, programme=programme, edition=edition)


# --- dates ------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "default_year", "expected"),
    [
        ("Applications must be submitted by 31 March 2023 at 17:00 CET.", None, date(2023, 3, 31)),
        ("The deadline is March 31st, 2023.", None, date(2023, 3, 31)),
        ("The 2018 call has already closed (on March 19th).", None, date(2018, 3, 19)),
        ("It closed on 19 March.", 2018, date(2018, 3, 19)),
        ("Send it by 15/12/2026.", None, date(2026, 12, 15)),
        ("Send it by 2026-12-15.", None, date(2026, 12, 15)),
        ("The deadline is the 5th of Sept. 2024.", None, date(2024, 9, 5)),
    ],
)
def test_dates_are_read_in_the_forms_calls_write_them(
    text: str, default_year: int | None, expected: date
) -> None:
    assert [mention.on for mention in dates_in(text, default_year)] == [expected]


def test_impossible_or_yearless_dates_are_not_invented() -> None:
    assert dates_in("It closes on 31 February 2024.", None) == []
    assert dates_in("It closes on 19 March.", None) == []  # no year anywhere: not a date we can compare
    assert dates_in("We met in May with 12 cities.", 2020) == []  # a month alone is not a date


def test_a_past_deadline_is_said_to_be_passed_never_open() -> None:
    today = date(2026, 11, 21)
    note = deadline_note("Applications must be submitted by 31 March 2023 at 17:00 CET.", _meta(2023), today)
    assert note is not None
    assert "31 March 2023 has passed" in note and "2023 edition" in note and "closed" in note
    already = deadline_note("The 2018 call has already closed (on March 19th).", _meta(2018), today)
    assert already is not None and "has passed" in already and "19 March 2018" in already


def test_a_future_deadline_is_counted_from_today() -> None:
    note = deadline_note(
        "The deadline for applications is 15 December 2026.", _meta(2025), date(2026, 11, 21)
    )
    assert note == "That date (15 December 2026, the 2025 edition) is 24 days from today (21 November 2026)."
    assert "1 day from" in (
        deadline_note("Apply by 22 November 2026.", _meta(2025), date(2026, 11, 21)) or ""
    )


def test_dates_that_are_not_deadlines_get_no_note() -> None:
    assert (
        deadline_note("The meeting took place on 10 October 2023 in Brussels.", _meta(), date(2026, 1, 1))
        is None
    )
    assert deadline_note("Applications are welcome from all cities.", _meta(), date(2026, 1, 1)) is None


# --- authority, programmes, editions ----------------------------------------------------------------
@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("Who can apply?", QuestionClass.ELIGIBILITY),
        ("We are a town of 60,000 people, are we eligible?", QuestionClass.ELIGIBILITY),
        ("When is the deadline?", QuestionClass.ELIGIBILITY),
        ("What did cities learn about involving companies?", QuestionClass.LESSONS),
        ("What challenges did participants discuss in Espoo?", QuestionClass.LESSONS),
        ("Which city is paired with Hamburg?", QuestionClass.OTHER),
    ],
)
def test_questions_are_classed_by_what_decides_them(question: str, expected: QuestionClass) -> None:
    assert classify_question(question) is expected


def test_binding_text_outranks_takeaways_for_eligibility_and_the_reverse_for_lessons() -> None:
    eligibility, lessons = QuestionClass.ELIGIBILITY, QuestionClass.LESSONS
    assert authority(DocumentKind.CALL, eligibility) > authority(DocumentKind.FACTSHEET, eligibility)
    assert authority(DocumentKind.FAQ, eligibility) > authority(DocumentKind.TAKEAWAYS, eligibility)
    assert authority(DocumentKind.TAKEAWAYS, lessons) > authority(DocumentKind.CALL, lessons)
    assert authority(DocumentKind.CALL, QuestionClass.OTHER) == 0.0


def test_programmes_are_recognised_by_acronym_full_name_or_document_label() -> None:
    assert programmes_named("Who can apply to the IUC?") == ["IUC"]
    assert programmes_named("Is International Urban and Regional Cooperation open to regions?") == ["IURC"]
    assert programmes_named("Compare IURC and the Partnerships for Sustainable Cities") == [
        "IURC",
        "Partnerships for Sustainable Cities",
    ]
    assert programmes_named("What does the TTCE offer?", known=["TTCE"]) == ["TTCE"]
    assert programmes_named("Who can apply?") == []


def test_only_an_older_edition_of_the_same_programme_is_superseded() -> None:
    editions = Editions.of([_meta(2023), _meta(2025), _meta(2017, programme="IUC")])
    assert editions.newest == {"TTCE": 2025, "IUC": 2017}
    assert editions.is_superseded(_meta(2023))
    assert not editions.is_superseded(_meta(2025))
    assert not editions.is_superseded(_meta(2017, programme="IUC"))  # its only edition
    assert not editions.is_superseded(_meta(2023, kind=DocumentKind.TAKEAWAYS))  # takeaways have no edition


# --- answers over two editions of an invented call --------------------------------------------------
@pytest.fixture(scope="module")
def two_editions(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AssistantService]:
    """The shipped corpus plus two editions of the invented TTCE call, answered as of 21 November 2026
    with the real embedding model (what a deadline question means needs more than shared words)."""
    root = tmp_path_factory.mktemp("two-editions")
    corpus = root / "corpus"
    shutil.copytree(CORPUS, corpus)
    for path in INVENTED.glob("ttce-call-*"):
        shutil.copy(path, corpus / path.name)
    settings = Settings(data_dir=root / "data", corpus_dir=corpus, today=date(2026, 11, 21))
    service = build_service(settings)
    report = service.ingest()
    assert not report.files_failed, report.files_failed
    yield service
    service.close()


def test_the_newest_edition_answers_and_its_open_deadline_is_counted(two_editions: AssistantService) -> None:
    answer = two_editions.ask("What is the deadline for applications to the TTCE?")
    assert not answer.abstained
    assert "15 December 2026" in answer.answer
    assert "24 days from today" in answer.answer
    assert "ttce-call-2025.txt" in {citation.source for citation in answer.citations}
    # The old edition's deadline, if shown at all, is never presented as open.
    if "31 March 2023" in answer.answer:
        assert "31 March 2023 has passed" in answer.answer


def test_an_older_edition_asked_for_by_year_answers_with_its_deadline_passed(
    two_editions: AssistantService,
) -> None:
    answer = two_editions.ask("What was the deadline of the 2023 TTCE call?")
    assert not answer.abstained
    assert "31 March 2023" in answer.answer
    assert "has passed" in answer.answer
    assert "ttce-call-2023.txt" in {citation.source for citation in answer.citations}


def test_the_same_deadline_is_passed_once_today_is_later(
    tmp_path: Path, two_editions: AssistantService
) -> None:
    later = build_service(
        two_editions.settings.model_copy(update={"today": date(2027, 1, 10)}),
        embedder_factory=lambda: two_editions.embedder,
    )
    try:
        answer = later.ask("What is the deadline for applications to the TTCE?")
        assert "15 December 2026 has passed" in answer.answer
        assert "days from today" not in answer.answer
    finally:
        later.close()


def test_differing_thresholds_are_labelled_with_their_editions(two_editions: AssistantService) -> None:
    answer = two_editions.ask("How many inhabitants must a TTCE municipality have?")
    assert not answer.abstained
    assert "30,000" in answer.answer
    sources = {citation.source for citation in answer.citations}
    assert "ttce-call-2025.txt" in sources
    if "50,000" in answer.answer:  # the older figure is only ever shown under its own edition
        assert "2023 edition" in answer.answer and "2025 edition" in answer.answer


def test_an_answer_names_the_programme_when_the_question_does_not(two_editions: AssistantService) -> None:
    answer = two_editions.ask("How long must cities cooperate with their partner?")
    assert not answer.abstained
    assert answer.answer.startswith("From the ") or "(IUC" in answer.answer or "(TTCE" in answer.answer
    named = two_editions.ask("How long must TTCE municipalities cooperate with their partner town?")
    assert "18 months" in named.answer
    assert {citation.source for citation in named.citations} <= {"ttce-call-2025.txt", "ttce-call-2023.txt"}
    assert not named.answer.startswith("From the ")  # the question named it already


def test_lessons_come_from_takeaways_and_eligibility_from_the_call(two_editions: AssistantService) -> None:
    lessons = two_editions.ask("What did cities learn about involving companies?")
    assert lessons.citations[0].source.endswith("takeaways.txt")
    rules = two_editions.ask("Can a province apply to the IUC programme?")
    assert rules.citations[0].source == "iuc-call-starting-city-to-city-cooperation.txt"


def test_asking_whether_a_call_is_still_open_gets_its_deadline(two_editions: AssistantService) -> None:
    for question in ("Is the TTCE call still open?", "Can we still apply to the TTCE?"):
        answer = two_editions.ask(question)
        assert "15 December 2026" in answer.answer, question
        assert answer.citations[0].source == "ttce-call-2025.txt", question
