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


# A bound on the time asked of: 'before the 1742 flood', 'in which year before 1950', 'since 2019'.
_BOUND = re.compile(
    r"\b(?P<word>before|until|till|prior to|after|since)\s+(?:the\s+)?(?:year\s+)?(?P<year>1\d{3}|20\d\d)\b",
    re.I,
)
_EARLIER = ("before", "until", "till", "prior to")
# The bound year written on the other side of it: 'cut off since the flood of 1742', 'after 1950'.
# Up to eight words may stand between ('since the merger of the two clubs in 2024'), no mark.
_SIDE = r"\b(?P<word>{words})\s+(?:[\w'’-]+\s+){{0,8}}?{year}\b"


def bound_crossed(question: str, lead: str, *, asks_year: bool) -> tuple[str, str] | None:
    """For a question bounding the time it asks of ('How many berths did the harbour have before the 1742
    flood?'), the bound as it writes it and what the lead speaks of instead, when the lead dates its
    fact to the other side of the bound ('since the flood of 1742'); asked for a year ('In which year
    before 1950…?'), also when the lead writes no year inside the bound. None when it keeps to it."""
    bound = _BOUND.search(question)
    if bound is None:
        return None
    word, year = bound.group("word").lower(), int(bound.group("year"))
    earlier = word in _EARLIER
    other_side = ("after", "since", "from") if earlier else ("before", "until", "till", "prior to")
    crossing = re.search(_SIDE.format(words="|".join(other_side), year=year), lead, re.I)
    asked = f"{word} {year}"
    if crossing is not None:
        return asked, f"the time {crossing.group('word').lower()} {year}"
    if asks_year:
        others = sorted({int(found) for found in ANY_YEAR.findall(lead)} - {year})
        if not any(found < year if earlier else found > year for found in others):
            return asked, ", ".join(map(str, others)) or f"no year {asked}"
    return None
