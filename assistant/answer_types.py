"""What kind of thing a question asks for (a date, a number, a duration, a place, an address), and
whether a sentence holds one: a sentence that holds the asked-for kind of thing is a likelier answer."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

from ingest.geo import gazetteer
from ingest.textutil import fold

_MONTHS = r"(january|february|march|april|may|june|july|august|september|october|november|december)"
_DATE = re.compile(rf"\b{_MONTHS}\b|\b\d{{1,2}}/\d{{4}}\b|\b(19|20)\d\d\b", re.I)
# A count: a number before a word ('144 seats', '57 city-to-city partnerships'), not a year or a day.
_COUNT = re.compile(r"\b(?!(?:19|20)\d\d\b)\d[\d,.]*\s+[a-z]")
_DURATION = re.compile(r"\b(\d+|one|two|three|four|five|six|twelve|eighteen)[ -](months?|years?|weeks?|days?)\b",
                       re.I)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


@lru_cache(maxsize=1)
def _place_names() -> frozenset[str]:
    places = {fold(region) for region in gazetteer().regions}
    places |= {"asia", "latin america", "north america", "africa", "caribbean", "europe", "oceania"}
    places |= {fold(name) for name in gazetteer().display.values()}
    return frozenset(places)


def _has_place(sentence: str) -> bool:
    folded = f" {fold(sentence)} "
    return any(f" {place} " in folded or f" {place}," in folded for place in _place_names())


_ASKS: list[tuple[re.Pattern[str], Callable[[str], bool]]] = [
    (re.compile(r"\bhow long\b|\bduration\b|\bhow many (months|years|weeks)\b", re.I),
     lambda text: _DURATION.search(text) is not None),
    (re.compile(r"^\s*when\b|\bwhat (date|year|day)\b|\bwhich year\b|\bin which year\b|\bdeadline\b|"
                r"\band when\b", re.I), lambda text: _DATE.search(text) is not None),
    (re.compile(r"\bhow (many|much)\b|\bwhat (number|amount|share|percentage)\b", re.I),
     lambda text: _COUNT.search(text) is not None),
    (re.compile(r"\bcontact\b|\bemail\b|\be-mail\b|\bwho should i (ask|write)\b", re.I),
     lambda text: _EMAIL.search(text) is not None),
    (re.compile(r"\bwhich (world )?(regions?|countries|continents?)\b|\bwhere\b", re.I), _has_place),
]


def answer_checks(question: str) -> list[Callable[[str], bool]]:
    """Tests a sentence must pass to hold what the question asks for (empty: no particular kind)."""
    return [check for pattern, check in _ASKS if pattern.search(question)]
