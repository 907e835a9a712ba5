"""Questions in other languages are ranked by the multilingual model; names, the same in every language,
tip the balance towards the document that uses them."""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from pathlib import Path

import numpy as np
import pytest

from assistant.answering.answer_types import answer_checks
from assistant.answering.language import asked_in_english, language_of
from assistant.answering.multilingual import CrossLingual
from assistant.answering.retrieval import CorpusStats
from assistant.service import AssistantService
from ingest.store import chunk_search_text
from tests.support.corpora import indexed, serving

PAGES = {
    "lakeside.txt": "Lakeside pairings\n\nThe city of Orvieto works with Kobe on river restoration.\n",
    "hillside.txt": "Hillside pairings\n\nThe city of Lindau works with Sendai on river restoration.\n",
}


class Undecided:
    """A model that finds every text equally close to every question; it counts what it encodes, and
    can be made slow."""

    name = "undecided"
    dimension = 4

    def __init__(self, seconds_per_call: float = 0.0) -> None:
        self.seconds_per_call = seconds_per_call
        self.encoded: list[str] = []

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        time.sleep(self.seconds_per_call)
        self.encoded.extend(texts)
        return np.tile(np.array([1.0, 0.0, 0.0, 0.0], dtype=np.float32), (len(texts), 1))


def test_the_document_using_the_questions_names_leads_when_the_model_cannot_tell(
    tmp_path: Path, isolated_env: Path
) -> None:
    snapshot = indexed(tmp_path, PAGES)
    stats = CorpusStats(snapshot)
    ranking = CrossLingual(Undecided(), Undecided())
    question = "¿Con qué ciudad trabaja Lindau?"
    assert ranking.rank(snapshot, stats, question, [], names=["lindau"])[0].source == "hillside.txt"
    assert ranking.rank(snapshot, stats, question, [], names=["orvieto"])[0].source == "lakeside.txt"


def test_a_short_line_with_a_figure_is_not_taken_for_a_title(tmp_path: Path, isolated_env: Path) -> None:
    snapshot = indexed(
        tmp_path,
        {
            "summit.txt": "Harbour summit\n\nSummit report 2031\n\nKelby, 12–14 March\n\n"
            "Towns of the north met.\n"
        },
    )
    ranking = CrossLingual(Undecided(), Undecided())
    ranked = ranking.rank(snapshot, CorpusStats(snapshot), "¿Dónde y cuándo fue la cumbre?", [], names=[])
    texts = [snapshot.sentences[candidate.index].text for candidate in ranked]
    # the model finds every line as close: the dateline leads, the year alone weighs as a title's
    assert texts[0] == "Kelby, 12–14 March"
    assert texts.index("Summit report 2031") > texts.index("Towns of the north met.")


def test_the_passages_are_encoded_before_the_first_question_in_another_language(
    tmp_path: Path, isolated_env: Path
) -> None:
    snapshot = indexed(tmp_path, PAGES)
    passages = Undecided()
    ranking = CrossLingual(Undecided(), passages)
    ranking.prepare(snapshot)
    assert ranking.wait_prepared(timeout=30)
    chunk_texts = {chunk_search_text(chunk) for chunk in snapshot.chunks.values()}
    assert set(passages.encoded) == chunk_texts and len(passages.encoded) == len(chunk_texts)

    ranking.rank(snapshot, CorpusStats(snapshot), "¿Con qué ciudad trabaja Lindau?", [])
    assert not chunk_texts & set(passages.encoded[len(chunk_texts) :])  # the question encoded sentences only


def test_closing_stops_the_background_encoding_after_the_batch_in_hand(
    tmp_path: Path, isolated_env: Path
) -> None:
    pages = {
        f"page-{number}.txt": f"Page {number}\n\nThe city of Lindau number {number}.\n"
        for number in range(40)
    }
    snapshot = indexed(tmp_path, pages)
    passages = Undecided(seconds_per_call=0.05)
    ranking = CrossLingual(Undecided(), passages)
    ranking.prepare(snapshot)
    ranking.close()
    assert ranking.wait_prepared(timeout=0)
    assert len(passages.encoded) < len(snapshot.chunks)


def test_the_background_encoding_holds_off_while_questions_come(tmp_path: Path, isolated_env: Path) -> None:
    snapshot = indexed(tmp_path, PAGES)
    passages = Undecided()
    ranking = CrossLingual(Undecided(), passages, quiet_seconds=0.3)
    ranking.note_question()
    ranking.prepare(snapshot)
    for _ in range(5):  # a question every 0.1 s for half a second
        time.sleep(0.1)
        ranking.note_question()
    assert passages.encoded == []
    assert ranking.wait_prepared(timeout=30)  # questions paused: it went ahead
    assert len(passages.encoded) == len(snapshot.chunks)


@pytest.mark.parametrize(
    ("question", "language", "kinds"),
    [
        # 'de' is Spanish and French alike: the question word tells them apart
        ("Combien de villes participent ?", "fr", ["count"]),
        ("Wie hoch ist der Zuschuss?", "de", ["amount", "count"]),
        ("Quel est le montant de la subvention ?", "fr", ["amount", "count"]),
        # words English writes alike tell no language: 'budget' is English too
        ("Budget?", "en", []),
        ("How much is the budget for the call?", "en", ["amount", "count"]),
    ],
)
def test_question_words_tell_the_language_and_the_kind_of_answer(
    question: str, language: str, kinds: list[str]
) -> None:
    assert language_of(question) == language
    asked = question if language == "en" else asked_in_english(question, language)
    assert [check.kind for check in answer_checks(asked)] == kinds


CALL = """Harbour Grants 2030 – call for proposals

The 2030 call for proposals of the Harbour Grants supports cooperation between port towns on cleaner
shipping and shore power. Compared with earlier editions, the 2030 call puts a stronger emphasis on small
ports and on the local economy.

Applications are submitted through the online portal by the lead town.
"""
RESULTS = """Harbour Grants 2030 – selected projects

The evaluation of the 2030 call of the Harbour Grants is complete. Out of 87 applications received, 9
projects have been selected for funding.
"""


@pytest.fixture(scope="module")
def harbour_grants(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AssistantService]:
    yield from serving(
        tmp_path_factory,
        {"harbour-grants-2030-call.txt": CALL, "harbour-grants-2030-selected.txt": RESULTS},
    )


def test_the_figure_asked_for_is_taken_from_another_document_when_the_best_holds_none(
    harbour_grants: AssistantService,
) -> None:
    answer = harbour_grants.ask("Quante candidature sono arrivate alla call 2030 degli Harbour Grants?")
    assert not answer.abstained and "87" in answer.answer
    assert answer.citations[0].source == "harbour-grants-2030-selected.txt"
