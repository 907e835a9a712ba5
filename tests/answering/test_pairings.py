"""Pairing lookup over hand-made table rows: the ways a question names a table city, the criteria read
from a question, and the rows that match them."""

from __future__ import annotations

import pytest

from assistant.answering.pairings import (
    PairingCriteria,
    PairingTables,
    city_aliases,
    extract_criteria,
    find_pairings,
    pairings_matching,
)
from assistant.answering.query import analyse
from ingest.models import PairingRow
from ingest.textutil import terms


def _row(number: int, quote: str) -> PairingRow:
    """A row as the table writes it: 'EU city | country | partner city | country | topics'."""
    eu_city, eu_country, partner_city, partner_country, topics = quote.split(" | ")
    return PairingRow(
        id=f"pairings:{number}",
        eu_city=eu_city,
        eu_country=eu_country,
        partner_city=partner_city,
        partner_country=partner_country,
        topics=topics,
        source="pairings.md",
        chunk_id="pairings:0001",
        quote=quote,
    )


BOLOGNA = _row(1, "Metropolitan City of Bologna | Italy | Recife | Brazil | heritage, tourism")
TAMPERE = _row(2, "Tampere | Finland | Recife | Brazil | smart cities, mobility")
GDANSK = _row(3, "Gdańsk | Poland | Halifax | Canada | port cities, water")
LYON = _row(4, "Lyon | France | Osaka | Japan | culture and mobility")
ROWS = [BOLOGNA, TAMPERE, GDANSK, LYON]


@pytest.mark.parametrize(
    ("name", "aliases"),
    [
        ("Metropolitan City of Bologna", ["metropolitan city of bologna", "bologna"]),
        (
            "South Delhi Municipal Corporation (SDMC)",
            [
                "south delhi municipal corporation (sdmc)",
                "south delhi municipal corporation",
                "delhi",
                "sdmc",
            ],
        ),
        ("Austin, Texas", ["austin, texas", "austin", "texas"]),
        ("Malmö", ["malmo"]),
        ("Vitoria-Gasteiz", ["vitoria-gasteiz"]),
        ("Saint-Étienne Métropole", ["saint-etienne metropole", "saint-etienne"]),
    ],
)
def test_city_aliases_are_folded_pieces_and_the_one_distinctive_word(name: str, aliases: list[str]) -> None:
    assert city_aliases(name) == aliases  # longest first


def criteria_of(question: str) -> PairingCriteria:
    return extract_criteria(analyse(question, []), PairingTables(ROWS))


@pytest.mark.parametrize(
    ("question", "criteria", "rows"),
    [
        ("Which city is paired with Bologna?", PairingCriteria(cities=[BOLOGNA.eu_city]), [BOLOGNA]),
        ("Who is Gdansk paired with?", PairingCriteria(cities=["Gdańsk"]), [GDANSK]),  # without its accent
        (
            "Which Brazilian cities are paired with EU cities?",
            PairingCriteria(countries=["BR"]),
            [BOLOGNA, TAMPERE],
        ),
        ("Which pairings are in Japan?", PairingCriteria(countries=["JP"]), [LYON]),
        ("Which pairings work on mobility?", PairingCriteria(topics=terms("mobility")), [TAMPERE, LYON]),
        (
            "Which pairings in Canada work on water?",
            PairingCriteria(countries=["CA"], topics=terms("water")),
            [GDANSK],
        ),
        (
            "Which EU city is twinned with Recife on tourism?",
            PairingCriteria(cities=["Recife"], topics=terms("tourism")),
            [BOLOGNA],
        ),
        # no row covers both topics: the rows covering most of them
        (
            "Which cities cooperate on culture and heritage?",
            PairingCriteria(topics=terms("culture heritage")),
            [BOLOGNA, LYON],
        ),
    ],
)
def test_criteria_are_read_from_the_question_and_select_the_rows(
    question: str, criteria: PairingCriteria, rows: list[PairingRow]
) -> None:
    found = criteria_of(question)
    assert found == criteria
    assert find_pairings(ROWS, found) == rows  # in table order


def test_cities_are_found_by_any_alias_in_the_order_the_question_names_them() -> None:
    tables = PairingTables(ROWS)
    assert tables.cities_in("Is Tampere's partner as active as Gdansk's?") == ["Tampere", "Gdańsk"]
    assert tables.cities_in("What does the Metropolitan City of Bologna do?") == [BOLOGNA.eu_city]
    assert tables.cities_in("Nothing about any of them.") == []


def test_words_that_name_the_table_itself_are_not_topics() -> None:
    # 'cities' is in the topics column ('smart cities', 'port cities') but asks for the table here
    found = criteria_of("Which cities are paired with cities in Poland?")
    assert found == PairingCriteria(countries=["PL"])
    assert find_pairings(ROWS, found) == [GDANSK]


def test_a_topic_no_row_has_is_not_a_criterion_and_no_criterion_is_empty() -> None:
    found = criteria_of("Which pairings work on energy?")
    assert found.empty
    assert find_pairings(ROWS, found) == ROWS


def test_rows_must_meet_every_criterion() -> None:
    assert find_pairings(ROWS, PairingCriteria(cities=["Recife"], countries=["JP"])) == []
    assert find_pairings(ROWS, PairingCriteria(countries=["BR", "CA"])) == [BOLOGNA, TAMPERE, GDANSK]
    assert find_pairings(ROWS, PairingCriteria(topics=terms("energy"))) == []  # no row covers it
    # the rows covering the most topic terms, if that is at least half of them
    assert find_pairings(ROWS, PairingCriteria(topics=terms("water port energy"))) == [GDANSK]
    assert find_pairings(ROWS, PairingCriteria(topics=terms("water tourism mobility energy"))) == []
    assert find_pairings([], PairingCriteria(topics=terms("water"))) == []


def test_pairings_by_city_country_and_topic_ignore_case_and_accents() -> None:
    assert pairings_matching(ROWS, "gdansk", None, None) == [GDANSK]
    assert pairings_matching(ROWS, "Recife", None, "mobility") == [TAMPERE]
    assert pairings_matching(ROWS, None, "Canada", None) == [GDANSK]
    assert pairings_matching(ROWS, "Atlantis", None, None) == []
    assert pairings_matching(ROWS, None, "Atlantis", None) == []
