"""Countries named in a text, by name, alias or demonym, in the order they are named; a world region's
name does not name the countries whose alias it contains."""

from __future__ import annotations

import pytest

from ingest.geo import gazetteer, language_names


@pytest.mark.parametrize(
    ("text", "codes"),
    [
        ("Which Canadian cities are part of the North America pairings?", ["CA"]),
        ("Pairings with North American and Latin American cities", []),
        ("Partners in Mexico through the Latin America component", ["MX"]),
        ("American and Canadian cities", ["US", "CA"]),
        ("Odense in Denmark and Kochi in India", ["DK", "IN"]),
        # demonyms not formed from the country's name
        ("A Norwegian kommune and a Korean city", ["NO", "KR"]),
        ("Bosnian, Montenegrin and Macedonian towns", ["BA", "ME", "MK"]),
        # a name of several words, possessives, plurals, accents and a name closing a sentence
        ("Can cities in the United States apply?", ["US"]),
        ("Germany's towns and France's cities.", ["DE", "FR"]),
        ("Partners from Türkiye, Peru.", ["TR", "PE"]),
        ("Brazilians and Chileans", ["BR", "CL"]),
    ],
)
def test_countries_mentioned(text: str, codes: list[str]) -> None:
    assert gazetteer().mentioned(text) == codes


def test_language_names_are_the_two_letter_coded_languages() -> None:
    names = language_names()
    assert {"english", "polish", "spanish", "french"} <= names
    assert "norway" not in names and "poland" not in names
