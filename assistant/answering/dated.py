"""The years a text dates what it says to, and whether an answer's passage is dated to other years than
the question asks of: 'the breeding population in 1950' is not answered by 'about 48,000 pairs in 1990'."""

from __future__ import annotations

import re
from collections.abc import Iterable

# Any year, as far back as history goes; a decade when followed by 's' ('the 1960s').
ANY_YEAR = re.compile(r"\b(1\d{3}|20\d\d)\b")
_YEAR_OR_DECADE = re.compile(r"\b(1\d{3}|20\d\d)(s)?\b")
# 'between 2012 and 2018', 'from 1911 to 1914', '2016–2020', '2016-20'
_SPAN = re.compile(
    r"\b(?:between|from)\s+(1\d{3}|20\d\d)\s+(?:and|to|until|till)\s+(1\d{3}|20\d\d)\b"
    r"|\b(1\d{3}|20\d\d)\s*[–—-]\s*(\d{4}|\d{2})\b",
    re.I,
)
_LONGEST_SPAN = 200  # years; anything longer is two figures, not a span


def years_written(text: str) -> set[int]:
    """The years a text writes: each year, every year of a decade it names ('the 1960s') and of a span
    ('between 2012 and 2018', '2016–2020')."""
    written: set[int] = set()
    for match in _YEAR_OR_DECADE.finditer(text):
        year = int(match.group(1))
        written.update(range(year, year + 10) if match.group(2) else (year,))
    for match in _SPAN.finditer(text):
        first = int(match.group(1) or match.group(3))
        last_written = match.group(2) or match.group(4)
        last = int(last_written) if len(last_written) == 4 else first // 100 * 100 + int(last_written)
        if first < last <= first + _LONGEST_SPAN:
            written.update(range(first, last + 1))
    return written


def years_apart(asked: Iterable[int], lead: str, around: Iterable[str]) -> tuple[list[int], list[int]]:
    """The years asked of that neither the lead sentence nor what stands around it (its neighbours,
    heading, title) writes, with the years the lead dates its fact to instead. Empty when the lead names
    no year (it may speak of any) or every year asked is written."""
    dated = {int(year) for year in ANY_YEAR.findall(lead)}
    wanted = set(asked)
    if not dated or dated <= wanted:
        return [], []
    written = years_written(lead).union(*(years_written(text) for text in around))
    missing = sorted(wanted - written)
    return (missing, sorted(dated - wanted)) if missing else ([], [])
