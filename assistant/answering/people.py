"""Which English nouns name a person ('participant', 'mayor', 'resident'): WordNet's, in
``people.json``, built by ``tools/build_people.py``. A question counting people in general ('how many
people came?') is answered by a figure counting any of them ('640 participants')."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

# WordNet's own rules for the plural of a noun (its 'morphy'): 'women' → 'woman', 'cities' → 'city'.
_ENDINGS = (
    ("s", ""),
    ("ses", "s"),
    ("xes", "x"),
    ("zes", "z"),
    ("ches", "ch"),
    ("shes", "sh"),
    ("men", "man"),
    ("ies", "y"),
)


@dataclass(frozen=True)
class People:
    general: frozenset[str]  # the nouns for anyone at all: 'people', 'person', 'individual'…
    persons: frozenset[str]  # every noun naming a person
    irregular_plurals: dict[str, str]  # 'women' → 'woman'

    def singulars(self, word: str) -> set[str]:
        """The singular forms a word may be of: 'cities' → city, 'delegates' → delegate, 'women' → woman."""
        word = word.lower()
        forms = {word}
        if word in self.irregular_plurals:
            forms.add(self.irregular_plurals[word])
        forms.update(
            word[: -len(ending)] + singular for ending, singular in _ENDINGS if word.endswith(ending)
        )
        return forms

    def names_a_person(self, word: str) -> bool:
        return not self.persons.isdisjoint(self.singulars(word))

    def names_persons(self, word: str) -> bool:
        """A plural naming persons ('participants', 'women'): after a figure above one, a singular
        ('three partner hotels') is a word describing what is counted, not what is counted."""
        lowered = word.lower()
        plural = lowered in self.irregular_plurals or lowered.endswith(("s", "men")) or lowered == "people"
        return plural and self.names_a_person(lowered)

    def names_anyone(self, word: str) -> bool:
        """'people', 'persons', 'individuals': a noun for anyone, not for a kind of person."""
        return not self.general.isdisjoint(self.singulars(word))


@lru_cache(maxsize=1)
def people() -> People:
    data = json.loads(resources.files("assistant.answering").joinpath("people.json").read_text("utf-8"))
    return People(frozenset(data["general"]), frozenset(data["persons"]), dict(data["irregular_plurals"]))
