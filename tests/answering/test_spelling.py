"""A typing slip in a question read as the word the documents use."""

from __future__ import annotations

import pytest

from assistant.answering.spelling import corrected, is_english
from ingest.textutil import terms

DOCUMENTS = "The deadline for Eurocities members is in May; boats and bats; the partnership's lead partner."
FREQUENCY = dict.fromkeys(terms(DOCUMENTS), 1)


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        ("When is the deadilne?", "When is the deadline?"),  # two letters swapped
        ("Which cities joined Eurocties?", "Which cities joined Eurocities?"),  # a letter left out, a name
        ("Who is the lead partnerr?", "Who is the lead partner?"),  # a letter added
        ("Who is the mayor?", "Who is the mayor?"),  # an English word: asks of what no document names
        ("How many buses run?", "How many buses run?"),  # 'buses' is no slip of 'bats' or 'boats'
        ("What is there?", "What is there?"),  # a small word too
        ("Who are Eurocties's members?", "Who are Eurocities's members?"),  # before a possessive
        ("Are Eurocties-members eligible?", "Are Eurocities-members eligible?"),  # in a compound too
        ("We're in Eurocties' lands", "We're in Eurocties' lands"),  # a name's apostrophe: left as typed
        # no document's word a slip away: the one English word is (the documents may not hold it)
        ("Who was the younegst member?", "Who was the youngest member?"),
        ("Who visited Lisbno?", "Who visited Lisbno?"),  # a capitalised word is a name…
        ("Who visited Brazliian towns?", "Who visited Brazilian towns?"),  # …or a nationality
    ],
)
def test_a_word_no_document_uses_one_slip_from_one_they_do_is_read_as_that_word(
    typed: str, read: str
) -> None:
    assert corrected(typed, FREQUENCY) == read


def test_english_words_are_known_in_their_regular_forms() -> None:
    assert all(is_english(word) for word in ("boats", "smallest", "stopped", "studies", "height"))
    assert not any(is_english(word) for word in ("deadilne", "partnerhsips", "eurocties"))
