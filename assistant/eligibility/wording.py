"""The sentences of an eligibility check: plain English with the figures, and never stronger than the
rule ('encourages' stays 'encourages')."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from typing import Any

from assistant.eligibility.models import EligibilityReport
from assistant.eligibility.profile import ApplicantProfile
from assistant.models import Citation
from ingest.criteria import CRITERIA, CriterionType, applicant_type_in, country_codes, display_type
from ingest.geo import gazetteer
from ingest.rules import AnchoredRule, Condition, Strength
from prompts import say


def scope_of(programme: str, edition: str) -> str:
    return f"the {programme} call ({edition} edition)"


def cited(sentence: str, citation: Citation | None) -> str:
    """The sentence with its citation marker before the final stop."""
    if citation is None:
        return sentence
    return f"{sentence.rstrip('.')} [{citation.id}]."


def _day(value: date) -> str:
    return f"{value.day} {value:%B %Y}"


def deadline_sentence(scope: str, closes: date | None, is_open: bool) -> str:
    if closes is None:
        return say("eligibility.window", scope=scope)
    if is_open:
        return say("eligibility.open_until", scope=scope, closes=_day(closes))
    return say("eligibility.closed_on", scope=scope, closes=_day(closes))


def not_stated_sentence(scope: str, noun: str) -> str:
    return say("eligibility.not_stated", scope=scope, noun=noun)


def _figure(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,}"


def _plural(noun: str) -> str:
    if noun.endswith("y") and not noun.endswith(("ay", "ey", "oy")):
        return noun[:-1] + "ies"
    return noun if noun.endswith("s") else noun + "s"


def relation(condition: Condition, unit: str) -> str:
    """'more than 100,000 inhabitants', 'at least 18 months', 'between 10,000 and 50,000 inhabitants'."""
    low, high = condition.min, condition.max
    tail = f" {unit}" if unit else ""
    if isinstance(low, float | int) and isinstance(high, float | int):
        if condition.inclusive:
            return f"from {_figure(low)} to {_figure(high)}{tail}"
        return f"more than {_figure(low)} and fewer than {_figure(high)}{tail}"
    if isinstance(low, float | int):
        return f"{'at least' if condition.inclusive else 'more than'} {_figure(low)}{tail}"
    if isinstance(high, float | int):
        return f"{'at most' if condition.inclusive else 'fewer than'} {_figure(high)}{tail}"
    return "a figure"


def when_text(applies_when: dict[str, Condition]) -> str:
    """'to groups of municipalities' for ``{group: {equals: true}}``."""
    parts = []
    for name, condition in applies_when.items():
        if name == "group":
            parts.append(
                "to groups of municipalities" if condition.equals else "to single applicants, not groups"
            )
        elif name == "applicant_type" and condition.any_of:
            parts.append("to " + ", ".join(_plural(display_type(value)) for value in condition.any_of))
        else:
            parts.append(f"under a condition on the {CRITERIA[name].noun}")
    return " and ".join(parts)


def _number_subject(rule: AnchoredRule, profile: ApplicantProfile) -> str:
    name = rule.rule.criterion
    if name == "population":
        return profile.describe()
    value = getattr(profile, name)
    if name == "commitment_months":
        return f"A commitment of {_figure(value)} months"
    if name == "members":
        return f"A group of {_figure(value)} municipalities"
    return f"A {rule.criterion.noun} of {_figure(value)} {rule.criterion.unit}".rstrip()


def _smaller(rule: AnchoredRule, profile: ApplicantProfile, larger: bool) -> str:
    name = rule.rule.criterion
    if name == "commitment_months":
        return "longer commitments" if larger else "shorter commitments"
    if name == "members":
        return "larger groups" if larger else "smaller groups"
    kind = _plural(display_type(profile.applicant_type)) if profile.applicant_type else "applicants"
    if profile.applicant_type == "group_of_municipalities":
        kind = "groups"
    return f"{'larger' if larger else 'smaller'} {kind}"


def _explain_number(
    rule: AnchoredRule, status: str, profile: ApplicantProfile, scope: str, excluded_elsewhere: bool
) -> str:
    condition, unit = rule.rule.condition, rule.criterion.unit
    subject = _number_subject(rule, profile)
    wanted = relation(condition, unit)
    if rule.rule.strength is Strength.REQUIRED:
        name = {"meets": "required_met", "does_not_meet": "required_not_met"}.get(status, "required_unsure")
        return say(f"eligibility.{name}", subject=subject, wanted=wanted)
    if status == "meets":
        return say("eligibility.encouraged_met", subject=subject, scope=scope, wanted=wanted)
    if status == "unknown":
        return say("eligibility.encouraged_unknown", scope=scope, wanted=wanted)
    value = getattr(profile, rule.rule.criterion)
    too_low = condition.min is not None and value is not None and float(value) <= float(condition.min)  # type: ignore[arg-type]
    bound = condition.min if too_low else condition.max
    side = ("below" if float(value) < float(bound) else "not above") if too_low else "above"  # type: ignore[arg-type]
    figure = f"{_figure(float(bound))} {unit}".rstrip()  # type: ignore[arg-type]
    if excluded_elsewhere:
        return say(
            "eligibility.encouraged_missed_required_elsewhere",
            subject=subject,
            side=side,
            figure=figure,
            scope=scope,
        )
    others = _smaller(rule, profile, larger=not too_low)
    return say(
        "eligibility.encouraged_missed", subject=subject, side=side, figure=figure, scope=scope, others=others
    )


def _listed(condition: Condition) -> tuple[list[str], bool]:
    if condition.any_of is not None:
        return condition.any_of, True
    return condition.none_of or [], False


def _explain_listed(rule: AnchoredRule, status: str, fact: Any, scope: str) -> str:
    condition, kind = rule.rule.condition, rule.criterion.type
    listed, inclusive = _listed(condition)
    encouraged = rule.rule.strength is Strength.ENCOURAGED
    verb = (
        ("encourages" if encouraged else "accepts")
        if inclusive
        else ("discourages" if encouraged else "excludes")
    )
    if kind is CriterionType.CATEGORY:
        inside = applicant_type_in(str(fact), listed)
        names = ", ".join(_plural(display_type(value)) for value in listed)
        subject, what = f"A {display_type(str(fact))}", "the applicants"
    elif kind is CriterionType.COUNTRY:
        inside = str(fact) in country_codes(listed)[0]
        names = ", ".join(gazetteer().name_of(value) if len(value) == 2 else value for value in listed)
        subject, what = gazetteer().name_of(str(fact)), "the countries"
        verb = verb.replace("accepts", "covers")
    else:
        inside = str(fact) in listed
        names = ", ".join(listed)
        subject, what = f"A partner in {fact}", "the partner regions"
        verb = verb.replace("accepts", "names")
    del status  # the wording follows the facts; the status was computed from the same facts
    return say(
        "eligibility.listed",
        subject=subject,
        negation="" if inside else "not ",
        what=what,
        scope=scope,
        verb=verb,
        names=names,
    )


def explain(
    rule: AnchoredRule, status: str, profile: ApplicantProfile, scope: str, excluded_elsewhere: bool
) -> str:
    """One sentence saying how the profile stands against the rule, with the figures."""
    name = rule.rule.criterion
    if status == "unknown" and getattr(profile, name, None) is None:
        return say("eligibility.fact_missing", label=rule.rule.label, asks=rule.criterion.asks)
    kind = rule.criterion.type
    if kind is CriterionType.NUMBER:
        return _explain_number(rule, status, profile, scope, excluded_elsewhere)
    fact = getattr(profile, name)
    if kind is CriterionType.BOOLEAN:
        return say("eligibility.fact_given", label=rule.rule.label, answer="yes" if fact else "no")
    return _explain_listed(rule, status, fact, scope)


def answer_text(report: EligibilityReport, rules: Sequence[AnchoredRule]) -> tuple[str, list[Citation]]:
    """The chat answer of a check: its summary, then the call's own words for what decides it (a rule
    not met, or a condition that applies to this kind of applicant and whose facts are still missing),
    with only the citations the text refers to."""
    conditional = {rule.rule.id for rule in rules if rule.rule.applies_when}
    quoted: list[str] = []
    for result in report.results:
        if result.citation is None or not result.quote:
            continue
        decisive = result.status == "does_not_meet" or (
            result.status == "unknown"
            and result.rule_id in conditional
            and result.strength == Strength.REQUIRED
        )
        marker = f"[{result.citation.id}]"
        if decisive and not any(marker in part for part in quoted):
            quoted.append(f"“{result.quote}” {marker}")
    text = report.summary + (say("eligibility.calls_words", quotes=" ".join(quoted)) if quoted else "")
    used = {int(number) for number in re.findall(r"\[(\d+)\]", text)}
    return text, [citation for citation in report.citations if citation.id in used]


def closed_notice(report: EligibilityReport) -> str:
    """The notice that the call checked is closed (only for a report whose deadline has passed)."""
    assert report.deadline is not None and report.programme is not None and report.edition is not None
    return say(
        "notices.call_closed", scope=scope_of(report.programme, report.edition), closes=_day(report.deadline)
    )
