"""Text primitives shared by indexing and answering: terms, stems, sentences."""

from __future__ import annotations

import re
import threading
import unicodedata
from functools import lru_cache

import snowballstemmer

_WORD = re.compile(r"[a-z0-9]+(?:[-'][a-z0-9]+)*")
# Every capital and small letter of the Latin alphabets, for character classes: 'Ł', 'Š' or 'Ž' opens a
# name as 'A' does ('Łódź', 'Šiauliai', 'Žilina').
_ACCENTED = [chr(code) for code in range(0xC0, 0x250)]  # Latin-1 Supplement to Latin Extended-B
CAPITALS = "A-Z" + "".join(ch for ch in _ACCENTED if unicodedata.category(ch) == "Lu")
SMALL_LETTERS = "a-z" + "".join(ch for ch in _ACCENTED if unicodedata.category(ch) == "Ll")
# Starts only where a run of address characters starts: a long run without '@' is read once, not once
# from each of its characters (which made a long token quadratic).
EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_THOUSANDS = re.compile(r"(?<=\d)[,.  ](?=\d{3}\b)")

STOPWORDS = frozenset(
    """a about above after again against all am an and any are as at be because been before being below
    between both but by can cannot could did do does doing down during each few for from further had has
    have having he her here hers herself him himself his how i if in into is it its itself just me more
    most my myself no nor not of off on once only or other our ours ourselves out over own same she
    should so some such than that the their theirs them themselves then there these they this those
    through to too under until up very was we were what when where which while who whom why will with
    would you your yours yourself yourselves also may might must shall us etc e g ie eg per via within
    without upon onto""".split()
)


# Letters Unicode does not decompose into a base letter and an accent, and typographic apostrophes and
# hyphens, written as their readers type them on an English keyboard: 'Tromsø' as 'tromso', 'Łódź' as
# 'lodz', 'Straße' as 'strasse', 'city’s' as "city's" (one word, not 'city' and 's').
_AS_TYPED = str.maketrans(
    {"ø": "o", "ł": "l", "đ": "d", "ð": "d", "ı": "i", "ħ": "h", "ŧ": "t", "’": "'", "‘": "'", "ʼ": "'"}
    | {"‐": "-", "‑": "-"}
    | {"æ": "ae", "œ": "oe", "ß": "ss", "þ": "th"}
)


def fold(text: str) -> str:
    """Lower-case and strip accents, so 'Malmö' matches 'malmo' and 'Tromsø' 'tromso'."""
    if text.isascii():  # nothing to decompose: most text, read for every candidate sentence
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).translate(_AS_TYPED)


# British and American spellings meet in one form: 'organised'/'organized', 'centre'/'center'.
_SPELLING = [
    (re.compile(r"(?<=\w{3})is(e|ed|es|ing|ation|ations)$"), r"iz\1"),
    (re.compile(r"(?<=\w{3})tre$"), "ter"),
    (re.compile(r"(?<=\w{3})our$"), "or"),
    (re.compile(r"^programme"), "program"),
]


class _ThreadStemmers(threading.local):
    """One Snowball stemmer per thread: a stemmer keeps the word it works on in its own fields, so two
    threads sharing one corrupt each other's stems (and sometimes raise IndexError)."""

    def __init__(self) -> None:
        self.english = snowballstemmer.stemmer("english")


_STEMMERS = _ThreadStemmers()


@lru_cache(maxsize=100_000)
def stem(word: str) -> str:
    for pattern, replacement in _SPELLING:
        word = pattern.sub(replacement, word)
    return str(_STEMMERS.english.stemWord(word))


def words(text: str) -> list[str]:
    """Folded words; '100,000' becomes '100000' so numbers match however they are written."""
    return _WORD.findall(_THOUSANDS.sub("", fold(text)))


def terms(text: str, *, keep_stopwords: bool = False, split_compounds: bool = True) -> list[str]:
    """Stemmed content terms, in order, for keyword search and overlap scoring. A hyphenated word
    gives itself and, unless ``split_compounds`` is off, its parts ('long-term' → long, term, long-term)."""
    out: list[str] = []
    for word in words(text):
        compound = "-" in word and split_compounds
        for part in word.replace("'s", "").split("-") if compound else [word.replace("'s", "")]:
            if part and (keep_stopwords or part not in STOPWORDS):
                out.append(stem(part))
        if compound:
            out.append(stem(word.replace("'s", "")))
    return out


# --- sentences ---------------------------------------------------------------------------------

_ABBREVIATIONS = (
    "e.g.",
    "i.e.",
    "etc.",
    "vs.",
    "no.",
    "nr.",
    "mr.",
    "mrs.",
    "ms.",
    "dr.",
    "st.",
    "art.",
    "approx.",
    "max.",
    "min.",
    "tel.",
    "ref.",
    "vol.",
    "para.",
    "incl.",
    "cf.",
    "fig.",
    "p.",
    "pp.",
    "ca.",
    "u.s.",
    "e.u.",
)
# Longer than any abbreviation above: a last word this long is not one, however it is cut.
_TAIL_WINDOW = 32
_LIST_NUMBER = re.compile(r"\(?\d{1,2}[.)]")
_BOUNDARY = re.compile(rf"(?:(?<=[.!?])|(?<=[.!?][\"”’)]))\s+(?=[\"“‘(]?[{CAPITALS}0-9])")


def split_sentences(text: str) -> list[str]:
    """Split a paragraph into sentences; every piece is a verbatim substring of ``text``."""
    pieces: list[str] = []
    start = 0
    for match in _BOUNDARY.finditer(text):
        # Only the last word matters, so only a short window before the boundary is read: a run of
        # abbreviations must not re-read the growing sentence each time (quadratic on long text).
        window = text[max(start, match.start() - _TAIL_WINDOW) : match.start()].rstrip()
        tail = window.lower().rsplit(" ", 1)[-1]
        if tail.lstrip("(") in _ABBREVIATIONS or re.fullmatch(r"\(?[a-z]\.", tail):
            continue  # an abbreviation or an initial, not the end of a sentence
        if _LIST_NUMBER.fullmatch(text[text.rfind("\n", 0, match.start()) + 1 : match.start()].strip()):
            continue  # '1. Oulu (Finland) – …': the number of a list item, not a sentence of its own
        end = match.start()
        piece = text[start:end].strip()
        if piece:
            pieces.append(piece)
        start = match.end()
    rest = text[start:].strip()
    if rest:
        pieces.append(rest)
    return pieces
