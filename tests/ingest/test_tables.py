"""Tests of ``ingest.tables``: run-together and pipe-separated tables, and the pairing rows cut from them."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from ingest.chunking import TABLE_ROWS_PER_CHUNK, chunk_document
from ingest.models import DocumentMeta
from ingest.normalize import normalize_text
from ingest.pipeline import parse_file
from ingest.structure import Block, BlockKind, parse_blocks
from ingest.tables import Table, looks_like_table_header, parse_table
from tests.support.paths import CORPUS

IUC_CALL = CORPUS / "iuc-call-starting-city-to-city-cooperation.txt"
HEADER = ["EU City", "Country", "Paired City", "Country", "Topics"]


def tables_of(text: str) -> list[Table]:
    tables = [block.table for block in parse_blocks(normalize_text(text)) if block.kind is BlockKind.TABLE]
    return [table for table in tables if table is not None]


def corpus_table() -> Table:
    tables = tables_of(IUC_CALL.read_text(encoding="utf-8"))
    assert len(tables) == 1
    return tables[0]


# --- the pairings table of the IUC call ----------------------------------------------------------


def test_corpus_pairings_table_has_55_rows_of_five_cells() -> None:
    table = corpus_table()
    assert table.header == HEADER
    assert len(table.rows) == 55
    assert all(len(row) == 5 and all(cell for cell in row) for row in table.rows)
    assert table.rows[0] == [
        "Agii Anargiri-Kamatero",
        "Greece",
        "Zhengzhou",
        "China",
        "mobility, trade, innovation",
    ]


@pytest.mark.parametrize(
    "row",
    [
        ["Almería", "Spain", "Armenia", "Colombia", "good governance approaches"],
        [
            "Manchester City Council",
            "United Kingdom",
            "Montréal",
            "Canada",
            "smart cities, economic growth and social inclusion",
        ],
        [
            "Metropolitan City of Bologna",
            "Italy",
            "Austin, Texas",
            "USA",
            "smart cities, climate adaptation and sustainable economic growth",
        ],
        [
            "Metropolitan City of Bologna",
            "Italy",
            "South Delhi Municipal Corporation (SDMC)",
            "India",
            "circular economy",
        ],
        [
            "Galați",
            "Romania",
            "Colima",
            "Mexico",
            "economic growth, sustainable development and climate change",
        ],
        [
            "Torino",
            "Italy",
            "Consórcio ABC (consortium of São Paulo municipalities)",
            "Brazil",
            "urban mobility and healthy cities",
        ],
        [
            "Belfast",
            "United Kingdom",
            "Santiago de Cali + Medellín",
            "Colombia",
            "post-conflict urban development",
        ],
        [
            "Métropole Clermont Auvergne",
            "France",
            "Chennai",
            "India",
            "smart city development, including water management and urban mobility",
        ],
        [
            "Dubrovnik + Župa Dubrovačka",
            "Croatia",
            "Panaji-Goa",
            "India",
            "management of urban services under pressure from tourism activities",
        ],
        ["Prague", "Czech Republic", "Longyan", "China", "urban development, innovation, elderly"],
        ["West Athens (Association for Development)", "Greece", "Mérida", "Mexico", "urban mobility"],
        ["Granada", "Spain", "Kunming", "China", "smart cities and biotechnologies"],
        ["Viana do Castelo", "Portugal", "São Leopoldo", "Brazil", "smart waste and water management"],
        [
            "Metropolitan Area of Styria/Graz",
            "Austria",
            "Ibagué",
            "Colombia",
            "smart/healthy cities and urban mobility",
        ],
        [
            "Hamburg",
            "Germany",
            "Metropolitan Area of Guadalajara",
            "Mexico",
            "smart cities and sustainable production and consumption",
        ],
    ],
    ids=lambda row: row[0] + "/" + row[2],
)
def test_corpus_pairings_table_tricky_rows(row: list[str]) -> None:
    assert row in corpus_table().rows


def test_corpus_pairings_table_keeps_document_order() -> None:
    rows = corpus_table().rows
    assert [row[0] for row in rows[-3:]] == [
        "West Athens (Association for Development)",
        "Zaragoza",
        "Metropolitan City of Bologna",
    ]
    countries = [row[3] for row in rows]
    # The source groups the pairings by partner country.
    assert countries.index("India") > countries.index("China")
    assert countries[-1] == "USA"


def test_no_corpus_table_row_is_left_as_text() -> None:
    blocks = parse_blocks(normalize_text(IUC_CALL.read_text(encoding="utf-8")))
    loose = [block.text for block in blocks if block.kind is not BlockKind.TABLE]
    assert not [text for text in loose if "SpainChihuahua" in text or "ItalyAustin" in text]
    assert not any("Topics" in text and "Paired City" in text for text in loose)


# --- tables made up for these tests --------------------------------------------------------------

MADE_UP = """Our city network has grown again this year.

European CityCountryPartner CityCountryThemes
Luxembourg CityLuxembourgHanoiVietnamdigital public services
MadridSpainMexico CityMexicoair quality, green areas
SeixalPortugalPanama CityPanamaports and logistics
ÖrebroSwedenNairobiKenyasolar energy
Ústí nad LabemCzech RepublicDurbanSouth Africacircular economy
RennesFranceLagosNigeriaport cities
SevillaSpainSanto DomingoDominican Republicheritage
LeipzigGermanyPort MoresbyPapua New Guineacoastal resilience
LjubljanaSloveniaBostonUnited States of Americawater
TartuEstoniaSeoulSouth Koreasmart cities

Further pairings will be announced in the autumn.
"""


def test_made_up_run_together_table_with_other_cities_and_countries() -> None:
    blocks = parse_blocks(normalize_text(MADE_UP))
    assert [block.kind for block in blocks] == [BlockKind.PARAGRAPH, BlockKind.TABLE, BlockKind.PARAGRAPH]
    table = blocks[1].table
    assert table is not None
    assert table.header == ["European City", "Country", "Partner City", "Country", "Themes"]
    assert table.rows == [
        ["Luxembourg City", "Luxembourg", "Hanoi", "Vietnam", "digital public services"],
        ["Madrid", "Spain", "Mexico City", "Mexico", "air quality, green areas"],
        ["Seixal", "Portugal", "Panama City", "Panama", "ports and logistics"],
        ["Örebro", "Sweden", "Nairobi", "Kenya", "solar energy"],
        ["Ústí nad Labem", "Czech Republic", "Durban", "South Africa", "circular economy"],
        ["Rennes", "France", "Lagos", "Nigeria", "port cities"],
        ["Sevilla", "Spain", "Santo Domingo", "Dominican Republic", "heritage"],
        ["Leipzig", "Germany", "Port Moresby", "Papua New Guinea", "coastal resilience"],
        ["Ljubljana", "Slovenia", "Boston", "United States of America", "water"],
        ["Tartu", "Estonia", "Seoul", "South Korea", "smart cities"],
    ]
    assert blocks[2].text == "Further pairings will be announced in the autumn."


def test_other_country_column_names_are_recognised() -> None:
    (table,) = tables_of(
        "Municipal TownNationTwin TownNationFocus\nLyonFranceOsakaJapanculture\nBergenNorwayKyotoJapantourism"
    )
    assert table.rows == [
        ["Lyon", "France", "Osaka", "Japan", "culture"],
        ["Bergen", "Norway", "Kyoto", "Japan", "tourism"],
    ]


def test_pipe_separated_table_with_markdown_rule() -> None:
    text = (
        "Upcoming events:\n\n"
        "| Date | Event | City |\n"
        "|---|---|---|\n"
        "| 12 March 2024 | Global meeting | Barcelona |\n"
        "| 8 June 2022 | Annual conference, side event | Espoo |\n"
        "\n"
        "Registration opens soon."
    )
    blocks = parse_blocks(normalize_text(text))
    assert [block.kind for block in blocks] == [BlockKind.PARAGRAPH, BlockKind.TABLE, BlockKind.PARAGRAPH]
    table = blocks[1].table
    assert table is not None
    assert table.header == ["Date", "Event", "City"]
    assert table.rows == [
        ["12 March 2024", "Global meeting", "Barcelona"],
        ["8 June 2022", "Annual conference, side event", "Espoo"],
    ]
    assert table.render() == [
        "Date | Event | City",
        "12 March 2024 | Global meeting | Barcelona",
        "8 June 2022 | Annual conference, side event | Espoo",
    ]


def test_a_pipe_table_whose_first_line_is_data_has_no_header() -> None:
    text = (
        "The fee depends on the town's population.\n"
        "Full member | up to 19,999 inhabitants | EUR 1,200\n"
        "Full member | 20,000 – 49,999 inhabitants | EUR 2,600\n"
        "Associate member | any | EUR 800\n"
    )
    table = parse_blocks(normalize_text(text))[1].table
    assert table is not None
    assert table.header == ["", "", ""]  # no row is taken for the columns' names
    assert table.rows[0] == ["Full member", "up to 19,999 inhabitants", "EUR 1,200"]
    assert len(table.rows) == 3
    # column names may be years
    by_year = parse_blocks(normalize_text("Indicator | 2023 | 2024\nPairings | 12 | 20\nCities | 24 | 40\n"))
    assert by_year[0].table is not None and by_year[0].table.header == ["Indicator", "2023", "2024"]


def test_pipe_row_with_wrong_cell_count_is_dropped_with_a_warning(caplog: pytest.LogCaptureFixture) -> None:
    lines = [
        "Date | Event | City",
        "12 March 2024 | Global meeting | Barcelona",
        "oops | two",
        "8 June 2022 | Conference | Espoo",
    ]
    with caplog.at_level(logging.WARNING, logger="ingest.tables"):
        table = parse_table(lines)
    assert table is not None
    assert [row[2] for row in table.rows] == ["Barcelona", "Espoo"]
    assert "table row not parsed" in caplog.text
    assert "oops | two" in caplog.text


def test_fewer_than_two_rows_is_not_a_table() -> None:
    assert (
        parse_table(["EU CityCountryPaired CityCountryTopics", "HamburgGermanyVijayawadaIndiaurban mobility"])
        is None
    )
    assert parse_table([]) is None
    assert parse_table(["Single", "a", "b"]) is None


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("EU CityCountryPaired CityCountryTopics", True),
        ("Municipal TownNationTwin TownNationFocus", True),
        ("HomeNewsEventsContact", True),
        ("City-to-city pairings", False),
        ("Partners, Cities and Countries", False),
        ("Who can apply?", False),
        ("EU City | Country | Topics", False),  # pipe tables are recognised by their pipes instead
        ("CityCountry", False),
        ("A" + "Bcdefgh" * 20, False),
    ],
)
def test_looks_like_table_header(line: str, expected: bool) -> None:
    assert looks_like_table_header(line) is expected


def test_header_like_line_set_apart_is_not_a_table() -> None:
    text = "HomeNewsEventsContact\n\nThe IURC programme supports cities.\nIt runs until 2026."
    blocks = parse_blocks(normalize_text(text))
    assert BlockKind.TABLE not in [block.kind for block in blocks]
    assert [block.text for block in blocks][1:] == [
        "The IURC programme supports cities.",
        "It runs until 2026.",
    ]


def test_header_like_line_followed_by_prose_is_not_a_table() -> None:
    # A navigation bar exported from a web page, directly followed by the page's text: the prose lines
    # must stay as they are, not become rows of single-letter "cells" ('T | h | e | IURC programme ...').
    text = "HomeNewsEventsContact\nThe IURC programme supports cities.\nIt runs until 2026."
    blocks = parse_blocks(normalize_text(text))
    assert BlockKind.TABLE not in [block.kind for block in blocks]
    texts = [block.text for block in blocks]
    assert "The IURC programme supports cities." in texts
    assert "It runs until 2026." in texts


# --- pairing rows --------------------------------------------------------------------------------


def test_corpus_file_yields_55_pairing_rows() -> None:
    parsed = parse_file(IUC_CALL, "sha", None)
    assert len(parsed.pairings) == 55
    chunks = {chunk.id: chunk for chunk in parsed.chunks}
    almeria = next(row for row in parsed.pairings if row.eu_city == "Almería")
    assert (almeria.eu_country, almeria.partner_city, almeria.partner_country, almeria.topics) == (
        "Spain",
        "Armenia",
        "Colombia",
        "good governance approaches",
    )
    assert almeria.programme == "IUC"
    assert almeria.source == IUC_CALL.name
    for row in parsed.pairings:
        chunk = chunks[row.chunk_id]
        assert chunk.is_table
        assert row.quote in chunk.text.split("\n")
        assert row.quote == " | ".join(
            [row.eu_city, row.eu_country, row.partner_city, row.partner_country, row.topics]
        )
    bologna = [row.partner_city for row in parsed.pairings if row.eu_city == "Metropolitan City of Bologna"]
    assert bologna == ["South Delhi Municipal Corporation (SDMC)", "Austin, Texas"]


def test_corpus_table_chunks_repeat_the_header_and_hold_at_most_15_rows() -> None:
    parsed = parse_file(IUC_CALL, "sha", None)
    table_chunks = [chunk for chunk in parsed.chunks if chunk.is_table]
    assert len(table_chunks) == 4  # 55 rows, 15 a chunk
    for chunk in table_chunks:
        lines = chunk.text.split("\n")
        assert lines[0] == "EU City | Country | Paired City | Country | Topics"
        assert 1 <= len(lines) - 1 <= TABLE_ROWS_PER_CHUNK
        assert chunk.section == "City-to-city pairings"
    # every table row is a citable sentence of its chunk
    sentences = [
        sentence for sentence in parsed.sentences if sentence.chunk_id in {c.id for c in table_chunks}
    ]
    assert len(sentences) == 55


def chunk_text(text: str, title: str = "Made-up pairings") -> tuple[list[Block], DocumentMeta]:
    meta = DocumentMeta(source="made-up.txt", title=title, programme="IURC", edition=2025)
    return parse_blocks(normalize_text(text)), meta


def test_made_up_table_yields_pairing_rows() -> None:
    blocks, meta = chunk_text(MADE_UP)
    document = chunk_document(meta, blocks)
    assert len(document.pairings) == 10
    rennes = document.pairings[5]
    assert (
        rennes.eu_city,
        rennes.eu_country,
        rennes.partner_city,
        rennes.partner_country,
        rennes.topics,
    ) == (
        "Rennes",
        "France",
        "Lagos",
        "Nigeria",
        "port cities",
    )
    assert rennes.programme == "IURC"
    assert rennes.quote == "Rennes | France | Lagos | Nigeria | port cities"
    assert len({row.id for row in document.pairings}) == 10


def test_a_table_that_is_not_about_pairings_yields_no_pairing_rows() -> None:
    blocks, meta = chunk_text(
        "Date | Event | City\n12 March 2024 | Global meeting | Barcelona\n8 June 2022 | Conference | Espoo"
    )
    document = chunk_document(meta, blocks)
    assert document.pairings == []
    assert [chunk.is_table for chunk in document.chunks] == [True]
    assert [sentence.text for sentence in document.sentences] == [
        "12 March 2024 | Global meeting | Barcelona",
        "8 June 2022 | Conference | Espoo",
    ]


def test_a_city_paired_twice_in_one_chunk_gets_two_distinct_pairing_ids() -> None:
    # The corpus itself pairs Hamburg and Bologna twice each; they only happen to fall in different chunks.
    blocks, meta = chunk_text(
        "EU CityCountryPaired CityCountryTopics\n"
        "HamburgGermanyVijayawadaIndiaurban mobility\n"
        "HamburgGermanyGuadalajaraMexicosmart cities\n"
        "LyonFranceOsakaJapanculture\n"
    )
    document = chunk_document(meta, blocks)
    assert [row.partner_city for row in document.pairings] == ["Vijayawada", "Guadalajara", "Osaka"]
    assert len({row.id for row in document.pairings}) == 3


def test_parse_file_keeps_tables_from_a_markdown_file(tmp_path: Path) -> None:
    path = tmp_path / "pairings-2025.md"
    path.write_text(
        "# IURC pairings 2025\n\n"
        "The International Urban and Regional Cooperation programme paired these cities:\n\n"
        "| EU City | Country | Partner City | Country | Topics |\n"
        "| --- | --- | --- | --- | --- |\n"
        "| Lyon | France | Osaka | Japan | culture |\n"
        "| Bergen | Norway | Kyoto | Japan | tourism |\n",
        encoding="utf-8",
    )
    parsed = parse_file(path, "sha", None)
    assert [(row.eu_city, row.partner_city, row.partner_country) for row in parsed.pairings] == [
        ("Lyon", "Osaka", "Japan"),
        ("Bergen", "Kyoto", "Japan"),
    ]
    assert parsed.pairings[0].programme == "IURC"
