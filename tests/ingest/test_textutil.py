"""Words and sentences of text in any of the Latin alphabets."""

from __future__ import annotations

from ingest.textutil import split_sentences, terms


def test_letters_without_an_accent_to_strip_read_as_typed_on_an_english_keyboard() -> None:
    # 'Straumøy' was read as 'straum' and 'y', so the name it was asked by was one no document used
    assert terms("Straße in Tromsø, Łódź, Ærø, Straumøy") == terms("Strasse in Tromso, Lodz, Aero, Straumoy")
    assert terms("Straumøy") == ["straumoy"]


def test_typographic_apostrophes_and_hyphens_read_as_typed() -> None:
    # 'city’s' was read as 'city' and a term 's'; 'co‑financing' (a non-breaking hyphen) lost its compound
    assert terms("the city’s co‑financing isn’t") == terms("the city's co-financing isn't")


def test_a_sentence_opening_with_any_latin_capital_is_a_sentence_of_its_own() -> None:
    text = "The pilot ran in Poland. Łódź led it. Šiauliai and Žilina joined in 2024. Ørsted funded it."
    assert split_sentences(text) == [
        "The pilot ran in Poland.",
        "Łódź led it.",
        "Šiauliai and Žilina joined in 2024.",
        "Ørsted funded it.",
    ]


def test_a_bound_written_short_does_not_end_its_sentence() -> None:
    # 'max. 2,500 words' was cut after 'max.': the item lost its figure, and the figure its item
    text = "Send the form (max. 2,500 words) and a video of min. 2 minutes. Tel. 555 12 34 for help."
    assert split_sentences(text) == [
        "Send the form (max. 2,500 words) and a video of min. 2 minutes.",
        "Tel. 555 12 34 for help.",
    ]
