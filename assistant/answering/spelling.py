"""Typing slips in a question ('deadilne', 'Leipizg'): a word no document uses, one slip away from a
word they do, is read as that word. Asked in a hurry, an unknown word is most often such a slip; read as
typed, it matches nothing and the question loses the word it turns on.

A slip is a letter left out or added, or two letters swapped. A changed letter is not one: 'mayor' is one
change from 'major', and a question about a mayor asks of something the documents may never name. Nor is
an English word (WordNet's, in any of its regular forms: ``english_words.json``, built by
``tools/build_english_words.py``) a slip, however near a document's word: 'boats' asks of boats, not bats,
and 'smallest' of the smallest, not of 'smalles'."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from functools import lru_cache
from importlib import resources

from ingest.geo import gazetteer
from ingest.textutil import STOPWORDS, fold, stem

SHORTEST_SLIPPED = 5  # shorter words are too often one slip away from an unrelated word
_LETTERS = "abcdefghijklmnopqrstuvwxyz"
# A word standing alone, in a compound ('co-appliacnts') or before a possessive ('Rottredam's'): not part
# of a contraction or of a name with an apostrophe inside.
_WORD = re.compile(r"(?<![\w'’])[A-Za-z]+(?=['’]s\b|(?![\w'’]))")


# Regular endings and the endings of the forms WordNet lists ('boats' → 'boat', 'studies' → 'study',
# 'stopped' → 'stop', 'smallest' → 'small').
_ENDINGS = (
    ("s", ""),
    ("es", ""),
    ("es", "e"),
    ("ies", "y"),
    ("ves", "f"),
    ("ves", "fe"),
    ("men", "man"),
    ("ed", ""),
    ("ed", "e"),
    ("ied", "y"),
    ("ing", ""),
    ("ing", "e"),
    ("er", ""),
    ("er", "e"),
    ("ier", "y"),
    ("est", ""),
    ("est", "e"),
    ("iest", "y"),
    ("ly", ""),
    ("ily", "y"),
)


@lru_cache(maxsize=1)
def _english_words() -> frozenset[str]:
    data = json.loads(
        resources.files("assistant.answering").joinpath("english_words.json").read_text("utf-8")
    )
    return frozenset(data["words"].split())


def is_lemma(word: str) -> bool:
    """A word WordNet lists as written, not only by a regular ending: 'forest', not 'tallest'."""
    return word in _english_words()


def is_english(word: str) -> bool:
    """A word WordNet lists, itself or by a regular ending ('boats', 'stopped', 'smallest')."""
    known = _english_words()
    if word in known:
        return True
    for ending, base in _ENDINGS:
        if word.endswith(ending):
            stem_of = word[: -len(ending)] + base
            doubled = len(stem_of) > 2 and stem_of[-1] == stem_of[-2] and not base
            if stem_of in known or (doubled and stem_of[:-1] in known):
                return True
    return False


def slips(word: str) -> Iterator[str]:
    """The words one slip away: a letter left out or added, or two neighbouring letters swapped."""
    splits = [(word[:cut], word[cut:]) for cut in range(len(word) + 1)]
    yield from (left + right[1:] for left, right in splits if right)
    yield from (left + right[1] + right[0] + right[2:] for left, right in splits if len(right) > 1)
    yield from (left + letter + right for left, right in splits for letter in _LETTERS)


def _english_meant(typed: str, word: str) -> str:
    """A word typed in small letters that no document uses, read as the one English word a slip away
    ('younegst' → 'youngest'): the question asks of something the documents may not hold, and read so
    its other checks (an extreme, a verb) see what it asks. A capitalised word is a name: read only as
    the one country or nationality a slip away ('Mexcian' → 'Mexican'), else left as typed."""
    if typed.islower():
        english = {variant for variant in slips(word) if variant != word and is_english(variant)}
        return english.pop() if len(english) == 1 else typed
    places = {variant for variant in slips(word) if variant != word and gazetteer().code_of(variant)}
    return places.pop().capitalize() if len(places) == 1 else typed


def corrected(question: str, frequency: Mapping[str, int]) -> str:
    """The question with each word the documents never use (by its stem: ``frequency`` says in how many
    documents a stem stands) read as the word one slip away that most documents use, written in the
    typed word's case. A word two such words are equally likely to be is left as typed; one no document's
    word explains may be an English word or a nationality mistyped (``_english_meant``)."""

    def correct(match: re.Match[str]) -> str:
        typed = match.group(0)
        word = fold(typed)
        if len(word) < SHORTEST_SLIPPED or frequency.get(stem(word)) or word in STOPWORDS or is_english(word):
            return typed
        by_stem: dict[str, str] = {}  # 'deadline' and 'deadlines' are one reading
        for variant in sorted(set(slips(word)) - {word}):
            term = stem(variant)
            if frequency.get(term):
                by_stem.setdefault(term, variant)
        counted = sorted(((frequency[term], variant) for term, variant in by_stem.items()), reverse=True)
        if not counted:
            return _english_meant(typed, word)
        if len(counted) > 1 and counted[1][0] == counted[0][0]:
            return typed
        best = counted[0][1]
        if typed.isupper():
            return best.upper()
        return best.capitalize() if typed[0].isupper() else best

    return _WORD.sub(correct, question)
