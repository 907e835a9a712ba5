"""What a question demands outright decides among close sentences (``_meeting_demands``): the ranker's
scores are soft, but a sentence holding every kind asked for, from a document that uses the question's
names, or plainly saying 'no' to a yes/no question, leads over a better-scored one that does not — when
it is close behind, or from the same document."""

from __future__ import annotations

from dataclasses import replace
from types import SimpleNamespace
from typing import cast

import pytest

from assistant.answering.answer_types import answer_checks
from assistant.answering.editions import Editions, classify_question
from assistant.answering.evidence import (
    _ASKS_CHANGE,
    _ASKS_PROCEDURE,
    _PROCEDURE_HEADING,
    Candidate,
    QuestionTerms,
    _asked_checks,
    _names_a_region,
    designated_in,
    field_named,
    members_written,
    named_nouns,
    numbered_designations,
    ordinal_designations,
    ordinal_phrases,
)
from assistant.answering.offline import (
    KIND_MARGIN,
    NAMED_MARGIN,
    _editions,
    _meeting_demands,
    _mismatches,
    _misspells_a_known_word,
    _numbers_missing,
    _out_of_scope,
    _writings,
    strongest_evidence,
)
from assistant.answering.passages import sibling_apart
from assistant.answering.query import analyse
from assistant.answering.ranges import Figure
from assistant.answering.retrieval import CorpusStats
from ingest.models import Chunk, DocumentKind, DocumentMeta
from ingest.store import IndexSnapshot

NEUTRAL = {
    "document_names_all": 1.0,
    "document_names": 1.0,
    "kind_every": 0.5,
    "names_all": 0.5,
    "countries": 0.5,
    "settles": 0.0,
    "designation": 0.0,
    "procedure": 0.0,
    "band": 0.0,
    "kind": 0.5,
    "coverage": 0.5,
    "retrieved": 1.0,
}


def terms(
    question: str,
    *,
    names: dict[str, float] | None = None,
    designations: list[str] | None = None,
    countries: dict[str, frozenset[str]] | None = None,
    rest: dict[str, float] | None = None,
    synonyms: dict[str, frozenset[str]] | None = None,
) -> QuestionTerms:
    return QuestionTerms(
        rest=rest or {"fund": 1.0},
        names=names or {},
        unknown=[],
        unknown_names=[],
        checks=answer_checks(question),
        question_class=classify_question(question),
        programmes=[],
        years=[],
        wants_list=False,
        polar=question.startswith(("Does", "Can", "Is")),
        designations=designations or [],
        countries=countries or {},
        synonyms=synonyms or {},
    )


def candidate(source: str, score: float, **values: float) -> Candidate:
    chunk = Chunk(id=f"{source}-{score}", source=source, title=source, ordinal=0, text="…")
    return Candidate(0, source, int(score * 10), chunk, {**NEUTRAL, **values}, score)


def test_a_sentence_holding_every_kind_asked_for_leads_over_a_close_one_that_does_not() -> None:
    question = terms("When is the deadline?")
    any_date = candidate("call.txt", 9.0, kind_every=0.0)
    deadline = candidate("other.txt", 9.0 - KIND_MARGIN + 0.1, kind_every=1.0)
    assert _meeting_demands([any_date, deadline], question)[0] is deadline
    far_behind = candidate("other.txt", 9.0 - KIND_MARGIN - 0.1, kind_every=1.0)
    assert _meeting_demands([any_date, far_behind], question)[0] is any_date
    # …but of the same document, anywhere near the top
    same_document = candidate("call.txt", 3.0, kind_every=1.0)
    assert _meeting_demands([any_date, far_behind, same_document], question)[0] is same_document
    # …where retrieval found it: a short document's other lines, read whole, lead only from close behind
    read_whole = candidate("call.txt", 3.0, kind_every=1.0, retrieved=0.0)
    assert _meeting_demands([any_date, far_behind, read_whole], question)[0] is any_date


def test_the_row_whose_band_holds_the_askers_figure_leads_over_a_close_one() -> None:
    # 'We're a city of 700,000': of a fee table's rows, the '500,000 – 999,999' one speaks to the asker
    question = replace(terms("What does membership cost?"), figures=[Figure(700_000, "count")])
    larger = candidate("fees.txt", 2.8, kind_every=1.0, band=-1.0)
    holding = candidate("fees.txt", 2.7, kind_every=1.0, band=1.0)
    assert _meeting_demands([larger, holding], question)[0] is holding
    # without a figure of the asker's, the bands decide nothing
    assert _meeting_demands([larger, holding], terms("What does membership cost?"))[0] is larger
    # a band holding the asker's figure in a line not giving what is asked ('towns of 5,000 to 40,000
    # inhabitants' for 'how much could we get?') is no reason to lead
    eligibility = candidate("call.txt", 2.8, kind_every=0.0, band=1.0)
    grant = candidate("call.txt", 2.7, kind_every=1.0, band=0.0)
    assert _meeting_demands([eligibility, grant], question)[0] is grant


def keeps(question: QuestionTerms, text: str) -> bool:
    """Whether a line beside the answer keeps to what the question asks of (every one of its tests)."""
    return all(test(text) for test in question.keeping_tests)


def test_lines_beside_the_answer_keep_to_the_member_of_a_series_asked_about() -> None:
    lot = replace(terms("How much is available for Lot 2?"), designations=["lot 2"])
    assert lot.keeping_tests
    assert keeps(lot, "Lot 2 – Snow-dependent tourism in transition: EUR 1.4 million")
    assert not keeps(lot, "Lot 1 – Water and drought: EUR 1.6 million")
    assert keeps(lot, "Each partnership applies under one lot only.")  # names no other lot
    # asked of two, a line naming either is kept
    phases = replace(
        terms("What is the budget for phase 1 and for phase 2?"), designations=["phase 1", "phase 2"]
    )
    assert phases.keeping_tests and keeps(phases, "3.1 Phase 1: maximum EUR 75,000 per network")
    assert not terms("How much is available?").keeping_tests


def test_lines_beside_the_answer_keep_to_the_band_holding_the_askers_figure() -> None:
    town = replace(terms("What does membership cost?"), figures=[Figure(31_000, "count")])
    assert town.keeping_tests
    assert keeps(town, "Full member | 20,000 – 49,999 inhabitants | EUR 2,600")
    assert not keeps(town, "Full member | 50,000 or more inhabitants | EUR 4,100")
    assert keeps(town, "Associate member | any | EUR 800")


def test_sibling_lines_are_kept_out_only_by_what_the_lead_itself_keeps_to() -> None:
    # 'a city of 31,000 in Portugal' asking for a list: the fee rows name no country, so the country
    # decides nothing among them; the band still keeps the other sizes' rows out
    asked = replace(
        terms("Which fees apply to us?", countries={"PT": frozenset({"portugal"})}),
        figures=[Figure(31_000, "count")],
        wants_list=True,
    )
    assert len(asked.keeping_tests) == 2
    apart = sibling_apart(asked.keeping_tests, "Full member | 20,000 – 49,999 inhabitants | EUR 2,600")
    assert apart is not None
    assert apart("Full member | 50,000 or more inhabitants | EUR 4,100")
    assert not apart("Full member | 20,000 – 49,999 inhabitants | EUR 2,600 (2025)")
    # a table's rows are written alike whatever their first cells: a row naming another country is apart
    by_country = replace(
        terms("Which Italian towns visit?", countries={"IT": frozenset({"italy"})}), wants_list=True
    )
    rows = sibling_apart(by_country.keeping_tests, "Sappada | IT | Bohinj | SI | flood maps")
    assert rows is not None and rows("Bled | SI | Hallstatt | AT | spring protection")
    assert not rows("Tarvisio | IT | Bovec | SI | drinking water safety")


def test_a_document_using_the_questions_names_may_lead_from_further_behind() -> None:
    question = terms("How many countries must a partnership have?", names={"interreg": 30.0})
    other_programme = candidate("urbact.txt", 9.0, document_names_all=0.0)
    named = candidate("interreg.txt", 9.0 - NAMED_MARGIN + 0.1, document_names_all=1.0)
    assert _meeting_demands([other_programme, named], question)[0] is named
    too_far = candidate("interreg.txt", 9.0 - NAMED_MARGIN - 0.1, document_names_all=1.0)
    assert _meeting_demands([other_programme, too_far], question)[0] is other_programme


def test_a_country_the_question_names_is_no_name_a_document_must_use() -> None:
    # 'cities in Norway': the country is where, not what the question is about; a sentence naming it meets
    # the country demand when close behind, but its document does not lead from further behind for it
    question = terms(
        "How long is the route between the cities in Norway?",
        names={"norway": 16.0},
        countries={"NO": frozenset({"norway", "norwegian"})},
    )
    about_routes = candidate("routes.txt", 9.0, document_names_all=0.0, countries=0.0)
    naming_the_country = candidate(
        "pairings.txt", 9.0 - KIND_MARGIN - 0.1, document_names_all=1.0, countries=1.0
    )
    assert _meeting_demands([about_routes, naming_the_country], question)[0] is about_routes
    close_behind = candidate("pairings.txt", 9.0 - KIND_MARGIN + 0.1, document_names_all=1.0, countries=1.0)
    assert _meeting_demands([about_routes, close_behind], question)[0] is close_behind


def test_a_plain_no_settles_a_yes_no_question() -> None:
    polar = terms("Does the programme fund the plan?")
    vague = candidate("factsheet.txt", 9.0)
    plain_no = candidate("factsheet.txt", 8.0, settles=1.0)
    assert _meeting_demands([vague, plain_no], polar)[0] is plain_no
    # asked openly, a 'no' is no better than any other sentence
    assert _meeting_demands([vague, plain_no], terms("What does the programme fund?"))[0] is vague


def test_a_plain_no_about_something_else_settles_nothing() -> None:
    polar = terms("Is there a minimum number of partners?")
    stating_the_minimum = candidate("call.txt", 9.0, coverage=0.7)
    no_about_population = candidate("call.txt", 8.5, settles=1.0, coverage=0.3)
    assert _meeting_demands([stating_the_minimum, no_about_population], polar)[0] is stating_the_minimum
    speaking_of_as_much = candidate("call.txt", 8.5, settles=1.0, coverage=0.4)
    assert _meeting_demands([stating_the_minimum, speaking_of_as_much], polar)[0] is speaking_of_as_much


def test_a_sentence_naming_only_another_of_the_series_asked_about_gives_way() -> None:
    asked = terms("Where was the Orvik-2 built?", designations=["orvik-2"])
    sibling = candidate("orvik.txt", 9.0, designation=-1.0)  # about the Orvik-1
    named = candidate("orvik.txt", 6.0, designation=1.0)
    assert _meeting_demands([sibling, named], asked)[0] is named


def test_designation_reads_the_series_a_sentence_names() -> None:
    assert designated_in(["orvik-2"], [], "The Orvik-2 was built in Kiel.") == 1.0
    assert designated_in(["orvik-2"], [], "The Orvik-1 was built in Kiel.") == -1.0
    assert designated_in(["orvik-2"], [], "The Orvik was built in Kiel.") == 0.0  # the series, unnumbered
    assert designated_in([], [], "The Orvik-1 was built in Kiel.") == 0.0


@pytest.mark.parametrize(
    ("question", "numbered", "ordinals"),
    [
        ("How much money was there for Lot 2?", ["lot 2"], []),
        ("What happens in phase 1 and who pays?", ["phase 1"], []),
        ("Harbour cohort 2 – what is the maximum amount?", ["cohort 2"], []),
        ("How many proposals came in during the third Fjordline call?", [], ["call 3"]),
        ("When did the second phase begin?", [], ["phase 2"]),
        ("What did the first stored-program computer calculate?", [], ["computer 1"]),
        ("Which towns joined in the 2nd round?", [], ["round 2"]),
        # a number counting what follows, a date, or a figure after a preposition designates nothing
        ("Can a project run for 12 months?", [], []),
        ("Is the office open on March 3?", [], []),
        ("Were there over 60 applications?", [], []),
        ("When was the tower first lit?", [], []),
    ],
)
def test_a_question_designates_one_of_a_numbered_series(
    question: str, numbered: list[str], ordinals: list[str]
) -> None:
    assert numbered_designations(question) == numbered
    assert ordinal_designations(question) == ordinals


def test_a_sentence_names_a_member_of_a_series_by_number_or_by_its_place_in_order() -> None:
    assert designated_in(["lot 2"], [], "Lot 2 – Coastal towns: EUR 1.4 million") == 1.0
    assert designated_in(["lot 2"], [], "Lot 3 – Mountain towns: EUR 1.2 million") == -1.0
    assert designated_in(["lot 2"], [], "Lots 1 to 3 share one budget.") == 0.0
    assert designated_in([], ["call 3"], "In the second call, 41 proposals were received.") == -1.0
    assert designated_in([], ["call 3"], "The third call opened on 3 March.") == 0.0  # no more about it
    assert designated_in([], ["call 3"], "The call opened on 3 March.") == 0.0


def test_the_members_of_a_series_a_text_writes_are_read_in_one_spelling() -> None:
    assert members_written("lot 5", "Lot 2 – Coastal towns: EUR 1.4 million; Lot 4: EUR 0.9 million") == {
        "lot 2",
        "lot 4",
    }
    assert members_written("call 4", "In the third call, 41 proposals were received.") == {"call 3"}
    assert members_written("kalix-3", "The KALIX-2 replaced the relay-based KALIX-1.") == {
        "kalix-1",
        "kalix-2",
    }
    assert members_written("lot 5", "Lots are listed below.") == set()


def test_an_ordinal_is_named_in_the_questions_own_words() -> None:
    assert ordinal_phrases("Where will the fourth Baltic Forum meet?") == {
        "forum 4": "the fourth Baltic Forum"
    }
    assert ordinal_phrases("Who won the second call?") == {"call 2": "the second call"}


def test_a_sentence_naming_the_lot_asked_for_leads_over_one_naming_none() -> None:
    asked = terms("How much is there for Lot 2?", designations=["lot 2"])
    every_lot = candidate("call.txt", 9.0, designation=0.0)  # 'Lots 1 to 3: …'
    lot_two = candidate("call.txt", 8.0, designation=1.0)
    assert _meeting_demands([every_lot, lot_two], asked)[0] is lot_two


def test_a_regions_adjective_places_a_city_and_is_no_name_a_document_must_use() -> None:
    assert all(_names_a_region(word) for word in ["european", "asian", "african"])
    # a region itself may name a programme's component ('IURC Latin America'); a city is a name
    assert not any(_names_a_region(word) for word in ["asia", "latin", "america", "lyon", "iurc"])


def test_an_unknown_word_one_typing_slip_from_a_known_one_is_read_as_misspelt() -> None:
    known = {"deadlin": 3, "printer": 1, "frequent": 2, "fee": 4}
    assert _misspells_a_known_word("deadin", known)  # a letter left out
    assert _misspells_a_known_word("printter", known)  # a letter added
    assert _misspells_a_known_word("deadiln", known)  # two letters swapped
    assert not _misspells_a_known_word("frequenc", known)  # a changed letter makes another word
    assert not _misspells_a_known_word("fees", known)  # too short to tell a slip from another word
    assert not _misspells_a_known_word("mayor", known)


class _Frequencies:
    """The one part of the corpus statistics the out-of-scope check reads: which terms documents use."""

    def __init__(self, used: list[str]) -> None:
        self.document_frequency = dict.fromkeys(used, 3)


def test_a_request_is_out_of_scope_only_where_the_documents_never_speak_of_it() -> None:
    programmes = cast(CorpusStats, _Frequencies(["citi", "pair", "gdynia"]))
    assert _out_of_scope("What is the weather in Gdynia?", programmes)
    assert _out_of_scope("Can you recommend a restaurant near the venue?", programmes)
    assert not _out_of_scope("Which cities are paired?", programmes)
    # a corpus on how a cheese is made speaks of temperatures: asked of one, it answers from its text
    cheese = cast(CorpusStats, _Frequencies(["temperatur", "curd", "milk"]))
    assert not _out_of_scope("At what temperature is the curd cooked?", cheese)
    assert _out_of_scope("What is the weather like today?", cheese)


def test_a_word_that_forbids_says_what_is_not_so() -> None:
    asked = analyse("What type of feed is not allowed for the cows?", [])
    assert _mismatches(asked, "The cows are fed on hay and grass; silage is forbidden.")["negation"] == 0.0
    assert _mismatches(asked, "The cows are fed on local hay and grass.")["negation"] == 1.0


def test_an_acronym_cased_as_no_word_is_no_negation() -> None:
    passage = "Priority themes for 2024: the future of Europe and solidarity in times of crisis."
    assert (
        _mismatches(analyse("What were the priority themes for NoT projects?", []), passage)["negation"]
        == 0.0
    )
    assert _mismatches(analyse("Which themes are NOT funded?", []), passage)["negation"] == 1.0


@pytest.mark.parametrize("written", ["3", "3rd", "third", "three"])
def test_the_number_of_a_call_is_found_however_the_document_writes_it(written: str) -> None:
    asked = analyse("Who could apply to call 3?", [])
    assert _numbers_missing(asked, frozenset({"the", written, "call"})) == 0.0
    assert _numbers_missing(asked, frozenset({"the", "second", "call"})) == 1.0


def test_ordinals_past_the_teens_take_their_last_digits_suffix() -> None:
    assert {"11th", "12th", "13th", "21st", "22nd", "23rd"} <= {
        written for number in (11, 12, 13, 21, 22, 23) for written in _writings(number)
    }


def test_a_noun_written_after_a_name_is_part_of_the_name_where_a_document_writes_them_together() -> None:
    asked = "How long is the crossing of the Saadjarv strait?"
    assert named_nouns(asked, {"saadjarv"}) == ["saadjarv strait"]
    # a verb after a name, a figure, a word of the name itself: no noun of it
    assert named_nouns("When was the Tarrow lighthouse built and Lot 2 funded?", {"tarrow", "lot"}) == [
        "tarrow lighthouse"
    ]
    assert named_nouns("Who led Tarrow in 1990?", {"tarrow"}) == []
    question = replace(terms(asked), named_nouns=["saadjarv strait"])
    assert question.named_with(["The school lies across the Saadjärv strait from Mustvee."]) == {"strait"}
    assert question.named_with(["The crossing of the strait takes 25 minutes."]) == set()


# 'study visit closing date and time?' (stems): 'close' has 'deadline' among its synonyms
CLOSING = terms(
    "study visit closing date and time?",
    rest={"studi": 1.0, "visit": 1.0, "close": 1.0, "date": 1.0, "time": 1.0},
    synonyms={"close": frozenset({"close", "deadlin"})},
)


def test_the_cell_a_question_names_makes_a_record_line_its_field() -> None:
    # a page's record line of several cells offers, for the question, the cell whose key it names
    record = "Visit status: open | Host: Lahti | Published: 1 March 2027 | Deadline: 30 April 2027, 12:00"
    assert field_named(CLOSING, record) == 1.0


def test_a_record_line_whose_cells_the_question_does_not_name_is_no_field_for_it() -> None:
    assert field_named(CLOSING, "Status: open | Host: Lahti | Published: 1 March 2027") == 0.0
    # a cell naming only part of what is asked counts as that part, as a single field would
    assert field_named(CLOSING, "Status: open | Visit host: Lahti") == 0.2


def test_a_single_field_counts_by_the_share_of_the_question_its_key_speaks_of() -> None:
    # one field, no cells: the key's share of the question, as the ranker learnt it
    assert 0.0 < field_named(CLOSING, "Closing date: 30 April 2027") < 1.0
    assert field_named(CLOSING, "The visit closes on 30 April 2027.") == 0.0


@pytest.mark.parametrize(
    ("question", "asks"),
    [
        ("How do we submit our application for the 2027 round?", True),
        ("We have never taken part. What are the practical steps to get into a network?", True),
        ("Once our exchange is approved, what happens next?", True),
        ("What happens after we send in our application?", True),
        ("How does a town join the network?", True),
        ("What do we need to send with our application?", True),
        ("How many steps lead up to the lighthouse?", False),
        ("What happens to the lake in warm winters?", False),
        ("How much does a town receive?", False),
    ],
)
def test_a_question_asking_how_a_thing_is_done_asks_for_its_procedure(question: str, asks: bool) -> None:
    assert (_ASKS_PROCEDURE.search(question) is not None) is asks


@pytest.mark.parametrize(
    ("question", "asks"),
    [
        ("Has the grant per visit changed since the 2022 call?", True),
        ("How many visits can we plan now, compared with the previous call?", True),
        ("What is the duration in the 2024 call versus 2020?", True),
        ("Is the fee higher than in 2023?", True),
        ("How does the 2025 budget compare with the first call's?", True),
        ("Is the deadline still the same?", True),
        ("Which instrument is its tone often compared to?", False),
        ("How did the town change its harbour?", False),
        ("What is the fee for a town of 12,000 people?", False),
    ],
)
def test_a_question_asking_how_a_thing_compares_between_editions_asks_for_change(
    question: str, asks: bool
) -> None:
    assert (_ASKS_CHANGE.search(question) is not None) is asks


def test_asked_whether_a_thing_changed_the_kind_asked_for_is_the_things() -> None:
    # 'has the maximum grant changed?' is answered by the grant in each edition: an amount
    assert [c.kind for c in _asked_checks("Has the maximum grant changed since the 2020 call?")] == ["amount"]
    assert "date" in [c.kind for c in _asked_checks("Is the deadline still the same as in 2023?")]
    assert _asked_checks("Has the town changed?") == []  # nothing of a kind to compare


@pytest.mark.parametrize(
    ("heading", "tells"),
    [
        ("How to apply", True),
        ("HOW TO APPLY", True),
        ("Step by step", True),
        ("Step 3", True),
        ("Next steps", True),
        ("Application process", True),
        ("5. Application procedure", True),
        ("Who can apply?", False),
        ("Selection", False),
    ],
)
def test_a_heading_telling_how_a_thing_is_done_marks_a_procedure(heading: str, tells: bool) -> None:
    assert (_PROCEDURE_HEADING.match(heading) is not None) is tells


def test_a_sentence_of_a_procedure_leads_for_a_question_asking_how_a_thing_is_done() -> None:
    # the page's introduction speaks of the question's words; the steps below 'How to apply' do not
    introduction = candidate("call.txt", 9.0)
    step = candidate("call.txt", 6.0, procedure=1.0)
    asked = replace(terms("How do we apply?"), asks_procedure=True)
    assert _meeting_demands([introduction, step], asked)[0] is step
    # a question not asking how it is done keeps the ranker's order
    assert _meeting_demands([introduction, step], terms("Who can apply?"))[0] is introduction
    # the steps lead though the introduction names what the question names and they do not, and though
    # retrieval found only the introduction's part of the page
    named = replace(asked, names={"kalix": 1.0})
    introduction = candidate("call.txt", 9.0, names_all=1.0)
    unretrieved_step = candidate("call.txt", 3.0, procedure=1.0, retrieved=0.0)
    assert _meeting_demands([introduction, unretrieved_step], named)[0] is unretrieved_step
    # …of the same page only
    elsewhere = candidate("other.txt", 3.0, procedure=1.0)
    assert _meeting_demands([introduction, elsewhere], named)[0] is introduction
    # and, leading, they are evidence as strong as the introduction was
    assert strongest_evidence(named, [unretrieved_step, introduction]) == 9.0
    assert strongest_evidence(terms("Who can apply?"), [unretrieved_step, introduction]) == 3.0


def test_asked_how_a_thing_is_done_a_list_of_steps_answers_whole() -> None:
    # asked for one kind of thing, the list item holding it answers; asked for the steps too, every item
    where = terms("How long does the review take?")
    assert where.checks and not where.takes_whole_lists
    assert replace(where, asks_procedure=True).takes_whole_lists


def test_another_documents_figure_comes_beside_the_lead_only_from_a_document_using_the_questions_names() -> (
    None
):
    question = terms("How much is available for small ferries?", names={"harbour": 20.0})
    documents = {
        name: DocumentMeta(source=name, title=name, kind=DocumentKind.CALL)
        for name in ("harbour.txt", "ports.txt", "harbour-faq.txt")
    }
    snapshot = cast(IndexSnapshot, SimpleNamespace(documents=documents))
    analysis = analyse("How much is available for small ferries?", [])
    lead = candidate("harbour.txt", 9.0, kind=1.0)
    unnamed = candidate("ports.txt", 8.6, kind=1.0, document_names_all=0.0, document_names=0.0)
    named = candidate("harbour-faq.txt", 8.6, kind=1.0)
    editions = Editions.of(documents.values())
    assert _editions([lead, unnamed], question, analysis, snapshot, editions)[1] is None
    assert _editions([lead, named], question, analysis, snapshot, editions)[1] is named
    # a document using some of the names (the programme, not the town) may still give a differing figure
    partly = candidate("harbour-faq.txt", 8.6, kind=1.0, document_names_all=0.0, document_names=0.5)
    assert _editions([lead, partly], question, analysis, snapshot, editions)[1] is partly
