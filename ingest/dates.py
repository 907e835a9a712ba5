"""The one date vocabulary, for ingestion and answering alike: month names and the ways documents write
a full date ('19 March 2018', 'March 19th, 2018', '19/03/2018', '2018-03-19')."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

FULL_MONTHS = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
_ABBREVIATIONS = {"sept": 9} | {name[:3]: number for number, name in enumerate(FULL_MONTHS, start=1)}
# Month names and their abbreviations, with their numbers.
MONTHS: dict[str, int] = {name: number for number, name in enumerate(FULL_MONTHS, start=1)} | _ABBREVIATIONS
# The full month names, as a regular-expression alternation ('january|february|…').
MONTH_NAMES = "|".join(FULL_MONTHS)
_MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"
_DATES = [
    re.compile(rf"\b{_DAY}\s+(?:of\s+)?{_MONTH}(?:,?\s+{_YEAR})?\b", re.I),  # 19 March 2018
    re.compile(rf"\b{_MONTH}\s+{_DAY}\b(?:,?\s+{_YEAR})?", re.I),  # March 19th, 2018
    re.compile(r"\b(?P<day>[0-3]?\d)[/.](?P<monthnumber>[01]?\d)[/.](?P<year>(?:19|20)\d\d)\b"),  # 19/03/2018
    re.compile(r"\b(?P<year>(?:19|20)\d\d)-(?P<monthnumber>[01]\d)-(?P<day>[0-3]\d)\b"),  # 2018-03-19
]
_YEAR_NEAR = re.compile(r"\b((?:19|20)\d\d)\b")


@dataclass(frozen=True)
class DateMention:
    text: str  # as written
    on: date
    year_given: bool  # False when the year came from nearby text or the caller's default


def dates_in(text: str, default_year: int | None) -> list[DateMention]:
    """Full dates in a sentence, in the order of the patterns above; a date without a year ('on March
    19th') takes the year named nearby in the sentence, or else ``default_year``."""
    found: list[DateMention] = []
    taken: list[tuple[int, int]] = []
    for pattern in _DATES:
        for match in pattern.finditer(text):
            if any(start < match.end() and match.start() < end for start, end in taken):
                continue
            parts = match.groupdict()
            month = (
                MONTHS[parts["month"].lower()] if parts.get("month") else int(parts.get("monthnumber") or 0)
            )
            year_text = parts.get("year")
            nearby = _YEAR_NEAR.findall(text)
            year = int(year_text) if year_text else int(nearby[0]) if nearby else default_year
            if year is None:
                continue
            try:
                found.append(
                    DateMention(match.group(0).strip(), date(year, month, int(parts["day"])), bool(year_text))
                )
            except ValueError:
                continue
            taken.append((match.start(), match.end()))
    return found
