"""Pairing lookup over the structured rows of pairings tables: by city, country and topic.

``find_pairings`` is a plain typed function so any face (and, later, an agent tool) can call it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from assistant.answering.query import QueryAnalysis, lexicon
from ingest.geo import gazetteer
from ingest.models import PairingRow
from ingest.textutil import fold, terms, words

# Words inside city names that do not identify a city on their own.
_GENERIC_NAME_WORDS = frozenset(
    """metropolitan city council area metropole municipal municipalities municipality corporation
    association development consortium borough greater region county province of de do da del la le the
    and for west east north south new san santo saint""".split()
)
# Question words that point at the table itself rather than at a topic in it.
_TABLE_WORDS = frozenset(
    terms(
        "city cities town eu european union iuc iurc programme program pair paired pairing pairings partner "
        "partners topic topics theme themes work works worked cooperate cooperation cooperating world region "
        "regions which who list table take part participate"
    )
)


@dataclass
class PairingCriteria:
    cities: list[str] = field(default_factory=list)  # city names as the table writes them
    countries: list[str] = field(default_factory=list)  # ISO codes
    topics: list[str] = field(default_factory=list)  # stems

    @property
    def empty(self) -> bool:
        return not (self.cities or self.countries or self.topics)


def city_aliases(name: str) -> list[str]:
    """Ways a question may name a table city: 'Metropolitan City of Bologna' → 'bologna'."""
    folded = fold(name)
    aliases = {folded}
    for piece in re.split(r"[+,/()]", folded):
        part = piece.strip()
        if part:
            aliases.add(part)
            distinctive = [
                word for word in part.split() if word not in _GENERIC_NAME_WORDS and len(word) >= 4
            ]
            if len(distinctive) == 1:
                aliases.add(distinctive[0])
    return sorted(aliases, key=len, reverse=True)


_ALIAS_WORDS = 6  # the longest alias, in words, looked up in a question


class PairingTables:
    """The pairing rows of an index generation with what a question is matched against, built once per
    generation so that reading a question costs the length of the question, not of the tables."""

    def __init__(self, rows: list[PairingRow]) -> None:
        self.rows = rows
        self.by_alias: dict[tuple[str, ...], list[str]] = {}
        for row in rows:
            for city in (row.eu_city, row.partner_city):
                for alias in city_aliases(city):
                    key = tuple(re.findall(r"[\w'-]+", alias))
                    if key and city not in self.by_alias.setdefault(key, []):
                        self.by_alias[key].append(city)
        self.topic_vocabulary = frozenset(term for row in rows for term in terms(row.topics))
        self.vocabulary = table_vocabulary(rows)
        self.programmes = frozenset(row.programme for row in rows if row.programme)

    def cities_in(self, text: str) -> list[str]:
        """The table cities a text names, by any of their aliases, in order of mention."""
        tokens = [
            token.removesuffix("'s").removesuffix("’s") for token in re.findall(r"[\w'’-]+", fold(text))
        ]
        found: list[str] = []
        for start in range(len(tokens)):
            for length in range(min(_ALIAS_WORDS, len(tokens) - start), 0, -1):
                for city in self.by_alias.get(tuple(tokens[start : start + length]), []):
                    if city not in found:
                        found.append(city)
        return found


def extract_criteria(analysis: QueryAnalysis, tables: PairingTables) -> PairingCriteria:
    criteria = PairingCriteria(countries=list(analysis.countries), cities=tables.cities_in(analysis.subject))
    named = {word for city in criteria.cities for word in words(city)}
    country_words = {word for code in criteria.countries for word in words(gazetteer().name_of(code))}
    pairing_words = {term for cue in lexicon().pairing_cues for term in terms(cue)}
    for term in terms(analysis.question):
        if (
            term in tables.topic_vocabulary
            and term not in _TABLE_WORDS
            and term not in pairing_words
            and not (named | country_words) & {term}
            and term not in criteria.topics
        ):
            criteria.topics.append(term)
    return criteria


def table_vocabulary(rows: list[PairingRow]) -> frozenset[str]:
    """Terms a pairings table can answer about: its topics, its places, and words for the table itself."""
    vocabulary = {term for row in rows for term in terms(f"{row.topics} {row.eu_city} {row.partner_city}")}
    vocabulary |= {term for row in rows for term in terms(f"{row.eu_country} {row.partner_country}")}
    return frozenset(
        vocabulary | _TABLE_WORDS | {term for cue in lexicon().pairing_cues for term in terms(cue)}
    )


def _country_codes(row: PairingRow) -> set[str]:
    return {
        code
        for code in (gazetteer().code_of(row.eu_country), gazetteer().code_of(row.partner_country))
        if code
    }


def find_pairings(rows: list[PairingRow], criteria: PairingCriteria) -> list[PairingRow]:
    """Rows matching every given criterion; for topics, rows covering all topic terms, or failing
    that, most of them. Table order is kept."""
    candidates = [
        row
        for row in rows
        if (not criteria.cities or row.eu_city in criteria.cities or row.partner_city in criteria.cities)
        and (not criteria.countries or _country_codes(row) & set(criteria.countries))
    ]
    if not criteria.topics:
        return candidates
    coverage = {
        row.id: len(set(terms(row.topics)) & set(criteria.topics)) / len(criteria.topics)
        for row in candidates
    }
    best = max(coverage.values(), default=0.0)
    if best < 0.5:
        return []
    return [row for row in candidates if coverage[row.id] >= best]


def pairings_matching(
    rows: Sequence[PairingRow], city: str | None, country: str | None, topic: str | None
) -> list[PairingRow]:
    """Pairing rows by a city named in them (any part of the name), a country of either city, and a topic."""
    criteria = PairingCriteria()
    if city:
        wanted = fold(city.strip())
        criteria.cities = [
            name for row in rows for name in (row.eu_city, row.partner_city) if wanted in fold(name)
        ]
        if not criteria.cities:
            return []
    if country:
        code = gazetteer().code_of(country)
        if code is None:
            return []
        criteria.countries = [code]
    if topic:
        criteria.topics = terms(topic)
    return find_pairings(list(rows), criteria)
