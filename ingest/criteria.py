"""The registry of eligibility criteria: every criterion a rule may speak of, with the type of its fact.

One place, so the rules format, the check and the rule drafter agree on names, types and vocabularies.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache

from ingest.geo import gazetteer


class CriterionType(StrEnum):
    NUMBER = "number"  # conditions: min / max with inclusive
    CATEGORY = "category"  # conditions: any_of / none_of over APPLICANT_TYPES
    BOOLEAN = "boolean"  # condition: equals
    COUNTRY = "country"  # conditions: any_of / none_of over ISO codes or groups ('European Union')
    REGION = "region"  # conditions: any_of / none_of over world regions ('Asia', 'Africa', …)
    DATE = "date"  # conditions: min / max dates; the fact is the day of applying


@dataclass(frozen=True)
class Criterion:
    name: str
    type: CriterionType
    noun: str  # what the fact is called in a sentence
    asks: str  # what an applicant must tell us when the fact is missing
    unit: str = ""


_ALL = (
    Criterion(
        "applicant_type",
        CriterionType.CATEGORY,
        "type of applicant",
        "what kind of body applies (city, town, group of municipalities, region, province…)",
    ),
    Criterion(
        "population",
        CriterionType.NUMBER,
        "population",
        "the population (for a group of municipalities, the total)",
        "inhabitants",
    ),
    Criterion("country", CriterionType.COUNTRY, "country", "the country"),
    Criterion(
        "group",
        CriterionType.BOOLEAN,
        "group application",
        "whether you apply alone or as a group of municipalities",
    ),
    Criterion(
        "members",
        CriterionType.NUMBER,
        "number of municipalities in the group",
        "how many municipalities the group has",
        "municipalities",
    ),
    Criterion(
        "lead_contact",
        CriterionType.BOOLEAN,
        "lead authority's contact",
        "whether the group has identified the lead authority and its administrative contact",
    ),
    Criterion(
        "members_committed",
        CriterionType.BOOLEAN,
        "commitment of the group's other members",
        "whether the other municipalities of the group have given their commitment",
    ),
    Criterion(
        "commitment_months",
        CriterionType.NUMBER,
        "commitment",
        "for how many months you can commit to the cooperation",
        "months",
    ),
    Criterion(
        "partner_agreement",
        CriterionType.BOOLEAN,
        "partnership agreement",
        "whether you will sign the partnership agreement",
    ),
    Criterion(
        "partner_region",
        CriterionType.REGION,
        "partner city's region",
        "the world region (or country) of the partner city you seek",
    ),
    Criterion("deadline", CriterionType.DATE, "application deadline", "the date you apply"),
)
CRITERIA: dict[str, Criterion] = {criterion.name: criterion for criterion in _ALL}

# Applicant types form a small tree, so a rule can name a family: 'subnational_government' covers
# regions, provinces and counties; 'municipality' covers cities and towns. Value → parent.
APPLICANT_TYPES: dict[str, str | None] = {
    "municipality": None,
    "city": "municipality",
    "town": "municipality",
    "village": "municipality",
    "group_of_municipalities": None,
    "metropolitan_authority": None,
    "subnational_government": None,
    "region": "subnational_government",
    "province": "subnational_government",
    "county": "subnational_government",
    "national_government": None,
    "other_organisation": None,
}


def applicant_type_in(value: str, listed: list[str]) -> bool:
    """True if ``value`` is one of ``listed`` or falls under one of them ('town' under 'municipality')."""
    current: str | None = value
    while current is not None:
        if current in listed:
            return True
        current = APPLICANT_TYPES.get(current)
    return False


def display_type(value: str) -> str:
    return value.replace("_", " ").replace("subnational", "sub-national")


@lru_cache(maxsize=1)
def world_regions() -> dict[str, frozenset[str]]:
    """World regions a partner city may lie in, with their countries; the EU is a region of its own."""
    return dict(gazetteer().regions)


def region_name(text: str) -> str | None:
    """'latin america' → 'Latin America and the Caribbean'; 'Kenya' → 'Africa'; unknown → None."""
    folded = text.strip().lower()
    for name in world_regions():
        if folded == name.lower() or (len(folded) >= 4 and name.lower().startswith(folded)):
            return name
    if folded in ("caribbean", "the caribbean", "south america", "central america"):
        return "Latin America and the Caribbean"
    code = country_code(text)
    if code is None:
        return None
    for name, codes in world_regions().items():
        if code in codes and name != "European Union":
            return name
    return None


def country_code(text: str) -> str | None:
    """An ISO alpha-2 code from a code, a name, an alias or a demonym; None when unknown."""
    stripped = text.strip()
    if len(stripped) == 2 and stripped.upper() in gazetteer().display:
        return stripped.upper()
    return gazetteer().code_of(stripped)


def country_codes(values: list[str]) -> tuple[frozenset[str], list[str]]:
    """The ISO codes a rule's country list stands for (groups such as 'European Union' expanded), and
    the entries that name no country or group."""
    codes: set[str] = set()
    unknown: list[str] = []
    for value in values:
        group = next((name for name in world_regions() if name.lower() == value.strip().lower()), None)
        if group is not None:
            codes |= world_regions()[group]
            continue
        code = country_code(value)
        if code is None:
            unknown.append(value)
        else:
            codes.add(code)
    return frozenset(codes), unknown
