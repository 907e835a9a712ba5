"""Reading a question (``assistant.answering.query.analyse``): the names, years, numbers and countries it
gives, its focus terms without fillers, what it asks for, and when it leans on an earlier turn."""

from __future__ import annotations

import pytest

from assistant.answering.query import analyse, focus_terms, lexicon, question_parts, spelled_out
from assistant.conversation import Turn
from ingest.textutil import terms


def _turn(question: str, *, abstained: bool = False) -> Turn:
    return Turn(question, subject=question, answer="…", abstained=abstained)


KOCHI = _turn("Which city is partnered with Kochi?")
WORKSHOP = _turn("Tell me about the Gdynia harbour workshop")


# --- names, years, numbers, countries ---------------------------------------------------------------
@pytest.mark.parametrize(
    ("question", "names"),
    [
        ("Which Dutch city was paired with Surat in 2019?", ["dutch", "surat"]),
        ("Could you please tell me about the grants for Lisbon and Porto?", ["lisbon", "porto"]),
        ("Is Malmö paired with a Canadian city?", ["malmo", "canadian"]),  # folded: no accents
        ("Is Tromsø paired with Bodø?", ["tromso", "bodo"]),  # letters Unicode does not decompose, too
        (
            "Is Žilina paired with Łódź?",
            ["zilina", "lodz"],
        ),  # any capital of the Latin alphabets opens a name
        ("Harbour towns of Vitoria-Gasteiz", ["vitoria", "gasteiz"]),  # the opening word is no name
        ("IURC pairs which regions?", ["iurc"]),  # an acronym is a name even when it opens
        ("Who built the Orvik-3 and the Orvik-4?", ["orvik-3", "orvik-4"]),  # one of a series, kept whole
        ("what do they work on?", []),
    ],
)
def test_names_are_the_capitalised_words_that_are_not_the_opening_or_common(
    question: str, names: list[str]
) -> None:
    assert analyse(question, []).names == names


def test_years_numbers_and_countries_are_read() -> None:
    analysis = analyse("Which Dutch city was paired with a town of 60,000 in 2019?", [])
    assert analysis.years == [2019]
    assert analysis.numbers == [60_000, 2019]
    assert analysis.countries == ["NL"]  # from the demonym
    assert analyse("Grants for towns in Portugal and Ghana", []).countries == ["PT", "GH"]
    nothing = analyse("Who can apply?", [])
    assert (nothing.years, nothing.numbers, nothing.countries) == ([], [], [])


# --- focus, asked, attribute ------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("question", "content"),
    [
        ("Tell me about study visits", "study visits"),  # the opening imperative goes too
        ("Could you please tell me about the grants for Lisbon?", "grants Lisbon"),  # the courtesy too
        ("I would like to know how much funding we can get", "funding"),
        ("How long is the exchange in 2026?", "exchange"),  # no numbers either
    ],
)
def test_focus_terms_leave_out_fillers(question: str, content: str) -> None:
    assert analyse(question, []).focus == terms(content)
    assert focus_terms(spelled_out(question)) == terms(content)


def test_what_is_asked_for_is_the_words_after_the_question_word() -> None:
    planned = analyse("What resources and timeframe were planned for the exchange?", [])
    assert planned.asked == terms("resources timeframe")
    assert planned.attribute == []  # not 'the X of …'
    mayor = analyse("Who is the mayor of Hamburg?", [])
    assert mayor.asked == mayor.attribute == terms("mayor")
    fee = analyse("How much is the registration fee for the summit?", [])
    assert fee.attribute == terms("registration fee")
    assert analyse("Tell me about study visits", []).asked == []
    # after 'did', the words are the subject and its verb: nothing 'of' it is asked for
    assert analyse("What did the community pay each year?", []).attribute == []


@pytest.mark.parametrize(
    ("question", "attribute"),
    [
        ("Is there a registration fee for the summit?", "registration fee"),
        ("Are there any age limits?", "age limits"),
        ("Does the network charge towns an annual subscription?", "annual subscription"),
        ("Does the call require a letter of support?", "letter"),
    ],
)
def test_a_yes_no_question_whether_a_thing_exists_asks_of_that_thing(question: str, attribute: str) -> None:
    assert analyse(question, []).attribute == terms(attribute)


@pytest.mark.parametrize(
    "question",
    ["Does the programme fund travel?", "Is the call open to regions?", "Did Lyon join a network?"],
)
def test_other_yes_no_questions_ask_of_no_thing(question: str) -> None:
    assert analyse(question, []).attribute == []


def test_a_contracted_question_word_is_read_spelled_out() -> None:
    assert (
        spelled_out("What's the deadline, and who's the contact?")
        == "What is the deadline, and who is the contact?"
    )
    assert spelled_out("When’s the call?") == "When is the call?"
    assert spelled_out("Who’s Lisbon’s partner? Doesn’t it?") == "Who is Lisbon's partner? Doesn't it?"
    assert spelled_out("Lisbon's partner") == "Lisbon's partner"  # a name's possessive stays


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        ("who can apply", "who can apply?"),
        ("We are 60,000 people. can we apply", "We are 60,000 people. can we apply?"),
        ("When is the deadline?", "When is the deadline?"),
        ("list the partner cities", "list the partner cities"),  # no question: no mark
        ("thanks!", "thanks!"),
    ],
)
def test_a_question_typed_without_its_mark_is_read_with_it(typed: str, read: str) -> None:
    assert spelled_out(typed) == read


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        ("Hi! Could you tell me: does the IUC fund plans?", "does the IUC fund plans?"),
        ("hello, i'd like to know who can apply", "who can apply?"),
        ("Good morning team, quick question: when is the deadline?", "when is the deadline?"),
        ("Dear colleagues, we are a city of 60,000. Can we apply?", "we are a city of 60,000. Can we apply?"),
        ("hello", "hello"),  # small talk: nothing is asked after it
        ("Can you apply twice?", "Can you apply twice?"),  # asks something of its own
        ("Hilversum: who is its partner?", "Hilversum: who is its partner?"),
    ],
)
def test_a_courteous_opening_is_read_past(typed: str, read: str) -> None:
    assert spelled_out(typed) == read
    fee = analyse("What's the registration fee for the summit?", [])
    assert fee.question.startswith("What is") and fee.attribute == terms("registration fee")


def test_a_year_after_the_names_an_edition_and_a_year_in_a_story_does_not() -> None:
    assert analyse("When is the deadline of the 2027 round?", []).edition_years == [2027]
    assert analyse("What did URBACT's 2019 call fund?", []).edition_years == [2019]
    assert analyse("What is the top grant in the harbour twinning 2026 call?", []).edition_years == [2026]
    back = analyse("We were a partner back in 2018; can we apply?", [])
    assert back.years == [2018] and back.edition_years == []


def test_pairing_cues_are_noticed() -> None:
    assert analyse("Which city is partnered with Kochi?", []).pairing_cue
    assert analyse("Who is Rotterdam's partner city?", []).pairing_cue
    assert not analyse("Tell me about study visits", []).pairing_cue


# --- follow-ups -------------------------------------------------------------------------------------
def test_a_question_without_history_is_its_own_subject() -> None:
    analysis = analyse("When did it take place?", [])
    assert not analysis.follow_up
    assert analysis.previous is None
    assert analysis.subject == "When did it take place?"
    assert analysis.focus == terms("take place")


def test_and_what_about_carries_the_earlier_question_with_the_new_name_in_place_of_the_old() -> None:
    analysis = analyse("and what about Surat?", [KOCHI])
    assert analysis.follow_up
    assert analysis.previous is KOCHI
    # 'and what about Surat?' asks the earlier question of Surat: Kochi is not what it is about.
    assert analysis.subject == "and what about Surat? Which city is partnered with"
    assert analysis.names == ["surat"]
    assert analysis.focus == [*terms("Surat"), *terms("city partnered")]
    assert analysis.earlier == terms("city partnered")
    assert analysis.pairing_cue  # from the earlier turn


def test_a_question_naming_nothing_new_stays_on_the_conversations_subject() -> None:
    analysis = analyse("Our town has 38,000 people, is that a problem?", [KOCHI])
    assert analysis.follow_up
    assert "Kochi" in analysis.subject


def test_a_pronoun_after_a_turn_leans_on_it() -> None:
    analysis = analyse("When did it take place?", [WORKSHOP])
    assert analysis.follow_up
    assert analysis.subject == "When did it take place? Tell me about the Gdynia harbour workshop"
    # the earlier subject's terms stay in focus, after the question's own
    assert analysis.focus == [*terms("take place"), *terms("Gdynia harbour workshop")]
    assert analysis.names == ["gdynia"]
    assert analyse("What do they work on?", [KOCHI]).follow_up


def test_a_question_naming_its_own_subject_is_not_a_follow_up() -> None:
    analysis = analyse("Which lighthouse towns joined the scheme in Norway?", [KOCHI])
    assert not analysis.follow_up
    assert analysis.previous is None
    assert analysis.subject == analysis.question
    assert "kochi" not in analysis.names


def test_a_follow_up_leans_on_the_last_answered_turn() -> None:
    abstained = _turn("What is the weather in Gdynia?", abstained=True)
    assert analyse("What do they work on?", [KOCHI, abstained]).previous is KOCHI
    # with nothing answered yet, the last turn is all there is
    assert analyse("What do they work on?", [abstained]).previous is abstained


def test_a_question_pointing_back_is_a_follow_up_though_it_names_something_new() -> None:
    towns = _turn("Which lighthouse towns joined the scheme in 2031?")
    pointing = analyse("Was Tromso one of them?", [towns])
    assert pointing.follow_up and "lighthouse" in pointing.subject and "tromso" in pointing.names
    # 'is there…?' asks whether something exists: with a new name it is a question of its own
    asking = analyse("Is there a ferry to Tromso?", [towns])
    assert not asking.follow_up and asking.subject == asking.question


@pytest.mark.parametrize("question", ["Is there one in Tromso?", "Are there any in Norway?", "Is there one?"])
def test_one_or_any_standing_alone_stands_for_the_earlier_question_s_noun(question: str) -> None:
    towns = _turn("Which lighthouse towns joined the scheme in 2031?")
    analysis = analyse(question, [towns])
    assert analysis.follow_up and "lighthouse" in analysis.subject


def test_a_name_most_documents_use_turns_the_conversation_to_nothing_new() -> None:
    towns = _turn("Which lighthouse towns joined the scheme in 2031?")
    question = "When does the call for EU towns open?"
    assert not analyse(question, [towns]).follow_up
    following = analyse(question, [towns], common_names={"eu"})
    assert following.follow_up and "lighthouse" in following.subject


def test_a_message_giving_facts_and_asking_nothing_answers_the_earlier_question() -> None:
    call = _turn("Can our town apply to the lighthouse scheme?")
    facts = analyse("Sorry, should have said: we have 9,000 inhabitants and are in Norway.", [call])
    assert facts.follow_up and "lighthouse" in facts.subject


def test_the_asker_s_own_place_is_no_new_subject() -> None:
    scheme = _turn("Tell me about the lighthouse scheme.")
    ours = analyse("We are two towns in Norway with 9,000 people together: can we apply?", [scheme])
    assert ours.follow_up and "lighthouse" in ours.subject
    # without the asker speaking of itself, a place turns the conversation to something new
    assert not analyse("Which towns in Norway were selected?", [scheme]).follow_up


@pytest.mark.parametrize("question", ["How much is there for Lot 2?", "What happens in Phase III?"])
def test_a_numbered_part_is_a_part_of_what_the_conversation_is_about(question: str) -> None:
    scheme = _turn("Tell me about the lighthouse scheme.")
    part = analyse(question, [scheme])
    assert part.follow_up and "lighthouse" in part.subject


def test_a_name_with_a_year_or_a_place_with_a_number_is_a_new_subject() -> None:
    scheme = _turn("Tell me about the lighthouse scheme.")
    assert not analyse("How much is there for Horizon 2020 projects?", [scheme]).follow_up
    assert not analyse("How much did Tromso 2 get?", [scheme]).follow_up


def test_any_before_a_noun_of_its_own_points_at_nothing_earlier() -> None:
    towns = _turn("Which lighthouse towns joined the scheme in 2031?")
    asking = analyse("Is there any ferry to Tromso?", [towns])
    assert not asking.follow_up and asking.subject == asking.question


@pytest.mark.parametrize(
    ("question", "parts"),
    [
        (
            "At the harbour festival, what share of boats were electric, and what prize was planned?",
            ["At the harbour festival, what share of boats were electric", "what prize was planned"],
        ),
        (
            "Who can apply to the TTCE call, and by when?",
            ["Who can apply to the TTCE call", "by when can apply to the TTCE call"],
        ),
        (
            "Where and when was the annual forum of the twin towns held?",
            [
                "Where was the annual forum of the twin towns held",
                "when was the annual forum of the twin towns held",
            ],
        ),
        (
            "What is the grant per town, and what must the town report?",
            ["What is the grant per town", "what must the town report"],
        ),
        ("What is the deadline?", ["What is the deadline?"]),
        ("Which towns and regions can apply?", ["Which towns and regions can apply?"]),
    ],
)
def test_a_compound_question_is_read_as_its_parts(question: str, parts: list[str]) -> None:
    assert question_parts(question) == parts


def test_a_verb_asked_is_met_by_its_irregular_forms_but_not_the_other_way_round() -> None:
    synonyms = lexicon().synonyms
    assert {"lead", "led"} <= synonyms["lead"]
    assert {"write", "wrote", "written"} <= synonyms["write"]
    # 'built' asked is not read as 'build', which would meet every 'building'
    assert "built" not in synonyms
    # a form that is mostly a noun is left out: 'ground' is not 'grind'
    assert "ground" not in synonyms.get("grind", frozenset())


def test_words_asked_with_are_met_by_the_words_pages_use() -> None:
    synonyms = lexicon().synonyms
    # what can be seen is on display; what is produced, adopted; what is fed in, the input
    for asked, written in (("seen", "display exhibited"), ("produce", "adopt"), ("fed", "input")):
        (term,) = terms(asked)
        assert set(terms(written)) <= synonyms[term], asked


def test_a_message_giving_only_facts_asks_the_earlier_question_with_them() -> None:
    # 'What does membership cost?' … 'We're a town of 70,000 in Austria.': the facts are for the earlier
    # question, which is what is asked (its kind of answer, its weight), the facts setting the scene
    earlier = _turn("What does membership of the Harbour Towns Network cost?")
    analysis = analyse("We're a town of 70,000 people in Austria.", [earlier])
    assert analysis.follow_up and analysis.asking == earlier.question
    assert "membership" in analysis.focus and "membership" not in analysis.earlier
    assert "austria" in analysis.earlier
    # a message that asks leaves the earlier question to set the scene
    asking = analyse("And when is the deadline?", [earlier])
    assert asking.asking == "And when is the deadline?" and "membership" in asking.earlier
    # …typed without its mark too: a question word after 'and' asks
    unmarked = analyse("and how long does membership last", [earlier])
    assert unmarked.asking == "and how long does membership last"


def test_contractions_are_no_terms_a_document_could_answer() -> None:
    assert focus_terms("We're a town of 12,000 people, we've applied before: don't we qualify?") == [
        "town",
        "peopl",
        "appli",
        "qualifi",
    ]
    assert "d'ivoir" in focus_terms("Can a city in Côte d'Ivoire apply?")  # a name's apostrophe stays


def test_a_word_with_a_capital_further_in_is_a_name_however_it_begins() -> None:
    # typed after a greeting, the programme's acronym lost its first capital
    assert "m4eg" in analyse("Hi! Could you tell me: m4EG 2023 call — by when do we submit?", []).names
    assert "etwinning" in analyse("Can a school join eTwinning?", []).names
    assert analyse("What is the pH of the lake?", []).names == []  # a unit, not a name
