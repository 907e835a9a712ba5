"""Growing the chosen sentence into the passage shown, over a tiny hand-built index (one invented call,
hashing embedder): when the passage holds none of the kind of thing the question asks for, the
document's sentence that holds it joins the passage (a bare dateline does not); the lines around the
lead come along within their window; a list item comes with its whole list when the question asks
for no one kind of thing."""

from __future__ import annotations

from datetime import date

import pytest

from assistant.answering.answer_types import AnswerCheck
from assistant.answering.base import AnswerRequest
from assistant.answering.evidence import Candidate, QuestionTerms, hanging_line
from assistant.answering.offline import OfflineAnswerer, _missing
from assistant.answering.passages import (
    Passage,
    around,
    kinds_left_open,
    number_left_open,
    told_of_names,
    with_asked_kind,
    with_neighbours,
)
from assistant.answering.query import analyse
from assistant.answering.retrieval import CorpusStats
from assistant.settings import AnswerSettings
from ingest.pipeline import sync
from ingest.store import IndexHandle, IndexSnapshot
from tests.support.fakes import HashingEmbedder

CALL = "tidewater-grants-call-2026.txt"
TEXT = """Tidewater Grants – second call

03/02/2026 - 09:15

The Lot B: Tidewater grants for river towns in the Baltic has total indicative funds of EUR 4 000 000.

Size of grants: at least EUR 200,000 and at most EUR 600,000.

Deadline for submission: 17/06/2026 at 16:00 (Riga time)
"""
BUDGET = 1500


def _indexed(tmp_path_factory: pytest.TempPathFactory, name: str, text: str) -> IndexSnapshot:
    """An index of the one document ``name`` holding ``text``, embedded with the hashing embedder."""
    root = tmp_path_factory.mktemp(name.removesuffix(".txt"))
    folder = root / "documents"
    folder.mkdir()
    (folder / name).write_text(text, encoding="utf-8")
    embedder = HashingEmbedder()
    report = sync(root / "data", [folder], lambda: embedder)
    assert report.ok, report.files_failed
    indexed = IndexHandle(root / "data").get()
    assert name in indexed.documents
    return indexed


@pytest.fixture(scope="module")
def snapshot(tmp_path_factory: pytest.TempPathFactory) -> IndexSnapshot:
    return _indexed(tmp_path_factory, CALL, TEXT)


def _texts(snapshot: IndexSnapshot, indices: list[int]) -> list[str]:
    return [snapshot.sentences[index].text for index in indices]


def _ranking(snapshot: IndexSnapshot, question: str) -> tuple[QuestionTerms, list[Candidate], CorpusStats]:
    """The question's terms, its candidate sentences best first, and the corpus statistics."""
    answerer = OfflineAnswerer(AnswerSettings(), HashingEmbedder(), lambda: date(2026, 3, 1))
    generation = answerer.generation(snapshot)
    terms, ranked = answerer._ranked(AnswerRequest(question, snapshot, []), generation, analyse(question, []))
    return terms, ranked, generation.stats


def _open(
    snapshot: IndexSnapshot, terms: QuestionTerms, stats: CorpusStats, passage: Passage
) -> list[AnswerCheck]:
    """The kinds the question asks for that no sentence of the passage holds."""
    return kinds_left_open(snapshot, stats, terms.checks, passage)


def _starting(snapshot: IndexSnapshot, ranked: list[Candidate], opening: str) -> Candidate:
    return next(c for c in ranked if snapshot.sentences[c.index].text.startswith(opening))


def test_a_sentence_holding_the_asked_for_kind_joins_a_passage_without_it(snapshot: IndexSnapshot) -> None:
    terms, ranked, stats = _ranking(snapshot, "By when must proposals for the Baltic lot be in?")
    # Whatever the ranking, start from the lot's sentence: it names what was asked about, but no date.
    lot = _starting(snapshot, ranked, "The Lot B")
    reordered = [lot, *(c for c in ranked if c is not lot)]
    first = around(snapshot, stats, lot, BUDGET)
    assert kinds_left_open(snapshot, stats, terms.checks, first)

    grown = with_asked_kind(snapshot, stats, question=terms, ranked=reordered, passage=first, budget=BUDGET)

    shown = _texts(snapshot, grown.indices(stats))
    assert shown[0].startswith("The Lot B") and any(
        text.startswith("Deadline for submission") for text in shown
    )
    # The dateline holds a date too, but says nothing: it never joins.
    assert not any(text.startswith("03/02/2026") for text in shown)
    assert not kinds_left_open(snapshot, stats, terms.checks, grown)


def test_a_passage_that_holds_the_asked_for_kind_is_left_as_it_is(snapshot: IndexSnapshot) -> None:
    terms, ranked, stats = _ranking(snapshot, "When is the deadline for submission?")
    first = around(snapshot, stats, _starting(snapshot, ranked, "Deadline"), BUDGET)

    grown = with_asked_kind(snapshot, stats, question=terms, ranked=ranked, passage=first, budget=BUDGET)

    assert grown.positions == first.positions


def test_a_question_that_asks_for_no_kind_leaves_the_passage_as_it_is(snapshot: IndexSnapshot) -> None:
    terms, ranked, stats = _ranking(snapshot, "Tell me about the Baltic lot.")
    first = around(snapshot, stats, ranked[0], BUDGET)

    assert (
        with_asked_kind(snapshot, stats, question=terms, ranked=ranked, passage=first, budget=BUDGET) is first
    )


def test_a_date_that_is_no_deadline_leaves_the_deadline_open(snapshot: IndexSnapshot) -> None:
    terms, ranked, stats = _ranking(snapshot, "When is the deadline for the Baltic lot?")
    first = around(snapshot, stats, _starting(snapshot, ranked, "03/02/2026"), BUDGET)
    assert [check.kind for check in kinds_left_open(snapshot, stats, terms.checks, first)] == ["deadline"]

    grown = with_asked_kind(snapshot, stats, question=terms, ranked=ranked, passage=first, budget=BUDGET)

    assert any(text.startswith("Deadline for submission") for text in _texts(snapshot, grown.indices(stats)))


def test_the_lines_around_the_lead_come_along_within_the_window(snapshot: IndexSnapshot) -> None:
    _, ranked, stats = _ranking(snapshot, "How large are the grants?")
    first = around(snapshot, stats, _starting(snapshot, ranked, "Size of grants"), BUDGET)

    grown = with_neighbours(snapshot, stats, first, window=BUDGET, budget=BUDGET)
    shown = _texts(snapshot, grown.indices(stats))
    # the next line and the one before, in reading order; never the document's title
    assert [text[:12] for text in shown] == ["The Lot B: T", "Size of gran", "Deadline for"]
    assert not any(text.startswith("Tidewater Grants") for text in shown)

    # a window smaller than the nearest line adds nothing; so does a budget the passage already fills
    assert with_neighbours(snapshot, stats, first, window=20, budget=BUDGET).positions == first.positions
    used = sum(len(text) for text in _texts(snapshot, first.indices(stats)))
    assert with_neighbours(snapshot, stats, first, window=BUDGET, budget=used).positions == first.positions


DUTIES = "tidewater-duties-2026.txt"
DUTIES_TEXT = """Tidewater Grants – what a funded town does

Obligations

If funded, your town will be expected to:
  * work with its partner town for about eighteen months on the river plan it proposed;
  * name a coordinator who can give roughly a quarter of their working time to the project;
  * host at least one visit from the partner town's staff;
  * publish the finished river plan with a summary in English.

The programme pays for travel and for an expert.
"""


@pytest.fixture(scope="module")
def duties(tmp_path_factory: pytest.TempPathFactory) -> IndexSnapshot:
    return _indexed(tmp_path_factory, DUTIES, DUTIES_TEXT)


def test_a_list_item_comes_with_its_whole_list_when_no_one_kind_is_asked(duties: IndexSnapshot) -> None:
    terms, ranked, stats = _ranking(duties, "If our town is funded, what will we actually have to do?")
    assert terms.takes_whole_lists
    visit = _starting(duties, ranked, "- host")

    passage = around(duties, stats, visit, BUDGET, whole_lists=terms.takes_whole_lists)

    shown = _texts(duties, passage.indices(stats))
    assert [text[:6] for text in shown] == ["If fun", "- work", "- name", "- host", "- publ"]


def test_a_list_item_holding_the_asked_for_kind_answers_without_its_siblings(duties: IndexSnapshot) -> None:
    terms, ranked, stats = _ranking(duties, "For how many months do the partners work together?")
    assert not terms.takes_whole_lists
    passage = around(
        duties, stats, _starting(duties, ranked, "- work"), BUDGET, whole_lists=terms.takes_whole_lists
    )

    shown = _texts(duties, passage.indices(stats))
    assert [text[:6] for text in shown] == ["If fun", "- work"]


def test_a_term_the_passages_heading_speaks_of_is_not_missing_from_it(duties: IndexSnapshot) -> None:
    terms, ranked, stats = _ranking(duties, "What obligations does a funded town have?")
    passage = around(duties, stats, _starting(duties, ranked, "If funded"), BUDGET)

    # 'obligations' is the heading the list stands under, not a word of its lines
    assert not any("bligation" in text for text in _texts(duties, passage.indices(stats)))
    assert _missing(duties, terms, stats, passage)["missing"] == 0.0


ROLES = "tidewater-roles-2026.txt"
ROLES_TEXT = """Tidewater Grants – roles

Each exchange involves:
  * one host town;
  * two visiting towns chosen by the secretariat from those that applied.

Who can be a host town?
  * towns on a tidal river with a flood plan adopted by their council;
  * the host names a local coordinator and gathers ten local partners for the visit.

Who can be a visiting town?
  * any town in a member state that is preparing a flood plan;
  * each visiting town sends one officer for three working days.
"""


@pytest.fixture(scope="module")
def roles(tmp_path_factory: pytest.TempPathFactory) -> IndexSnapshot:
    return _indexed(tmp_path_factory, ROLES, ROLES_TEXT)


def test_a_list_under_its_own_heading_hangs_from_no_earlier_lead_in(roles: IndexSnapshot) -> None:
    terms, ranked, stats = _ranking(roles, "Who can be a visiting town?")
    item = _starting(roles, ranked, "- any town")

    passage = around(roles, stats, item, BUDGET, whole_lists=terms.takes_whole_lists)

    shown = _texts(roles, passage.indices(stats))
    # its own list, whole (the heading is what the question asks), and nothing of the lists above it
    assert [text[:8] for text in shown] == ["- any to", "- each v"]
    assert not any(text.startswith(("Each exchange", "- one host", "- the host")) for text in shown)


def test_the_word_naming_the_kind_asked_for_is_answered_by_an_instance_not_missing(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    works = _indexed(
        tmp_path_factory,
        "orvik-works.txt",
        "Orvik Works\n\nThe Orvik paper works lie on a fjord in western Norway. They closed in 1971.\n",
    )
    terms, ranked, stats = _ranking(works, "In which country are the Orvik paper works?")
    passage = around(works, stats, _starting(works, ranked, "The Orvik"), BUDGET)

    # 'Norway' answers 'which country'
    assert _missing(works, terms, stats, passage)["missing"] == 0.0
    valley = _ranking(works, "In which valley are the Orvik paper works?")[0]
    assert _missing(works, valley, stats, passage)["missing"] == 1.0


def test_the_word_naming_a_measurement_is_answered_only_by_a_lead_holding_one(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    moor = _indexed(
        tmp_path_factory,
        "harrow-mast.txt",
        "Harrow Mast\n\nThe Harrow mast stands on the moor above Kelby. "
        "It rises 120 metres above the heather. A stone hut stands at the foot of the mast.\n",
    )
    mast, ranked, stats = _ranking(moor, "How tall is the Harrow mast?")
    lead = _starting(moor, ranked, "It rises")
    passage = Passage(lead.source, [stats.sentence_position[lead.index]], lead)
    # '120 metres' answers 'how tall'
    assert _missing(moor, mast, stats, passage)["missing"] == 0.0

    hut, ranked, stats = _ranking(moor, "How tall is the stone hut at the foot of the Harrow mast?")
    lead = _starting(moor, ranked, "A stone hut")
    both = Passage(
        lead.source,
        [stats.sentence_position[c.index] for c in (lead, _starting(moor, ranked, "It rises"))],
        lead,
    )
    # the passage holds a height, but not the hut's: its lead, about the hut, measures nothing
    assert not _open(moor, hut, stats, both)
    assert _missing(moor, hut, stats, both)["missing"] == 1.0


FJORD = "fjordline-norway-exchange-2025.txt"
FJORD_TEXT = """Fjordline exchange in Norway

The exchange paired six coastal towns for two years of joint work.
Its final round produced four harbour plans and two signed agreements.
"""


def test_a_country_the_documents_title_names_is_named_by_each_of_its_sentences(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    fjord = _indexed(tmp_path_factory, FJORD, FJORD_TEXT)
    _terms, ranked, _stats = _ranking(fjord, "What did the final round of the exchange in Norway produce?")
    final_round = _starting(fjord, ranked, "Its final round")
    # the sentence never says 'Norway'; the document it stands in is about Norway
    assert final_round.values["countries"] == 1.0


LINKS = "fjordline-links-2025.txt"
LINKS_TEXT = """Fjordline links 2025

The exchange links towns around the North Sea. The six links:

1. Esbjerg (Denmark) – Stavanger (Norway): offshore wind skills and harbour training
2. Aberdeen (United Kingdom) – Bergen (Norway): ferry terminals and shore power
3. Den Helder (Netherlands) – Harwich (United Kingdom): dredging and coastal safety
4. Cuxhaven (Germany) – Grimsby (United Kingdom): fish auctions and cold storage
5. Hirtshals (Denmark) – Tromsø (Norway): Arctic logistics and cruise calls
6. Bremerhaven (Germany) – Aalborg (Denmark): port data and customs

Each link meets twice a year.
"""


def test_a_list_narrowed_by_the_question_comes_with_only_the_items_it_admits(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    links = _indexed(tmp_path_factory, LINKS, LINKS_TEXT)
    terms, ranked, stats = _ranking(links, "Which towns in Norway take part in the Fjordline links?")
    bergen = _starting(links, ranked, "2. Aberdeen")
    narrowed = around(links, stats, bergen, BUDGET, whole_lists=True, asked_of=terms.narrowing)
    texts = _texts(links, narrowed.indices(stats))
    assert [text[:5] for text in texts if text[0].isdigit()] == ["1. Es", "2. Ab", "5. Hi"]
    # asked of no country, the whole list comes
    terms, ranked, stats = _ranking(links, "Which towns take part in the Fjordline links?")
    whole = around(links, stats, _starting(links, ranked, "2. Aberdeen"), BUDGET, whole_lists=True)
    assert len([text for text in _texts(links, whole.indices(stats)) if text[0].isdigit()]) == 6


HARBOUR = """Harbour of Tessin

The spring flood of 1801 destroyed some 40 houses along the river.

In 1910 a fire burned three of the six warehouses on the quay.
"""
HARBOUR_REPORT = """Harbour report 1910

A fire burned three of the six warehouses on the quay, the worst loss since the flood of 1801.
"""


@pytest.mark.parametrize(
    ("name", "text", "question", "left_open"),
    [
        # the count of warehouses is dated 1910, not the year asked of
        ("harbour-of-tessin.txt", HARBOUR, "How many warehouses burned in 1801?", True),
        ("harbour-of-tessin.txt", HARBOUR, "How many warehouses burned in 1910?", False),
        # in a document of the year asked, a sentence naming another year still speaks of that one
        ("harbour-report-1910.txt", HARBOUR_REPORT, "How many warehouses burned in 1910?", False),
    ],
)
def test_a_count_dated_to_another_year_than_asked_leaves_the_number_open(
    tmp_path_factory: pytest.TempPathFactory, name: str, text: str, question: str, left_open: bool
) -> None:
    indexed = _indexed(tmp_path_factory, name, text)
    terms, ranked, stats = _ranking(indexed, question)
    counted = _starting(indexed, ranked, "In 1910" if "In 1910" in text else "A fire")
    passage = around(indexed, stats, counted, 200)
    assert number_left_open(indexed, stats, terms, question, passage) is left_open


WRECKS = """Harbour of Tessin

The harbour was busy for centuries. The tug Petrel (PT-4) was stationed here from 1920 to 1950. It towed
barges to the sawmills upriver.

The town has a long history of floods. A rowing club was founded in 1888. The schooner Alma struck the
pier in a gale; 12 of the 30 people on board drowned. Its engines were Mexican. Which boat it was, nobody
knew.
"""


@pytest.mark.parametrize(
    ("question", "left_open"),
    [
        # the Petrel is told of far from the count of the drowned, which is the Alma's
        ("How many people drowned when the tug Petrel sank?", True),
        ("How many people drowned when the PT-4 sank?", True),  # a designation, not an acronym
        ("How many people drowned when the schooner Alma struck the pier?", False),
    ],
)
def test_a_count_far_from_where_a_thing_named_in_passing_is_told_of_leaves_the_number_open(
    tmp_path_factory: pytest.TempPathFactory, question: str, left_open: bool
) -> None:
    indexed = _indexed(tmp_path_factory, "harbour-of-tessin.txt", WRECKS)
    terms, ranked, stats = _ranking(indexed, question)
    passage = around(indexed, stats, _starting(indexed, ranked, "The schooner Alma"), 200)
    assert number_left_open(indexed, stats, terms, question, passage) is left_open


def test_any_kind_asked_of_a_thing_named_in_passing_is_held_only_where_it_is_told_of(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    indexed = _indexed(tmp_path_factory, "harbour-of-tessin.txt", WRECKS)
    question = "Who built the Petrel, the Mexican tug?"
    _, ranked, stats = _ranking(indexed, question)
    passage = around(indexed, stats, ranked[0], BUDGET)
    anything = AnswerCheck(lambda _: True, (), "agent")
    [bound] = told_of_names(indexed, stats, question, passage, [anything])
    assert bound.test("It towed barges to the sawmills upriver.")  # the sentence after the Petrel's
    assert not bound.test("A rowing club was founded in 1888.")
    # the page's own subject, and a country's people, bind nothing
    unbound_questions = (
        "Who built the harbour of Tessin?",
        "Who built the Mexican tug?",
        "We row there often. Which boats did the club build?",  # 'Which' opens a sentence, names nothing
    )
    for unbound in unbound_questions:
        assert told_of_names(indexed, stats, unbound, passage, [anything]) == [anything]


def test_a_line_hangs_from_its_lead_in_or_from_the_label_above_its_figure() -> None:
    assert hanging_line("The winners are:", "Best beach: Hjo") == "The winners are:"
    assert hanging_line("", "Deadline:") == "Deadline:"
    # a page's label over its value ('Funding rate' above '80 %')
    assert hanging_line("", "Funding rate", "80 %") == "Funding rate"
    assert hanging_line("", "Call budget", "€ 90,000,000.00") == "Call budget"
    # not a sentence above a figure, nor a label above words
    assert hanging_line("", "The grant is paid in two parts.", "80 % on signature.") == ""
    assert hanging_line("", "Funding rate", "See the guide for the rules.") == ""
