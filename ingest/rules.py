"""Eligibility rules: the reviewed data file beside the corpus, its validation, and anchoring each rule's
quote in its source document so it can be cited.

A rules file is YAML named ``*.rules.yaml`` (or ``.rules.yml``)::

    rulesets:
      - programme: IUC
        edition: "2018"
        source: iuc-call-starting-city-to-city-cooperation.txt   # a corpus document
        status: active            # or draft: read, reported as skipped, never used
        rules:
          - id: population-encouraged
            criterion: population  # one of ingest.criteria.CRITERIA
            strength: encouraged   # required: failing it rules an applicant out; encouraged: it does not
            condition: {min: 100000, inclusive: false}   # 'more than 100,000'
            applies_when: {group: {equals: false}}       # optional
            label: Cities with more than 100,000 inhabitants are encouraged to apply
            quote: Cities with more than 100,000 inhabitants are encouraged to apply.

Conditions: ``min``/``max`` with ``inclusive`` (numbers, dates), ``any_of``/``none_of`` (applicant types,
countries, regions), ``equals`` (yes/no facts). "Not eligible" is a required rule with ``none_of``.

A malformed rule, or one whose quote is not found within one passage of its source, is refused with a
reason; the file's other rules still count. A file that is not YAML (or not a rules file) fails whole.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from ingest.criteria import (
    APPLICANT_TYPES,
    CRITERIA,
    Criterion,
    CriterionType,
    applicant_type_in,
    country_codes,
    world_regions,
)
from ingest.errors import DocumentError
from ingest.models import Chunk, RefusedRule, SkippedRuleset
from ingest.quotes import find_verbatim, normalise_quote

RULES_SUFFIXES = (".rules.yaml", ".rules.yml")
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")


def is_rules_file(path: Path) -> bool:
    return path.name.lower().endswith(RULES_SUFFIXES)


class Strength(StrEnum):
    REQUIRED = "required"  # failing it means the applicant does not meet the call's conditions
    ENCOURAGED = "encouraged"  # the call encourages it; failing it rules nobody out


class RulesetStatus(StrEnum):
    ACTIVE = "active"
    DRAFT = "draft"


Fact = float | str | bool | date


class Condition(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    min: date | float | None = None
    max: date | float | None = None
    inclusive: bool | None = Field(default=None, description="Whether min/max themselves satisfy it")
    any_of: list[str] | None = None
    none_of: list[str] | None = None
    equals: bool | None = None

    @field_validator("min", "max", mode="before")
    @classmethod
    def _not_a_flag(cls, value: object) -> object:
        if isinstance(value, bool):
            raise ValueError("a bound is a number or a date, not yes/no")
        return value

    def problems(self, criterion: Criterion) -> list[str]:
        """What makes this condition unfit for ``criterion`` (empty when it fits)."""
        kind = criterion.type
        bounds = [value for value in (self.min, self.max) if value is not None]
        lists = [value for value in (self.any_of, self.none_of) if value is not None]
        if kind in (CriterionType.NUMBER, CriterionType.DATE):
            wanted = date if kind is CriterionType.DATE else float
            if not bounds or lists or self.equals is not None:
                return [f"a {kind} criterion ({criterion.name}) needs min and/or max, and nothing else"]
            if self.inclusive is None:
                return ["say 'inclusive: true' ('at least', 'or more') or 'inclusive: false' ('more than')"]
            if not all(isinstance(value, wanted) for value in bounds):
                return [f"min/max of {criterion.name} must be {'dates' if wanted is date else 'numbers'}"]
            if self.min is not None and self.max is not None and self.min > self.max:  # type: ignore[operator]
                return ["min is greater than max"]
            return []
        if kind is CriterionType.BOOLEAN:
            if self.equals is None or bounds or lists:
                return [f"a yes/no criterion ({criterion.name}) needs 'equals: true' or 'equals: false'"]
            return []
        if len(lists) != 1 or bounds or self.equals is not None or not lists[0]:
            return [f"criterion {criterion.name} needs exactly one non-empty 'any_of' or 'none_of' list"]
        return _unknown_values(kind, lists[0])

    def holds(self, criterion: Criterion, fact: Fact) -> bool:
        """Whether ``fact`` (already normalised to the criterion's type) satisfies the condition."""
        if criterion.type in (CriterionType.NUMBER, CriterionType.DATE):
            inclusive = bool(self.inclusive)
            low, high = self.min, self.max
            if low is not None and (fact < low or (fact == low and not inclusive)):  # type: ignore[operator]
                return False
            return not (high is not None and (fact > high or (fact == high and not inclusive)))  # type: ignore[operator]
        if criterion.type is CriterionType.BOOLEAN:
            return fact is self.equals
        listed = self.any_of if self.any_of is not None else self.none_of or []
        if criterion.type is CriterionType.CATEGORY:
            found = applicant_type_in(str(fact), listed)
        elif criterion.type is CriterionType.COUNTRY:
            found = str(fact) in country_codes(listed)[0]
        else:
            found = str(fact) in listed
        return found if self.any_of is not None else not found


def _unknown_values(kind: CriterionType, values: list[str]) -> list[str]:
    if kind is CriterionType.CATEGORY:
        unknown = [value for value in values if value not in APPLICANT_TYPES]
        known = ", ".join(APPLICANT_TYPES)
    elif kind is CriterionType.COUNTRY:
        unknown = country_codes(values)[1]
        known = "ISO codes, country names, or " + ", ".join(world_regions())
    else:
        unknown = [value for value in values if value not in world_regions()]
        known = ", ".join(world_regions())
    return [f"unknown value(s) {', '.join(map(repr, unknown))} (known: {known})"] if unknown else []


class RuleSpec(BaseModel):
    """One rule as reviewers write it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    criterion: str
    strength: Strength
    condition: Condition
    applies_when: dict[str, Condition] = Field(default_factory=dict)
    label: str = Field(min_length=3, description="Short human text naming the rule")
    quote: str = Field(min_length=10, description="Verbatim from the source document")
    note: str = Field(default="", description="A reviewer's note; never shown to applicants")

    @model_validator(mode="after")
    def _fits_registry(self) -> RuleSpec:
        if not _ID.match(self.id):
            raise ValueError(f"id {self.id!r}: use letters, digits, '-', '_' or '.'")
        criterion = CRITERIA.get(self.criterion)
        if criterion is None:
            raise ValueError(f"unknown criterion {self.criterion!r} (known: {', '.join(CRITERIA)})")
        problems = self.condition.problems(criterion)
        for name, condition in self.applies_when.items():
            other = CRITERIA.get(name)
            if other is None or other.type is CriterionType.DATE:
                raise ValueError(f"applies_when: unknown criterion {name!r}")
            problems += [f"applies_when.{name}: {problem}" for problem in condition.problems(other)]
        if problems:
            raise ValueError("; ".join(problems))
        return self


class Ruleset(BaseModel):
    """The rules of one programme's call edition, all quoting one source document."""

    model_config = ConfigDict(extra="forbid")

    programme: str = Field(min_length=1)
    edition: str = Field(min_length=1, description="The call edition, e.g. '2018'")
    source: str = Field(min_length=1, description="File name of the corpus document the quotes come from")
    status: RulesetStatus = RulesetStatus.ACTIVE
    rules: list[Any] = Field(default_factory=list, description="Validated one by one")

    @field_validator("edition", mode="before")
    @classmethod
    def _edition_text(cls, value: object) -> object:
        return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


class RulesFile(BaseModel):
    """A rules file as stored in an index generation: its text is parsed again at every ingest."""

    source: str
    sha256: str
    origin: str | None = None
    text: str


class AnchoredRule(BaseModel):
    """An active rule whose quote was found in one chunk of its source: citable as it stands."""

    rule: RuleSpec
    programme: str
    edition: str
    rules_file: str
    source: str
    title: str
    chunk_id: str
    section: str = ""
    page: int | None = None
    quote: str = Field(description="The quote as it stands in the chunk text (verbatim)")

    @property
    def criterion(self) -> Criterion:
        return CRITERIA[self.rule.criterion]


@dataclass
class ParsedRules:
    rulesets: list[tuple[Ruleset, list[RuleSpec]]] = field(default_factory=list)
    refused: list[RefusedRule] = field(default_factory=list)
    skipped: list[SkippedRuleset] = field(default_factory=list)


def _yaml_problem(error: yaml.YAMLError) -> str:
    mark = getattr(error, "problem_mark", None)
    where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark is not None else ""
    problem = getattr(error, "problem", None) or str(error)
    return f"not valid YAML{where}: {problem}"


def _validation_problem(error: ValidationError) -> str:
    parts = []
    for item in error.errors():
        where = ".".join(str(part) for part in item["loc"])
        message = str(item["msg"]).removeprefix("Value error, ")
        parts.append(f"{where}: {message}" if where else message)
    return "; ".join(parts)


def read_rules_text(text: str) -> list[Any]:
    """The raw rulesets of a rules file; raises DocumentError when the file is not one."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise DocumentError(_yaml_problem(error)) from error
    except RecursionError as error:  # PyYAML's composer recurses once per level of nesting
        raise DocumentError("not a rules file: nested too deeply to read") from error
    if not isinstance(data, dict) or set(data) != {"rulesets"} or not isinstance(data["rulesets"], list):
        raise DocumentError("not a rules file: it must hold one top-level key, 'rulesets:', a list")
    return data["rulesets"]


def parse_rules(text: str, file_name: str) -> ParsedRules:
    """Validate every ruleset and rule of a rules file; malformed rules are refused one by one."""
    parsed = ParsedRules()
    seen_ids: set[str] = set()
    seen_editions: set[tuple[str, str]] = set()
    for number, raw in enumerate(read_rules_text(text), start=1):
        raw_rules = raw.get("rules") if isinstance(raw, dict) else None
        ids = [_raw_id(rule, index) for index, rule in enumerate(raw_rules or [], start=1)]

        def refuse_all(reason: str, ids: list[str] = ids, number: int = number) -> None:
            for rule_id in ids or [f"(ruleset {number})"]:
                parsed.refused.append(RefusedRule(file=file_name, rule_id=rule_id, reason=reason))

        if isinstance(raw, dict) and raw.get("status") == RulesetStatus.DRAFT.value:
            # A draft is work in progress (criteria may still be blank): reported, never validated nor used.
            parsed.skipped.append(
                SkippedRuleset(
                    file=file_name,
                    programme=str(raw.get("programme") or "?"),
                    edition=str(raw.get("edition") or "?"),
                    reason="draft: review it and set 'status: active' to use it",
                )
            )
            continue
        try:
            ruleset = Ruleset.model_validate(raw)
        except ValidationError as error:
            refuse_all(f"ruleset {number}: {_validation_problem(error)}")
            continue
        key = (ruleset.programme.casefold(), ruleset.edition.casefold())
        if key in seen_editions:
            refuse_all(f"another ruleset of this file is already for {ruleset.programme} {ruleset.edition}")
            continue
        seen_editions.add(key)
        rules: list[RuleSpec] = []
        for rule_id, raw_rule in zip(ids, ruleset.rules, strict=True):
            try:
                rule = RuleSpec.model_validate(raw_rule)
            except ValidationError as error:
                parsed.refused.append(
                    RefusedRule(file=file_name, rule_id=rule_id, reason=_validation_problem(error))
                )
                continue
            if rule.id in seen_ids:
                reason = f"duplicate id '{rule.id}' (ids must be unique in a rules file)"
                parsed.refused.append(RefusedRule(file=file_name, rule_id=rule.id, reason=reason))
                continue
            seen_ids.add(rule.id)
            rules.append(rule)
        parsed.rulesets.append((ruleset, rules))
    return parsed


def _raw_id(rule: object, index: int) -> str:
    value = rule.get("id") if isinstance(rule, dict) else None
    return str(value) if value not in (None, "") else f"(rule {index})"


@dataclass
class RulesOutcome:
    rules: list[AnchoredRule] = field(default_factory=list)
    refused: list[RefusedRule] = field(default_factory=list)
    skipped: list[SkippedRuleset] = field(default_factory=list)


def anchor_rules(files: Sequence[RulesFile], chunks_by_source: Mapping[str, Sequence[Chunk]]) -> RulesOutcome:
    """Parse every rules file and anchor each active rule's quote in one chunk of its source document.

    Files are read in name order, so when two files hold the same programme and edition the first wins
    and the other's rules are refused with a reason (never silently merged).
    """
    outcome = RulesOutcome()
    owner: dict[tuple[str, str], str] = {}
    for rules_file in sorted(files, key=lambda item: item.source):
        try:
            parsed = parse_rules(rules_file.text, rules_file.source)
        except DocumentError as error:  # a stored file from older code that no longer reads
            outcome.refused.append(RefusedRule(file=rules_file.source, rule_id="*", reason=error.message))
            continue
        outcome.refused += parsed.refused
        outcome.skipped += parsed.skipped
        for ruleset, rules in parsed.rulesets:
            key = (ruleset.programme.casefold(), ruleset.edition.casefold())
            first = owner.setdefault(key, rules_file.source)
            for rule in rules:
                if first != rules_file.source:
                    reason = f"{ruleset.programme} {ruleset.edition} already has rules in {first}"
                    outcome.refused.append(
                        RefusedRule(file=rules_file.source, rule_id=rule.id, reason=reason)
                    )
                    continue
                anchored = _anchor(rules_file.source, ruleset, rule, chunks_by_source.get(ruleset.source))
                if isinstance(anchored, RefusedRule):
                    outcome.refused.append(anchored)
                else:
                    outcome.rules.append(anchored)
    return outcome


def _anchor(
    file_name: str, ruleset: Ruleset, rule: RuleSpec, chunks: Sequence[Chunk] | None
) -> AnchoredRule | RefusedRule:
    def refused(reason: str) -> RefusedRule:
        return RefusedRule(file=file_name, rule_id=rule.id, reason=reason)

    if not chunks:
        return refused(f"source document '{ruleset.source}' is not in the index (ingest it with the rules)")
    for chunk in chunks:
        verbatim = find_verbatim(rule.quote, chunk.text)
        if verbatim is not None:
            return AnchoredRule(
                rule=rule,
                programme=ruleset.programme,
                edition=ruleset.edition,
                rules_file=file_name,
                source=chunk.source,
                title=chunk.title,
                chunk_id=chunk.id,
                section=chunk.section,
                page=chunk.page,
                quote=verbatim,
            )
    shown = rule.quote if len(rule.quote) <= 90 else rule.quote[:87] + "…"
    whole = normalise_quote(" ".join(chunk.text for chunk in chunks))
    if normalise_quote(rule.quote) in whole:
        return refused(
            f"the quote spans two passages of {ruleset.source}; quote a part that lies within one "
            f"passage so it can be cited: “{shown}”"
        )
    return refused(f"quote not found in {ruleset.source}: “{shown}”")


def rule_changes(
    before: Sequence[AnchoredRule], after: Sequence[AnchoredRule]
) -> tuple[list[str], list[str], list[str]]:
    """The active rules added, changed (wording or anchor) and removed between two indexes, each named
    'file: rule id'."""
    old = {f"{rule.rules_file}: {rule.rule.id}": rule for rule in before}
    new = {f"{rule.rules_file}: {rule.rule.id}": rule for rule in after}
    added = sorted(new.keys() - old.keys())
    removed = sorted(old.keys() - new.keys())
    changed = sorted(name for name in new.keys() & old.keys() if new[name] != old[name])
    return added, changed, removed
