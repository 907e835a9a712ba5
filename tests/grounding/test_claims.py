"""What a text asserts, read explicitly: numbers however written, dates in every form documents use,
names and acronyms, links, negation (and the idioms that only look negative), modality, content words.
All passages here are invented."""

from __future__ import annotations

from decimal import Decimal

import pytest

from assistant.grounding import Modality, read_claim


@pytest.mark.parametrize(
    ("text", "numbers"),
    [
        ("Towns of 100,000 inhabitants", {100000}),
        ("Towns of 100 000 inhabitants", {100000}),
        ("Towns of 100000 inhabitants", {100000}),
        ("A grant of 1.5 million euros", {1500000}),
        ("A grant of EUR 1,500,000", {1500000}),
        ("A budget of 60k", {60000}),
        ("Half of it, 50%", {50}),
        ("The 3rd round", {3}),
        ("two partners and twelve experts", {2, 12}),
        ("Co-financing of 2.5 per cent", {Decimal("2.5")}),
        ("No figure here", set()),
    ],
)
def test_numbers_compare_however_they_are_written(text: str, numbers: set[Decimal | int]) -> None:
    assert read_claim(text).numbers == {Decimal(n) for n in numbers}


@pytest.mark.parametrize(
    "text",
    ["Apply by 19 March 2031.", "Apply by March 19th, 2031.", "Apply by 19/03/2031.", "Apply by 2031-03-19."],
)
def test_a_date_is_the_same_date_in_every_form(text: str) -> None:
    claim = read_claim(text)
    assert claim.dates == {(2031, 3, 19)} and claim.day_months == {(3, 19)}
    assert claim.numbers == set(), "the parts of a date are not loose numbers"


def test_dates_without_a_year_months_with_a_year_and_months_alone() -> None:
    assert read_claim("Apply by 5 June.").day_months == {(6, 5)}
    assert read_claim("Apply by 5 June.").dates == set()
    assert read_claim("It opens in June 2031.").month_years == {(2031, 6)}
    assert read_claim("It opens in June.").months == {6}
    assert read_claim("Cities may apply.").months == set(), "'may' alone is the verb"


def test_names_are_capitalised_words_past_the_opening_and_acronyms_anywhere() -> None:
    claim = read_claim("Partners from Lakeport and Hill-Bury joined the TTCE network's call.")
    assert claim.names == {"lakeport", "hill", "bury"}
    assert claim.acronyms == {"ttce"}
    assert read_claim("Lakeport joined.").names == set(), "a capital opening a sentence proves nothing"
    assert read_claim("- Lakeport joined.\n- Then came Rivertown.").names == {"rivertown"}
    assert read_claim("It ends on Monday in March.").names == set()


def test_initials_let_an_acronym_stand_for_its_words() -> None:
    assert "eu" in read_claim("Members of the European Union apply.").initials()
    assert "ttce" in read_claim("The Twin Town Cooperation Exchange runs it.").initials()


def test_links_and_addresses_are_read_whole() -> None:
    claim = read_claim("Write to help@ttce.example or see https://ttce.example/call.")
    assert claim.links == {"help@ttce.example", "https://ttce.example/call"}


@pytest.mark.parametrize(
    ("text", "negated"),
    [
        ("Regions are not eligible.", True),
        ("Regions aren't eligible.", True),
        ("Regions cannot apply.", True),
        ("Regions are never eligible.", True),
        ("No region may apply.", True),
        ("Regions are ineligible.", True),
        ("Regions are excluded.", True),
        ("Cities apply without a partner.", True),
        ("Regions are eligible.", False),
        ("Apply no later than 5 June.", False),
        ("Apply not later than 5 June.", False),
        ("Not only cities but also towns apply.", False),
        ("A grant of no more than 10,000 euros.", False),
        ("Costs must not exceed 10,000 euros.", False),
    ],
)
def test_negation_and_the_idioms_that_only_look_negative(text: str, negated: bool) -> None:
    assert read_claim(text).negated is negated


@pytest.mark.parametrize(
    ("text", "modalities"),
    [
        ("Cities must have a partner.", {Modality.REQUIRED}),
        ("A partner is required.", {Modality.REQUIRED}),
        ("Cities shall report.", {Modality.REQUIRED}),
        ("Cities have to report.", {Modality.REQUIRED}),
        ("Cities are encouraged to apply.", {Modality.ENCOURAGED}),
        ("Cities should apply early.", {Modality.ENCOURAGED}),
        ("Applications are welcome.", {Modality.ENCOURAGED}),
        ("Only cities may apply.", {Modality.ONLY}),
        ("It is limited to cities.", {Modality.ONLY}),
        ("Cities may apply.", set()),
        ("Not only cities apply.", set()),
    ],
)
def test_modality(text: str, modalities: set[Modality]) -> None:
    assert read_claim(text).modalities == modalities


def test_content_words_leave_out_framing_names_months_and_negations() -> None:
    claim = read_claim("According to the documents, Lakeport cannot join the exchange in June.")
    assert claim.content == {"join", "exchang"}
