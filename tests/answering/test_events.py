"""A date asked of an event is given only by a sentence telling of that event, in its words or others."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.answering.events import dates_something, deed_asked, event_asked, event_timed, tells_event


@pytest.mark.parametrize(
    ("question", "verb"),
    [
        ("When did the old mill close?", "close"),
        ("In what year was the lighthouse built?", "build"),  # an irregular participle read as its verb
        ("When did the choir first perform abroad?", "perform"),  # 'first' describes no noun after it
        ("Which year did the ferry company buy its second boat?", "buy"),
    ],
)
def test_the_verb_a_question_dates_is_read(question: str, verb: str) -> None:
    event = event_asked(question)
    assert event is not None and verb in event


@pytest.mark.parametrize(
    "question",
    [
        "When is the deadline?",  # a thing, not an event
        "When does the call close?",  # the present asks a deadline, read by the date checks
        "When did the festival take place?",  # a light verb says little by itself
        "When did the town set up its port authority?",
        "By when did applications have to be in?",  # a plural is no verb after 'did'
        "Where was the treaty signed?",
    ],
)
def test_no_event_is_read_where_the_question_names_none_by_a_verb(question: str) -> None:
    assert event_asked(question) is None


@pytest.mark.parametrize(
    ("question", "sentence", "tells"),
    [
        ("When did the old mill close?", "The mill closed in 1950 after a fire.", True),
        ("When did the old mill close?", "Its closure in 1950 ended three centuries of milling.", True),
        ("When did the old mill close?", "The mill opened in 1820 on the east bank.", False),
        ("In what year was the lighthouse built?", "Masons built the tower in 1791.", True),
        # a verb WordNet relates to the one asked, in its commonest senses
        ("When did the council obtain its charter?", "The council received its charter in 1344.", True),
        ("When did the architect propose a bridge?", "In 1901 the architect suggested a bridge.", True),
        ("When did the painter die?", "The painter moved to Antwerp in 1612 and taught there.", False),
        ("When did the painter die?", "After the painter's death in 1640 the workshop closed.", True),
        # an irregular form that is a noun too is read as the verb the question named
        ("When did the rowing club win its first regatta?", "The club won the regatta in 1911.", True),
        ("When did the river level rise above the quay?", "The water rose over the quay in 1953.", True),
        ("When did the rowing club win its first regatta?", "The club lost the final in 1911.", False),
    ],
)
def test_a_sentence_tells_the_event_in_its_words_or_related_ones(
    question: str, sentence: str, tells: bool
) -> None:
    event = event_asked(question)
    assert event is not None
    assert tells_event(sentence, event) is tells


@pytest.mark.parametrize(
    ("sentence", "dates"),
    [
        ("The gate was built in 1411.", True),
        ("It was rebuilt in the nineteenth century.", True),
        ("The market is held every May.", True),
        ("The gate has two towers.", False),
    ],
)
def test_any_date_dates_an_event(sentence: str, dates: bool) -> None:
    assert dates_something(sentence) is dates


def test_the_table_of_related_verbs_is_wordnets() -> None:
    data = json.loads(
        (Path(__file__).parents[2] / "assistant/answering/verb_relations.json").read_text("utf-8")
    )
    assert "WordNet" in data["_source"] and data["_licence"]
    assert "obtain" in data["relations"]["receive"] and "die" not in data["relations"]["propose"]
    assert "death" in data["relations"]["die"]  # a noun derived from the verb


@pytest.mark.parametrize(
    ("question", "verbs"),
    [
        ("How long did it take to repair the old quay?", {"repair"}),
        # the verb asking how long names no event: the duration is of the agreement
        ("How long did the agreement run?", None),
        ("How long did the exchange take?", None),
    ],
)
def test_the_verb_a_question_times_is_read(question: str, verbs: set[str] | None) -> None:
    event = event_timed(question)
    assert (event is None) if verbs is None else (event is not None and verbs <= event)


def test_a_duration_of_another_event_does_not_time_the_one_asked() -> None:
    event = event_timed("How long did it take to repair the old quay?")
    assert event is not None
    assert tells_event("Repairs to the quay took eight months.", event)
    assert not tells_event("The new quay was built in eight months.", event)


def test_the_making_a_question_asks_the_maker_of_is_read() -> None:
    designed = deed_asked("Who designed the old lighthouse?")
    assert designed is not None and "design" in designed
    assert tells_event("The tower was designed by Alan Stevenson.", designed)
    assert not tells_event("The tower was built by a crew of forty masons.", designed)
    built = deed_asked("Who built the first steam organ?")
    assert built is not None and "build" in built
    # no past deed, a light verb, or a deed told in too many ways to bind its doer to the verb
    for question in (
        "Who leads the working group?",
        "Who was the first mayor?",
        "Who made the first one?",
        "Who implemented the project?",
        "Who can apply?",
    ):
        assert deed_asked(question) is None, question
