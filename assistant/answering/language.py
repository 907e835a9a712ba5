"""Which language a question is asked in, told by its most common words: English questions take the
English path; others are answered from the English documents with a note in the asker's language."""

from __future__ import annotations

from functools import lru_cache

from assistant.answering.query import lexicon
from ingest.textutil import words

ENGLISH = "en"
_MIN_HITS = 1  # common words of a language that a question must hold to be taken for it


@lru_cache(maxsize=1)
def _vocabularies() -> dict[str, frozenset[str]]:
    return {code: frozenset(common) for code, common in lexicon().languages.items()}


@lru_cache(maxsize=1)
def _question_words() -> dict[str, tuple[str, ...]]:
    """Each language's question words, as spaced runs of words; those English writes alike ('budget')
    tell no language apart and are left out."""
    return {
        code: tuple(
            f" {' '.join(words(phrase))} "
            for phrase, english in phrases.items()
            if not set(words(phrase)) <= set(words(english))
        )
        for code, phrases in lexicon().question_words.items()
    }


def language_of(question: str) -> str:
    """The code of the language whose common words and question words ('combien', 'wie viele') the
    question uses most ('en' when unsure)."""
    tokens = words(question)
    folded = f" {' '.join(tokens)} "
    asking = _question_words()
    counts = {
        code: sum(token in common for token in tokens)
        + sum(phrase in folded for phrase in asking.get(code, ()))
        for code, common in _vocabularies().items()
    }
    best = max(counts, key=lambda code: counts[code], default=ENGLISH)
    if best == ENGLISH or counts[best] < _MIN_HITS or counts[best] <= counts.get(ENGLISH, 0):
        return ENGLISH
    return best


def asked_in_english(question: str, language: str) -> str:
    """The question's question words in English ('¿hasta cuándo…?' → 'until when'): enough to tell what
    kind of thing it asks for (a date, a duration, an amount, a place, a person)."""
    folded = f" {' '.join(words(question))} "
    found = [
        english
        for phrase, english in sorted(
            lexicon().question_words.get(language, {}).items(), key=lambda item: -len(item[0])
        )
        if f" {' '.join(words(phrase))} " in folded
    ]
    return " ".join(found) + "?" if found else ""
