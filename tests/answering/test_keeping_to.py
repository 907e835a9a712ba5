"""An answer keeps to what the question asks of: the asker's own figure (of a fee table, the row whose
population band holds it) and the one member of a series asked about ('Lot 2', not its sibling lots),
read from a real index of invented pages beside the shipped corpus."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from assistant.answering.passages import sibling_apart
from assistant.service import AssistantService
from tests.support.corpora import serving

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


LOTS = """Harbour Towns Exchange – second call for partnerships (2026)

Lots
The indicative budget of the second call is EUR 3.6 million, split into three lots:
Lot 1 – Quays and flood walls: EUR 1.5 million
Lot 2 – Small ferries and water buses: EUR 1.2 million
Lot 3 – Harbour heat and cooling: EUR 0.9 million
Each partnership applies under one lot only.
"""


OTHER_LOTS = """River Ports Network – call for projects 2026

The budget of the call is EUR 5 million, split into two lots:
Lot 1 – Inland quays: EUR 3 million
Lot 2 – Small ferries and river buses: EUR 2 million
"""


@pytest.fixture(scope="module")
def lakeside(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AssistantService]:
    yield from serving(
        tmp_path_factory,
        {
            "lakeside-towns-association-membership.txt": MEMBERSHIP,
            "harbour-towns-second-call-2026.txt": LOTS,
            "river-ports-network-call-2026.txt": OTHER_LOTS,
        },
    )


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


def test_asked_of_one_lot_its_siblings_stay_out(lakeside: AssistantService) -> None:
    answer = lakeside.ask("How much is available for Lot 2 in the Harbour Towns Exchange second call?")
    assert "EUR 1.2 million" in answer.answer, answer.answer
    assert "EUR 1.5 million" not in answer.answer and "EUR 0.9 million" not in answer.answer
    # nor does another document's figure come beside it: it is not about the call the question names
    assert {citation.source for citation in answer.citations} == {"harbour-towns-second-call-2026.txt"}


def test_only_lines_written_like_the_lead_are_its_siblings() -> None:
    def keeps_lot_2(text: str) -> bool:
        return "Lot 1" not in text and "Lot 3" not in text

    apart = sibling_apart([keeps_lot_2], "Lot 2 – Small ferries and water buses: EUR 1.2 million")
    assert apart is not None
    assert apart("Lot 3 – Harbour heat and cooling: EUR 0.9 million")
    # prose naming another lot is no sibling row: it may say what the lead leaves open
    assert not apart("Funds left in Lot 1 may be moved to the other lots after the evaluation.")
    # a lead keeping to nothing the question asks of has no siblings to keep out
    assert sibling_apart([keeps_lot_2], "Lot 1 – Quays and flood walls: EUR 1.5 million") is None
    assert sibling_apart([], "Lot 2 – Small ferries") is None
