"""The one date vocabulary (``ingest.dates``): dates read in the forms calls write them, and none invented."""

from __future__ import annotations

from datetime import date

import pytest

from ingest.dates import dates_in


@pytest.mark.parametrize(
    ("text", "default_year", "expected"),
    [
        ("Applications must be submitted by 31 March 2023 at 17:00 CET.", None, date(2023, 3, 31)),
        ("The deadline is March 31st, 2023.", None, date(2023, 3, 31)),
        ("The 2018 call has already closed (on March 19th).", None, date(2018, 3, 19)),
        ("It closed on 19 March.", 2018, date(2018, 3, 19)),
        ("Send it by 15/12/2026.", None, date(2026, 12, 15)),
        ("Send it by 2026-12-15.", None, date(2026, 12, 15)),
        ("The deadline is the 5th of Sept. 2024.", None, date(2024, 9, 5)),
    ],
)
def test_dates_are_read_in_the_forms_calls_write_them(
    text: str, default_year: int | None, expected: date
) -> None:
    assert [mention.on for mention in dates_in(text, default_year)] == [expected]


def test_impossible_or_yearless_dates_are_not_invented() -> None:
    assert dates_in("It closes on 31 February 2024.", None) == []
    assert dates_in("It closes on 19 March.", None) == []  # no year anywhere: not a date we can compare
    assert dates_in("We met in May with 12 cities.", 2020) == []  # a month alone is not a date
