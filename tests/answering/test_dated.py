"""The years a text dates its facts to, and a passage dated apart from the question's years."""

from __future__ import annotations

import pytest

from assistant.answering.dated import bound_crossed, years_apart, years_written


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("The bridge opened in 1911.", {1911}),
        ("In the 1960s the water grew murky.", set(range(1960, 1970))),
        ("Between 2012 and 2018 a project restored the reeds.", set(range(2012, 2019))),
        ("from 1911 to 1914", set(range(1911, 1915))),
        ("the 2016–2020 programme", set(range(2016, 2021))),
        ("the 2016-20 programme", set(range(2016, 2021))),
        # two figures, not a span
        ("1250-1900", {1250, 1900}),
    ],
)
def test_years_written_reads_years_decades_and_spans(text: str, written: set[int]) -> None:
    assert years_written(text) == written


def test_a_lead_dated_to_another_year_is_apart_from_the_year_asked() -> None:
    lead = "The herd was counted at about 3,100 animals in 1994."
    assert years_apart([1971], lead, ["A census is held every year.", "Herd"]) == ([1971], [1994])


@pytest.mark.parametrize(
    ("lead", "around"),
    [
        # the lead names no year: it may speak of any
        ("The herd was counted at about 3,100 animals.", []),
        # the year asked is written beside the lead
        ("It then numbered 3,100 animals, in 1994.", ["The first count was made in 1971."]),
        # in the heading or the title
        ("Counted: 3,100 animals (recount 1994).", ["Census of 1971"]),
        # the lead's decade or span holds it
        ("In the 1970s the herd numbered about 3,100 animals.", []),
        ("Between 1965 and 1980 the herd grew to 3,100 animals.", []),
    ],
)
def test_a_year_written_around_the_lead_is_not_apart(lead: str, around: list[str]) -> None:
    assert years_apart([1971], lead, around) == ([], [])


def test_a_lead_dating_its_fact_to_the_other_side_of_the_bound_asked_crosses_it() -> None:
    asked = "How many boats did the ferry company own before the 1932 merger?"
    lead = "Since the merger of 1932 the company has owned nine boats."
    assert bound_crossed(asked, lead, asks_year=False) == ("before 1932", "the time since 1932")
    # on the side asked, or not dated at all, the lead keeps to the bound
    assert bound_crossed(asked, "Before 1932 the company owned four boats.", asks_year=False) is None
    assert bound_crossed(asked, "The company owned four boats.", asks_year=False) is None
    assert (
        bound_crossed("Who has run the mill since 1980?", "Since 1980 a trust has run it.", asks_year=False)
        is None
    )


def test_asked_for_a_year_inside_a_bound_a_lead_with_none_inside_crosses_it() -> None:
    asked = "In which year before 1900 did the river last flood the market?"
    inside = "The river flooded the market in 1893 and again in 1921."
    assert bound_crossed(asked, inside, asks_year=True) is None
    outside = "Floods were common before 1900; the last one to reach the market came in 1921."
    assert bound_crossed(asked, outside, asks_year=True) == ("before 1900", "1921")
    assert bound_crossed(asked, "Floods were common before 1900.", asks_year=True) == (
        "before 1900",
        "no year before 1900",
    )
