"""The bands a text states, and whether the asker's figure falls in one of its kind."""

from __future__ import annotations

import math

import pytest

from assistant.answering.ranges import Band, Figure, askers_figures, band_holds, bands_in

TOWN = [Figure(700_000, "count")]


@pytest.mark.parametrize(
    ("text", "bands"),
    [
        ("Full member | 500,000 – 999,999 | EUR 21,000", [Band(500_000, 999_999, "count")]),
        ("towns of 5,000 to 40,000 inhabitants", [Band(5_000, 40_000, "count")]),
        ("between 6 and 8 cities", [Band(6, 8, "count")]),
        ("Full member | 1,000,000 or more | EUR 27,000", [Band(1_000_000, math.inf, "count")]),
        ("cities of at least 100 000 inhabitants", [Band(100_000, math.inf, "count")]),
        ("with fewer than 50,000 inhabitants", [Band(0, 50_000, "count")]),
        ("a partnership may request between EUR 80,000 and EUR 200,000", [Band(80_000, 200_000, "money")]),
        ("the grant covers at most 70% of the costs", [Band(0, 70, "percent")]),
        ("Associate member | any | EUR 9,500", []),
    ],
)
def test_bands_are_read_with_their_kind_however_the_text_writes_them(text: str, bands: list[Band]) -> None:
    assert bands_in(text) == bands


def test_a_band_holding_the_askers_figure_is_told_from_one_that_does_not() -> None:
    assert band_holds("Full member | 500,000 – 999,999 | EUR 21,000", TOWN) == 1.0
    assert band_holds("Full member | 1,000,000 or more | EUR 27,000", TOWN) == -1.0
    assert band_holds("Associate member | any | EUR 9,500", TOWN) == 0.0  # states no band
    assert band_holds("Full member | 500,000 – 999,999 | EUR 21,000", []) == 0.0  # no figure given


def test_a_figure_is_compared_only_with_bands_of_its_kind() -> None:
    # a town of 4,000 is not outside 'at most 70%', nor inside 'up to EUR 5,000'
    town = [Figure(4_000, "count")]
    assert band_holds("The grant covers at most 70% of the eligible costs.", town) == 0.0
    assert band_holds("Travel is refunded up to EUR 5,000 per partner.", town) == 0.0
    assert band_holds("Towns with fewer than 5,000 inhabitants may ask for 85%.", town) == 1.0


def test_the_askers_figures_are_their_own_facts_not_the_bounds_or_years_they_ask_about() -> None:
    assert askers_figures("We're a town of 31,000 people in Austria.", []) == [Figure(31_000, "count")]
    assert askers_figures("Our project would cost EUR 300,000 in 2026.", [2026]) == [Figure(300_000, "money")]
    assert askers_figures("Can a municipality under 10,000 inhabitants take part?", []) == []
    assert askers_figures("What was decided in call 3 of 2024?", [2024]) == []
