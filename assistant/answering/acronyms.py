"""Acronyms a question uses that the documents never write, only spell out ('CoM' for 'Covenant of
Mayors', 'NZC' for 'NetZeroCities'). Read as written, such an acronym is a name no document knows, and the
question would be declined as being about something the documents never mention; read as the words it
stands for, it finds the documents that speak of it."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

# Two capitals or more among at most six letters: 'CoM', 'NZC', 'EUI' (not 'Bonn', not 'I').
_ACRONYM = re.compile(r"\b(?=(?:[a-z]*[A-Z]){2})[A-Za-z]{2,6}\b")
_CAPITALISED = re.compile(r"[A-Z][\w’'-]*")
# Small words an acronym may keep a letter of ('Covenant of Mayors': CoM) or skip ('CM').
_CONNECTORS = frozenset({"of", "for", "and", "the", "on", "in", "to", "de", "du", "des", "la", "le"})
_TOKEN = re.compile(r"[\w’'-]+|[^\w\s]")
_HUMP = re.compile(r"[A-Z][a-z]+")  # 'NetZeroCities': Net, Zero, Cities
_LONGEST_RUN = 8  # capitalised words (and the small words between them) read as one name at most


def _runs(text: str) -> Iterable[list[str]]:
    """Runs of capitalised words, with the small words between them ('Global Covenant of Mayors')."""
    run: list[str] = []
    for token in _TOKEN.findall(text):
        if _CAPITALISED.fullmatch(token) or (token in _CONNECTORS and run):
            run.append(token)
        else:
            if run:
                yield run
            run = []
    if run:
        yield run


def _spans(run: list[str]) -> Iterable[list[str]]:
    """Each part of a run from a capitalised word to a capitalised word, two capitalised words or more."""
    run = run[:_LONGEST_RUN]
    for start, first in enumerate(run):
        if not first[0].isupper():
            continue
        for end in range(start + 1, len(run)):
            if run[end][0].isupper():
                yield run[start : end + 1]


def initials(words: list[str]) -> set[str]:
    """The acronyms a phrase may go by: of every word, or of its capitalised words only."""
    return {
        "".join(word[0] for word in words).lower(),
        "".join(word[0] for word in words if word[0].isupper()).lower(),
    }


@dataclass(frozen=True)
class Acronyms:
    expansions: dict[str, str]  # folded acronym → the phrase the documents write most often for it
    written: frozenset[str]  # every word the documents write, as written: an acronym among them is known

    @classmethod
    def of(cls, texts: Iterable[str]) -> Acronyms:
        phrases: dict[str, Counter[str]] = defaultdict(Counter)
        written: set[str] = set()
        for text in texts:
            for token in _TOKEN.findall(text):
                written.add(token)
                humps = _HUMP.findall(token)
                if len(humps) >= 2 and "".join(humps) == token:
                    phrases["".join(hump[0] for hump in humps).lower()][token] += 1
            for run in _runs(text):
                for span in _spans(run):
                    phrase = " ".join(span)
                    for acronym in initials(span):
                        phrases[acronym][phrase] += 1
        expansions: dict[str, str] = {}
        for acronym, counted in phrases.items():
            if len(acronym) < 2:
                continue
            (best, count), *others = counted.most_common(2)
            if others and others[0][1] == count:
                continue  # two phrases as likely: the acronym says neither
            expansions[acronym] = best
        return cls(expansions, frozenset(written))

    @staticmethod
    def used_in(question: str) -> bool:
        """Whether the question writes anything that looks like an acronym (the tables are built only
        then: most questions use none, or only those the documents write)."""
        return _ACRONYM.search(question) is not None

    def spelled_out(self, question: str) -> str:
        """The question with each acronym the documents never write replaced by the phrase it stands for
        in them ('the 2019 CoM twinnings' → 'the 2019 Covenant of Mayors twinnings')."""

        def expand(match: re.Match[str]) -> str:
            acronym = match.group(0)
            if acronym in self.written:
                return acronym
            return self.expansions.get(acronym.lower(), acronym)

        return _ACRONYM.sub(expand, question)
