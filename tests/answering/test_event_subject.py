"""A date asked of an event, or a maker asked of a making, is given only by a sentence telling of that event
as it happened to the thing asked about: 'Perch were introduced in 1890' does not date the pike's coming,
and an architect who designed a mill's chimney did not design the footbridge beside it. Read from the
question's words (``event_subject``, ``speaks_of``) and from a real index of an invented page beside the
shipped corpus."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from assistant.answering.events import event_subject, speaks_of
from assistant.service import AssistantService
from prompts import say
from tests.support.corpora import declined_beside_its_twin, serving

PAGE = """Harrowby mill pond

The mill pond at Harrowby was dug in 1742 to drive a corn mill. Perch were introduced in 1890 for anglers and
now breed in the pond. Pike are absent.

Cole's Mill was rebuilt in 1851 to plans by the architect Mary Cole, who also designed its brick chimney. A
wooden footbridge crosses the pond below the mill.
"""


@pytest.fixture(scope="module")
def mill_pond(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AssistantService]:
    yield from serving(tmp_path_factory, {"harrowby-mill-pond.txt": PAGE})


def test_what_an_event_happened_to_is_read_from_the_question() -> None:
    pike = event_subject("When were pike introduced into the mill pond?")
    assert pike is not None
    assert not speaks_of("Perch were introduced in 1890.", pike)
    assert speaks_of("Pike were introduced in 1901.", pike)
    # a pronoun, a common noun after 'the', a label's value may speak of it
    assert speaks_of("They were introduced in 1901.", pike)
    assert speaks_of("The species was introduced in 1901.", pike)
    assert speaks_of("Introduced: 1901", pike)
    footbridge = event_subject("Who designed the footbridge at Harrowby?")
    assert footbridge is not None
    assert not speaks_of("Cole's Mill was rebuilt by Mary Cole, who also designed its chimney.", footbridge)
    # named by a pronoun, or no event named: nothing to bind
    assert event_subject("When was it built?") is None
    assert event_subject("When is the deadline?") is None


def test_an_event_told_of_another_thing_is_declined(mill_pond: AssistantService) -> None:
    declined_beside_its_twin(
        mill_pond,
        "When were pike introduced into the Harrowby mill pond?",
        say("offline.without_date"),
        "When were perch introduced into the Harrowby mill pond?",
        "1890",
    )
    declined_beside_its_twin(
        mill_pond,
        "Who designed the footbridge at Harrowby?",
        say("offline.without_agent"),
        "Who designed the chimney of Cole's Mill?",
        "Mary Cole",
    )
