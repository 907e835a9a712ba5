"""A conversation in which the asker gives their own facts: the answer is the line that speaks to them
(the fee table's row whose population band holds their figure), read from a real index of an invented
association's page beside the shipped corpus."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from assistant.service import AssistantService
from tests.support.corpora import service_with

MEMBERSHIP = """Lakeside Towns Association – how to become a member

The Lakeside Towns Association brings together towns on lakes and reservoirs to exchange practice on water
quality, shore protection and lake tourism.

Who can join
Any town or municipality on a lake or reservoir in a Council of Europe country may join. Regional lake
authorities may join as associate members without voting rights.

Annual membership fee
The fee depends on the town's population and is set each year by the general assembly.
Category | Population | Annual fee
Full member | up to 19,999 inhabitants | EUR 1,200
Full member | 20,000 – 49,999 inhabitants | EUR 2,600
Full member | 50,000 or more inhabitants | EUR 4,100
Associate member | any | EUR 800

How to join
Send the membership form and a council decision to the secretariat; the board admits new members at its
next meeting.
"""


@pytest.fixture(scope="module")
def lakeside(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AssistantService]:
    service = service_with(tmp_path_factory, {"lakeside-towns-association-membership.txt": MEMBERSHIP})
    yield service
    service.close()


@pytest.mark.parametrize(
    ("facts", "fee", "other_fees"),
    [
        ("We're a town of 31,000 people in Austria.", "EUR 2,600", ("EUR 1,200", "EUR 4,100")),
        ("We are a town of 8,500 people in Slovenia.", "EUR 1,200", ("EUR 2,600", "EUR 4,100")),
    ],
)
def test_facts_given_after_a_question_get_the_row_whose_band_holds_them(
    lakeside: AssistantService, facts: str, fee: str, other_fees: tuple[str, ...]
) -> None:
    first = lakeside.ask("What does membership of the Lakeside Towns Association cost?")
    answer = lakeside.ask(facts, first.session_id)
    assert not answer.abstained, answer.answer
    # the row that speaks to the asker, not the whole table
    assert fee in answer.answer, answer.answer
    assert not any(other in answer.answer for other in other_fees), answer.answer
    assert answer.citations[0].source == "lakeside-towns-association-membership.txt"
