"""Questions in other languages are ranked by the multilingual model; names, the same in every language,
tip the balance towards the document that uses them."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np

from assistant.answering.multilingual import CrossLingual
from assistant.answering.retrieval import CorpusStats
from ingest.pipeline import sync
from ingest.store import IndexHandle
from tests.support.fakes import HashingEmbedder

PAGES = {
    "lakeside.txt": "Lakeside pairings\n\nThe city of Orvieto works with Kobe on river restoration.\n",
    "hillside.txt": "Hillside pairings\n\nThe city of Lindau works with Sendai on river restoration.\n",
}


class Undecided:
    """A model that finds every text equally close to every question."""

    name = "undecided"
    dimension = 4

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        return np.tile(np.array([1.0, 0.0, 0.0, 0.0], dtype=np.float32), (len(texts), 1))


def test_the_document_using_the_questions_names_leads_when_the_model_cannot_tell(
    tmp_path: Path, isolated_env: Path
) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name, text in PAGES.items():
        (corpus / name).write_text(text, encoding="utf-8")
    sync(tmp_path / "data", [corpus], HashingEmbedder)
    snapshot = IndexHandle(tmp_path / "data").get()
    stats = CorpusStats(snapshot)
    ranking = CrossLingual(Undecided(), Undecided())
    question = "¿Con qué ciudad trabaja Lindau?"
    assert ranking.rank(snapshot, stats, question, [], names=["lindau"])[0].source == "hillside.txt"
    assert ranking.rank(snapshot, stats, question, [], names=["orvieto"])[0].source == "lakeside.txt"
