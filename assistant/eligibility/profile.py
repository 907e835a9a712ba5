"""Who is asking: the applicant profile an eligibility check reads. Every fact is optional and a
missing fact is never guessed."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from ingest.criteria import APPLICANT_TYPES, country_code, display_type, region_name
from ingest.textutil import fold

__all__ = ["GROUP", "ApplicantProfile", "Qualifier"]

GROUP = "group_of_municipalities"
_TYPE_WORDS = {
    "group of municipalities": GROUP,
    "group of towns": GROUP,
    "group of cities": GROUP,
    "group": GROUP,
    "cities": "city",
    "towns": "town",
    "villages": "village",
    "municipalities": "municipality",
    "regions": "region",
    "provinces": "province",
    "counties": "county",
    "local authority": "municipality",
    "sub-national government": "subnational_government",
    "subnational government": "subnational_government",
}


class Qualifier(StrEnum):
    """How exact a stated population is: 'more than 100,000' is not '100,000'."""

    EXACT = "exact"
    ABOUT = "about"  # about, around, roughly: ±10 %
    NEARLY = "nearly"  # nearly, almost: up to 10 % below
    MORE_THAN = "more_than"
    AT_LEAST = "at_least"
    AT_MOST = "at_most"
    LESS_THAN = "less_than"


class ApplicantProfile(BaseModel):
    """Facts about an applicant; every field is optional and a missing fact is never guessed."""

    model_config = ConfigDict(extra="forbid")

    applicant_type: str | None = Field(
        default=None,
        description=f"One of: {', '.join(APPLICANT_TYPES)}",
        examples=["town"],
    )
    population: int | None = Field(default=None, ge=0, description="Inhabitants (a group: the total)")
    population_qualifier: Qualifier = Field(
        default=Qualifier.EXACT, description="'more_than' for 'more than 100,000', 'about' for 'about 60,000'"
    )
    country: str | None = Field(default=None, description="Country name or ISO code; stored as ISO code")
    group: bool | None = Field(default=None, description="Applying as a group of municipalities")
    members: int | None = Field(default=None, ge=1, description="Municipalities in the group")
    lead_contact: bool | None = Field(
        default=None, description="The group's lead authority and its administrative contact are identified"
    )
    members_committed: bool | None = Field(
        default=None, description="The group's other municipalities have given their commitment"
    )
    commitment_months: float | None = Field(default=None, ge=0, description="Months you can commit")
    partner_agreement: bool | None = Field(default=None, description="Will sign the partnership agreement")
    partner_region: str | None = Field(
        default=None, description="World region (or a country) of the partner city you seek"
    )

    @field_validator("applicant_type")
    @classmethod
    def _known_type(cls, value: str | None) -> str | None:
        if value is None:
            return None
        text = fold(value).strip().replace("-", " ")
        name = _TYPE_WORDS.get(text, text.replace(" ", "_"))
        if name not in APPLICANT_TYPES:
            raise ValueError(f"unknown applicant type {value!r} (known: {', '.join(APPLICANT_TYPES)})")
        return name

    @field_validator("country")
    @classmethod
    def _known_country(cls, value: str | None) -> str | None:
        if value is None:
            return None
        code = country_code(value)
        if code is None:
            raise ValueError(f"unknown country {value!r} (give a country name or ISO code)")
        return code

    @field_validator("partner_region")
    @classmethod
    def _known_region(cls, value: str | None) -> str | None:
        if value is None:
            return None
        name = region_name(value)
        if name is None:
            raise ValueError(f"cannot place {value!r} in a world region the rules know")
        return name

    @model_validator(mode="after")
    def _consistent(self) -> ApplicantProfile:
        # One fact implies the other; a contradiction is refused rather than resolved by a guess.
        given = set(self.model_fields_set)
        if self.applicant_type is not None and self.group is not None:
            if (self.applicant_type == GROUP) != self.group:
                raise ValueError(f"applicant_type {self.applicant_type!r} contradicts group: {self.group}")
        elif self.applicant_type is not None:
            self.group = self.applicant_type == GROUP
        elif self.group:
            self.applicant_type = GROUP
        if self.group is None and self.members is not None and self.members >= 2:
            self.group, self.applicant_type = True, GROUP
        self.__pydantic_fields_set__ = given  # what was derived here is not a fact the applicant gave
        return self

    def is_empty(self) -> bool:
        return not self.model_dump(exclude_defaults=True)

    def population_range(self) -> tuple[float, float] | None:
        """The inhabitants the stated population allows, lowest and highest (inclusive)."""
        if self.population is None:
            return None
        value = float(self.population)
        return {
            Qualifier.EXACT: (value, value),
            Qualifier.ABOUT: (value * 0.9, value * 1.1),
            Qualifier.NEARLY: (value * 0.9, value),
            Qualifier.MORE_THAN: (value + 1, float("inf")),
            Qualifier.AT_LEAST: (value, float("inf")),
            Qualifier.AT_MOST: (0.0, value),
            Qualifier.LESS_THAN: (0.0, max(value - 1, 0.0)),
        }[self.population_qualifier]

    def describe(self) -> str:
        """'A town of 60,000', 'A group of 3 municipalities with 80,000 inhabitants in total', 'A region'."""
        kind = display_type(self.applicant_type) if self.applicant_type else "applicant"
        words = {Qualifier.EXACT: "", Qualifier.MORE_THAN: "more than ", Qualifier.AT_LEAST: "at least "}
        words |= {Qualifier.ABOUT: "about ", Qualifier.NEARLY: "nearly ", Qualifier.AT_MOST: "at most "}
        words[Qualifier.LESS_THAN] = "fewer than "
        size = f"{words[self.population_qualifier]}{self.population:,}" if self.population is not None else ""
        if self.applicant_type == GROUP:
            head = f"group of {self.members} municipalities" if self.members else "group of municipalities"
            text = f"{head} with {size} inhabitants in total" if size else head
        elif size:
            text = f"{kind} of {size}" if self.applicant_type else f"applicant with {size} inhabitants"
        else:
            text = kind
        article = "An" if text[0] in "aeiou" else "A"
        return f"{article} {text}"
