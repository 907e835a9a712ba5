"""Tests of ``ingest.structure`` (lines → blocks) and ``ingest.chunking`` (blocks → chunks and sentences)."""

from __future__ import annotations

from pathlib import Path

import pytest
from fpdf import FPDF

from ingest.chunking import MAX_CHUNK_CHARS, ChunkedDocument, chunk_document
from ingest.loaders import load_document
from ingest.models import DocumentKind, DocumentMeta
from ingest.normalize import normalize_text
from ingest.pipeline import parse_file
from ingest.rules import is_rules_file
from ingest.structure import BlockKind, parse_blocks
from tests.support.paths import CORPUS


def kinds(text: str) -> list[tuple[BlockKind, str]]:
    return [(block.kind, block.text) for block in parse_blocks(normalize_text(text))]


def chunked(text: str, title: str = "A document") -> ChunkedDocument:
    meta = DocumentMeta(source="doc.txt", title=title, kind=DocumentKind.CALL, programme="IURC", edition=2025)
    return chunk_document(meta, parse_blocks(normalize_text(text)))


def make_pdf(pages: list[str]) -> bytes:
    pdf = FPDF()
    pdf.set_font("Helvetica", size=12)
    for text in pages:
        pdf.add_page()
        pdf.multi_cell(0, 8, text)
    return bytes(pdf.output())


# --- headings ------------------------------------------------------------------------------------


def test_markdown_headings_with_levels() -> None:
    blocks = parse_blocks("# Overview\n\nSome text here.\n\n### Deep heading ###\n\nMore text.")
    headings = [(block.text, block.level) for block in blocks if block.kind is BlockKind.HEADING]
    assert headings == [("Overview", 1), ("Deep heading", 3)]


def test_numbered_headings() -> None:
    text = "3.1 Hamburg\nThe experience emphasized alignment.\n3.2 Krapina-Zagorje County\nA hub was set up."
    blocks = parse_blocks(text)
    assert [(block.kind, block.text, block.level) for block in blocks] == [
        (BlockKind.HEADING, "3.1 Hamburg", 2),
        (BlockKind.PARAGRAPH, "The experience emphasized alignment.", 0),
        (BlockKind.HEADING, "3.2 Krapina-Zagorje County", 2),
        (BlockKind.PARAGRAPH, "A hub was set up.", 0),
    ]
    assert [b.level for b in parse_blocks("2 Funding\nText.\n2.1.4 Travel costs\nText.")][::2] == [1, 3]


def test_a_short_line_is_a_heading_only_when_set_apart() -> None:
    set_apart = kinds("Intro sentence one.\n\nBackground\n\nIn the framework of its partnership.")
    assert set_apart[1] == (BlockKind.HEADING, "Background")
    inline = kinds("Intro sentence one.\nBackground\nIn the framework of its partnership.")
    assert [kind for kind, _ in inline] == [BlockKind.PARAGRAPH] * 3


def test_all_caps_line_is_a_top_level_heading() -> None:
    blocks = parse_blocks(
        normalize_text("TAKEAWAYS\n\nCities learn.\n\nWhy cities get involved?\n\nVisibility.")
    )
    headings = [(block.text, block.level) for block in blocks if block.kind is BlockKind.HEADING]
    assert headings == [("TAKEAWAYS", 1), ("Why cities get involved?", 2)]


@pytest.mark.parametrize(
    "line",
    [
        "The end, really.",  # a sentence
        "Applicants must provide:",  # a lead-in
        "(Barcelona, 12-14 March 2024)",  # parenthesised
        "This line is far too long to be a heading because it just keeps going on and on and on without end",
        "Applications must be submitted online through the harbour portal",  # a sentence without its period
        "Valparaíso (Chile) · Durban (South Africa) · Halifax (Canada)",  # a list run together on one line
    ],
)
def test_lines_that_are_not_headings(line: str) -> None:
    blocks = parse_blocks(f"Before.\n\n{line}\n\nAfter.")
    assert blocks[1].kind is not BlockKind.HEADING


@pytest.mark.parametrize(
    "line", ["Who can apply to the harbour exchange", "Partnerships for sustainable ports"]
)
def test_short_set_apart_lines_that_ask_or_name_are_headings(line: str) -> None:
    blocks = parse_blocks(f"Before.\n\n{line}\n\nAfter.")
    assert blocks[1].kind is BlockKind.HEADING


def test_a_heading_at_the_very_end_is_not_a_heading() -> None:
    assert kinds("Body text.\n\nClosing line alone")[-1] == (BlockKind.PARAGRAPH, "Closing line alone")


# --- list items and fields -----------------------------------------------------------------------


def test_list_items_in_their_various_shapes() -> None:
    text = "Lead-in:\n- item one\n• item two\n* item three\n1) numbered\n(b) bracketed\n12. twelfth"
    assert kinds(text) == [
        (BlockKind.PARAGRAPH, "Lead-in:"),
        (BlockKind.LIST_ITEM, "- item one"),
        (BlockKind.LIST_ITEM, "- item two"),
        (BlockKind.LIST_ITEM, "- item three"),
        (BlockKind.LIST_ITEM, "1) numbered"),
        (BlockKind.LIST_ITEM, "(b) bracketed"),
        (BlockKind.LIST_ITEM, "12. twelfth"),
    ]


def test_the_last_numbered_item_before_a_blank_line_stays_an_item_of_its_list() -> None:
    text = (
        "The pairings:\n\n1. Oulu – Halifax: waterfronts\n2. Tartu – Saskatoon: open data\n\n"
        "A tenth pairing follows."
    )
    assert kinds(text) == [
        (BlockKind.PARAGRAPH, "The pairings:"),
        (BlockKind.LIST_ITEM, "1. Oulu – Halifax: waterfronts"),
        (BlockKind.LIST_ITEM, "2. Tartu – Saskatoon: open data"),
        (BlockKind.PARAGRAPH, "A tenth pairing follows."),
    ]


def test_lettered_list_items_stay_separate_items() -> None:
    # parse_file normalises text before parsing blocks; 'b) ...' starts with a lower-case letter but is a
    # list item of its own, not the wrapped rest of 'a) ...'.
    text = "Applicants must provide:\na) a letter of intent\nb) a budget table\nc) a work plan"
    assert kinds(text) == [
        (BlockKind.PARAGRAPH, "Applicants must provide:"),
        (BlockKind.LIST_ITEM, "a) a letter of intent"),
        (BlockKind.LIST_ITEM, "b) a budget table"),
        (BlockKind.LIST_ITEM, "c) a work plan"),
    ]


def test_key_value_fields() -> None:
    text = (
        "Timeframe: 5 years\n"
        "Starting month: 06/2017\n"
        "Resources: 1M – 10M USD\n"
        "Area of commitment (main): Urban Frameworks\n"
        "In this context, four main objectives are pursued in the framework of the meeting: learning\n"
        "note: lower case is not a field\n"
        "See https://iuc.eu: the site"
    )
    assert [block.kind for block in parse_blocks(text)] == [
        BlockKind.FIELD,
        BlockKind.FIELD,
        BlockKind.FIELD,
        BlockKind.FIELD,
        BlockKind.PARAGRAPH,
        BlockKind.PARAGRAPH,
        BlockKind.PARAGRAPH,
    ]


def test_short_field_is_one_citable_unit() -> None:
    document = chunked("Description: The EU is committed. It funds cities.\nTimeframe: 5 years")
    assert [sentence.text for sentence in document.sentences] == [
        "Description: The EU is committed. It funds cities.",
        "Timeframe: 5 years",
    ]


def test_factsheet_fields_are_sentences() -> None:
    parsed = parse_file(CORPUS / "iuc-city-to-city-initiative-factsheet.txt", "sha", None)
    texts = [sentence.text for sentence in parsed.sentences]
    for field in (
        "Timeframe: 5 years",
        "Starting month: 06/2017",
        "Scope: Global",
        "Resources: 1M – 10M USD",
    ):
        assert field in texts


# --- chunking ------------------------------------------------------------------------------------


def test_sections_become_heading_paths() -> None:
    text = (
        "CALL FOR CITIES\n\nThe call is open.\n\n"
        "Eligibility criteria\n\nCities of 50,000 inhabitants may apply.\n\n"
        "Budget\n\nTravel is covered.\n\n"
        "# Annex\n\nForms."
    )
    document = chunked(text)
    assert [(chunk.section, chunk.text) for chunk in document.chunks] == [
        ("CALL FOR CITIES", "The call is open."),
        ("CALL FOR CITIES > Eligibility criteria", "Cities of 50,000 inhabitants may apply."),
        ("CALL FOR CITIES > Budget", "Travel is covered."),
        ("Annex", "Forms."),
    ]
    chunk = document.chunks[1]
    assert (chunk.source, chunk.title, chunk.programme, chunk.kind, chunk.edition) == (
        "doc.txt",
        "A document",
        "IURC",
        "call for applications",
        2025,
    )
    assert [chunk.ordinal for chunk in document.chunks] == [0, 1, 2, 3]
    assert len({chunk.id for chunk in document.chunks}) == 4


def test_a_heading_repeating_the_title_opens_no_section() -> None:
    document = chunked("# Starting a cooperation\n\nCities apply.", title="Starting a cooperation")
    assert [(chunk.section, chunk.text) for chunk in document.chunks] == [("", "Cities apply.")]


SENTENCES = [
    "Cities cooperate on sustainable urban development with partners abroad.",
    "The stakeholders (e.g. academia, business) join the local working team.",
    "Dr. Smith from the coordination unit explains the method.",
    "Each pairing runs for approx. 18 months.",
    "Groups of municipalities must exceed 100,000 inhabitants.",
    "Why does this matter?",
    "Because peers learn from peers!",
]
PARAGRAPH = " ".join(SENTENCES)
ITEMS = [f"- item {n}: " + " ".join(["a budget table with all travel costs"] * 2) for n in range(3)]


def filler(low: int, high: int) -> str:
    """One paragraph of whole sentences, longer than ``low`` and at most ``high`` characters."""
    text = ""
    for sentence in SENTENCES * 10:
        candidate = f"{text} {sentence}".strip()
        if len(candidate) > high:
            break
        text = candidate
    assert low < len(text) <= high
    return text


def test_lead_in_is_carried_to_the_chunk_of_its_list() -> None:
    # The text before the lead-in nearly fills a chunk: the first item no longer fits, and the lead-in
    # must move on with it rather than end the chunk.
    text = f"{filler(890, 975)}\n\nApplicants must provide:\n" + "\n".join(ITEMS) + "\n\nThe end."
    document = chunked(text)
    assert len(document.chunks) == 2
    holder = next(chunk for chunk in document.chunks if "Applicants must provide:" in chunk.text)
    assert holder.text.startswith("Applicants must provide:\n")
    for item in ITEMS:
        assert item in holder.text
    for chunk in document.chunks:
        assert not chunk.text.endswith(":")


def test_a_list_that_fits_in_a_chunk_stays_with_its_lead_in() -> None:
    # The lead-in and its three items (~280 characters) fit in one chunk; the text before them fills the
    # current chunk only so far that the chunk limit is reached inside the list.
    text = f"{filler(720, 805)}\n\nApplicants must provide:\n" + "\n".join(ITEMS) + "\n\nThe end."
    document = chunked(text)
    holder = next(chunk for chunk in document.chunks if "Applicants must provide:" in chunk.text)
    for item in ITEMS:
        assert item in holder.text, f"{item!r} is not in the chunk of its lead-in"


def test_corpus_lead_ins_share_a_chunk_with_their_lists() -> None:
    parsed = parse_file(CORPUS / "iuc-call-starting-city-to-city-cooperation.txt", "sha", None)
    holder = next(chunk for chunk in parsed.chunks if "your city will:" in chunk.text)
    assert holder.text.startswith("By joining the IUC city-to-city cooperation, your city will:")
    for word in ("COMMIT", "LEARN", "SHARE", "EXCHANGE", "SHOWCASE", "IMPLEMENT"):
        assert f"- {word} – " in holder.text


def test_a_long_paragraph_is_cut_between_sentences() -> None:
    paragraph = " ".join([PARAGRAPH] * 6)  # about 2,400 characters, one block
    assert len(paragraph) > 2 * MAX_CHUNK_CHARS
    document = chunked(paragraph)
    pieces = [chunk.text for chunk in document.chunks]
    assert len(pieces) == 3
    assert " ".join(pieces) == paragraph  # nothing lost, nothing repeated
    starts = tuple(sentence.split(" ", 1)[0] for sentence in SENTENCES)
    for piece in pieces:
        assert len(piece) <= MAX_CHUNK_CHARS
        assert piece.startswith(starts), piece[:40]
        assert piece.endswith((".", "?", "!")), piece[-40:]
    assert [sentence.text for sentence in document.sentences] == SENTENCES * 6


def test_abbreviations_do_not_end_sentences() -> None:
    document = chunked("Call Dr. Smith today. See e.g. the annex. Each pairing runs for approx. 18 months.")
    assert [sentence.text for sentence in document.sentences] == [
        "Call Dr. Smith today.",
        "See e.g. the annex.",
        "Each pairing runs for approx. 18 months.",
    ]


def test_a_numbered_list_item_keeps_its_number_as_one_sentence() -> None:
    # '1.' followed by a capital is the number of an item, not a sentence: the item stays a list item
    # for the answerer (its lead-in and the other items come with it).
    document = chunked(
        "The pairings:\n1. Lund (Sweden) – Kobe (Japan): ports. Both cities met.\n2. Tallinn (Estonia)"
    )
    assert [sentence.text for sentence in document.sentences] == [
        "The pairings:",
        "1. Lund (Sweden) – Kobe (Japan): ports.",
        "Both cities met.",
        "2. Tallinn (Estonia)",
    ]


def test_words_that_merely_end_like_an_abbreviation_end_sentences() -> None:
    # 'group.' ends in 'p.', 'first.' in 'st.', 'Africa.' in 'ca.', 'start.' in 'art.': these are whole
    # words, not the abbreviations 'p.', 'st.', 'ca.', 'art.', so each sentence is its own citable unit.
    document = chunked(
        "Cities met in a working group. Espoo came first. Then came Africa. Then we start. The end is near."
    )
    assert [sentence.text for sentence in document.sentences] == [
        "Cities met in a working group.",
        "Espoo came first.",
        "Then came Africa.",
        "Then we start.",
        "The end is near.",
    ]


def test_every_sentence_is_verbatim_in_its_chunk_across_the_corpus() -> None:
    for path in sorted(p for p in CORPUS.iterdir() if not is_rules_file(p)):
        parsed = parse_file(path, "sha", None)
        chunks = {chunk.id: chunk for chunk in parsed.chunks}
        assert parsed.sentences, path.name
        for sentence in parsed.sentences:
            assert sentence.text in chunks[sentence.chunk_id].text, (path.name, sentence.text)
        for chunk in parsed.chunks:
            positions = [s.position for s in parsed.sentences if s.chunk_id == chunk.id]
            assert positions == list(range(len(positions)))
            assert positions, f"{chunk.id} has no citable sentence"


def test_corpus_sections() -> None:
    regions = parse_file(CORPUS / "regions-week-2023-curious-minds-takeaways.txt", "sha", None)
    hamburg = next(chunk for chunk in regions.chunks if chunk.text.startswith("The experience emphasized"))
    assert hamburg.section == "3. Lessons shared and learned > 3.1 Hamburg"
    espoo = parse_file(CORPUS / "eurocities-espoo-2022-takeaways.txt", "sha", None)
    why = next(chunk for chunk in espoo.chunks if "Thinking out of the European box!" in chunk.text)
    assert why.section == "TAKEAWAYS > Why cities get involved in international cooperation?"
    concept = parse_file(
        CORPUS / "partnerships-sustainable-cities-barcelona-2024-concept-note.txt", "sha", None
    )
    outcomes = next(chunk for chunk in concept.chunks if "three key outcomes" in chunk.text)
    assert outcomes.section == "CONCEPT NOTE > Expected outcomes"


# --- a PDF, end to end through parse_file --------------------------------------------------------


def test_pdf_chunks_carry_section_path_and_page(tmp_path: Path) -> None:
    path = tmp_path / "twinning-call-2025.pdf"
    path.write_bytes(
        make_pdf(
            [
                "Twinning Call 2025\n"
                "1 Eligibility\n"
                "Cities with more than 50,000 inhabitants may apply. Each applicant names one contact.\n"
                "1.1 Documents\n"
                "Applicants must provide:\n- a letter of intent\n- a budget table\n- a work plan",
                "2 Funding\n"
                "The programme covers travel costs for study visits. Local staff costs are not covered.\n"
                "2.1 Travel\n"
                "Economy flights are reimbursed after each visit.",
            ]
        )
    )
    parsed = parse_file(path, "sha", None)
    assert parsed.meta.source == "twinning-call-2025.pdf"
    assert [(chunk.page, chunk.section) for chunk in parsed.chunks] == [
        (1, "1 Eligibility"),
        (1, "1 Eligibility > 1.1 Documents"),
        (2, "2 Funding"),
        (2, "2 Funding > 2.1 Travel"),
    ]
    assert (
        parsed.chunks[1].text
        == "Applicants must provide:\n- a letter of intent\n- a budget table\n- a work plan"
    )
    chunks = {chunk.id: chunk for chunk in parsed.chunks}
    texts = [sentence.text for sentence in parsed.sentences]
    assert "Local staff costs are not covered." in texts
    for sentence in parsed.sentences:
        assert sentence.text in chunks[sentence.chunk_id].text


def test_pdf_chunk_page_is_the_page_its_text_is_on(tmp_path: Path) -> None:
    # Page 2 opens with text of the section begun on page 1: that text must not be cited as page 1.
    path = tmp_path / "call.pdf"
    path.write_bytes(
        make_pdf(
            [
                "Twinning Call 2025\n1 Eligibility\nCities with more than 50,000 inhabitants may apply.",
                "Groups of municipalities may also apply together. The lead city signs the agreement.\n"
                "2 Funding\nThe programme covers travel costs.",
            ]
        )
    )
    pages = {page.number: normalize_text(page.text) for page in load_document(path).pages}
    parsed = parse_file(path, "sha", None)
    chunks = {chunk.id: chunk for chunk in parsed.chunks}
    assert all(chunk.page in (1, 2) for chunk in parsed.chunks)
    for sentence in parsed.sentences:
        page = chunks[sentence.chunk_id].page
        assert page is not None
        assert sentence.text in pages[page], f"{sentence.text!r} is cited as page {page}"
