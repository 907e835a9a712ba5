"""Tests of ``ingest.normalize.normalize_text``: one group per rule, then the real corpus."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.normalize import normalize_text
from ingest.structure import BlockKind, parse_blocks
from tests.support.paths import CORPUS

CORPUS_FILES = sorted(CORPUS.glob("*.txt"))


# --- characters ----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["Málaga", "Växjö", "Galați", "Župa Dubrovačka", "Umeå", "São Leopoldo"])
def test_accented_names_are_unchanged(name: str) -> None:
    assert normalize_text(f"Paired with {name} in 2017.") == f"Paired with {name} in 2017."


def test_decomposed_accents_are_composed() -> None:
    assert normalize_text("Ma\u0301laga") == "Málaga"


def test_ligatures_are_split() -> None:
    assert normalize_text("ﬁnancing and ﬂood ﬀorts") == "financing and flood fforts"


def test_zero_width_characters_and_soft_hyphens_are_removed() -> None:
    assert normalize_text("co\u200boperation\u00ad \ufeffurban\u200d \u2060plan") == "cooperation urban plan"


def test_soft_hyphen_at_line_end_rejoins_the_word() -> None:
    assert normalize_text("the pro\u00ad\ngramme runs") == "the programme runs"


def test_non_breaking_spaces_become_spaces() -> None:
    assert normalize_text("12\u00a0months\u202fand\u2007more") == "12 months and more"


def test_line_endings_are_normalised() -> None:
    assert normalize_text("First.\r\nSecond.\rThird.\fFourth.") == "First.\nSecond.\nThird.\nFourth."


def test_curly_quotes_may_stay() -> None:
    assert normalize_text("the “Partnerships” programme’s aim") == "the “Partnerships” programme’s aim"


# --- hyphenation ---------------------------------------------------------------------------------


def test_line_end_hyphen_before_lowercase_is_removed() -> None:
    assert normalize_text("The pro-\ngramme supports cities.") == "The programme supports cities."


@pytest.mark.parametrize("text", ["a long-term partnership", "Vitoria-Gasteiz", "the e-sport arena"])
def test_real_hyphens_inside_a_line_stay(text: str) -> None:
    assert normalize_text(text) == text


def test_line_end_hyphen_before_uppercase_stays() -> None:
    assert normalize_text("Vitoria-\nGasteiz") == "Vitoria-\nGasteiz"


def test_line_end_hyphen_keeps_a_compound_the_document_spells_with_a_hyphen() -> None:
    text = "A long-term view.\nThey want long-\nterm partnerships and e-sport, and e-\nsport talents."
    assert normalize_text(text) == (
        "A long-term view.\nThey want long-term partnerships and e-sport, and e-sport talents."
    )


def test_hyphen_after_a_digit_or_a_space_is_not_a_word_break() -> None:
    assert normalize_text("phase 21-\nbased") == "phase 21- based"
    assert normalize_text("Topics -\nmobility") == "Topics - mobility"


# --- wrapped lines -------------------------------------------------------------------------------


def test_wrapped_lines_of_a_paragraph_are_joined() -> None:
    text = "Cities in the Member States who wish to\nexchange with a city can benefit\nfrom the programme."
    assert normalize_text(text) == (
        "Cities in the Member States who wish to exchange with a city can benefit from the programme."
    )


@pytest.mark.parametrize("end", [".", "?", "!", ":", ";", '."', ".)"])
def test_a_finished_sentence_is_not_joined(end: str) -> None:
    text = f"The call is closed{end}\nlowercase start of another line"
    assert normalize_text(text) == text


def test_a_line_starting_uppercase_is_not_joined() -> None:
    assert normalize_text("Background\nIn the framework of") == "Background\nIn the framework of"


def test_paragraphs_separated_by_a_blank_line_are_not_joined() -> None:
    assert normalize_text("one paragraph\n\nanother one") == "one paragraph\n\nanother one"


def test_list_items_are_not_joined_with_each_other() -> None:
    text = "- City Science Initiative\n- inspired new insight for research"
    assert normalize_text(text) == text


def test_wrapped_list_item_takes_its_continuation() -> None:
    text = "• COMMIT – Cooperate for at least 18 months with your\ninternational peers"
    assert normalize_text(text) == "- COMMIT – Cooperate for at least 18 months with your international peers"


def test_headings_are_not_joined() -> None:
    assert normalize_text("## Who can apply\ncities over 100,000") == "## Who can apply\ncities over 100,000"
    assert normalize_text("TAKEAWAYS\nthe involvement") == "TAKEAWAYS\nthe involvement"


def test_table_lines_are_not_joined() -> None:
    pipes = "EU City | Country\nmálaga | Spain"
    assert normalize_text(pipes) == pipes
    gaps = "Manchester City Council     Montréal\nsmart cities     growth"
    assert normalize_text(gaps) == "Manchester City Council Montréal\nsmart cities growth"


def test_key_value_lines_are_not_pulled_into_the_previous_line() -> None:
    text = "Scope: Global\nTimeframe: 5 years\nStarting month: 06/2017"
    assert normalize_text(text) == text


def test_wrapped_key_value_line_takes_its_continuation() -> None:
    text = "Description: The European Union is committed to expand\nopportunities for cooperation."
    assert normalize_text(text) == (
        "Description: The European Union is committed to expand opportunities for cooperation."
    )


# --- whitespace ----------------------------------------------------------------------------------


def test_spaces_and_tabs_collapse_inside_a_line_and_ends_are_stripped() -> None:
    assert normalize_text("  smart  \t waste   and water  \t") == "smart waste and water"


def test_blank_line_runs_collapse_to_one_and_edges_are_stripped() -> None:
    text = "\n\n \nTitle\n\n\n\n \u00a0\n\nBody text.\n\n\n"
    assert normalize_text(text) == "Title\n\nBody text."


def test_empty_and_blank_text() -> None:
    assert normalize_text("") == ""
    assert normalize_text(" \n\t\n\u00a0\n") == ""


# --- markdown ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("the ***second and final global meeting***.", "the second and final global meeting."),
        ("the **primary target group** of", "the primary target group of"),
        ("the “*Partnerships for Cities*” programme", "the “Partnerships for Cities” programme"),
        ("an __underlined__ word", "an underlined word"),
        ("**Day 1** and **Day 2**", "Day 1 and Day 2"),
        ("**bold with *italic* inside**", "bold with italic inside"),
        ("*x*", "x"),
    ],
)
def test_emphasis_markers_are_removed(text: str, expected: str) -> None:
    assert normalize_text(text) == expected


@pytest.mark.parametrize(
    "text", ["2*3*4 = 24", "a * b * c", "2**10 bytes", "snake__case__name", "** not bold **"]
)
def test_arithmetic_and_spaced_stars_are_not_emphasis(text: str) -> None:
    assert normalize_text(text) == text


def test_links_keep_their_text() -> None:
    text = "The [proceedings can be found here](#). See [IUC](https://iuc.eu/a_(b))."
    assert normalize_text(text) == "The proceedings can be found here. See IUC."


def test_images_keep_their_alt_text() -> None:
    assert normalize_text("![Map of pairings](img/map.png) below") == "Map of pairings below"


def test_brackets_without_a_url_stay() -> None:
    assert normalize_text("as shown in [1] and [note]") == "as shown in [1] and [note]"


# --- bullets -------------------------------------------------------------------------------------


@pytest.mark.parametrize("bullet", ["•", "◦", "▪", "‣", "●", "*", "–", "—"])
def test_bullets_become_dashes(bullet: str) -> None:
    assert normalize_text(f"  {bullet}  Mexico\n{bullet}\tArgentina") == "- Mexico\n- Argentina"


def test_glyph_bullet_without_space_and_lone_bullet() -> None:
    assert normalize_text("•Mexico\n•\nArgentina") == "- Mexico\n- Argentina"


def test_star_bullet_line_keeps_inline_emphasis_handling() -> None:
    assert normalize_text("* the *first* item") == "- the first item"


def test_dash_inside_a_line_is_not_a_bullet() -> None:
    assert normalize_text("COMMIT – Cooperate") == "COMMIT – Cooperate"


@pytest.mark.parametrize(
    "text",
    ["- 1) To deepen collective learning", "1. Introduction", "3.1 Hamburg", "- Introduction and setting"],
)
def test_numbered_and_dash_items_stay(text: str) -> None:
    assert normalize_text(text) == text


def test_numbered_item_spaces_collapse() -> None:
    assert normalize_text("-   2)  To inform participants") == "- 2) To inform participants"


# --- the real corpus -----------------------------------------------------------------------------


def test_corpus_is_present() -> None:
    assert len(CORPUS_FILES) >= 5


@pytest.mark.parametrize("path", CORPUS_FILES, ids=lambda path: path.name)
def test_corpus_file_keeps_every_line(path: Path) -> None:
    """Every non-blank line survives as one line: the corpus has no wrapped lines to join."""
    raw_lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    lines = [line for line in normalize_text(path.read_text(encoding="utf-8")).split("\n") if line]
    assert len(lines) == len(raw_lines)
    for line in lines:
        assert line == line.strip()
        assert "  " not in line
        assert "**" not in line
        assert "](" not in line
        assert not line.startswith("•")


@pytest.mark.parametrize("path", CORPUS_FILES, ids=lambda path: path.name)
def test_corpus_normalisation_is_idempotent(path: Path) -> None:
    once = normalize_text(path.read_text(encoding="utf-8"))
    assert normalize_text(once) == once


def test_corpus_pairings_table_keeps_every_row() -> None:
    raw = (CORPUS / "iuc-call-starting-city-to-city-cooperation.txt").read_text(encoding="utf-8")
    lines = normalize_text(raw).split("\n")
    header = lines.index("EU CityCountryPaired CityCountryTopics")
    rows = lines[header + 1 : lines.index("", header)]
    assert len(rows) == 55
    assert rows[0] == "Agii Anargiri-KamateroGreeceZhengzhouChinamobility, trade, innovation"
    expected = [
        "Manchester City CouncilUnited Kingdom MontréalCanadasmart cities, economic growth and social "
        "inclusion",
        "Viana do CasteloPortugalSão LeopoldoBrazilsmart waste and water management",
        "Dubrovnik + Župa DubrovačkaCroatiaPanaji-GoaIndiamanagement of urban services under pressure from "
        "tourism activities",
        "GalațiRomaniaColimaMexicoeconomic growth, sustainable development and climate change",
        "VäxjöSwedenBurlingtonCanadasustainable use of land, nature-based solutions and the implementation "
        "of the SDGs",
    ]
    for row in expected:
        assert row in rows


def test_corpus_bullets_and_key_values() -> None:
    raw = (CORPUS / "iuc-city-to-city-initiative-factsheet.txt").read_text(encoding="utf-8")
    lines = normalize_text(raw).split("\n")
    assert "- All 28 European Union Member States" in lines
    assert "Timeframe: 5 years" in lines
    assert "Resources: 1M – 10M USD" in lines


def test_corpus_markdown_is_cleaned() -> None:
    path = CORPUS / "partnerships-sustainable-cities-barcelona-2024-concept-note.txt"
    text = normalize_text(path.read_text(encoding="utf-8"))
    assert "the programme also seeks to promote joint learning among all actors" in text
    assert "The proceedings of this first global meeting can be found here." in text
    assert "- 2) To inform participants about EVOLVING EU POLICIES and practices towards cities/LAs." in text
    assert "“Partnerships for Sustainable Cities” programme" in text


def test_tab_separated_cells_keep_their_columns_as_a_pipe_tables_row() -> None:
    text = "Applicant\tCountry\tLump sum (EUR)\nLutsk\tUA\t55 000\nDeadline\t30 April"
    assert normalize_text(text).split("\n") == [
        "Applicant | Country | Lump sum (EUR)",
        "Lutsk | UA | 55 000",
        "Deadline 30 April",  # two cells: a label and its value, read as words
    ]


def test_a_tab_separated_table_is_read_as_a_table() -> None:
    text = (
        "Selected towns:\n\nApplicant\tCountry\tLump sum (EUR)\nPtuj\tSI\t15 500\nLutsk\tUA\t55 000\n\n"
        "More below."
    )
    kinds = [block.kind for block in parse_blocks(normalize_text(text))]
    assert BlockKind.TABLE in kinds and BlockKind.HEADING not in kinds
