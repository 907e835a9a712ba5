"""The eligibility check: an applicant profile against the reviewed rules of one call edition.

Per criterion it says meets / does not meet / not stated in the documents / unknown (the profile does not
give the fact), each with the rule's verbatim quote and citation; the overall verdict never overstates:
an 'encouraged' figure is never reported as a requirement, and a missing fact is never assumed.
A plain typed function, so the CLI, the HTTP API and an agent tool all call the same thing.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from assistant.citations import CitationBuilder
from assistant.eligibility.models import CriterionResult, EligibilityReport, Status, Verdict
from assistant.eligibility.profile import ApplicantProfile
from assistant.eligibility.wording import (
    cited,
    deadline_sentence,
    explain,
    not_stated_sentence,
    scope_of,
    when_text,
)
from assistant.models import Citation
from ingest.classify import PROGRAMMES
from ingest.criteria import CRITERIA, Criterion, CriterionType
from ingest.models import Chunk
from ingest.rules import AnchoredRule, Condition, Fact, Strength
from prompts import say

__all__ = ["check_eligibility"]


def _edition_key(edition: str) -> tuple[int, str]:
    year = re.search(r"\d{4}", edition)
    return (int(year.group(0)) if year else 0, edition)


def _matches_programme(asked: str, programme: str) -> bool:
    wanted = asked.strip().casefold()
    names = (programme, *PROGRAMMES.get(programme, ()))
    return any(wanted == name.casefold() for name in names)


def _facts(profile: ApplicantProfile) -> dict[str, Any]:
    facts: dict[str, Any] = {name: getattr(profile, name, None) for name in CRITERIA if name != "deadline"}
    facts["population"] = profile.population_range()
    return facts


def _number_status(condition: Condition, criterion: Criterion, low: float, high: float) -> Status:
    """A stated range ('more than 100,000') meets a bound only if all of it does."""
    unbounded = high == float("inf")
    if condition.holds(criterion, low) and (
        (unbounded and condition.max is None) or (not unbounded and condition.holds(criterion, high))
    ):
        return "meets"
    inclusive = bool(condition.inclusive)
    lowest, highest = condition.min, condition.max
    below = isinstance(lowest, float) and (high < lowest or (high == lowest and not inclusive))
    above = isinstance(highest, float) and (low > highest or (low == highest and not inclusive))
    return "does_not_meet" if below or above else "unknown"


def _status(condition: Condition, criterion: Criterion, fact: Any) -> Status:
    """How a fact (a number may be a range) stands against a condition."""
    if fact is None:
        return "unknown"
    if criterion.type is CriterionType.NUMBER:
        low, high = fact if isinstance(fact, tuple) else (float(fact), float(fact))
        return _number_status(condition, criterion, low, high)
    value: Fact = fact
    return "meets" if condition.holds(criterion, value) else "does_not_meet"


def _applies(rule: AnchoredRule, facts: Mapping[str, Any]) -> tuple[bool, list[str]]:
    """Whether the rule may apply to this applicant, and the facts its applicability still waits on."""
    missing: list[str] = []
    for name, condition in rule.rule.applies_when.items():
        status = _status(condition, CRITERIA[name], facts.get(name))
        if status == "does_not_meet":
            return False, []
        if status == "unknown":
            missing.append(name)
    return True, missing


def _evaluate(
    rule: AnchoredRule,
    facts: Mapping[str, Any],
    profile: ApplicantProfile,
    scope: str,
    excluded_elsewhere: bool,
) -> CriterionResult | None:
    """The result of one rule, or None when it does not apply to this applicant."""
    applies, missing = _applies(rule, facts)
    if not applies:
        return None
    own = _status(rule.rule.condition, rule.criterion, facts.get(rule.rule.criterion))
    if missing and own != "meets":  # met, it holds whether or not the rule applies; otherwise it depends
        status: Status = "unknown"
        needs = [CRITERIA[name].asks for name in missing]
        explanation = say(
            "eligibility.applies_only", label=rule.rule.label, when=when_text(rule.rule.applies_when)
        )
    else:
        status = own
        needs = [rule.criterion.asks] if status == "unknown" else []
        explanation = explain(rule, status, profile, scope, excluded_elsewhere)
    return CriterionResult(
        criterion=rule.rule.criterion,
        label=rule.rule.label,
        status=status,
        strength=rule.rule.strength,
        explanation=explanation,
        quote=rule.quote,
        rule_id=rule.rule.id,
        needs=needs,
    )


def _no_rules(
    rules: Sequence[AnchoredRule], profile: ApplicantProfile, asked: str, today: date
) -> EligibilityReport:
    available: dict[str, set[str]] = {}
    for rule in rules:
        available.setdefault(rule.programme, set()).add(rule.edition)
    listing = "; ".join(
        f"{programme} ({', '.join(sorted(editions, key=_edition_key))})"
        for programme, editions in sorted(available.items())
    )
    summary = (
        say("eligibility.no_rules_for", asked=asked, listing=listing)
        if listing
        else say("eligibility.no_rules_loaded")
    )
    return EligibilityReport(
        verdict="no_rules",
        summary=summary,
        checked_on=today,
        other_programmes=sorted(available),
        profile=profile,
    )


def check_eligibility(
    rules: Sequence[AnchoredRule],
    profile: ApplicantProfile,
    programme: str | None = None,
    edition: str | int | None = None,
    *,
    chunks: Mapping[str, Chunk],
    today: date | None = None,
) -> EligibilityReport:
    """Check ``profile`` against one call edition: ``programme`` (default: the only one with rules, else
    the one with the most recent edition) and ``edition`` (default: its newest). Every quote is
    verified against the chunk of ``chunks`` it cites."""
    today = today or date.today()
    programmes = sorted({rule.programme for rule in rules})
    if programme is not None:
        chosen = next((name for name in programmes if _matches_programme(programme, name)), None)
        if chosen is None:
            return _no_rules(rules, profile, f"the programme '{programme}'", today)
    elif programmes:
        newest = {
            name: max(_edition_key(r.edition) for r in rules if r.programme == name) for name in programmes
        }
        chosen = max(programmes, key=lambda name: (newest[name], name))
    else:
        return _no_rules(rules, profile, "any programme", today)
    editions = sorted({r.edition for r in rules if r.programme == chosen}, key=_edition_key)
    wanted = str(edition).strip() if edition is not None else editions[-1]
    if wanted not in editions:
        return _no_rules(rules, profile, f"the {wanted} edition of {chosen}", today)
    ruleset = [r for r in rules if r.programme == chosen and r.edition == wanted]
    return _Check(ruleset, profile, chunks, today).report(
        others=[name for name in programmes if name != chosen] if programme is None else [],
        editions=[name for name in editions if name != wanted],
    )


class _Check:
    def __init__(
        self,
        ruleset: list[AnchoredRule],
        profile: ApplicantProfile,
        chunks: Mapping[str, Chunk],
        today: date,
    ) -> None:
        self.ruleset = ruleset
        self.profile = profile
        self.today = today
        self.citations = CitationBuilder(chunks)
        first = ruleset[0]
        self.programme, self.edition, self.source = first.programme, first.edition, first.source
        self.scope = scope_of(first.programme, first.edition)

    def _cite(self, rule: AnchoredRule) -> Citation:
        return self.citations.citation(self.citations.cite(rule.chunk_id, rule.quote))

    def _deadline(self) -> tuple[CriterionResult | None, date | None, bool | None, str]:
        rule = next((r for r in self.ruleset if r.rule.criterion == "deadline"), None)
        if rule is None:
            return None, None, None, ""
        closes = rule.rule.condition.max
        is_open = rule.rule.condition.holds(rule.criterion, self.today)
        citation = self._cite(rule)
        sentence = deadline_sentence(self.scope, closes if isinstance(closes, date) else None, is_open)
        result = CriterionResult(
            criterion="deadline",
            label=rule.rule.label,
            status="meets" if is_open else "does_not_meet",
            strength=rule.rule.strength,
            explanation=sentence,
            quote=rule.quote,
            citation=citation,
            rule_id=rule.rule.id,
        )
        return result, closes if isinstance(closes, date) else None, is_open, cited(sentence, citation)

    def _results(self) -> list[CriterionResult]:
        facts = _facts(self.profile)
        criteria_rules = [r for r in self.ruleset if r.rule.criterion != "deadline"]
        results: list[CriterionResult] = []
        for rule in criteria_rules:
            # An encouraged figure may say 'smaller applicants are not excluded' only if no required rule on
            # the same fact applies here.
            excluded_elsewhere = any(
                other.rule.criterion == rule.rule.criterion
                and other.rule.strength is Strength.REQUIRED
                and _applies(other, facts)[0]
                for other in criteria_rules
            )
            result = _evaluate(rule, facts, self.profile, self.scope, excluded_elsewhere)
            if result is not None:
                results.append(result)
        spoken_of = {r.rule.criterion for r in criteria_rules} | {
            name for r in criteria_rules for name in r.rule.applies_when
        }
        for name in sorted(self.profile.model_fields_set & set(CRITERIA)):
            if name not in spoken_of and getattr(self.profile, name) is not None:
                results.append(
                    CriterionResult(
                        criterion=name,
                        label=f"No condition on the {CRITERIA[name].noun}",
                        status="not_stated",
                        explanation=not_stated_sentence(self.scope, CRITERIA[name].noun),
                    )
                )
        return results

    def _cite_in_reading_order(self, results: list[CriterionResult]) -> None:
        """Number citations in the order the summary uses them: failures, encouraged figures, met
        requirements, then the rest."""
        by_id = {rule.rule.id: rule for rule in self.ruleset}

        def rank(result: CriterionResult) -> int:
            required = result.strength is Strength.REQUIRED
            if required and result.status == "does_not_meet":
                return 0
            if not required and result.status != "unknown":
                return 1
            return 2 if result.status == "meets" else 3

        for result in sorted(results, key=rank):
            if result.rule_id is not None:
                result.citation = self._cite(by_id[result.rule_id])

    def report(self, others: list[str], editions: list[str]) -> EligibilityReport:
        deadline_result, closes, is_open, deadline_text = self._deadline()
        results = self._results()
        self._cite_in_reading_order(results)
        required = [r for r in results if r.strength is Strength.REQUIRED]
        failing = [r for r in required if r.status == "does_not_meet"]
        unknown = [r for r in required if r.status == "unknown"]
        verdict: Verdict = (
            "does_not_meet" if failing else "cannot_tell" if unknown else "meets_stated_criteria"
        )
        needed = list(dict.fromkeys(need for r in unknown for need in r.needs))
        summary = _Summary(self, results, verdict, needed).text(deadline_text, others, editions)
        return EligibilityReport(
            programme=self.programme,
            edition=self.edition,
            source=self.source,
            verdict=verdict,
            summary=summary,
            results=results,
            citations=self.citations.citations,
            needed=needed,
            deadline=closes,
            open=is_open,
            deadline_result=deadline_result,
            checked_on=self.today,
            other_editions=editions,
            other_programmes=others,
            profile=self.profile,
        )


def _lower(label: str) -> str:
    """'Cities in…' → 'cities in…' inside a sentence; 'TTCE…' stays."""
    first = label.split(" ", 1)[0]
    return label if len(first) > 1 and first.isupper() else label[:1].lower() + label[1:]


class _Summary:
    def __init__(
        self, check: _Check, results: list[CriterionResult], verdict: Verdict, needed: list[str]
    ) -> None:
        self.check = check
        self.results = results
        self.verdict = verdict
        self.needed = needed

    def _marks(self, results: list[CriterionResult]) -> str:
        ids = dict.fromkeys(r.citation.id for r in results if r.citation is not None)
        return "".join(f"[{marker}]" for marker in ids)

    def text(self, deadline_text: str, others: list[str], editions: list[str]) -> str:
        check, scope = self.check, self.check.scope
        who = check.profile.describe()
        subject = who[0].lower() + who[1:]
        parts: list[str] = []
        if others:
            every = ", ".join(sorted([*others, check.programme]))
            parts.append(say("eligibility.several_programmes", every=every, scope=scope))
        if deadline_text:
            parts.append(deadline_text)
        required = [r for r in self.results if r.strength is Strength.REQUIRED]
        failing = [r for r in required if r.status == "does_not_meet"]
        met = [r for r in required if r.status == "meets"]
        if failing:
            reasons = "; ".join(cited(_lower(r.label), r.citation).rstrip(".") for r in failing)
            count = "a requirement" if len(failing) == 1 else f"{len(failing)} requirements"
            parts.append(say("eligibility.fails", subject=subject, count=count, scope=scope, reasons=reasons))
        for result in self.results:
            if result.strength is Strength.ENCOURAGED and result.status != "unknown" and result.citation:
                parts.append(cited(result.explanation, result.citation))
        if self.verdict == "meets_stated_criteria":
            parts.append(say("eligibility.meets_all", subject=subject, scope=scope, marks=self._marks(met)))
        elif self.verdict == "cannot_tell":
            if met:
                labels = "; ".join(_lower(r.label) for r in met)
                parts.append(
                    say("eligibility.meets_checkable", subject=subject, labels=labels, marks=self._marks(met))
                )
            needs = "; ".join(self.needed)
            parts.append(say("eligibility.needs", scope=scope, needs=needs))
        elif self.needed:
            parts.append(say("eligibility.unchecked", needs="; ".join(self.needed)))
        for result in self.results:
            if result.status == "not_stated":
                parts.append(result.explanation)
        if editions:
            plural = "edition" if len(editions) == 1 else "editions"
            parts.append(
                say(
                    "eligibility.other_editions",
                    editions=", ".join(editions),
                    plural=plural,
                    programme=check.programme,
                )
            )
        return " ".join(parts)
