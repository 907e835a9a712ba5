"""Whether a question turns around what its best sentence says: it uses a word whose opposite the
sentence writes ('the youngest bird ringed' asked, 'the oldest bird ringed' written). Such a
question only looks like the one the sentence answers, and answering it with that sentence would state the
opposite. The opposites are WordNet's (``opposites.json``, built by ``tools/build_opposites.py``)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

_WORD = re.compile(r"[A-Za-z]+(?:-[A-Za-z]+)*")
# Set phrases whose comparative words compare nothing the question could turn around: 'at least 60%'.
_SET_PHRASES = re.compile(r"\b(?:at (?:least|most|first|last)|most of|first of all|at all)\b", re.I)
# Endings of comparatives, superlatives and adverbs, with what they replace.
_ENDINGS = (("iest", "y"), ("ier", "y"), ("est", ""), ("er", ""), ("est", "e"), ("er", "e"), ("ly", ""))
_SHORTEST_STEM = 3
# A yes/no clause ('was it the same in 2020?', 'is the call still open?'): a sentence saying the opposite
# answers it ('no'), so its words are no claim the question makes.
_CLAUSES = re.compile(r"[^?;:—–]+[?;:—–]?")
_POLAR = re.compile(
    r"^\W*(?:and\s+|but\s+|or\s+)?(?:does|do|did|is|are|was|were|can|could|will|would|may|must|should|has|"
    r"have|had)\b",
    re.I,
)


@dataclass(frozen=True)
class Opposites:
    words: dict[str, frozenset[str]]
    irregular: dict[str, str]

    def forms(self, word: str) -> frozenset[str]:
        """The word and what it may be a form of ('worse' → 'bad', 'longest' → 'long')."""
        word = word.lower()
        found = {word}
        if word in self.irregular:
            found.add(self.irregular[word])
        for ending, replacement in _ENDINGS:
            if word.endswith(ending) and len(word) - len(ending) >= _SHORTEST_STEM:
                found.add(word[: -len(ending)] + replacement)
        return frozenset(found)

    def is_graded(self, word: str) -> bool:
        """A comparative or superlative of a word with opposites ('smallest', 'larger', 'worse'): it grades
        a thing and names none ('the smallest contribution')."""
        word = word.lower()
        return word not in self.words and any(form in self.words for form in self.forms(word) - {word})


@lru_cache(maxsize=1)
def opposites() -> Opposites:
    data = json.loads(resources.files("assistant.answering").joinpath("opposites.json").read_text("utf-8"))
    return Opposites(
        {word: frozenset(found) for word, found in data["opposites"].items()}, dict(data["irregular"])
    )


def _words(text: str) -> list[str]:
    return _WORD.findall(_SET_PHRASES.sub(" ", text))


def _all_forms(text: str) -> frozenset[str]:
    table = opposites()
    return frozenset(form for word in _words(text) for form in table.forms(word))


def turned_around(question: str, sentence: str) -> list[tuple[str, str]]:
    """The question's words whose opposite the sentence writes, instead of the word itself, with that
    opposite: [('shortest', 'long')]. Names (capitalised inside the question), the dimension a 'how …'
    asks about ('how long') and the words of a yes/no clause are not claims and are skipped."""
    table = opposites()
    written, asked = _all_forms(sentence), _all_forms(question)
    words = _words(" ".join(c for c in _CLAUSES.findall(question) if not _POLAR.match(c)))
    found = []
    for position, word in enumerate(words):
        if position > 0 and (word[0].isupper() or words[position - 1].lower() == "how"):
            continue
        forms = table.forms(word)
        if forms & written:
            continue
        opposite = next(
            (other for form in forms for other in sorted(table.words.get(form, ())) if other in written),
            None,
        )
        if opposite is not None and opposite not in asked:
            found.append((word, opposite))
    return found
