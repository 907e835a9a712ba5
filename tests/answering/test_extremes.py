"""The extreme a question asks for, and whether an answer gives one like it of the thing asked about."""

from __future__ import annotations

import pytest

from assistant.answering.extremes import asked_extreme, extreme_left_open


@pytest.mark.parametrize(
    ("question", "asked"),
    [
        ("What is the maximum grant per town?", "maximum"),
        ("How many partners does a project need at minimum?", "at minimum"),
        ("How many days may a visit last at most?", "at most"),
        ("Which region sends the most partners?", "the most"),
        ("What was the busiest month of the festival?", "busiest"),
        ("Which breed is the least commonly kept?", "least commonly"),
        ("Who made the earliest recorded crossing?", "earliest"),
    ],
)
def test_the_extreme_a_question_asks_for(question: str, asked: str) -> None:
    extreme = asked_extreme(question)
    assert extreme is not None and extreme.asked == asked


@pytest.mark.parametrize(
    "question",
    [
        "Is there a minimum population?",  # 'any size may apply' settles it
        "We have 8,000 inhabitants. Is there a minimum size?",
        "We are in a Least Developed Country: what is the co-financing rate?",  # a name
        "What is the forest area of the park?",  # a noun ending as a superlative does
        "How many pairings are there (latest figure)?",  # the figure as it now stands
        "Where did most of the workers live?",  # a share, not an extreme
        "What did the cities value most?",
    ],
)
def test_no_extreme_is_asked(question: str) -> None:
    assert asked_extreme(question) is None


@pytest.mark.parametrize(
    ("question", "answer"),
    [
        ("What is the maximum grant?", "The grant is up to EUR 50,000 per town."),
        ("What is the maximum grant?", "Grants range from EUR 20,000 to EUR 50,000."),
        ("What is the minimum population?", "Towns must have at least 5,000 inhabitants."),
        ("What is the minimum population?", "Towns of more than 5,000 inhabitants may apply."),
        ("What is the minimum score?", "Proposals scoring below 60 points are not funded."),
        ("How many towns may join at most?", "Towns of 5,000 to 40,000 inhabitants may join."),
        ("What was the busiest month?", "August is the busiest month."),
        ("Which breed is the least commonly kept?", "Jersey cows are rarely kept."),
        ("Who made the earliest recorded crossing?", "The first recorded crossing was made by a monk."),
    ],
)
def test_an_answer_giving_the_extreme_leaves_nothing_open(question: str, answer: str) -> None:
    assert extreme_left_open(question, answer) is None


@pytest.mark.parametrize(
    ("question", "answer"),
    [
        ("What was the busiest month?", "The museum receives about 14,000 visitors a year."),
        ("What is the minimum population?", "The project ran between 2012 and 2018."),  # years, no bound
        ("Which breed is the least commonly kept?", "At least 60 per cent of the cows are Bruna."),
        ("What is the maximum maturing time?", "The cheese is matured for two years or more."),  # a minimum
    ],
)
def test_an_answer_giving_no_such_extreme_leaves_it_open(question: str, answer: str) -> None:
    assert extreme_left_open(question, answer) is not None


def test_an_extreme_of_something_else_leaves_it_open() -> None:
    # 'up to 1,999 km' bounds the distance travelled, not the lump sum asked about
    answer = "EUR 6,000 for a 2-day event (participants travelling up to 1,999 km)."
    related = lambda sentence: "lump" in sentence  # noqa: E731
    assert extreme_left_open("What is the largest lump sum?", answer, related) is not None
    bounded = "The lump sum is up to EUR 9,000."
    assert extreme_left_open("What is the largest lump sum?", bounded, related) is None
