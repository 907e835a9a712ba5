"""A compound question asking two counts gets each from the line that gives it, a heading's count too
('Member towns (23)'): read from a real index of an invented network's page beside the shipped corpus."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from assistant.service import AssistantService
from tests.support.corpora import service_with

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


@pytest.fixture(scope="module")
def network(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AssistantService]:
    service = service_with(tmp_path_factory, {"hill-towns-water-network-members-2027.txt": NETWORK})
    yield service
    service.close()


def test_each_part_asking_a_count_gets_the_line_giving_it(network: AssistantService) -> None:
    answer = network.ask(
        "How many applications did the Hill Towns Water Network receive, "
        "and how many member towns were chosen?"
    )
    assert not answer.abstained
    assert "41 applications" in answer.answer and "MEMBER TOWNS (23)" in answer.answer
