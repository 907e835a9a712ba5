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

from ingest.textutil import stem, words

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


# Saying what is not so: a 'not', or a word that forbids ('silage is forbidden' answers 'what feed is not
# allowed?').
_NEGATION = re.compile(
    r"\b(?:not|no|never|none|neither|nor|cannot|(?:ca|wo|is|are|was|were|does|do|did)n['’]t|without|"
    r"un\w+able|forbidden|prohibited|banned|excluded|ineligible|disallowed)\b",
    re.I,
)
# A question asking of what is not so ('What does not often help…?', 'Where is swimming not allowed?'):
# its wh-word opens the sentence, and no clause of its own ('…said that it is not…') comes before the 'not'.
_ASKING = re.compile(r"^\W*(?:and\s+|but\s+)?(?:what|which|who|whom|whose|where|when)\b", re.I)
_DENIAL = re.compile(r"\b(?:not|never|cannot)\b|n[’']t\b", re.I)
_NOT_A_DENIAL = re.compile(r"\b(?:or|if|whether)\s+not\b|\bnot\s+only\b", re.I)
_OWN_CLAUSE = re.compile(
    r"\b(?:that|who|which|whose|whom|where|when|if|whether|because|although|while)\b", re.I
)
_ASIDE = re.compile(r"\([^()]*\)")
# Words between 'not' and what it denies: 'does not often help', 'is not strictly contained'.
_BEFORE_DENIED = frozenset(
    "a an the be been being have has had yet ever always often even quite so too very much any to".split()
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
    opposite as the sentence writes it: [('shortest', 'longest')]. Names (capitalised inside the
    question), the dimension a 'how …' asks about ('how long') and the words of a yes/no clause are not
    claims and are skipped."""
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
            found.append((word, next(w for w in _words(sentence) if opposite in table.forms(w))))
    return found


def says_not(text: str) -> bool:
    """Whether the text says what is not so. A word cased as no word is ('NoT', for 'Networks of Towns')
    is an acronym, not a negation."""
    return any(
        word in (word.lower(), word.capitalize(), word.upper())
        for word in (match.group(0) for match in _NEGATION.finditer(text))
    )


def _asked_sentence(question: str) -> str:
    """The sentence that asks, without its asides and its 'whether or not's: 'One of them wasn't
    peer-to-peer. Which one?' asks 'Which one?'; 'which (not hosting) cities…' asks of 'which cities…'."""
    asked = re.split(r"(?<=[.!?])\s+", question.strip())[-1]
    return _ASIDE.sub(" ", _NOT_A_DENIAL.sub(" ", asked))


# 'Why does the water not mix?' takes the 'not' as given and asks for its reason, which a passage may
# give in other words ('it stays still because…').
_ASKS_WHY = re.compile(r"^\W*(?:and\s+|but\s+)?(?:why|how\s+come)\b", re.I)


def asks_not(question: str) -> bool:
    """Whether the sentence that asks claims what is not so ('What does not help…?'), and does not only
    ask the reason for it."""
    asked = _asked_sentence(question)
    return not _ASKS_WHY.match(asked) and says_not(asked)


def _denied_word(question: str) -> str | None:
    """The word a question's own 'not' denies: 'help' in 'What does not often help algorithms?'."""
    asked = _asked_sentence(question)
    opening = _ASKING.match(asked)
    denial = _DENIAL.search(asked)
    if opening is None or denial is None or _OWN_CLAUSE.search(asked, opening.end(), denial.start()):
        return None
    for word in _WORD.findall(asked[denial.end() :]):
        if word.lower() in _BEFORE_DENIED or word.lower().endswith("ly"):
            continue
        return None if word[0].isupper() else word.lower()
    return None


def denied(question: str, sentence: str) -> list[tuple[str, str]]:
    """What the question denies and the sentence states: [('not help', 'helps')] for 'What does not often
    help algorithms?' of 'Randomness often helps algorithms'. The sentence answers the question with
    'not' taken away; quoting it would state the opposite of what was asked."""
    word = _denied_word(question)
    if word is None or says_not(sentence):
        return []
    written = next((found for found in words(sentence) if stem(found) == stem(word)), None)
    return [] if written is None else [(f"not {word}", written)]
