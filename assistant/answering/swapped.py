"""Whether a question copies its best sentence with one thing swapped for another: 'the beginning of
sociology studies' asked of 'the beginning of systematic studies', 'how many species of cave salamander'
of 'species of cave fish'. Such a question only looks like the one the sentence answers; quoting the
sentence would answer about the other thing.

The swapped word is one WordNet knows mostly as a noun, or not at all (``word_classes.json``, built by
``tools/build_word_classes.py``): a question rewording what is done or how ('breed' for 'reproduce',
'usually' for 'commonly') keeps asking the same thing, one naming another thing does not. Articles are
passed over ('a steel trestle' swaps 'an iron trestle')."""

from __future__ import annotations

import json
import re
from functools import lru_cache
from importlib import resources

from assistant.answering.query import lexicon
from ingest.textutil import STOPWORDS, fold, stem

_WORD = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*")
_ASIDE = re.compile(r"\([^()]*\)")
_BEFORE = 2  # words before the swapped one the question and the sentence must share, in order
# Endings a word may carry over the form WordNet lists ('studies' → 'study', 'reduced' → 'reduce').
_ENDINGS = (
    ("s", ""),
    ("es", ""),
    ("ies", "y"),
    ("ed", ""),
    ("ed", "e"),
    ("ied", "y"),
    ("ing", ""),
    ("ing", "e"),
)


@lru_cache(maxsize=1)
def _not_mostly_nouns() -> frozenset[str]:
    data = json.loads(resources.files("assistant.answering").joinpath("word_classes.json").read_text("utf-8"))
    return frozenset(data["mostly_verbs_adjectives_adverbs"].split())


def mostly_a_noun(word: str) -> bool:
    """A word, as written, that WordNet knows mostly as a noun or not at all ('forest')."""
    return word.lower() not in _not_mostly_nouns()


def names_a_thing(word: str) -> bool:
    """A word WordNet knows mostly as a noun, or not at all: no form of it is mostly a verb, adjective or
    adverb."""
    return _not_mostly_nouns().isdisjoint(base_forms(word))


def base_forms(word: str) -> frozenset[str]:
    """The word, lower-cased, and what it may be a regular form of ('studies' → 'study', 'defined' →
    'define' and 'defin'): the caller keeps the forms its table knows."""
    word = word.lower()
    return frozenset({word} | {word[: -len(end)] + rest for end, rest in _ENDINGS if word.endswith(end)})


_ARTICLES = frozenset({"a", "an", "the"})


def _words(text: str, *, articles: bool) -> list[str]:
    found = _WORD.findall(_ASIDE.sub(" ", text))
    return found if articles else [word for word in found if word.lower() not in _ARTICLES]


def _same_thing(asked: str, written: str) -> bool:
    """The two words name the same thing: one form, a synonym the lexicon lists, or one a part of the other
    ('program' in 'stored-program')."""
    asked_stem, written_stem = stem(fold(asked)), stem(fold(written))
    synonyms = lexicon().synonyms
    return (
        asked_stem == written_stem
        or written_stem in synonyms.get(asked_stem, frozenset())
        or asked_stem in synonyms.get(written_stem, frozenset())
        or asked_stem in {stem(part) for part in fold(written).split("-")}
        or written_stem in {stem(part) for part in fold(asked).split("-")}
    )


def swapped(question: str, sentence: str) -> list[tuple[str, str]]:
    """The question's words that stand where the sentence writes another thing, between the same words
    on both sides (for the question's last word, three the same before it), with that other thing:
    [('sociology', 'systematic')]. Names (capitalised), figures and words the sentence writes itself are
    not swaps. The words around are read with their articles ('the
    largest basalt blocks') and without ('a steel trestle' of 'an iron trestle')."""
    found: dict[str, str] = {}
    for articles in (True, False):
        for word, other in _swaps(_words(question, articles=articles), _words(sentence, articles=articles)):
            found.setdefault(word, other)
    return list(found.items())


def _swaps(asked: list[str], written: list[str]) -> list[tuple[str, str]]:
    asked_stems = [stem(fold(word)) for word in asked]
    written_stems = [stem(fold(word)) for word in written]
    present = frozenset(written_stems)
    found = []
    for position in range(_BEFORE, len(asked)):
        word = asked[position]
        if (
            not word.isalpha()
            or not word[0].islower()
            or word in STOPWORDS
            or asked_stems[position] in present
            or not names_a_thing(word)
        ):
            continue
        last = position == len(asked) - 1
        # the question's last word has no word after it: one more before stands in for it
        reach = _BEFORE + 1 if last else _BEFORE
        if position < reach:
            continue
        before = asked_stems[position - reach : position]
        after = None if last else asked_stems[position + 1]
        for place in range(reach, len(written)):
            other = written[place]
            if (
                written_stems[place - reach : place] == before
                and (after is None or (place + 1 < len(written) and written_stems[place + 1] == after))
                and other.isalpha()
                and other[0].islower()
                and other not in STOPWORDS
                and not _same_thing(word, other)
            ):
                found.append((word, other))
                break
    return found
