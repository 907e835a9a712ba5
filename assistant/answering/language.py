"""Which language a question is asked in, told by its most common words: English questions take the
English path; others are answered from the English documents with a note in the asker's language."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from assistant.answering.query import lexicon
from ingest.textutil import words

ENGLISH = "en"
_MIN_HITS = 1  # common words of a language that a question must hold to be taken for it


@lru_cache(maxsize=1)
def _vocabularies() -> dict[str, frozenset[str]]:
    return {code: frozenset(common) for code, common in lexicon().languages.items()}


@dataclass(frozen=True)
class _QuestionWord:
    spaced: str  # its words, folded, between spaces: found in a question folded the same way
    english: str
    tells_language: bool  # False for a word English writes alike ('budget')


def _spaced(text: str) -> str:
    return f" {' '.join(words(text))} "


@lru_cache(maxsize=1)
def _question_words() -> dict[str, tuple[_QuestionWord, ...]]:
    """Each language's question words, longest first (so 'cuánto tiempo' is read before 'cuánto')."""
    return {
        code: tuple(
            _QuestionWord(_spaced(phrase), english, not set(words(phrase)) <= set(words(english)))
            for phrase, english in sorted(phrases.items(), key=lambda item: -len(item[0]))
        )
        for code, phrases in lexicon().question_words.items()
    }


def language_of(question: str) -> str:
    """The code of the language whose common words and question words ('combien', 'wie viele') the
    question uses most ('en' when unsure)."""
    tokens = words(question)
    folded = _spaced(question)
    asking = _question_words()
    counts = {
        code: sum(token in common for token in tokens)
        + sum(word.tells_language and word.spaced in folded for word in asking.get(code, ()))
        for code, common in _vocabularies().items()
    }
    best = max(counts, key=lambda code: counts[code], default=ENGLISH)
    if best == ENGLISH or counts[best] < _MIN_HITS or counts[best] <= counts.get(ENGLISH, 0):
        return ENGLISH
    return best


def asked_in_english(question: str, language: str) -> str:
    """The question's question words in English ('¿hasta cuándo…?' → 'until when'): enough to tell what
    kind of thing it asks for (a date, a duration, an amount, a place, a person)."""
    folded = _spaced(question)
    found = [word.english for word in _question_words().get(language, ()) if word.spaced in folded]
    return " ".join(found) + "?" if found else ""
