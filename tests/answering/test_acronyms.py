"""An acronym the documents never write is read as the phrase it stands for in them ('CoM' for 'Covenant
of Mayors'), when otherwise the question would name nothing the documents know."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from assistant.answering.acronyms import Acronyms
from assistant.answering.base import AnswerRequest
from assistant.answering.offline import OfflineAnswerer
from assistant.settings import AnswerSettings
from ingest.pipeline import sync
from ingest.store import IndexHandle, IndexSnapshot
from tests.support.fakes import HashingEmbedder

TEXTS = [
    "The Harbour Renewal Fund opens its third round in May.",
    "Towns in the Harbour Renewal Fund share their plans with the Coastal Towns Network.",
    "Under the recast Energy Efficiency Directive, large towns must plan their heating.",
    "Members of TideLink meet twice a year; the ICC sends an observer.",
]


@pytest.mark.parametrize(
    ("question", "read"),
    [
        ("When does the HRF open?", "When does the Harbour Renewal Fund open?"),
        ("Who is in the CTN?", "Who is in the Coastal Towns Network?"),  # of its capitalised words
        ("What does the EED require?", "What does the Energy Efficiency Directive require?"),
        ("How often does TL meet?", "How often does TideLink meet?"),  # the capitals of one word
        ("Is the ICC a member?", "Is the ICC a member?"),  # the documents write it: known as it is
        ("Is the XYZ open?", "Is the XYZ open?"),  # stands for nothing the documents write
        ("When does the fund open?", "When does the fund open?"),
    ],
)
def test_an_acronym_the_documents_never_write_is_read_as_what_it_stands_for(question: str, read: str) -> None:
    assert Acronyms.of(TEXTS).spelled_out(question) == read


def test_an_acronym_two_phrases_could_stand_for_equally_is_left_as_it_is() -> None:
    acronyms = Acronyms.of(["The Blue Sky Region meets.", "The Black Sea Route opens."])
    assert acronyms.spelled_out("Where is the BSR?") == "Where is the BSR?"


@pytest.fixture
def snapshot(tmp_path: Path) -> IndexSnapshot:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "harbour-renewal-fund.txt").write_text(
        "Harbour Renewal Fund – third round\n\nThe third round of the Harbour Renewal Fund closes on "
        "12 June 2026. Kessin and Arlmünde lead the round.\n",
        encoding="utf-8",
    )
    sync(tmp_path / "data", [corpus], HashingEmbedder)
    return IndexHandle(tmp_path / "data").get()


def test_a_question_naming_only_an_unknown_acronym_is_read_with_it_spelled_out(
    snapshot: IndexSnapshot,
) -> None:
    answerer = OfflineAnswerer(AnswerSettings(), HashingEmbedder(), lambda: date(2026, 3, 1))
    request, analysis = answerer.read(AnswerRequest("When does the HRF third round close?", snapshot))
    assert request.question == "When does the Harbour Renewal Fund third round close?"
    assert {"harbour", "renewal", "fund"} <= set(analysis.names)
    composed = answerer.answer(AnswerRequest("When does the HRF third round close?", snapshot))
    assert not composed.abstained and "12 June 2026" in composed.text
    # a name the documents know already places the question: the acronym is left as it is
    request, _ = answerer.read(AnswerRequest("Does Kessin lead the HRF round?", snapshot))
    assert request.question == "Does Kessin lead the HRF round?"
