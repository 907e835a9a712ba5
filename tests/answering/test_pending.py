"""A sentence saying that what is asked is yet to be announced or confirmed holds no answer."""

from __future__ import annotations

import pytest

from assistant.answering.pending import left_pending


@pytest.mark.parametrize(
    ("question", "sentence"),
    [
        ("Which town hosts the closing meeting?", "The host of the closing meeting is yet to be decided."),
        (
            "Which city is Lagos paired with?",
            "A pairing between Lagos and a Dutch city will be announced later.",
        ),
        (
            "What is the budget for pilots?",
            "A budget for pilots will be confirmed once the agreement is signed.",
        ),
        ("Who is the keynote speaker?", "Speaker: TBC"),
        (
            "What topics do Tarrow and Velde work on?",
            "Two further pairings, Tarrow with Velde and Ilok with Bled, are pending the confirmation of the "
            "partner municipalities.",
        ),
        ("Which town hosts the forum?", "The forum's host town, Ilok, is subject to confirmation."),
    ],
)
def test_a_sentence_saying_what_is_asked_is_not_known_yet_is_pending(question: str, sentence: str) -> None:
    assert left_pending(question, sentence)


@pytest.mark.parametrize(
    ("question", "sentence"),
    [
        # the question asks about the announcing itself: the sentence answers it
        ("When will the results be announced?", "Results will be announced in July 2026."),
        ("When is the host confirmed?", "The host will be confirmed in April."),
        # what is pending is not what is asked
        ("When does the call close?", "Results will be announced in July 2026."),
        # nothing is pending
        ("Which town hosts the closing meeting?", "The closing meeting is hosted by Ilok."),
    ],
)
def test_a_sentence_that_answers_or_speaks_of_something_else_is_not_pending(
    question: str, sentence: str
) -> None:
    assert not left_pending(question, sentence)


def test_off_the_lead_more_of_the_question_must_be_shared() -> None:
    sentence = "Exact dates and the theme will be announced in the autumn."
    assert left_pending("What are the exact dates and the theme?", sentence, shared=2)
    assert not left_pending("What did Grenoble do exactly?", sentence, shared=2)
