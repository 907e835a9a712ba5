"""A thing a question names by an acronym that a few documents write ('the LTE call') is not what a document
neither writing it nor spelling it out speaks of: another fund's 'Lot 4' line is no answer about the LTE
call's Lot 4. Read from a real index of two invented calls beside the shipped corpus."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from assistant.service import AssistantService
from tests.support.corpora import serving

LAKESIDE = """Lakeside Towns Exchange – call for partnerships 2025

The Lakeside Towns Exchange (LTE) pairs small towns on European lakes so that they can learn from each
other how to protect their shores.

Lots
The budget of the call is EUR 3 million, split into three lots:
Lot 1 – Water quality: EUR 1.2 million
Lot 2 – Shore paths and access: EUR 1 million
Lot 3 – Flood protection: EUR 0.8 million
"""

HARBOUR = """Harbour Cities Fund – guidelines for applicants 2024

Any grant requested under this call must fall between the following amounts:
- Lots 1 to 3: minimum EUR 300,000; maximum EUR 900,000;
- Lot 4: minimum EUR 200,000; maximum EUR 600,000.
"""


@pytest.fixture(scope="module")
def two_calls(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AssistantService]:
    yield from serving(
        tmp_path_factory,
        {
            "lakeside-towns-exchange-call-2025.txt": LAKESIDE,
            "harbour-cities-fund-guidelines-2024.txt": HARBOUR,
        },
    )


def test_a_document_not_writing_the_acronym_asked_of_does_not_answer(two_calls: AssistantService) -> None:
    answer = two_calls.ask("What is the maximum grant for Lot 4 of the LTE call?")
    assert answer.abstained
    assert "600,000" not in answer.answer.split("closest", 1)[0]
    # the call that writes it answers what it holds
    answered = two_calls.ask("How much money does Lot 2 of the LTE call have?")
    assert not answered.abstained and "EUR 1 million" in answered.answer
    assert answered.citations[0].source == "lakeside-towns-exchange-call-2025.txt"
