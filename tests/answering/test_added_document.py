"""Answers on a document staff add beside the shipped corpus (invented here), through the real model:
a yes/no question its list settles is answered; a count it does not give, a colour it gives only of
another thing, a thing its line does not name, a doer no line names and a member of a series it does not
have are declined."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from assistant.answering.base import AnswerRequest
from assistant.service import AssistantService
from prompts import CANNOT_ANSWER_PHRASE, say
from tests.support.corpora import declined_beside_its_twin, serving

LAKE_TOWNS = """Lake Towns Water Network – towns selected for 2027

Press release, 4 March 2027

The Lake Towns Water Network links small lakeside towns that share practice on drinking water, bathing
water quality and shore restoration. After a call that closed on 31 January 2027, twelve towns were
selected.

Selected towns
Estonia: Mustvee, Kallaste
Latvia: Rēzekne, Lubāna
Lithuania: Zarasai, Molėtai, Trakai
Finland: Kuopio, Savonlinna, Lahti
Sweden: Motala, Hjo

How the network works
The towns meet twice a year, once on site and once online. Local students will volunteer as guides at the
first meeting in Trakai. Each town receives a lump sum of EUR 8,000 for local activities.

Working groups
Group 1 – drinking water: led by Kuopio
Group 2 – shore restoration: led by Trakai

Archives
The network's founding charter, signed by the first twelve mayors, is on display at the Museum of Lake Life.

Newsletter
The newsletter Shoreline was founded in 2026 and appears four times a year. Each issue reports on one town's
restoration work.

Next round
Applications for the 2028 round close on 15 May 2027.

Shore path
The restored shore path at Molėtai is 14 kilometres long. It ends at a new bird hide on the lake. The
hide has a green roof. Its walls are of larch boards.

Visiting
Guided boat trips on the lake cost EUR 12 per person.

Awards
The network's shore restoration prize was awarded for the first time in 2026. The winners are:
- Best restored beach: Hjo and Motala
- Best wetland: Zarasai

Decisions
Towns are told the outcome in early July 2027.

Regatta
The rowing club of Savonlinna won the network's first regatta on Lake Saimaa in 2026. Its boathouse was built
in 1931 by the carpenter Erik Lund.

Fleet
Since the merger of the two clubs in 2024, the rowing club of Savonlinna has owned 14 boats.
"""


@pytest.fixture(scope="module")
def service_with_lake_towns(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AssistantService]:
    yield from serving(tmp_path_factory, {"lake-towns-water-network-2027.txt": LAKE_TOWNS})


@pytest.mark.parametrize(
    ("question", "towns"),
    [
        ("Have Kuopio and Lahti joined the Lake Towns Water Network?", ("Kuopio", "Lahti")),
        ("Do Motala and Hjo belong to the Lake Towns Water Network?", ("Motala", "Hjo")),
    ],
)
def test_a_yes_no_question_naming_what_one_line_lists_is_answered(
    service_with_lake_towns: AssistantService, question: str, towns: tuple[str, ...]
) -> None:
    # 'joined', 'belong' stand nowhere near the list, and weigh against answering; the line naming every
    # town asked about settles the question all the same.
    answer = service_with_lake_towns.ask(question)
    assert not answer.abstained
    assert all(town in answer.answer for town in towns)
    assert "lake-towns-water-network-2027.txt" in {c.source.split("/")[-1] for c in answer.citations}


def test_a_count_the_document_does_not_give_is_declined(service_with_lake_towns: AssistantService) -> None:
    answer = service_with_lake_towns.ask("How many students will volunteer as guides in Trakai?")
    assert answer.abstained and answer.answer.startswith(CANNOT_ANSWER_PHRASE)
    assert say("offline.without_number") in answer.answer
    counted = service_with_lake_towns.ask("How many towns did the Lake Towns Water Network select?")
    assert not counted.abstained and "twelve towns" in counted.answer


def test_a_question_swapping_the_thing_its_best_line_names_is_declined_and_says_so(
    service_with_lake_towns: AssistantService,
) -> None:
    # 'guides at the first meeting' asked as 'guides at the first dinner': the line speaks of another
    # occasion, so the students it names do not answer.
    answer = service_with_lake_towns.ask("Who will volunteer as guides at the first dinner in Trakai?")
    assert answer.abstained and answer.answer.startswith(CANNOT_ANSWER_PHRASE)
    assert say("offline.other_word", written="meeting", asked="dinner") in answer.answer
    asked_right = service_with_lake_towns.ask("Who will volunteer as guides at the first meeting in Trakai?")
    assert not asked_right.abstained and "Local students" in asked_right.answer


def test_a_member_of_a_series_the_document_never_writes_is_declined_and_named(
    service_with_lake_towns: AssistantService,
) -> None:
    # The document has groups 1 and 2: 'group 3' is asked of one it does not have, whatever the nearest
    # group's line says.
    answer = service_with_lake_towns.ask("Which town leads Group 3 of the Lake Towns Water Network?")
    assert answer.abstained and answer.answer.startswith(CANNOT_ANSWER_PHRASE)
    assert say("offline.other_member", asked="Group 3", written="Group 1, Group 2") in answer.answer
    # 'leads' is met by the line's 'led' (an irregular form of the verb asked)
    asked_right = service_with_lake_towns.ask("Which town leads Group 2 of the Lake Towns Water Network?")
    assert not asked_right.abstained and "Trakai" in asked_right.answer


def test_a_question_typed_in_small_letters_is_read_with_the_documents_capitals(
    service_with_lake_towns: AssistantService,
) -> None:
    # The network's name, capitalised wherever the text runs on, is read as the name it is; 'group',
    # capitalised only where a line opens, and 'towns', written small too, stay as typed.
    request, analysis = service_with_lake_towns.answerer.read(
        AnswerRequest(
            "which town leads group 2 of the lake towns water network?", service_with_lake_towns.index.get()
        )
    )
    assert request.question == "which town leads group 2 of the Lake Towns Water Network?"
    assert "water" in analysis.names
    capitalised_already = "Which town leads group 2 of the lake towns water network?"
    request, _ = service_with_lake_towns.answerer.read(
        AnswerRequest(capitalised_already, service_with_lake_towns.index.get())
    )
    assert request.question == capitalised_already
    # an acronym no document writes, typed in small letters, is read as the phrase it stands for
    request, _ = service_with_lake_towns.answerer.read(
        AnswerRequest("which town leads group 2 of the ltwn?", service_with_lake_towns.index.get())
    )
    assert request.question == "which town leads group 2 of the Lake Towns Water Network?"


def test_a_typing_slip_is_read_as_the_word_the_document_uses(
    service_with_lake_towns: AssistantService,
) -> None:
    # 'Trkai' and 'volunter' match nothing as typed; read as 'Trakai' and 'volunteer' they find the line
    answer = service_with_lake_towns.ask("Who will volunter as guides at the first meeting in Trkai?")
    assert not answer.abstained and "Local students will volunteer as guides" in answer.answer


def test_asked_where_a_name_after_at_gives_the_place(service_with_lake_towns: AssistantService) -> None:
    # no country or region of the gazetteer: the museum's name is where the charter is
    answer = service_with_lake_towns.ask("Where is the founding charter today?")
    assert not answer.abstained and "Museum of Lake Life" in answer.answer


def test_asked_who_a_passage_naming_no_one_is_declined_and_says_so(
    service_with_lake_towns: AssistantService,
) -> None:
    # 'was founded in 2026' shares every word of the question but names no founder
    answer = service_with_lake_towns.ask("Who founded the Shoreline newsletter?")
    assert answer.abstained and say("offline.without_agent") in answer.answer


def test_asked_a_colour_the_clause_colouring_that_very_thing_answers(
    service_with_lake_towns: AssistantService,
) -> None:
    answer = service_with_lake_towns.ask("What colour is the roof of the bird hide?")
    assert not answer.abstained and "green roof" in answer.answer
    # the page tells of the walls, but colours only the roof
    declined = service_with_lake_towns.ask("What colour are the walls of the bird hide?")
    assert declined.abstained and say("offline.without_colour") in declined.answer


def test_a_list_item_holds_what_its_lead_in_line_says_it_is(
    service_with_lake_towns: AssistantService,
) -> None:
    # 'Best wetland: Zarasai' names the winner because it hangs from 'The winners are:'
    answer = service_with_lake_towns.ask("Who won the best wetland prize?")
    assert not answer.abstained and "Zarasai" in answer.answer


def test_asked_for_an_extreme_a_passage_giving_none_is_declined_and_says_so(
    service_with_lake_towns: AssistantService,
) -> None:
    # 'a lump sum of EUR 8,000' is the same for every town: no largest one
    answer = service_with_lake_towns.ask("Which town received the largest lump sum?")
    assert answer.abstained and say("offline.without_extreme", asked="largest") in answer.answer


def test_names_most_documents_use_are_common(service_with_lake_towns: AssistantService) -> None:
    # 'EU' is in five of the six documents; 'Trakai' in one
    answerer = service_with_lake_towns.answerer
    common = answerer.generation(service_with_lake_towns.index.get()).common_names()  # type: ignore[attr-defined]
    assert "eu" in common and "trakai" not in common


@pytest.mark.parametrize(
    ("declined", "answered", "figure"),
    [
        # 'how long' may ask a length or a duration; the only figure is the length of the shore path
        ("How long is the bird hide at Molėtai?", "How long is the shore path at Molėtai?", "14 kilometres"),
        # the page gives sums for boat trips and for the towns' activities, none for the newsletter
        ("How much does the newsletter Shoreline cost?", "How much does a boat trip cost?", "EUR 12"),
    ],
)
def test_asked_a_figure_of_a_thing_a_figure_of_another_thing_is_declined(
    service_with_lake_towns: AssistantService, declined: str, answered: str, figure: str
) -> None:
    answer = service_with_lake_towns.ask(declined)
    assert answer.abstained and say("offline.without_number") in answer.answer
    twin = service_with_lake_towns.ask(answered)
    assert not twin.abstained and figure in twin.answer


def _candidate_texts(
    service: AssistantService, question: str, *, first_chunk_only: bool, only: str | None = None
) -> set[str]:
    """The sentences the answerer measures for the question, with retrieval having found nothing, or only
    the document's first chunk."""
    from assistant.answering.evidence import QuestionTerms, gather
    from assistant.answering.retrieval import RetrievedChunk, embed_query

    answerer = service.answerer
    snapshot = service.index.get()
    generation = answerer.generation(snapshot)  # type: ignore[attr-defined]
    analysis = generation.analyse(question, [])
    terms = QuestionTerms.of(analysis, generation.stats, generation.programmes, generation.vocabulary)
    source = _lake_towns(service)
    first = next(c for c in snapshot.chunks.values() if c.source == source and c.ordinal == 0)
    candidates = gather(
        snapshot,
        stats=generation.stats,
        editions=generation.editions,
        question=terms,
        query_vector=embed_query(answerer.embedder, analysis.subject),  # type: ignore[attr-defined]
        retrieved=[RetrievedChunk(first, 1.0, 0.5, 1.0)] if first_chunk_only else [],
        only=only,
    )
    assert {candidate.source for candidate in candidates} == {source}
    return {snapshot.sentences[candidate.index].text for candidate in candidates}


def _lake_towns(service: AssistantService) -> str:
    return next(
        name for name in service.index.get().documents if name.endswith("lake-towns-water-network-2027.txt")
    )


def test_the_chosen_document_is_read_though_retrieval_found_none_of_it(
    service_with_lake_towns: AssistantService,
) -> None:
    # A part of a compound question is ranked within the answer's document; its words may be ones
    # retrieval finds nowhere in it ('when do we hear back?' beside 'Results: early July').
    source = _lake_towns(service_with_lake_towns)
    texts = _candidate_texts(
        service_with_lake_towns, "how often do they meet?", first_chunk_only=False, only=source
    )
    assert any("twice a year" in text for text in texts)


def test_a_short_document_is_read_whole_though_retrieval_found_one_chunk(
    service_with_lake_towns: AssistantService,
) -> None:
    # under 3,000 characters: which of its chunks retrieval found is chance
    texts = _candidate_texts(service_with_lake_towns, "Which towns were selected?", first_chunk_only=True)
    assert any("Best wetland" in text for text in texts)


def test_two_parts_asking_a_date_each_get_their_own(service_with_lake_towns: AssistantService) -> None:
    # 'when do we hear back?' shares no word with its line; the closing date answers the first part only
    answer = service_with_lake_towns.ask("When does the 2028 round close, and when do we hear back?")
    assert not answer.abstained and "15 May 2027" in answer.answer and "early July 2027" in answer.answer


@pytest.mark.parametrize(
    ("question", "reason", "twin", "twin_gives"),
    [
        # 'was founded in 2026' dates the newsletter's founding, not a merger
        (
            "When did the newsletter Shoreline merge with another paper?",
            say("offline.without_date"),
            "When was the newsletter Shoreline founded?",
            "2026",
        ),
        # the carpenter built the boathouse; who designed it the page does not say
        (
            "Who designed the boathouse of the Savonlinna rowing club?",
            say("offline.without_agent"),
            "Who built the boathouse of the Savonlinna rowing club?",
            "Erik Lund",
        ),
        # the club's boats are counted since 2024, not before
        (
            "How many boats did the Savonlinna rowing club own before 2024?",
            say("offline.other_time", asked="before 2024", dated="the time since 2024"),
            "How many boats does the Savonlinna rowing club own?",
            "14 boats",
        ),
    ],
)
def test_asked_of_an_event_or_a_making_the_page_does_not_tell_is_declined(
    service_with_lake_towns: AssistantService, question: str, reason: str, twin: str, twin_gives: str
) -> None:
    declined_beside_its_twin(service_with_lake_towns, question, reason, twin, twin_gives)


def test_an_event_told_in_an_irregular_form_that_is_a_noun_too_is_dated(
    service_with_lake_towns: AssistantService,
) -> None:
    # 'won' is a currency too, yet here it tells of the winning asked
    answer = service_with_lake_towns.ask("When did the rowing club of Savonlinna win the regatta?")
    assert not answer.abstained and "2026" in answer.answer


def test_a_courteous_opening_does_not_turn_a_question_into_an_eligibility_check(
    service_with_lake_towns: AssistantService,
) -> None:
    # 'Could you … take part' opens the request, not a question whether the asker may take part
    answer = service_with_lake_towns.ask(
        "Hello! Could you tell me: which Japanese cities take part in the IUC pairings?"
    )
    assert (
        not answer.abstained
        and "pairings table" in answer.answer
        and "On the facts given" not in answer.answer
    )
