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
    deadline_note,
    programmes_named,
)
from assistant.service import AssistantService
from assistant.settings import Settings
from assistant.wiring import build_service
from ingest.models import DocumentKind, DocumentMeta
from tests.support.paths import CORPUS, INVENTED_CALLS, INVENTED_EXCHANGES


def _meta(
    edition: int | None = 2023, kind: DocumentKind = DocumentKind.CALL, programme: str = "TTCE"
) -> DocumentMeta:
    return DocumentMeta(source=f"x-{edition}.txt", title="x", kind=kind, programme=programme, edition=edition)


# --- deadlines -------------------------------------------------------------------------------------
def test_a_past_deadline_is_said_to_be_passed_never_open() -> None:
    today = date(2026, 11, 21)
    note = deadline_note("Applications must be submitted by 31 March 2023 at 17:00 CET.", _meta(2023), today)
    assert note is not None and note.passed
    assert "31 March 2023 has passed" in note.text and "2023 edition" in note.text and "closed" in note.text
    already = deadline_note("The 2018 call has already closed (on March 19th).", _meta(2018), today)
    assert already is not None and already.passed
    assert "has passed" in already.text and "19 March 2018" in already.text


def test_a_future_deadline_is_counted_from_today() -> None:
    note = deadline_note(
        "The deadline for applications is 15 December 2026.", _meta(2025), date(2026, 11, 21)
    )
    assert note is not None and not note.passed
    assert (
        note.text
        == "That date (15 December 2026, the 2025 edition) is 24 days from today (21 November 2026)."
    )
    tomorrow = deadline_note("Apply by 22 November 2026.", _meta(2025), date(2026, 11, 21))
    assert tomorrow is not None and "1 day from" in tomorrow.text


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
    for path in INVENTED_CALLS.glob("ttce-call-*"):
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
    assert {citation.source for citation in answer.citations} == {"ttce-call-2025.txt", "ttce-call-2023.txt"}
    # The editions' deadlines differ: the newest leads, and the old one follows under its own edition's
    # label, said to have passed, never counted as open.
    newest, older = answer.answer.split("\n\n")
    assert "2025 edition" in newest and "15 December 2026" in newest and "31 March 2023" not in newest
    assert "2023 edition" in older and "31 March 2023 has passed" in older
    assert "days from today" not in older
    # Faces show what the asker must not miss apart from the text: the older edition, its closed deadline.
    assert {(notice.kind, notice.source) for notice in answer.notices} == {
        ("older_edition", "ttce-call-2023.txt"),
        ("deadline_passed", "ttce-call-2023.txt"),
    }


def test_an_older_edition_asked_for_by_year_answers_with_its_deadline_passed(
    two_editions: AssistantService,
) -> None:
    answer = two_editions.ask("What was the deadline of the 2023 TTCE call?")
    assert not answer.abstained
    assert "31 March 2023" in answer.answer
    assert "has passed" in answer.answer
    assert ("deadline_passed", "ttce-call-2023.txt") in {(n.kind, n.source) for n in answer.notices}
    assert "ttce-call-2023.txt" in {citation.source for citation in answer.citations}


def test_an_edition_asked_for_by_a_year_no_document_of_it_speaks_of_is_declined(
    two_editions: AssistantService,
) -> None:
    # Both editions say what a deadline is; neither speaks of a 2024 call: either would answer another.
    answer = two_editions.ask("What was the deadline of the 2024 TTCE call?")
    assert answer.abstained
    assert "31 March 2023" not in answer.answer.split("closest", 1)[0]


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
    assert {citation.source for citation in answer.citations} == {"ttce-call-2025.txt", "ttce-call-2023.txt"}
    # the newest figure leads; the older one is shown under its own edition's label
    newest, older = answer.answer.split("\n\n")
    assert "2025 edition" in newest and "30,000" in newest
    assert "2023 edition" in older and "at least 50,000 inhabitants" in older


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


# --- what changed between two editions of a scheme no programme label names ---------------------------
@pytest.fixture(scope="module")
def call_and_later_faq(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AssistantService]:
    """The shipped corpus plus an invented exchange scheme's 2022 call and its 2025 FAQ, which name no
    programme the classifier knows: nothing but their years tells they are two editions."""
    root = tmp_path_factory.mktemp("call-and-faq")
    corpus = root / "corpus"
    shutil.copytree(CORPUS, corpus)
    for path in INVENTED_EXCHANGES.glob("*.txt"):
        shutil.copy(path, corpus / path.name)
    service = build_service(Settings(data_dir=root / "data", corpus_dir=corpus, today=date(2026, 11, 21)))
    report = service.ingest()
    assert not report.files_failed, report.files_failed
    yield service
    service.close()


@pytest.mark.parametrize(
    ("question", "then", "now"),
    [
        (
            "Has the lump sum the host town gets in the Harbour Towns Exchange changed since the 2022 call?",
            "EUR 900",
            "EUR 1,400",
        ),
        (
            "Harbour Towns Exchange: how long do we have to complete the visits, versus the 2022 call?",
            "four months",
            "six months",
        ),
    ],
)
def test_asked_what_changed_since_an_edition_both_editions_answer(
    call_and_later_faq: AssistantService, question: str, then: str, now: str
) -> None:
    answer = call_and_later_faq.ask(question)
    assert not answer.abstained
    assert then in answer.answer and now in answer.answer
    assert {citation.source for citation in answer.citations} == {
        "harbour-towns-exchange-call-2022.txt",
        "harbour-towns-exchange-faq-2025.txt",
    }


def test_asked_only_what_holds_now_the_later_edition_answers_alone(
    call_and_later_faq: AssistantService,
) -> None:
    answer = call_and_later_faq.ask(
        "What does the host town receive per visit in the Harbour Towns Exchange?"
    )
    assert "EUR 1,400" in answer.answer and "EUR 900" not in answer.answer
