"""A question typed in small letters read with the capitals the documents give its words."""

from __future__ import annotations

import pytest

from assistant.answering.casing import Casing, typed_in_small_letters

SENTENCES = [
    "The programme pairs Leipzig with Kochi and Ljubljana with Split.",
    "Cities in Interreg Europe share their practice; Interreg Europe funds the exchanges.",
    "Projects may split their budget into three lots, and the lots are split by theme.",
    "Leipzig's partnership began in 2020 under Partnerships for Sustainable Cities.",
    "Minimum population: 50,000",
    "Budget | Minimum | Maximum",
    "The Danube River Towns Network (DRTN) links small towns.",
    "CALL FOR APPLICATIONS (OPEN)",
]


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        ("who is leipzig's partner?", "who is Leipzig's partner?"),
        ("what does interreg europe fund?", "what does Interreg Europe fund?"),
        # 'split' is written in small letters too
        ("is split paired with ljubljana?", "is split paired with Ljubljana?"),
        ("minimum population?", "minimum population?"),  # a label's capital is no name's
        (
            "when did partnerships for sustainable cities start?",
            "when did Partnerships for Sustainable Cities start?",
        ),
        # an acronym keeps its capitals where it opens a bracket, but not in a line all in capitals
        ("who leads the drtn?", "who leads the DRTN?"),
        ("is the call open?", "is the call open?"),
        # a country or its people's word is a name wherever the documents write it
        ("which mexican towns take part?", "which Mexican towns take part?"),
        ("can towns in portugal apply?", "can towns in Portugal apply?"),
    ],
)
def test_words_and_phrases_the_documents_capitalise_in_running_text_are_capitalised(
    typed: str, read: str
) -> None:
    assert Casing.of(SENTENCES).restored(typed) == read


@pytest.mark.parametrize(
    ("question", "small"),
    [
        ("who is leipzig's partner?", True),
        ("Who is leipzig's partner?", False),
        ("what is the deadline for IURC?", False),  # capitalising anything, the asker capitalises names too
    ],
)
def test_only_a_question_without_a_capital_is_read_again(question: str, small: bool) -> None:
    assert typed_in_small_letters(question) is small
