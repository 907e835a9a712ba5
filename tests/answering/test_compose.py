"""The offline answerer over a tiny hand-built index (three invented documents, hashing embedder): answers
cite verbatim quotes with markers matching their citations, unanswerable questions abstain with the
sentinel phrase, pairing questions answer from the table rows, follow-ups lean on the earlier turn,
and answers stay within the maximum length."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from pathlib import Path

import pytest

from assistant.answering.base import AnswerRequest
from assistant.answering.offline import OfflineAnswerer
from assistant.answering.query import FIRST_PERSON
from assistant.citations import verify_citations
from assistant.conversation import Turn
from assistant.models import Composed, Filters
from assistant.settings import AnswerSettings
from ingest.pipeline import sync
from ingest.store import IndexHandle, IndexSnapshot
from prompts import CANNOT_ANSWER_PHRASE
from tests.support.fakes import HashingEmbedder

TODAY = date(2026, 9, 1)
SHORTEST = 200  # the least ASSISTANT_MAX_ANSWER_CHARS allows
CALL = "harbour-link-call-2026.txt"
TAKEAWAYS = "harbour-link-gdynia-2025-takeaways.txt"
PAIRINGS = "harbour-link-pairings-2026.md"
CONTACT = "desk@harbour-link.example"
DOCUMENTS = {
    CALL: """Harbour Link Exchange – Call for Applications 2026

The Harbour Link Exchange pairs port towns of the European Union with port towns in West Africa, so that \
harbour staff learn from each other about safe and clean ports.

Who can apply?

Port towns with more than 20,000 inhabitants are encouraged to apply. Inland towns are not eligible.

What do selected towns commit to?

Selected port towns must commit to an exchange of at least 15 months with their partner harbour. Each \
selected town sends two harbour pilots on a study visit to its partner.

Deadline

The deadline for applications is 30 September 2026 at 12:00 CET. Late applications will not be considered.

Contact

Questions about this call can be sent to the secretariat at desk@harbour-link.example.
""",
    TAKEAWAYS: """Harbour Link workshop in Gdynia: takeaways

TAKEAWAYS

The workshop took place in Gdynia on 14 May 2025 and gathered 38 harbour masters.

Participants agreed that shared tide tables help small ports plan their dredging.

Harbour masters also learned that quayside solar panels cut the cost of shore power for ferries.
""",
    PAIRINGS: """# Harbour Link pairings 2026

The Harbour Link Exchange paired these port towns:

| EU City | Country | Partner City | Country | Topics |
| --- | --- | --- | --- | --- |
| Gdynia | Poland | Tema | Ghana | port safety |
| Le Havre | France | Dakar | Senegal | shore power for ferries |
| Rostock | Germany | Takoradi | Ghana | dredging |
""",
}
MARKER = re.compile(r"\[(\d+)\]")

ANSWERABLE = {  # question → what the answer must say, and the document it must cite
    "How long must selected port towns commit to the exchange?": ("at least 15 months", CALL),
    "Can inland towns apply?": ("Inland towns are not eligible", CALL),
    "Whom should I contact about the call?": (CONTACT, CALL),
    "When did the Gdynia workshop take place?": ("14 May 2025", TAKEAWAYS),
    "What did harbour masters learn about shore power?": ("quayside solar panels", TAKEAWAYS),
    "Which town is paired with Dakar?": ("Le Havre (France) – Dakar (Senegal)", PAIRINGS),
}
UNANSWERABLE = [
    "Who is the mayor of Gdynia?",  # the documents never speak of a mayor
    "What were the rules of the 2031 call?",  # a year no document covers
    "What is the weather in Gdynia?",  # out of scope
    "Which towns are paired with towns in Norway?",  # the table has no such pairing
]


@pytest.fixture(scope="module")
def snapshot(tmp_path_factory: pytest.TempPathFactory) -> IndexSnapshot:
    root = tmp_path_factory.mktemp("tiny-index")
    folder = root / "documents"
    folder.mkdir()
    for name, text in DOCUMENTS.items():
        (folder / name).write_text(text, encoding="utf-8")
    embedder = HashingEmbedder()
    report = sync(root / "data", [folder], lambda: embedder)
    assert report.ok, report.files_failed
    assert sorted(Path(path).name for path in report.files_indexed) == sorted(DOCUMENTS)
    return IndexHandle(root / "data").get()


def answerer(max_chars: int = 1200) -> OfflineAnswerer:
    return OfflineAnswerer(AnswerSettings(max_answer_chars=max_chars), HashingEmbedder(), lambda: TODAY)


def ask(
    snapshot: IndexSnapshot,
    question: str,
    max_chars: int = 1200,
    history: Sequence[Turn] = (),
    filters: Filters | None = None,
) -> Composed:
    request = AnswerRequest(question, snapshot, history, filters or Filters())
    return answerer(max_chars).answer(request)


def assert_cited_verbatim(snapshot: IndexSnapshot, composed: Composed) -> None:
    assert verify_citations(snapshot.chunks, composed.citations) == []
    for citation in composed.citations:
        chunk = snapshot.chunks[citation.chunk_id]
        assert citation.quote in chunk.text
        assert (citation.source, citation.title, citation.section) == (
            chunk.source,
            chunk.title,
            chunk.section,
        )
    # numbered 1, 2, … in order of first use
    assert [citation.id for citation in composed.citations] == list(range(1, len(composed.citations) + 1))


def markers(text: str) -> set[int]:
    return {int(number) for number in MARKER.findall(text)}


# --- answers --------------------------------------------------------------------------------------
@pytest.mark.parametrize("question", list(ANSWERABLE))
def test_an_answer_cites_verbatim_quotes_and_its_markers_match_its_citations(
    snapshot: IndexSnapshot, question: str
) -> None:
    says, source = ANSWERABLE[question]
    composed = ask(snapshot, question)
    assert not composed.abstained, composed.text
    assert not composed.text.startswith(CANNOT_ANSWER_PHRASE)
    assert says in composed.text
    assert composed.citations
    assert_cited_verbatim(snapshot, composed)
    assert markers(composed.text) == {citation.id for citation in composed.citations}
    assert {citation.source for citation in composed.citations} == {source}


def test_a_deadline_is_counted_from_today(snapshot: IndexSnapshot) -> None:
    composed = ask(snapshot, "What is the deadline for applications to the Harbour Link Exchange?")
    # The passage is read on to the sentence that continues it; its run is one citation.
    assert composed.text == (
        "The deadline for applications is 30 September 2026 at 12:00 CET. "
        "Late applications will not be considered [1]. "
        "That date (30 September 2026, the 2026 edition) is 29 days from today (1 September 2026)."
    )
    [citation] = composed.citations
    assert citation.quote == (
        "The deadline for applications is 30 September 2026 at 12:00 CET. "
        "Late applications will not be considered."
    )


def test_a_pairing_answer_lists_each_row_with_its_row_as_the_quote(snapshot: IndexSnapshot) -> None:
    composed = ask(snapshot, "Which towns are paired with towns in Ghana?")
    assert not composed.abstained
    assert composed.text.splitlines()[1:] == [
        "- Gdynia (Poland) – Tema (Ghana): port safety [1]",
        "- Rostock (Germany) – Takoradi (Ghana): dredging [2]",
    ]
    assert [citation.quote for citation in composed.citations] == [
        "Gdynia | Poland | Tema | Ghana | port safety",
        "Rostock | Germany | Takoradi | Ghana | dredging",
    ]
    assert len(composed.pairing_ids) == 2
    assert_cited_verbatim(snapshot, composed)


def test_filters_keep_the_answer_to_the_chosen_documents(snapshot: IndexSnapshot) -> None:
    question = "What did harbour masters learn?"
    composed = ask(snapshot, question, filters=Filters(source=CALL))
    assert composed.citations
    assert {citation.source for citation in composed.citations} == {CALL}
    assert {citation.source for citation in ask(snapshot, question).citations} == {TAKEAWAYS}


def test_a_follow_up_leans_on_the_earlier_turn(snapshot: IndexSnapshot) -> None:
    question = "When did it take place?"
    alone = ask(snapshot, question)
    assert alone.subject == question  # on its own it has no subject to lean on
    earlier = Turn("Tell me about the Gdynia workshop", subject="Tell me about the Gdynia workshop")
    composed = ask(snapshot, question, history=[earlier])
    assert not composed.abstained
    assert "14 May 2025" in composed.text
    assert composed.subject == "When did it take place? Tell me about the Gdynia workshop"
    assert {citation.source for citation in composed.citations} == {TAKEAWAYS}
    assert_cited_verbatim(snapshot, composed)


def test_and_what_about_asks_the_earlier_question_of_the_new_name(snapshot: IndexSnapshot) -> None:
    earlier = ask(snapshot, "Which town is paired with Dakar?")
    assert "Le Havre" in earlier.text
    turn = Turn("Which town is paired with Dakar?", earlier.subject, earlier.text)
    composed = ask(snapshot, "and what about Tema?", history=[turn])
    assert "Gdynia" in composed.text and "Le Havre" not in composed.text


# --- abstentions ----------------------------------------------------------------------------------
@pytest.mark.parametrize("question", UNANSWERABLE)
def test_an_unanswerable_question_abstains_with_the_sentinel_phrase_and_a_contact(
    snapshot: IndexSnapshot, question: str
) -> None:
    composed = ask(snapshot, question)
    assert composed.abstained
    assert composed.text.startswith(CANNOT_ANSWER_PHRASE)
    assert f"For more information, contact {CONTACT} [" in composed.text
    assert_cited_verbatim(snapshot, composed)
    assert markers(composed.text) == {citation.id for citation in composed.citations}


def test_an_abstention_names_what_the_documents_cover(snapshot: IndexSnapshot) -> None:
    years = ask(snapshot, "What were the rules of the 2031 call?")
    assert years.text.startswith(f"{CANNOT_ANSWER_PHRASE} for 2031: the documents speak of 2025, 2026.")
    norway = ask(snapshot, "Which towns are paired with towns in Norway?")
    assert "The pairings table lists no pairing with Norway [1]." in norway.text
    assert "Its cities are in: France, Germany, Ghana, Poland, Senegal." in norway.text


def test_a_year_no_document_mentions_is_a_question_the_documents_cannot_answer(
    snapshot: IndexSnapshot,
) -> None:
    # the workshop is dated 2025: asked of 1925, the documents have nothing to say
    unwritten = ask(snapshot, "How many harbour masters came to the Gdynia workshop in 1925?")
    assert unwritten.text.startswith(f"{CANNOT_ANSWER_PHRASE} for 1925, which no document mentions.")
    answered = ask(snapshot, "How many harbour masters came to the Gdynia workshop in 2025?")
    assert not answered.abstained and "38 harbour masters" in answered.text
    # the askers' own facts ask of no year
    own = ask(snapshot, "Our harbour dates from 1925. How many harbour masters came to the Gdynia workshop?")
    assert not own.abstained and "38 harbour masters" in own.text


def test_askers_describing_their_own_twinning_are_not_answered_with_the_pairings_the_table_lacks(
    snapshot: IndexSnapshot,
) -> None:
    # the table lists no pairing there: it does not say so, as if that answered
    lacking = ask(snapshot, "We're a municipality in France twinned with a town in Norway — does that work?")
    assert "lists no pairing" not in lacking.text
    # the table lists pairings in the askers' own country: it does not offer them either
    own_country = ask(snapshot, "We are a town in France twinned with a town in Norway. Does that work?")
    assert "pairings table" not in own_country.text
    # the askers speak of themselves: 'we', 'our', 'us' — not 'US'
    assert FIRST_PERSON.search("Could you tell us which towns are paired?")
    assert not FIRST_PERSON.search("Which US towns are paired with towns in France?")


# --- length ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("question", ["Tell me about the Harbour Link Exchange", *UNANSWERABLE])
def test_answers_stay_within_the_maximum_length(snapshot: IndexSnapshot, question: str) -> None:
    assert len(ask(snapshot, question).text) > SHORTEST  # longer than the limit when let be
    composed = ask(snapshot, question, max_chars=SHORTEST)
    assert 0 < len(composed.text) <= SHORTEST
    assert_cited_verbatim(snapshot, composed)
    # a cut answer keeps no marker without its citation
    assert markers(composed.text) <= {citation.id for citation in composed.citations}


@pytest.mark.parametrize("question", ["Who is the mayor of Gdynia?", "What were the rules of the 2031 call?"])
def test_a_cut_answer_keeps_no_citation_whose_marker_was_cut(snapshot: IndexSnapshot, question: str) -> None:
    composed = ask(snapshot, question, max_chars=SHORTEST)
    assert len(composed.text) <= SHORTEST
    assert markers(composed.text) == {citation.id for citation in composed.citations}
