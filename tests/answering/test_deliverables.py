"""Asked what a participant has to produce, the line saying what it must adopt or draw up answers: the
words programme pages use for a deliverable ('adopt a local flood adaptation plan') are the question's
'produce'. Read from a real index of an invented challenge's page beside the shipped corpus."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from assistant.service import AssistantService
from tests.support.corpora import serving

PAGE = """River Towns Resilience Challenge 2026 – participating towns

The River Towns Resilience Challenge helps towns along European rivers prepare for floods and droughts.
Forty towns were selected in 2026 out of 95 applications.

WHAT PARTICIPATING TOWNS COMMIT TO
- name a resilience officer in the town administration;
- adopt a local flood adaptation plan within 12 months of the kick-off meeting;
- take part in at least three of the five network meetings.

Participating towns receive up to 20 expert days each; no grants are paid to towns.
"""


@pytest.fixture(scope="module")
def challenge(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AssistantService]:
    yield from serving(tmp_path_factory, {"river-towns-resilience-challenge-2026.txt": PAGE})


def test_what_a_participant_must_adopt_is_what_it_has_to_produce(challenge: AssistantService) -> None:
    answer = challenge.ask(
        "What did towns in the 2026 River Towns Resilience Challenge have to produce within 12 months?"
    )
    assert not answer.abstained
    # the line with the deliverable leads, not the sentence sharing only the year
    assert "adopt a local flood adaptation plan" in answer.citations[0].quote
    assert "Forty towns were selected" not in answer.answer
