"""Asked how a thing is done, a page setting it out as numbered steps under their own headings answers
with every step, in order: read from a real index of an invented pact's page beside the shipped corpus."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from assistant.service import AssistantService
from tests.support.corpora import serving

PACT = """The River Cities Pact

The River Cities Pact gathers cities and towns along European rivers that commit to restoring their
riverbanks and to opening them to residents. By joining the Pact, a city commits to act on its own
riverbanks and to work side by side with other river cities, sharing what works and what does not.

Who can join?
Any city or town on a river, of any size, may join the Pact. Joining is free of charge.

How to join the River Cities Pact
Joining the Pact takes a decision of the city council and a letter signed by the mayor. The joining
follows these steps:

Step 1
Send the signed letter and the council decision to the Pact office by e-mail.

Step 2
Name a river officer in your administration, who will be the Pact office's contact.

Step 3
- Map the state of your riverbanks
- Hold a public meeting with residents and river users
- Draw up a riverbank plan within 18 months

Step 4
Publish a short progress note on the Pact website every year.
"""
STEPS = (
    "Send the signed letter",
    "Name a river officer",
    "Map the state of your riverbanks",
    "Draw up a riverbank plan",
    "Publish a short progress note",
)


@pytest.fixture(scope="module")
def pact(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AssistantService]:
    yield from serving(tmp_path_factory, {"river-cities-pact-how-to-join.txt": PACT})


@pytest.mark.parametrize(
    "question",
    [
        "How do we join the River Cities Pact?",
        "Our mayor has signed the River Cities Pact letter. What are the next steps for the city?",
    ],
)
def test_every_step_answers_in_order(pact: AssistantService, question: str) -> None:
    answer = pact.ask(question)
    assert not answer.abstained
    where = [answer.answer.find(step) for step in STEPS]
    assert -1 not in where, answer.answer  # a lead-in without its steps, or one step of several, is not it
    assert where == sorted(where)
    assert {citation.source for citation in answer.citations} == {"river-cities-pact-how-to-join.txt"}


def test_a_question_about_one_thing_on_the_page_is_not_given_the_steps(pact: AssistantService) -> None:
    answer = pact.ask("Does joining the River Cities Pact cost anything?")
    assert "free of charge" in answer.answer
    assert "Publish a short progress note" not in answer.answer
