"""A question copying its best sentence with one thing swapped for another is told from one rewording it."""

from __future__ import annotations

import pytest

from assistant.answering.swapped import names_a_thing, swapped


@pytest.mark.parametrize(
    ("question", "sentence", "found"),
    [
        (
            "Which paper marks the beginning of sociology studies?",
            "A 1965 paper marks the beginning of systematic studies in the field.",
            [("sociology", "systematic")],
        ),
        # read with articles: the words around are 'the largest … blocks'
        (
            "What did the largest basalt blocks weigh?",
            "The largest granite blocks weigh about 4 tonnes.",
            [("basalt", "granite")],
        ),
        # read without: 'a steel trestle' of 'an iron trestle'
        (
            "Which proposal for a steel trestle was rejected?",
            "A proposal for an iron trestle was rejected as too costly.",
            [("steel", "iron")],
        ),
        # the question's last word: three words before it stand in for the one after
        (
            "What is the output corresponding to the given question?",
            "The solution is the output corresponding to the given input.",
            [("question", "input")],
        ),
        # a word no dictionary knows ('yer') swaps as well as a noun
        (
            "Which problems have answers that are either yer or no?",
            "Decision problems have answers that are either yes or no.",
            [("yer", "yes")],
        ),
    ],
)
def test_a_thing_swapped_between_the_same_words_is_found(
    question: str, sentence: str, found: list[tuple[str, str]]
) -> None:
    assert swapped(question, sentence) == found


@pytest.mark.parametrize(
    ("question", "sentence"),
    [
        # rewording what is done or how: mostly verbs, adjectives, adverbs
        (
            "Which animals live and breed either in caves or outside?",
            "They live and reproduce either in caves or outside.",
        ),
        ("How fast do the machines usually advance?", "The machines commonly advance at 2 metres a minute."),
        # the same word, another form, or a part of it
        ("What did the first program compute?", "The first stored-program computer compute tables."),
        # a name or a figure is no swap
        (
            "How many towns joined the Baltic network in 2025?",
            "Twelve towns joined the Nordic network in 2024.",
        ),
        # the last word with only two words before it the same
        ("Which festival goes with replica boats?", "The procession ends with replica rafts."),
        # only one side shared
        (
            "How many semicircular windows does it have?",
            "It has 21 semicircular arches, each 15 metres wide.",
        ),
        # the sentence writes the word itself
        (
            "Which office approves the budget of each network?",
            "The office approves the budget of each network.",
        ),
    ],
)
def test_no_swap_is_found_where_the_question_rewords_or_names_the_same_thing(
    question: str, sentence: str
) -> None:
    assert swapped(question, sentence) == []


@pytest.mark.parametrize(
    ("word", "thing"),
    [
        ("sociology", True),
        ("steel", True),
        ("salamanders", True),
        ("yer", True),
        ("breed", False),
        ("usually", False),
        ("ran", False),
    ],
)
def test_a_thing_is_a_word_mostly_a_noun_or_unknown(word: str, thing: bool) -> None:
    assert names_a_thing(word) is thing
