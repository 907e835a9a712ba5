"""A compound question asking two counts gets each from the line that gives it, a heading's count too
('Member towns (23)'); asked which ones of a country, every row of a table naming it answers, and no row
naming another; a sentence naming the towns asked about that says their twinning is still to be
confirmed holds no answer: read from a real index of an invented network's pages beside the shipped
corpus."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from assistant.service import AssistantService
from prompts import say
from tests.support.corpora import serving

NETWORK = """Hill Towns Water Network – member towns 2027

The Hill Towns Water Network links small towns in upland valleys that share practice on drinking water and
flood protection. The call for members received 41 applications from 9 countries, and the selection panel
met in Graz in March 2027.

MEMBER TOWNS (23) – extract
Bled (SI) | Hallstatt (AT) | Zakopane (PL) | Sappada (IT)
Cortina (IT) | Bovec (SI) | Tarvisio (IT) | Bohinj (SI)

WHAT MEMBER TOWNS COMMIT TO
- name a water officer in the town administration;
- take part in at least two of the three network meetings each year;
- publish a flood plan within 18 months.
"""

TWINNINGS = """Hill Towns Water Network – twinnings 2027

Each twinning pairs a visiting town that wants to learn with a host town that has done it already.

| Visiting town | Country | Host town | Country | Topic |
|---|---|---|---|---|
| Bled | SI | Hallstatt | AT | spring protection |
| Sappada | IT | Bohinj | SI | flood maps |
| Zakopane | PL | Lienz | AT | snowmelt forecasting |
| Tarvisio | IT | Bovec | SI | drinking water safety |
| Krynica | PL | Bad Ischl | AT | spa water reuse |

Each visit lasts two days and takes place between May and October 2027. Two further twinnings, Mittenwald
with Tolmin and Sauris with Kranj, are pending the confirmation of the host towns.
"""


@pytest.fixture(scope="module")
def network(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AssistantService]:
    yield from serving(
        tmp_path_factory,
        {
            "hill-towns-water-network-members-2027.txt": NETWORK,
            "hill-towns-water-network-twinnings-2027.txt": TWINNINGS,
        },
    )


def test_each_part_asking_a_count_gets_the_line_giving_it(network: AssistantService) -> None:
    answer = network.ask(
        "How many applications did the Hill Towns Water Network receive, "
        "and how many member towns were chosen?"
    )
    assert not answer.abstained
    assert "41 applications" in answer.answer and "MEMBER TOWNS (23)" in answer.answer


def test_asked_which_ones_of_a_country_every_row_naming_it_answers(network: AssistantService) -> None:
    answer = network.ask("Which Italian towns are visiting towns in the Hill Towns twinnings of 2027?")
    assert not answer.abstained
    assert "Sappada" in answer.answer and "Tarvisio" in answer.answer
    # the rows of other countries' towns stay out
    assert "Bled" not in answer.answer and "Krynica" not in answer.answer


def test_a_sentence_naming_what_is_asked_that_says_it_is_pending_holds_no_answer(
    network: AssistantService,
) -> None:
    answer = network.ask("What topic will Mittenwald and Tolmin work on in the Hill Towns twinnings?")
    assert answer.abstained and say("offline.pending") in answer.answer
