"""A 'how many…?' question is answered by a figure counting what it asks about, and by nothing else."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.answering.answer_types import counted_noun, counts_asked
from assistant.answering.people import people

PEOPLE_QUESTION = "How many people came to the harbour forum?"


@pytest.mark.parametrize(
    "sentence",
    [
        "Some 230 participants from 41 port cities came together.",
        "More than 640 local participants gathered in Turku.",
        "The village has about 600 inhabitants.",
        "Only one coordinator made the trip.",
        "A crowd of 300 women and 200 men marched.",
    ],
)
def test_people_in_general_are_counted_by_any_noun_of_persons(sentence: str) -> None:
    assert counts_asked(sentence, PEOPLE_QUESTION)


@pytest.mark.parametrize(
    "sentence",
    [
        "The room held 144 seats.",  # seats are not people
        "Rooms are reserved at three partner hotels.",  # 'partner' describes the hotels counted
        "Each city can register up to three participants: two members and a coordinator.",  # a limit
        "Cities under 50,000 inhabitants pay a lower fee.",  # a threshold
        "Registration closes on 14/06/2019 (or earlier if places run out).",
    ],
)
def test_figures_of_other_things_limits_and_thresholds_do_not_count_people(sentence: str) -> None:
    assert not counts_asked(sentence, PEOPLE_QUESTION)


def test_a_limit_asked_for_is_answered_by_a_limit() -> None:
    question = "What is the maximum number of people per city?"
    assert counts_asked("Each city can register up to three participants.", question)


def test_a_kind_of_person_is_counted_by_its_own_noun_only() -> None:
    question = "How many mayors came to the forum?"
    assert counts_asked("Among them were 18 mayors and deputy mayors.", question)
    assert not counts_asked("Some 230 participants came together.", question)


def test_a_single_thing_is_a_count() -> None:
    assert counts_asked("A single output is expected for every input.", "How many outputs are expected?")


@pytest.mark.parametrize(
    ("question", "noun"),
    [
        ("How many applications did the call receive?", "applications"),
        ("What was the total number of visitors?", "visitors"),
        ("and how many towns were selected?", "towns"),
        ("What limits the number of animals in most caves?", None),  # asks for a factor, not a number
        ("How many kilometres is the route?", None),  # a unit: the measurement check reads it
        ("How many months does the project last?", None),  # a period: the duration check reads it
        ("When does the call close?", None),
        ("How many arched gateways does the old wall have?", "gateways"),  # 'arched' describes them
        ("How many delegates travelled to Gdynia?", "delegates"),  # the verb ends the phrase
        ("How many street lamps did the village install?", "lamps"),  # the head of a compound
        ("How many EU towns took part in the exchange?", "towns"),  # read past a short name in capitals
    ],
)
def test_the_noun_a_question_asks_the_number_of(question: str, noun: str | None) -> None:
    assert counted_noun(question) == noun


def test_a_figure_must_count_the_thing_not_what_describes_it() -> None:
    question = "How many arched gateways does the old wall have?"
    assert counts_asked("The wall has 9 arched gateways along its northern side.", question)
    assert not counts_asked("The wall rests on 14 arched foundations of brick.", question)


def test_each_noun_of_a_compound_is_counted() -> None:
    question = "How many street lamps did the village install?"
    assert counts_asked("Volunteers installed 6 street lamps in 2019.", question)
    assert not counts_asked("Some 40 lamps of all kinds are sold in the region every year.", question)


def test_members_are_counted_by_what_they_belong_to() -> None:
    question = "How many crew members sail on each boat?"
    assert counts_asked("Each boat has a crew of four and room for 30 passengers.", question)
    assert not counts_asked("Each boat has room for 30 passengers.", question)


@pytest.mark.parametrize(
    "sentence",
    [
        # a figure tied to the noun by a preposition counts what it leaves unsaid (here, projects)
        "Some 40 projects were funded: 25 with towns in Norway and 15 with towns in Iceland.",
        # after the noun, a figure naming another noun counts that one
        "Priority goes to towns with more than 20,000 inhabitants.",
        "Towns must come from at least 4 participating countries.",  # past a describing word
    ],
)
def test_a_figure_tied_to_the_noun_or_counting_another_noun_does_not_count_it(sentence: str) -> None:
    assert not counts_asked(sentence, "How many towns took part in the exchange?")


@pytest.mark.parametrize(
    "sentence",
    [
        "In the end 31 towns took part.",
        "Of the towns invited, 31 took part.",
        "Of the towns invited, 31 were there.",
        "Of the towns invited, at least 31 joined.",
        "Towns taking part: 31",
    ],
)
def test_a_figure_before_or_after_the_noun_counts_it(sentence: str) -> None:
    assert counts_asked(sentence, "How many towns took part in the exchange?")


def test_kinds_of_a_thing_are_counted_only_with_that_thing() -> None:
    question = "How many species of river mussels live in the delta?"
    assert counts_asked("Some 14 species of freshwater mussels occur in the delta.", question)
    assert not counts_asked("More than 200 species of fish and snails live in the delta.", question)


def test_the_table_of_persons_is_wordnets_and_reads_plurals() -> None:
    table = people()
    assert {"participant", "mayor", "inhabitant", "delegate", "volunteer"} <= table.persons
    assert "hotel" not in table.persons and "seat" not in table.persons
    assert table.names_persons("women") and table.names_persons("cities") is False
    assert table.names_anyone("people") and not table.names_anyone("mayors")
    data = json.loads((Path(__file__).parents[2] / "assistant/answering/people.json").read_text("utf-8"))
    assert "WordNet" in data["_source"] and data["_licence"]


def test_a_number_that_came_about_is_not_a_rule_nor_a_date() -> None:
    received = "How many project outlines were received under the 2026 harbour call?"
    assert counts_asked("The call received 212 project outlines.", received)
    # a rule on the number each may send, a day of a month after the noun: neither counts what came in
    assert not counts_asked("Each lead town may submit no more than one project outline.", received)
    assert not counts_asked("The deadline for project outlines is 12 June 2026 at noon.", received)
    # asked what the rule allows, the rule answers
    allowed = "How many project outlines may a lead town submit?"
    assert counts_asked("Each lead town may submit no more than one project outline.", allowed)
