"""A call is of the year its title gives it: asked of the '2026 call', a 'call 2025' whose events run in
2026 answers another edition, and the answer says the documents do not answer. Read from a real index of
an invented call beside the shipped corpus."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from assistant.service import AssistantService
from tests.support.corpora import serving

CALL = """Harbour Towns Exchange – call 2025

The Harbour Towns Exchange funds meetings of citizens from harbour towns that share a history of
seafaring.

Key dates
- Call opening: 3 March 2025
- Deadline for submission: 30 September 2025
- Meetings must take place between 1 March 2026 and 31 December 2026.

Grants
The grant is a lump sum that depends on the number of participants: EUR 9,000 for up to 50
participants and EUR 21,000 for 51 participants or more.
"""


@pytest.fixture(scope="module")
def harbour_towns(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AssistantService]:
    yield from serving(tmp_path_factory, {"harbour-towns-exchange-call-2025.txt": CALL})


def test_a_call_of_another_year_than_its_title_gives_does_not_answer(
    harbour_towns: AssistantService,
) -> None:
    asked_of_its_year = harbour_towns.ask("How large are the grants in the Harbour Towns Exchange 2025 call?")
    assert not asked_of_its_year.abstained
    assert "21,000" in asked_of_its_year.answer
    # the call speaks of 2026 (when its meetings take place), but it is not the 2026 call
    asked_of_the_next = harbour_towns.ask("How large are the grants in the Harbour Towns Exchange 2026 call?")
    assert asked_of_the_next.abstained
    assert "21,000" not in asked_of_the_next.answer.split("closest", 1)[0]
