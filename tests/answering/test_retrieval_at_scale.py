"""What keeps answering cheap on a large corpus, checked to change nothing: sentence terms read when
first needed (a bounded number kept, the same sets under concurrent readers), and a filtered dense search
that filters a wider unfiltered one before asking the store to filter."""

from __future__ import annotations

import threading

import pytest

from assistant.answering import retrieval
from assistant.answering.retrieval import _TermsOnDemand
from ingest.models import Sentence
from ingest.textutil import terms

TEXTS = [
    "Towns with more than 50,000 inhabitants are encouraged to apply.",
    "The EU-funded exchange lasts 24 months.",
    "Applications close on 14 May 2031.",
]


def sentences() -> list[Sentence]:
    return [Sentence(id=f"s{i}", chunk_id="c", position=i, text=text) for i, text in enumerate(TEXTS)]


@pytest.mark.parametrize("split_compounds", [True, False])
def test_terms_are_those_of_the_sentence(split_compounds: bool) -> None:
    on_demand = _TermsOnDemand(sentences(), split_compounds=split_compounds)
    assert len(on_demand) == len(TEXTS)
    for index, text in enumerate(TEXTS):
        assert on_demand[index] == frozenset(terms(text, split_compounds=split_compounds))


def test_the_oldest_are_dropped_beyond_the_bound(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(retrieval._TermsOnDemand, "_KEPT", 2)
    on_demand = _TermsOnDemand(sentences(), split_compounds=True)
    first = on_demand[0]
    on_demand[1], on_demand[2]
    assert set(on_demand._kept) == {1, 2}
    assert on_demand[0] == first  # read again, the same


def test_concurrent_readers_get_the_same_sets(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(retrieval._TermsOnDemand, "_KEPT", 2)  # evictions all the time
    on_demand = _TermsOnDemand(sentences(), split_compounds=True)
    expected = [frozenset(terms(text)) for text in TEXTS]
    failures: list[str] = []

    def read() -> None:
        for round_ in range(2000):
            index = round_ % len(TEXTS)
            if on_demand[index] != expected[index]:
                failures.append(f"{index}")

    threads = [threading.Thread(target=read) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not failures


@pytest.mark.parametrize("wider", [8, 1])
def test_a_filtered_search_gives_what_the_store_filtering_gives(
    fake_data: object, monkeypatch: pytest.MonkeyPatch, wider: int
) -> None:
    """Read wide and filtered here (8), or, finding too few admitted chunks, filtered by the store (1)."""
    from assistant.answering.retrieval import _POOL, _dense
    from assistant.models import Filters
    from assistant.settings import get_settings
    from assistant.wiring import build_service
    from tests.support.fakes import HashingEmbedder

    monkeypatch.setattr(retrieval, "_WIDER", wider)
    service = build_service(get_settings(), embedder_factory=HashingEmbedder)
    try:
        snapshot = service.index.get()
        vector = HashingEmbedder().embed(["Who can apply to the programme?"])[0]
        for source in {chunk.source for chunk in snapshot.chunks.values()}:
            filters = Filters(source=source)
            expected = snapshot.vectors.query(vector, _POOL, filters.as_where())
            assert [chunk for chunk, _ in _dense(snapshot, vector, filters)] == [c for c, _ in expected]
    finally:
        service.close()
