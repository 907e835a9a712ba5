"""What kind of thing a question asks for (a date, a number, a duration, a place, an address), and
whether a sentence holds one: a sentence that holds the asked-for kind of thing is a likelier answer."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from assistant.answering.editions import is_deadline
from ingest.dates import MONTH_NAMES
from ingest.geo import gazetteer
from ingest.textutil import EMAIL, fold

_DATE = re.compile(rf"\b({MONTH_NAMES})\b|\b\d{{1,2}}/\d{{4}}\b|\b(19|20)\d\d\b", re.I)
# A count: a number before a word ('144 seats', '57 city-to-city partnerships'), not a year or a day.
_COUNT = re.compile(r"\b(?!(?:19|20)\d\d\b)\d[\d,.]*\s+[a-z]")
_DURATION = re.compile(
    r"\b(\d+|one|two|three|four|five|six|twelve|eighteen)[ -](months?|years?|weeks?|days?)\b", re.I
)


@lru_cache(maxsize=1)
def _place_names() -> frozenset[str]:
    places = {fold(region) for region in gazetteer().regions}
    places |= {"asia", "latin america", "north america", "africa", "caribbean", "europe", "oceania"}
    places |= {fold(name) for name in gazetteer().display.values()}
    return frozenset(places)


def _places_in(text: str) -> set[str]:
    folded = f" {re.sub(r'[^a-z ]', ' ', fold(text))} "
    found = {place for place in _place_names() if f" {place} " in folded}
    if " eu " in folded:
        found |= {"european union", "europe"}
    return found


def _has_new_place(sentence: str, question: str) -> bool:
    """A place the question did not already name: asked 'which regions can EU cities pair with?',
    'the European Union' is not an answer."""
    return bool(_places_in(sentence) - _places_in(question))


_ASKS: list[tuple[re.Pattern[str], Callable[[str, str], bool]]] = [
    (
        re.compile(
            r"\bhow (?P<what>long)\b|\b(?P<what2>duration)\b|\bhow many (?P<what3>months|years|weeks)\b", re.I
        ),
        lambda text, _: _DURATION.search(text) is not None,
    ),
    (
        re.compile(
            r"^\s*when\b|\bwhat (date|year|day)\b|\bwhich year\b|\bin which year\b|\b(?P<what>deadline)\b|"
            r"\band when\b",
            re.I,
        ),
        lambda text, _: _DATE.search(text) is not None,
    ),
    (
        # 'Can we still apply?', 'Is the call open?': a deadline with its full date answers.
        re.compile(
            r"\b(?:still|now)\s+(?P<what>apply)\b|\btoo late to (?P<what2>apply)\b|"
            r"\b(?:is|are) (?:the |a |this )?(?:\w+ )?calls? (?:still )?(?P<what3>open)\b|"
            r"\b(?P<what4>deadline)s?\b",
            re.I,
        ),
        lambda text, _: is_deadline(text),
    ),
    (
        re.compile(
            r"\bhow (many|much)( (?P<what>[a-z]+))?\b|\bwhat (number|amount|share|percentage)\b", re.I
        ),
        lambda text, _: _COUNT.search(text) is not None,
    ),
    (
        re.compile(r"\b(?P<what>contact|e-?mail)\b|\bwho should i (ask|write)\b", re.I),
        lambda text, _: EMAIL.search(text) is not None,
    ),
    (
        re.compile(r"\bwhich (?P<what>(world )?(regions?|countries|continents?))\b|\bwhere\b", re.I),
        _has_new_place,
    ),
]


@dataclass(frozen=True)
class AnswerCheck:
    """A test a sentence must pass to hold what the question asks for, and the question's words that
    name that kind of thing ('regions' in 'which regions…'), which a passing sentence answers."""

    test: Callable[[str], bool]
    type_words: tuple[str, ...]


def answer_checks(question: str) -> list[AnswerCheck]:
    checks = []
    for pattern, check in _ASKS:
        match = pattern.search(question)
        if match:
            named = " ".join(
                value for key, value in match.groupdict().items() if value and key.startswith("what")
            )
            checks.append(AnswerCheck(_bind(check, question), tuple(named.split())))
    return checks


def _bind(check: Callable[[str, str], bool], question: str) -> Callable[[str], bool]:
    return lambda sentence: check(sentence, question)


_POLAR = re.compile(
    r"^\s*(does|do|did|is|are|was|were|can|could|will|would|may|must|should|has|have)\b", re.I
)
_NEGATION = re.compile(r"\b(no|not|never|cannot|can't|neither|nor|none|without)\b", re.I)


def is_polar(question: str) -> bool:
    """A yes/no question: 'Does the programme fund…?', 'Can a region apply?'."""
    return _POLAR.match(question) is not None


def settles(sentence: str) -> bool:
    """A sentence that says what is not so settles a yes/no question more plainly than one that doesn't."""
    return _NEGATION.search(sentence) is not None
