"""What names a document as a whole (its title, file name, programme and the programme's initials) tells
none of its sentences apart: a question naming the programme by its short name asks no sentence to
repeat it."""

from __future__ import annotations

from pathlib import Path

from assistant.answering.retrieval import CorpusStats
from tests.support.corpora import indexed

PAGE = (
    "Lessons from the harbour exchange of the Partnerships for Sustainable Cities\n\n"
    "The yearly meeting of the Partnerships for Sustainable Cities (PSC) took place in Tarrow.\n\n"
    "Staff turnover after elections. A written handover file helped limit the damage.\n"
)


def test_a_programmes_initials_name_each_of_its_documents(tmp_path: Path, isolated_env: Path) -> None:
    stats = CorpusStats(indexed(tmp_path, {"harbour-exchange-lessons.txt": PAGE}))
    label = stats.document_label_words["harbour-exchange-lessons.txt"]
    assert {"psc", "harbour", "lessons"} <= label
    assert "handover" not in label
