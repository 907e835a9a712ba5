"""The eligibility check's report types, shared by the check, its wording and every face."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, Field, field_validator

from assistant.eligibility.profile import ApplicantProfile
from assistant.models import Citation
from ingest.rules import Strength

__all__ = ["CriterionResult", "EligibilityReport", "EligibilityRequest", "Status", "Verdict"]

Status = Literal["meets", "does_not_meet", "not_stated", "unknown"]
Verdict = Literal["meets_stated_criteria", "does_not_meet", "cannot_tell", "no_rules"]


class CriterionResult(BaseModel):
    criterion: str
    label: str
    status: Status
    strength: Strength | None = Field(default=None, description="None for a fact no rule speaks of")
    explanation: str
    quote: str | None = Field(default=None, description="The rule's words, verbatim from the cited chunk")
    citation: Citation | None = None
    rule_id: str | None = None
    needs: list[str] = Field(default_factory=list, description="Facts that would settle an 'unknown'")


class EligibilityReport(BaseModel):
    programme: str | None = None
    edition: str | None = None
    source: str | None = Field(default=None, description="The call document the rules quote")
    verdict: Verdict
    summary: str = Field(description="Plain English with [n] citation markers")
    results: list[CriterionResult] = Field(default_factory=list)
    citations: list[Citation] = Field(default_factory=list)
    needed: list[str] = Field(default_factory=list, description="Facts to give for a complete check")
    deadline: date | None = None
    open: bool | None = Field(
        default=None, description="Whether the edition took applications on `checked_on`"
    )
    deadline_result: CriterionResult | None = None
    checked_on: date
    other_editions: list[str] = Field(default_factory=list, description="Other editions of this programme")
    other_programmes: list[str] = Field(default_factory=list, description="Other programmes with rules")
    profile: ApplicantProfile


_MAX_POPULATION = 10_000_000_000  # more people than live on Earth


class EligibilityRequest(ApplicantProfile):
    """What the HTTP route, the CLI and the agent tool take: the profile's facts, and which call to
    check. Numbers are bounded and never booleans (``true`` is not a population)."""

    population: int | None = Field(
        default=None, ge=0, le=_MAX_POPULATION, description="Inhabitants (a group: the total)"
    )
    members: int | None = Field(default=None, ge=1, le=10_000, description="Municipalities in the group")
    commitment_months: float | None = Field(
        default=None, ge=0, le=1200, allow_inf_nan=False, description="Months you can commit"
    )
    programme: str | None = Field(default=None, description="IUC, TTCE, …; default: the one with rules")
    edition: str | int | None = Field(default=None, description="Call edition, e.g. '2018'; default: newest")

    @field_validator("population", "members", "commitment_months", mode="before")
    @classmethod
    def _not_a_boolean(cls, value: object) -> object:
        if isinstance(value, bool):
            raise ValueError("a number is needed, not true or false")
        return value

    @field_validator("edition", mode="before")
    @classmethod
    def _edition_text(cls, value: object) -> object:
        return str(value) if isinstance(value, int) and not isinstance(value, bool) else value

    def profile(self) -> ApplicantProfile:
        fields = self.model_dump(exclude={"programme", "edition"}, exclude_unset=True)
        return ApplicantProfile.model_validate(fields)
