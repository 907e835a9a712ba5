"""Countries: names, aliases and demonyms, so tables and questions can be matched on them."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cached_property, lru_cache
from importlib import resources

import pycountry

from ingest.textutil import fold


@dataclass(frozen=True)
class Gazetteer:
    by_name: dict[str, str]  # folded name, alias or demonym → ISO alpha-2 code
    display: dict[str, str]  # code → the short name people use
    names_pattern: re.Pattern[str]  # capitalised country names as written in tables
    regions: dict[str, frozenset[str]]

    def code_of(self, text: str) -> str | None:
        return self.by_name.get(fold(text).strip())

    def name_of(self, code: str) -> str:
        return self.display.get(code, code)

    def mentioned(self, text: str) -> list[str]:
        """Codes of the countries a text names, by name, alias or demonym ('Canadian' → CA). A region's
        name is not its countries' ('North America', 'Latin America' do not name the United States)."""
        folded = f" {fold(text)} "
        for region in _REGION_NAMES:  # blanked, not removed: positions keep the order of mention
            folded = folded.replace(f" {region} ", " " * (len(region) + 2))
        found: dict[int, str] = {}
        for name, code in self._named_in(folded):
            position = folded.find(f" {name} ")
            if position < 0:
                for variant in (f" {name}s ", f" {name}'s ", f" {name}?", f" {name},", f" {name}."):
                    position = folded.find(variant)
                    if position >= 0:
                        break
            if position >= 0 and code not in found.values():
                found[position] = code
        return [found[key] for key in sorted(found)]

    @cached_property
    def _by_first_word(self) -> dict[str, list[tuple[int, str, str]]]:
        """The names by their first word, each with its place in ``by_name``: which names a text may hold
        is looked up by its words, not by reading the text once for every name."""
        index: dict[str, list[tuple[int, str, str]]] = {}
        for order, (name, code) in enumerate(self.by_name.items()):
            index.setdefault(name.split(" ", 1)[0], []).append((order, name, code))
        return index

    def _named_in(self, folded: str) -> list[tuple[str, str]]:
        """The names whose first word begins a word of ``folded`` ('canada' in 'canada?' or 'canadas'),
        in ``by_name``'s order: only they can be found in it."""
        index, candidates = self._by_first_word, list[tuple[int, str, str]]()
        for word in set(folded.split()):
            for end in range(1, len(word) + 1):
                candidates.extend(index.get(word[:end], ()))
        return [(name, code) for _, name, code in sorted(set(candidates))]


# Names of world regions that contain a country's alias ('America').
_REGION_NAMES = tuple(
    f"{part} america{suffix}" for part in ("north", "south", "central", "latin") for suffix in ("", "n", "ns")
)


def _short_name(country: object) -> str:
    for attribute in ("common_name", "name"):
        value = getattr(country, attribute, None)
        if isinstance(value, str):
            return value
    return ""


def _demonym_stems(name: str) -> list[str]:
    """Regular demonyms: Canada → Canadian, Russia → Russian, Brazil → Brazilian, Peru → Peruvian,
    Italy → Italian."""
    base = name.lower()
    if base.endswith("a"):
        return [base + "n", base[:-1] + "an", base + "ns", base[:-1] + "ian"]
    if base.endswith("y"):
        return [base[:-1] + "ian", base + "an"]
    if base.endswith(("o", "u")):
        return [base[:-1] + "an", base + "vian", base + "an"]
    if base.endswith("e"):
        return [base[:-1] + "ian", base + "an"]
    return [base + "ian", base + "an", base + "i", base + "ese"]


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    extra = json.loads(resources.files("ingest").joinpath("data/countries.json").read_text("utf-8"))
    by_name: dict[str, str] = {}
    display: dict[str, str] = {}
    written: set[str] = set()
    for country in pycountry.countries:
        code = country.alpha_2
        short = _short_name(country)
        display[code] = short
        for attribute in ("name", "common_name", "official_name"):
            value = getattr(country, attribute, None)
            if isinstance(value, str):
                by_name.setdefault(fold(value), code)
                written.add(value)
    for code, aliases in extra["aliases"].items():
        for alias in aliases:
            by_name[fold(alias)] = code
            written.add(alias)
        display[code] = (
            aliases[0]
            if code in {"RU", "KR", "VN", "TR", "IR", "BO", "VE", "TZ", "SY", "LA", "MD", "TW"}
            else display[code]
        )
    for code, name in list(display.items()):
        for stem in _demonym_stems(name):
            by_name.setdefault(stem, code)
    for code, demonyms in extra["demonyms"].items():
        for demonym in demonyms:
            by_name[fold(demonym)] = code
    # Longest first, so 'United Kingdom' wins over shorter names inside it.
    alternatives = sorted((name for name in written if len(name) >= 3), key=len, reverse=True)
    pattern = re.compile("|".join(re.escape(name) for name in alternatives))
    regions = {region: frozenset(codes) for region, codes in extra["regions"].items()}
    return Gazetteer(by_name, display, pattern, regions)


@lru_cache(maxsize=1)
def language_names() -> frozenset[str]:
    """The folded names of the languages with a two-letter code ('english', 'polish'): 'held in English'
    says how, not where."""
    return frozenset(
        fold(part.strip())
        for language in pycountry.languages
        if hasattr(language, "alpha_2")
        for part in language.name.split(";")
    )
