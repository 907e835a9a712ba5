"""The date or the duration of an event: 'When did the oil depot close?' names the event by its verb, and
only a sentence telling of that event dates it ('How long did it take to build the foundations?' likewise
times it). 'An oil depot opened in 1965' dates another event of the same thing; a question copying the
page's names around another verb only looks like one the page answers.

A sentence tells of the event in the question's own word or a derivation of it ('closed', 'closure'), or
in a word WordNet relates to it in its commonest senses: a verb ('obtained' for 'receive', 'defined' for
'characterize') or a noun derived from it ('death' for 'die'; ``verb_relations.json``, built by
``tools/build_verb_relations.py``)."""

from __future__ import annotations

import json
import re
from functools import lru_cache
from importlib import resources

from assistant.answering.dated import years_written
from assistant.answering.query import irregular_verbs
from assistant.answering.swapped import base_forms, names_a_thing
from ingest.dates import MONTH_NAMES
from ingest.textutil import STOPWORDS, fold, stem

# 'When did the oil depot close?', 'In what year was the bridge opened?': an event of the past, dated. A
# question in the present or the future ('when does the call close?') asks for a deadline or a plan.
_DATED_EVENT = re.compile(
    r"\b(?:when|(?:what|which) (?:year|date|day|month))\s+(?:did|was|were|has|have|had)\s+(?P<rest>[^?]+)",
    re.I,
)
# 'Who designed the canal?', 'Who painted the altarpiece?': the doer of a deed of the past, asked.
_DEED = re.compile(r"^\W*who\s+(?P<verb>[a-z]+)\b", re.I)
_PAST = re.compile(r"[a-z]{2}ed$")
# 'How long did it take to build the foundations?', 'How long did the strike last?': an event, timed.
_TIMED_EVENT = re.compile(r"\bhow long did\s+(?:it take (?:to |for )?)?(?P<rest>[^?]+)", re.I)
# The verbs that ask how long themselves ('How long did the strike last?' asks of the strike).
_LASTING = frozenset({"last", "run", "take"})
# Verbs that say little of an event by themselves ('take place', 'set up', 'become a member', 'hold'),
# and the verbs WordNet makes nearly every event a way of ('change', 'turn', 'move'): the event is told in
# other words.
_LIGHT_VERBS = frozenset(
    "be become get go come do make take have hold set put give keep see hear change turn move".split()
)
# The letters a word shares with its derivations: 'clos' of 'closed' and 'closure'.
_DERIVED_PREFIX = 4
_WORD = re.compile(r"[A-Za-z][a-z'’-]*")
_LETTERS = re.compile(r"[a-z]+")
_PLURAL_OR_THIRD_PERSON = re.compile(r"[^s]s$")
_ANY_DATE = re.compile(rf"\b(?:{MONTH_NAMES})\b|\bcentur(?:y|ies)\b", re.I)


def dates_something(text: str) -> bool:
    """Whether a sentence gives a date of any precision: a year ('1411'), a decade, a month, a century."""
    return bool(years_written(text)) or _ANY_DATE.search(text) is not None


@lru_cache(maxsize=256)
def event_asked(question: str) -> frozenset[str] | None:
    """The verbs naming the event a question asks the date of ('close' of 'When did the depot close?'),
    in the forms they may be a form of; None when it dates no event so named ('When is the deadline?',
    'When did it take place?')."""
    match = _DATED_EVENT.search(question)
    return _event_verbs(_WORD.findall(match.group("rest"))) if match else None


@lru_cache(maxsize=256)
def event_timed(question: str) -> frozenset[str] | None:
    """The verbs naming the event a question asks the duration of ('build' of 'How long did it take to
    build the foundations?'); None when it names none but the verb asking how long ('How long did the
    agreement run?')."""
    match = _TIMED_EVENT.search(question)
    if match is None:
        return None
    return _event_verbs([word for word in _WORD.findall(match.group("rest")) if word.lower() not in _LASTING])


# The deeds whose doer a sentence names by the deed's own word or one WordNet relates to it: the making of
# a thing ('designed by', 'the painter …'). Other deeds are told in too many ways to bind the doer to the
# verb: a project 'implemented' is 'managed by' a consortium, supplies 'carried out' are 'brought'.
_MAKING = frozenset({"make", "create"})


@lru_cache(maxsize=256)
def deed_asked(question: str) -> frozenset[str] | None:
    """The verb of the deed whose maker a question asks ('design' of 'Who designed the canal?'), in the
    forms it may be a form of; None unless it asks who made something in the past by a verb of its own
    ('Who leads the group?', 'Who was the first mayor?', 'Who made the first one?', 'Who implemented
    the project?')."""
    match = _DEED.search(question)
    if match is None:
        return None
    verb = match.group("verb").lower()
    irregular = irregular_verbs(also_nouns=True).get(verb)
    if _PAST.search(verb) is None and (irregular is None or irregular + "s" == verb):
        return None
    forms = _verb_forms(verb)
    making = any(_MAKING & related_verbs().get(form, frozenset()) for form in forms)
    return forms if making and not forms & _LIGHT_VERBS else None


def _event_verbs(words: list[str]) -> frozenset[str] | None:
    """The verbs among a question's words after its auxiliary ('did the depot close'), in the forms they
    may be a form of. A word naming a thing is no such verb, nor one describing the noun after it ('the
    first recordings'), nor a light verb or the word it takes ('take place')."""
    verbs: set[str] = set()
    for position in _verb_positions(words):
        verbs.update(_verb_forms(words[position].lower()))
    return frozenset(verbs) or None


def _verb_positions(words: list[str]) -> list[int]:
    """The positions of the words that may be the event's verb ('did the depot close': 3)."""
    return [position for position in range(len(words)) if _may_be_event_verb(words, position)]


def _may_be_event_verb(words: list[str], position: int) -> bool:
    word = words[position]
    lowered = word.lower()
    following = words[position + 1].lower() if position + 1 < len(words) else None
    before = words[position - 1].lower() if position else ""
    return not (
        word[0].isupper()
        or lowered in STOPWORDS
        or _PLURAL_OR_THIRD_PERSON.search(lowered)  # after 'did' or 'was', a verb takes no -s
        or names_a_thing(lowered)
        or _is_light(lowered)
        or _is_light(before)
        or (following is not None and following not in STOPWORDS and names_a_thing(following))
    )


@lru_cache(maxsize=256)
def event_subject(question: str) -> re.Pattern[str] | None:
    """The words naming what a dated event happened to ('pike' of 'When were pike introduced into the
    lake?'), or what a deed whose doer is asked was done to ('canal' of 'Who designed the canal?'): the
    sentence telling of the event must speak of it (``speaks_of``). None when the question names it by a
    pronoun, or names no such event."""
    dated = _DATED_EVENT.search(question)
    if dated is not None:
        words = _WORD.findall(dated.group("rest"))
        positions = _verb_positions(words)
        return _words_pattern(words[: positions[0]]) if positions else None
    deed = _DEED.search(question)
    if deed is None:
        return None
    named = _WORD.findall(_UP_TO_PREPOSITION.split(question[deed.end() :], maxsplit=1)[0])
    return _words_pattern(named)


# The object of a deed ends where a phrase of time, place or manner begins ('the canal in 1850').
_UP_TO_PREPOSITION = re.compile(r"\b(?:in|on|at|for|from|during|after|before|between|with|by|and)\b|[?,;]")
_PRONOUNS = frozenset({"it", "its", "they", "their", "them", "he", "she", "his", "her", "we", "you"})


def _words_pattern(words: list[str]) -> re.Pattern[str] | None:
    named = [
        stem(fold(word))
        for word in words
        if len(word) > 2 and word.lower() not in STOPWORDS and word.lower() not in _PRONOUNS
    ]
    return re.compile(rf"\b(?:{'|'.join(map(re.escape, named))})", re.I) if named else None


# A sentence that may speak of what the one before named: by a pronoun ('It was introduced in 1890'), a
# common noun after 'the' ('The species was first described…'), or as a label's value ('Closes: …').
_SPEAKS_BACK = re.compile(
    r"\W*(?:(?:[\w-]+\s+){0,3}?(?i:it|its|they|their|he|his|she|her)\b|(?i:the|this|these)\s+[a-z]|"
    r"(?:[\w-]+\s+){0,2}?[\w-]+\s*:)",
)


def speaks_of(sentence: str, subject: re.Pattern[str]) -> bool:
    """Whether the sentence speaks of the thing (``event_subject``): naming it, or as ``_SPEAKS_BACK``
    allows. 'Brown trout were introduced in 1890' does not speak of the pike; 'The New Harbour was dug to
    plans by Stellmacher, who also designed its quay walls' does not speak of the canal."""
    return subject.search(fold(sentence)) is not None or _SPEAKS_BACK.match(sentence) is not None


def tells_event(sentence: str, event: frozenset[str]) -> bool:
    """Whether the sentence tells of the event: in one of its verbs, a derivation of one ('closure'), or a
    word WordNet relates to one ('defined' for 'characterize', 'obtained' for 'receive', 'death' for
    'die')."""
    related, prefixes = _relatives(event)
    for word in _LETTERS.findall(fold(sentence)):
        if stem(word)[:_DERIVED_PREFIX] in prefixes:
            return True
        forms = _verb_forms(word) - _LIGHT_VERBS
        if forms & related or any(event & related_verbs().get(form, frozenset()) for form in forms):
            return True
    return False


@lru_cache(maxsize=256)
def _relatives(event: frozenset[str]) -> tuple[frozenset[str], frozenset[str]]:
    """The event's verbs with those WordNet relates to them, and the letters their derivations share."""
    related = set(event)
    for verb in event:
        related.update(related_verbs().get(verb, frozenset()))
    return frozenset(related - _LIGHT_VERBS), frozenset(stem(verb)[:_DERIVED_PREFIX] for verb in event)


def _verb_forms(word: str) -> frozenset[str]:
    """What a written word may be a form of ('built' → 'build', 'defined' → 'define', 'won' → 'win'): here
    a form that is a noun too is read as the verb, for the question has named the event by its verb."""
    irregular = irregular_verbs(also_nouns=True).get(word)
    return base_forms(word) | ({irregular} if irregular else set())


def _is_light(word: str) -> bool:
    return bool(_verb_forms(word) & _LIGHT_VERBS) if word else False


@lru_cache(maxsize=1)
def related_verbs() -> dict[str, frozenset[str]]:
    """Each verb with the verbs and nouns WordNet relates to it (``verb_relations.json``)."""
    table = resources.files("assistant.answering").joinpath("verb_relations.json").read_text("utf-8")
    return {verb: frozenset(related) for verb, related in json.loads(table)["relations"].items()}
