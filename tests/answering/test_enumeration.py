"""Asked for several things, one sentence of an enumeration in running text ('First, … Second, …') brings
the rest of it and the sentence announcing it."""

from __future__ import annotations

from pathlib import Path

from assistant.answering.passages import Passage, with_whole_enumeration
from assistant.answering.retrieval import CorpusStats
from tests.support.corpora import indexed

REPORT = (
    "Hill towns water pilot – final report\n\n"
    "The pilot ran for two years in four towns.\n\n"
    "Lessons learnt\n"
    "The towns drew three lessons. First, shared tenders cut the price of water meters. Second, student "
    "guides made the open days popular. Third, flood maps drawn with farmers were used more often.\n\n"
    "Next steps\n"
    "The towns will publish their data in 2028.\n"
)


def test_one_sentence_of_an_enumeration_brings_the_whole_of_it(tmp_path: Path, isolated_env: Path) -> None:
    snapshot = indexed(tmp_path, {"hill-towns-pilot-report.txt": REPORT})
    stats = CorpusStats(snapshot)
    order = stats.document_sentences["hill-towns-pilot-report.txt"]
    texts = [snapshot.sentences[index].text for index in order]
    second = next(p for p, text in enumerate(texts) if text.startswith("Second,"))
    grown = with_whole_enumeration(
        snapshot, stats, Passage("hill-towns-pilot-report.txt", [second]), budget=1_000
    )
    shown = [texts[p] for p in sorted(grown.positions)]
    assert shown[0] == "The towns drew three lessons."
    assert [text.split(",")[0] for text in shown[1:]] == ["First", "Second", "Third"]
    # within the budget only
    assert with_whole_enumeration(
        snapshot, stats, Passage("hill-towns-pilot-report.txt", [second]), budget=60
    ).positions == [second]
