"""Other names of places: a city asked of by its name in the asker's language ('Gand', 'Sevilla') is the
one the documents write in theirs ('Ghent', 'Seville'); a city no document names is one of its country
('Kaliningrad': Russia). The cities are GeoNames' (15,000 people or more, with their countries,
populations and names in other languages: ``place_names.json``, built by tools/build_place_names.py)."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

from ingest.geo import gazetteer
from ingest.textutil import words

# A name as people write it: capitalised words of Latin letters ('La Haye', "L'Aquila", 'Saint-Étienne').
# Transliterations in small letters ('genta') and codes in capitals ('SVQ') are left out.
_LATIN_NAME = re.compile(r"[A-ZÀ-ÖØ-Þ][a-zß-öø-ÿ'’-]+(?: [A-ZÀ-ÖØ-Þa-zß-öø-ÿ'’-]+){0,3}")
_RIVAL = 10  # another country's town of a name is a rival to the largest when a tenth as large or more
_TRAILING = re.compile(r"(?:['’]s|['’-]+)$")  # a possessive's ending, or an apostrophe or a dash
# Up to three capitalised words in a row in a question: the name asked of, or the longest that holds it.
_CAPITALISED_RUN = re.compile(r"[A-ZÀ-ÖØ-Þ][\wÀ-ÿ'’-]*(?: [A-ZÀ-ÖØ-Þ][\wÀ-ÿ'’-]*){0,2}")


@dataclass(frozen=True)
class PlaceNames:
    places_by_name: dict[str, tuple[int, ...]]  # a name exactly as written → the places bearing it
    names_of_place: tuple[tuple[str, ...], ...]  # a place → every name it bears, its own first
    countries: tuple[str, ...]  # a place → its country's ISO code
    populations: tuple[int, ...]

    @classmethod
    def of(cls, places: Iterable[Sequence[Any]]) -> PlaceNames:
        """``places``: a row a place, its country's code, its population, then its names (its own first)."""
        by_name: dict[str, list[int]] = {}
        names_of_place: list[tuple[str, ...]] = []
        countries: list[str] = []
        populations: list[int] = []
        for place, (country, population, *names) in enumerate(places):
            kept = latin_names(names)
            names_of_place.append(kept)
            countries.append(str(country))
            populations.append(int(population))
            for name in kept:
                by_name.setdefault(name, []).append(place)
        return cls(
            {name: tuple(found) for name, found in by_name.items()},
            tuple(names_of_place),
            tuple(countries),
            tuple(populations),
        )

    def country_of(self, name: str) -> str | None:
        """The country of the city a name stands for: the most populous bearing it as its own name (else
        as any), unless one of another country bearing it so is a tenth as large ('Valencia': Spain's,
        not Venezuela's, which is as large; 'Paris' is France's)."""
        places = self.places_by_name.get(name, ())
        own = [place for place in places if self._own_name(place) == name] or list(places)
        if not own:
            return None
        largest = max(own, key=lambda place: self.populations[place])
        country = self.countries[largest]
        if any(
            self.countries[place] != country and self.populations[place] * _RIVAL >= self.populations[largest]
            for place in own
        ):
            return None
        return country

    def in_countries(
        self, question: str, unknown: Callable[[str], bool], country_written: Callable[[str], bool]
    ) -> tuple[str, list[tuple[str, str]]]:
        """The question with each city it names that ``unknown`` holds no document names read as a city of
        its country ('can partners from Kaliningrad take part?' → 'from Russia'; 'can Tromsø apply?' → 'can
        a city in Norway apply?'), when the documents write the country (``country_written``), with the
        (city, country code) pairs so read. Not the first word, nor a possessive ('Tromsø's partner')."""
        read: list[tuple[int, int, str, str]] = []
        for offset, run in _runs(question):
            if _TRAILING.search(run[-1]):
                continue
            found = next(
                (
                    (first, name, country)
                    for size in range(len(run), 0, -1)
                    for first in range(len(run) - size + 1)
                    if (name := " ".join(run[first : first + size]))
                    and gazetteer().code_of(name) is None
                    and (country := self.country_of(name)) is not None
                    and unknown(name)
                    and country_written(country)
                ),
                None,
            )
            if found is not None:
                first, name, country = found
                begin = _start_of(offset, run, first)
                read.append((begin, begin + len(name), name, country))
        spans = [
            (begin, end, _as_of_country(question[:begin], gazetteer().name_of(country)))
            for begin, end, _, country in read
        ]
        return _replaced(question, spans), [(name, country) for _, _, name, country in read]

    def as_written(self, question: str, written: Callable[[str], int], *, beside: bool = False) -> str:
        """The question with each place it names by a name the documents never write read as the name
        they do write for that place ('Gand' → 'Ghent'); with ``beside``, a name they write too is read
        with theirs beside it ('Sevilla (Seville)', when some write one and some the other).
        ``written``: how many documents write a name (0: none). The question's first word is left as it
        is: capitalised there, a word of the asker's language ('Come…', 'Con…') may spell another
        language's name of a place."""
        replaced: list[tuple[int, int, str]] = []
        for offset, run in _runs(question):
            run[-1] = _TRAILING.sub("", run[-1])  # 'Gent's partner', 'Anvers' –'
            found = self._name_in(run, written, beside)
            if found is not None:
                first, last, name = found
                begin = _start_of(offset, run, first)
                replaced.append((begin, begin + len(" ".join(run[first:last])), name))
        return _replaced(question, replaced)

    def _own_name(self, place: int) -> str:
        return self.names_of_place[place][0] if self.names_of_place[place] else ""

    def _name_in(
        self, words: list[str], written: Callable[[str], int], beside: bool
    ) -> tuple[int, int, str] | None:
        """The longest run of ``words`` that is a place's name no document writes, with the name the
        documents write most for that place, if they write one."""
        for size in range(len(words), 0, -1):
            for first in range(len(words) - size + 1):
                asked = " ".join(words[first : first + size])
                places = self.places_by_name.get(asked)
                if not places or gazetteer().code_of(asked) is not None:  # 'Albania', a town in Colombia
                    continue
                # A place's own name is that place's, not another's in some language: 'Valence' is a town
                # in France and Valencia in French; 'Valencia' is Valencia, not Valence in Spanish.
                places = tuple(place for place in places if self._own_name(place) == asked) or places
                others = {
                    name
                    for place in places
                    for name in self.names_of_place[place]
                    if name != asked
                    and gazetteer().code_of(name) is None
                    and all(
                        self._own_name(other) != name
                        for other in self.places_by_name[name]
                        if other not in places
                    )
                }
                best = max(others, key=lambda name: (written(name), name), default=None)
                if best is None or not written(best):
                    continue
                if not written(asked):
                    return first, first + size, best
                if beside:
                    return first, first + size, f"{asked} ({best})"
        return None


def _runs(question: str) -> Iterator[tuple[int, list[str]]]:
    """The runs of capitalised words in a question, each with where it starts, past the question's first
    word: capitalised there, a word of the asker's language ('Come…', 'Con…') may spell a place's name."""
    start = len(question) - len(question.lstrip("¿¡\"'«“ "))
    for run in _CAPITALISED_RUN.finditer(question):
        found, offset = run.group(0).split(" "), run.start()
        if offset == start:
            offset += len(found[0]) + 1
            found = found[1:]
        if found:
            yield offset, found


def _start_of(offset: int, run: list[str], first: int) -> int:
    """Where the ``first``-th word of a run starting at ``offset`` starts."""
    return offset + sum(len(word) + 1 for word in run[:first])


def _replaced(question: str, spans: list[tuple[int, int, str]]) -> str:
    """The question with each (begin, end) span, in order and apart, replaced by its text."""
    for begin, end, text in reversed(spans):
        question = question[:begin] + text + question[end:]
    return question


def _as_of_country(before: str, country: str) -> str:
    """What a city is read as: its country after 'in' or 'from', else 'a city in' it."""
    return country if re.search(r"\b(?:in|from)\s+$", before, re.I) else f"a city in {country}"


def latin_names(names: Iterable[str]) -> tuple[str, ...]:
    """The names written in Latin letters and capitalised, once each, in their order."""
    return tuple(dict.fromkeys(name for name in names if _LATIN_NAME.fullmatch(name)))


@lru_cache(maxsize=1)
def place_names() -> PlaceNames:
    """The cities, read once (2.3 MB: a quarter of a second)."""
    table = json.loads(resources.files(__package__).joinpath("place_names.json").read_text("utf-8"))
    return PlaceNames.of(table["places"])


_CAPITALISED_WORD = re.compile(r"(?<![\w'’-])[A-ZÀ-ÖØ-Þ][\wÀ-ÿ]*")


def documents_writing(
    document_words: Iterable[frozenset[str]], vocabulary: frozenset[str], texts: Iterable[str]
) -> Callable[[str], int]:
    """How many documents write a name: each of its words in one document (``vocabulary``: the words of
    them all, which rules out most names at once), and each of its capitalised words capitalised
    somewhere in ``texts``: 'Split' the city is not written by documents that only split budgets."""
    words_of = list(document_words)
    capitalised = frozenset(word for text in texts for word in _CAPITALISED_WORD.findall(text))

    def written(name: str) -> int:
        parts = words(name)
        if not parts or not all(part in vocabulary for part in parts):
            return 0
        if not all(word in capitalised for word in _CAPITALISED_WORD.findall(name)):
            return 0
        return sum(all(part in document for part in parts) for document in words_of)

    return written
