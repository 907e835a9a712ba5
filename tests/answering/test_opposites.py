"""A question that turns its best sentence around ('the shortest delay' of a sentence on the longest):
the words of opposite meaning come from WordNet, read as their forms ('longest' → 'long')."""

from __future__ import annotations

import pytest

from assistant.answering.opposites import asks_not, denied, opposites, turned_around


@pytest.mark.parametrize(
    ("question", "sentence", "found"),
    [
        (
            "What was the shortest delay?",
            "The longest recorded delay was 19 days.",
            [("shortest", "longest")],
        ),
        ("Which cities were unable to join?", "Cities able to commit staff joined.", [("unable", "able")]),
        ("Which was the worse season?", "The 1998 season was a good one.", [("worse", "good")]),
        ("When does the lake freeze in hot years?", "In cold winters it freezes over.", [("hot", "cold")]),
        # WordNet writes the antonymy between 'difficult' and 'easy'; 'hard' shares the first one's sense
        (
            "Which step is harder to automate?",
            "The second step is easier to automate.",
            [("harder", "easier")],
        ),
    ],
)
def test_a_word_whose_opposite_the_sentence_writes_is_found(
    question: str, sentence: str, found: list[tuple[str, str]]
) -> None:
    assert turned_around(question, sentence) == found


@pytest.mark.parametrize(
    ("question", "sentence"),
    [
        # the word itself is there too: the sentence speaks of both
        ("What happens in cold winters?", "In cold winters the lake freezes; in warm ones it stays open."),
        # a set phrase compares nothing
        ("Which breed must make up most of the herd?", "At least 60 per cent must be of the breed."),
        # the dimension a 'how …' asks about is no claim
        ("How long is the canal?", "The canal is short and has 14 locks."),
        # nor is a name
        ("Who runs the Warm Homes scheme?", "The scheme is run by a cool-climate agency."),
        # both opposites asked: the question compares them
        ("Is the early or the late train faster?", "The late train stops everywhere."),
        # nouns and verbs are left out: a call open in March closes in June
        ("When does the call close?", "The call is open from March until 7 June."),
        # a yes/no clause is answered by the opposite: 'no'
        ("Which portal do we use — is it the same as last year?", "Unlike last year, it is the portal."),
    ],
)
def test_no_opposite_is_found_where_the_question_does_not_turn_the_sentence_around(
    question: str, sentence: str
) -> None:
    assert turned_around(question, sentence) == []


def test_the_table_is_wordnets_both_ways_with_irregular_forms() -> None:
    table = opposites()
    assert "late" in table.words["early"] and "early" in table.words["late"]
    assert "easy" in table.words["hard"] and "small" in table.words["big"]  # the antonyms' synset mates
    assert table.forms("worse") >= {"worse", "bad"}
    assert table.forms("longest") >= {"longest", "long"}


def test_grading_words_are_told_from_the_words_they_grade() -> None:
    table = opposites()
    assert all(table.is_graded(word) for word in ["smallest", "larger", "latest", "oldest"])
    assert not any(
        table.is_graded(word) for word in ["fee", "number", "water", "member", "minimum", "summer"]
    )


@pytest.mark.parametrize(
    ("question", "sentence", "found"),
    [
        (
            "What does not often help a crew finish early?",
            "Warm weather often helps a crew finish early.",
            [("not help", "helps")],
        ),
        (
            "Where on the lake is swimming not allowed?",
            "Swimming is allowed from the north beach.",
            [("not allowed", "allowed")],
        ),
        (
            "Which tower was never painted?",
            "The west tower was painted in 1990.",
            [("not painted", "painted")],
        ),
        (
            "What isn't strictly required?",
            "A letter of support is strictly required.",
            [("not required", "required")],
        ),
    ],
)
def test_a_question_denying_what_the_sentence_states_is_found(
    question: str, sentence: str, found: list[tuple[str, str]]
) -> None:
    assert denied(question, sentence) == found


@pytest.mark.parametrize(
    ("question", "sentence"),
    [
        # the sentence says 'not' itself, or forbids
        ("What feed is not allowed for the cows?", "Silage is forbidden."),
        ("Which towns can't apply?", "Coastal towns can’t apply."),
        ("Below what depth does the water never mix?", "Below 80 metres the water never mixes."),
        # the 'not' is the asker's, in another sentence, or an aside
        ("We are not members yet. Which cities can apply?", "Member cities can apply."),
        ("Which towns are visiting (not hosting) this year?", "Three towns are hosting this year."),
        # no own denial: 'whether or not', 'not only', a clause of its own, a reason asked for
        ("Which office decides whether or not a town is eligible?", "The regional office decides."),
        ("What share said that price is not a priority?", "Price is a priority for 40%."),
        ("Why does the ferry not sail in winter?", "The ferry sails from April to October."),
        # the denied word is not written
        ("Which insects does the warbler never eat?", "The warbler feeds on spiders."),
    ],
)
def test_no_denial_is_found_where_the_sentence_does_not_state_the_denied(
    question: str, sentence: str
) -> None:
    assert denied(question, sentence) == []


@pytest.mark.parametrize(
    ("question", "asks"),
    [
        ("What does not help?", True),
        ("What doesn’t help?", True),  # a phone's apostrophe
        ("Which towns cannot apply?", True),
        ("What feed is forbidden?", True),
        ("One of them wasn't peer-to-peer. Which one?", False),
        ("Which field studies whether or not a problem can be solved?", False),
        ("Which towns are visiting (not hosting)?", False),
        ("Why does the water not mix?", False),
        ("Who runs the NoT programme?", False),
    ],
)
def test_the_asking_sentence_alone_says_what_is_not_so(question: str, asks: bool) -> None:
    assert asks_not(question) is asks
