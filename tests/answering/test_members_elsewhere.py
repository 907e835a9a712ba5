"""Asked which ones of a world region or a country ('Which Asian cities are mentors?'), a list placing each
of its members in other countries ('Valparaíso (Chile) · Durban (South Africa) · …') names none of them:
the answer declines, saying so; asked of a region the list does place members in, it answers. Read from
a real index of an invented challenge's page beside the shipped corpus."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from assistant.service import AssistantService
from prompts import say
from tests.support.corpora import declined_beside_its_twin, serving

PAGE = """Harbour Innovation Challenge 2025 – participating cities

The Harbour Innovation Challenge helps port cities test digital tools for cleaner ports.

CORE CITIES (4)
Bruges (BE) · Porto (PT) · Gdańsk (PL) · Trieste (IT)

INTERNATIONAL MENTOR CITIES (3)
Valparaíso (Chile) · Durban (South Africa) · Halifax (Canada)

International mentors take part in online peer-learning sessions and in one study visit.
"""


@pytest.fixture(scope="module")
def challenge(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AssistantService]:
    yield from serving(tmp_path_factory, {"harbour-innovation-challenge-2025-cities.txt": PAGE})


def test_a_list_placing_its_members_elsewhere_names_none_of_the_region_asked(
    challenge: AssistantService,
) -> None:
    declined_beside_its_twin(
        challenge,
        "Which Asian cities are international mentors in the Harbour Innovation Challenge?",
        say("offline.without_members"),
        "Which African cities are international mentors in the Harbour Innovation Challenge?",
        "Durban",
    )
    # the list line, run together with middle dots, is read as a list, not as a heading
    every = challenge.ask("Which cities are international mentors in the Harbour Innovation Challenge?")
    assert not every.abstained and "Valparaíso" in every.answer and "Halifax" in every.answer
