"""The bands a text states ('250,000 – 499,999', 'between 5,000 and 40,000', '1,000,000 or more', 'fewer
than 50,000') and whether a figure the asker gives ('we're a city of 700,000') falls in one: of a fee
table's rows, the row whose band holds the asker's figure is the one that speaks to them. A figure is
compared only with bands of its own kind: a population with counts, never with a percentage or an
amount of money ('at most 70%' is no band for a town of 4,000)."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass

_FIGURE = r"(\d{1,3}(?:[,. ]\d{3})+|\d+)"
_CURRENCY = r"(?:EUR\s*|€\s*)?"  # written before an amount: 'EUR 80,000'
_BETWEEN = re.compile(
    rf"(?:between|from)\s+{_CURRENCY}{_FIGURE}\s+(?:and|to)\s+{_CURRENCY}{_FIGURE}|"
    rf"{_FIGURE}\s*(?:[-–—]|to)\s*{_CURRENCY}{_FIGURE}",
    re.I,
)
_AT_LEAST = re.compile(
    rf"(?:at least|more than|over|above|minimum(?: of)?)\s+{_CURRENCY}{_FIGURE}|"
    rf"{_FIGURE}\s*(?:\+|or more|and (?:more|above))",
    re.I,
)
_AT_MOST = re.compile(
    rf"(?:up to|fewer than|less than|under|below|at most|maximum(?: of)?)\s+{_CURRENCY}{_FIGURE}|"
    rf"{_FIGURE}\s*(?:or (?:fewer|less)|and (?:fewer|less|below))",
    re.I,
)
_ANY_FIGURE = re.compile(rf"(?<![\w.,]){_FIGURE}(?![\w])")
_MONEY_BEFORE = re.compile(r"(?:eur|€|\$|£|usd|chf)\s*$", re.I)
_MONEY_AFTER = re.compile(r"^\s*(?:eur\b|euros?\b|€|meur\b|million\b|m\b)", re.I)
_PERCENT_AFTER = re.compile(r"^\s*(?:%|per ?cent\b)", re.I)
NUMBERING = 100  # figures up to this size number things (calls, lots, rounds) rather than measure them


@dataclass(frozen=True)
class Band:
    low: float
    high: float
    unit: str  # 'money', 'percent' or 'count'

    def holds(self, figure: Figure) -> bool:
        return figure.unit == self.unit and self.low <= figure.value <= self.high


@dataclass(frozen=True)
class Figure:
    value: float
    unit: str


def _value(written: str) -> float:
    return float(re.sub(r"[,. ]", "", written))


def _unit(text: str, start: int, end: int) -> str:
    before, after = text[max(0, start - 6) : start], text[end : end + 12]
    if _PERCENT_AFTER.match(after):
        return "percent"
    if _MONEY_BEFORE.search(before) or _MONEY_AFTER.match(after):
        return "money"
    return "count"


def _units(text: str, match: re.Match[str]) -> str:
    """The kind of the figures a band is written with: money or percent if any of them is."""
    units = {
        _unit(text, match.start(group), match.end(group))
        for group in range(1, (match.lastindex or 0) + 1)
        if match.group(group) is not None
    }
    # the written band ends where the match ends: '5,000 to 40,000 inhabitants', 'EUR 80,000 and EUR 200,000'
    units.add(_unit(text, match.start(), match.end()))
    return next((unit for unit in ("money", "percent") if unit in units), "count")


def _figures(match: re.Match[str]) -> list[float]:
    return [_value(group) for group in match.groups() if group is not None]


def bands_in(text: str) -> list[Band]:
    """The bands of figures the text states, either end open as 0 or infinity."""
    bands: list[Band] = []
    taken: list[tuple[int, int]] = []
    for match in _BETWEEN.finditer(text):
        low, high = _figures(match)
        if low < high:
            bands.append(Band(low, high, _units(text, match)))
            taken.append(match.span())
    for pattern, open_end in ((_AT_LEAST, math.inf), (_AT_MOST, 0.0)):
        for match in pattern.finditer(text):
            if any(start <= match.start() < end for start, end in taken):
                continue
            figure = _figures(match)[0]
            low, high = (figure, open_end) if open_end else (open_end, figure)
            bands.append(Band(low, high, _units(text, match)))
    return bands


def band_holds(text: str, figures: Iterable[Figure]) -> float:
    """1.0 where a band the text states holds one of the figures, -1.0 where it states bands of their
    kind and none holds any, 0.0 where it states none of their kind (or there are no figures)."""
    figures = list(figures)
    bands = [band for band in bands_in(text) if any(band.unit == f.unit for f in figures)] if figures else []
    if not bands:
        return 0.0
    return 1.0 if any(band.holds(figure) for band in bands for figure in figures) else -1.0


def askers_figures(question: str, years: Iterable[int]) -> list[Figure]:
    """The figures the asker gives of themselves ('we're a city of 700,000', 'our project would cost
    EUR 300,000'): not a call's or lot's number, not a year, and not a bound the question asks about
    ('under 10,000 inhabitants')."""
    bounds = {end for band in bands_in(question) for end in (band.low, band.high)}
    skipped = {float(year) for year in years} | bounds
    return [
        Figure(value, _unit(question, match.start(), match.end()))
        for match in _ANY_FIGURE.finditer(question)
        if (value := _value(match.group(1))) > NUMBERING and value not in skipped
    ]
