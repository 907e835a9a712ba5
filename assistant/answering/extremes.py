"""Whether a passage gives the extreme a question asks for. 'What is the minimum population?' is answered
by 'at least 50,000 inhabitants', 'the quietest year' by a sentence that names a quietest year; a passage
that gives a figure but no bound or extreme ('about 14,000 visitors a year') answers another question."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from assistant.answering.answer_types import is_polar
from assistant.answering.opposites import opposites
from assistant.answering.spelling import is_lemma
from assistant.answering.swapped import mostly_a_noun

_NUMBER = r"(?:(?:EUR|€|USD|\$)\s*)?\d"
# A threshold, which bounds either end: 'below 60 points', 'over 50,000 inhabitants'.
_THRESHOLD = rf"(?:below|under|above|over|threshold)\s+(?:of\s+)?{_NUMBER}"
# A range gives both ends: 'between X and Y', 'from EUR 150,000 to EUR 400,000', '5,000 to 40,000', '12–18'.
# Years apart ('between 2012 and 2018') date something and bound nothing.
_YEAR = r"(?:1[89]|20)\d\d\b"
_RANGE = (
    rf"\bbetween\s+(?!{_YEAR})|"
    rf"(?<![\d,.])(?!{_YEAR})\d[\d,.]*\s*(?:[a-z%]+\s+)?(?:to|[–-])\s*(?!{_YEAR}){_NUMBER}"
)
# Ways of saying the highest value there is, or may be: 'up to EUR 2,000', 'no more than 30 pages',
# 'fewer than 20,000 inhabitants', 'capped at', 'the top three countries'.
_HIGH = (
    r"max(?:imum|imal)?|highest|largest|biggest|greatest|longest|tallest|widest|deepest|heaviest|top|"
    r"the most|at most|up to|no more than|not (?:to )?exceed(?:ing)?|(?:less|fewer) than|ceiling|"
    r"cap(?:ped|s)?|peak|record"
)
# …and the lowest: 'at least 50,000', 'more than 50,000 inhabitants', 'two years or more'.
_LOW = (
    r"min(?:imum|imal)?|lowest|smallest|fewest|shortest|the least|at least|no (?:less|fewer) than|"
    r"not (?:less|fewer) than|or more|(?:more|greater) than"
)
_SAYS_HIGH = re.compile(rf"\b(?:{_HIGH})\b|{_THRESHOLD}|{_RANGE}", re.I)
_SAYS_LOW = re.compile(rf"\b(?:{_LOW})\b|{_THRESHOLD}|{_RANGE}", re.I)

_ASKS_HIGH = re.compile(
    r"\b(?:max(?:imum)?|highest|largest|biggest|greatest|longest|tallest|widest|deepest|heaviest|"
    r"at most|the most(?=\s+\w+s\b))\b",
    re.I,
)
_ASKS_LOW = re.compile(
    r"\b(?:min(?:imum)?|lowest|smallest|fewest|shortest|at (?:least|minimum)|the least(?=\s+\w+s\b))\b",
    re.I,
)
# Another superlative: 'the quietest year', 'the most common tuning', 'the least commonly sold'.
_SUPERLATIVE = re.compile(r"\b(?:the|its|their)\s+(?:(?P<graded>most|least)\s+)?(?P<word>[a-z]+)\b")
# Superlatives that place in time, and the words documents write for them instead.
_IN_TIME = {"earliest": r"first|earliest|oldest", "oldest": r"oldest|first|earliest"}
# 'latest' or 'newest' asks for the figure as it now stands, which a document gives without the word.
_NOW = frozenset({"latest", "newest"})


@dataclass(frozen=True)
class Extreme:
    """An extreme the question asks for: the words as it writes them, and how a passage may give it."""

    asked: str
    given: re.Pattern[str]


def _a_noun(word: str) -> bool:
    """'forest' ends as a superlative does, and WordNet knows it as a word of its own, mostly a noun."""
    return is_lemma(word) and mostly_a_noun(word)


def asked_extreme(question: str) -> Extreme | None:
    """The extreme a wh-question asks for: None for a yes/no question ('Is there a minimum size?' is
    answered by 'cities of any size'), and for a superlative inside a name ('Least Developed Country')."""
    if is_polar(re.split(r"(?<=[.!?])\s+", question.strip())[-1]):
        return None
    for pattern, given in ((_ASKS_HIGH, _SAYS_HIGH), (_ASKS_LOW, _SAYS_LOW)):
        for match in pattern.finditer(question):
            if match.start() == 0 or not match.group(0)[0].isupper():
                return Extreme(match.group(0).lower(), given)
    table = opposites()
    for match in _SUPERLATIVE.finditer(question):
        word = match.group("word")
        if word in _NOW:
            continue
        graded = match.group("graded")
        if graded:
            forms = table.forms(word)
            if not any(form in table.words for form in forms):
                continue  # 'the most partners' is read above; 'the most of' grades nothing
            # 'the most common' is given by 'most', 'mostly' or 'commonest'; 'the least…' by 'rarely'
            also = "mostly" if graded == "most" else "rarely"
            superlatives = "|".join(sorted(f"{re.escape(form)}est" for form in forms))
            return Extreme(
                f"{graded} {word}",
                re.compile(rf"\b(?<!at )(?:{graded}|{also})\b|\b(?:{superlatives})\b", re.I),
            )
        if word.endswith("est") and table.is_graded(word) and not _a_noun(word):
            if word in _IN_TIME:
                return Extreme(word, re.compile(rf"\b(?:{_IN_TIME[word]})\b", re.I))
            bases = "|".join(sorted(re.escape(form) for form in table.forms(word) if form in table.words))
            return Extreme(word, re.compile(rf"\b(?:{word}|(?:most|least)\s+(?:{bases}))\b", re.I))
    return None


_SENTENCE_END = re.compile(r"(?<=[.!?;:])\s+|\n+|\s\|\s")


def extreme_left_open(
    question: str, shown: str, related: Callable[[str], bool] = lambda _: True
) -> Extreme | None:
    """The extreme the question asks for, when no sentence of the answer shown gives one like it of
    something the question speaks of (``related``): 'up to 1,999 km' bounds a distance, not a lump sum."""
    extreme = asked_extreme(question)
    if extreme is None:
        return None
    for sentence in _SENTENCE_END.split(shown):
        if extreme.given.search(sentence) and related(sentence):
            return None
    return extreme
