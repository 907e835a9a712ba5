"""The eligibility check, profiles read from questions, and drafting rules from a call.

Rules come from the shipped corpus (IUC 2018) and from two editions of an invented call (TTCE 2023:
at least 50,000 inhabitants required, closed 31 March 2023; TTCE 2025: more than 30,000 encouraged,
closing 15 December 2026). The facts are checked on a fixed day so deadlines do not drift.
"""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml
from pydantic import ValidationError

from assistant.citations import CitationError
from assistant.eligibility.check import check_eligibility
from assistant.eligibility.models import EligibilityReport, EligibilityRequest
from assistant.eligibility.profile import ApplicantProfile, Qualifier
from assistant.eligibility.propose import propose_rules
from assistant.eligibility.reading import call_in_question, is_eligibility_question, profile_from_question
from assistant.eligibility.tool import tool_definition
from ingest.models import Chunk
from ingest.pipeline import parse_file, sync
from ingest.quotes import find_verbatim
from ingest.rules import AnchoredRule, RulesFile, Strength, anchor_rules
from ingest.store import IndexHandle
from tests.support.fakes import HashingEmbedder
from tests.support.paths import CORPUS, INVENTED_CALLS

IUC_CALL = CORPUS / "iuc-call-starting-city-to-city-cooperation.txt"
TODAY = date(2025, 6, 1)


def _load() -> tuple[list[AnchoredRule], dict[str, Chunk]]:
    documents = [IUC_CALL, *sorted(INVENTED_CALLS.glob("*.txt"))]
    chunks = {path.name: parse_file(path, "-", None).chunks for path in documents}
    files = [
        RulesFile(source=path.name, sha256="-", text=path.read_text(encoding="utf-8"))
        for path in (CORPUS / "eligibility.rules.yaml", INVENTED_CALLS / "ttce.rules.yaml")
    ]
    outcome = anchor_rules(files, chunks)
    assert outcome.refused == []
    return outcome.rules, {chunk.id: chunk for parsed in chunks.values() for chunk in parsed}


RULES, CHUNKS = _load()
IUC_RULES = [rule for rule in RULES if rule.programme == "IUC"]


def check(
    profile: ApplicantProfile | dict[str, Any], programme: str | None = None, **options: Any
) -> EligibilityReport:
    if isinstance(profile, dict):
        profile = ApplicantProfile.model_validate(profile)
    report = check_eligibility(
        options.pop("rules", RULES),
        profile,
        programme,
        options.pop("edition", None),
        chunks=CHUNKS,
        today=options.pop("today", TODAY),
    )
    _never_overstates(report)
    return report


def _never_overstates(report: EligibilityReport) -> None:
    """What every report must hold, whatever the profile."""
    summary = report.summary.lower()
    assert "you are eligible" not in summary
    assert "ineligible" not in summary
    if report.verdict != "meets_stated_criteria":
        assert "meets every criterion" not in summary
    for result in report.results:
        if result.strength is Strength.ENCOURAGED:
            assert "requirement" not in result.explanation
            assert "not meet" not in result.explanation
        if result.citation is not None:
            assert result.quote == result.citation.quote
            assert result.citation.quote in CHUNKS[result.citation.chunk_id].text
            assert f"[{result.citation.id}]" not in result.explanation  # markers belong to the summary
    encouraged_only = {r.rule_id for r in report.results if r.status == "does_not_meet"} <= {
        r.rule_id for r in report.results if r.strength is Strength.ENCOURAGED
    }
    if encouraged_only:
        assert report.verdict != "does_not_meet"
    markers = [citation.id for citation in report.citations]
    assert markers == list(range(1, len(markers) + 1))


def result(report: EligibilityReport, rule_id: str) -> Any:
    return next(r for r in report.results if r.rule_id == rule_id)


ALL_IUC_MET = {
    "applicant_type": "city",
    "country": "Spain",
    "commitment_months": 24,
    "partner_agreement": True,
}


# --- the question from the issue: a town of 60,000 ------------------------------------------------------


def test_a_town_below_an_encouraged_figure_is_neither_ineligible_nor_eligible_for_sure() -> None:
    report = check({"applicant_type": "town", "population": 60_000}, "IUC")
    assert (report.programme, report.edition, report.source) == ("IUC", "2018", IUC_CALL.name)
    assert report.verdict == "cannot_tell"
    population = result(report, "iuc-2018-population-city")
    assert (population.status, population.strength) == ("does_not_meet", Strength.ENCOURAGED)
    assert population.quote == "Cities with more than 100,000 inhabitants are encouraged to apply."
    assert population.citation.section == "Who can apply?"
    assert population.explanation == (
        "A town of 60,000 is below the 100,000 inhabitants the IUC call (2018 edition) encourages; "
        "the call does not say smaller towns are excluded."
    )
    assert population.explanation.rstrip(".") in report.summary
    assert "closed on 19 March 2018 [1]" in report.summary
    assert report.open is False and report.deadline == date(2018, 3, 19)
    assert report.needed == [
        "the country",
        "for how many months you can commit to the cooperation",
        "whether you will sign the partnership agreement",
    ]


def test_an_unmet_encouraged_figure_never_makes_the_verdict_negative() -> None:
    report = check(ALL_IUC_MET | {"population": 60_000}, "IUC")
    assert report.verdict == "meets_stated_criteria"
    assert "meets every criterion the IUC call (2018 edition) states" in report.summary
    assert "below the 100,000 inhabitants" in report.summary
    assert report.needed == []


def test_more_than_is_exclusive_and_at_least_is_inclusive() -> None:
    exactly = check(ALL_IUC_MET | {"population": 100_000}, "IUC")
    assert result(exactly, "iuc-2018-population-city").status == "does_not_meet"
    assert "not above the 100,000 inhabitants" in result(exactly, "iuc-2018-population-city").explanation
    above = check(ALL_IUC_MET | {"population": 100_001}, "IUC")
    assert result(above, "iuc-2018-population-city").status == "meets"
    edge = check({"applicant_type": "municipality", "population": 50_000}, "TTCE", edition="2023")
    assert result(edge, "ttce-2023-population").status == "meets"
    short = check(ALL_IUC_MET | {"commitment_months": 17}, "IUC")
    assert result(short, "iuc-2018-commitment").status == "does_not_meet"
    assert short.verdict == "does_not_meet"
    assert check(ALL_IUC_MET | {"commitment_months": 18}, "IUC").verdict == "meets_stated_criteria"


def test_a_stated_range_meets_a_bound_only_when_all_of_it_does() -> None:
    def status(quantity: str, population: int) -> str:
        profile = {"applicant_type": "city", "population": population, "population_qualifier": quantity}
        return str(result(check(profile, "IUC"), "iuc-2018-population-city").status)

    assert status("more_than", 100_000) == "meets"
    assert status("about", 100_000) == "unknown"
    assert status("less_than", 100_000) == "does_not_meet"
    assert status("nearly", 100_000) == "does_not_meet"
    assert status("at_least", 90_000) == "unknown"


# --- meets / does not meet / not stated / unknown ----------------------------------------------------------


def test_a_region_or_province_does_not_meet_and_says_why_with_the_quote() -> None:
    for kind in ("region", "province", "county"):
        report = check({"applicant_type": kind, "country": "Italy"}, "IUC")
        assert report.verdict == "does_not_meet"
        failing = [r for r in report.results if r.status == "does_not_meet"]
        assert [r.rule_id for r in failing] == ["iuc-2018-no-subnational"]
        [rule] = failing
        # the call's closed deadline is cited first [1], the requirement that fails next [2]
        deadline = report.deadline_result
        assert deadline is not None and deadline.citation is not None and rule.citation is not None
        assert (deadline.citation.id, rule.citation.id) == (1, 2)
        assert rule.quote is not None
        assert "will not be considered eligible applicants themselves" in rule.quote
        assert (
            "does not meet a requirement of the IUC call (2018 edition): regions, provinces" in report.summary
        )
        assert "are not eligible applicants [2]." in report.summary


def test_groups_of_municipalities_are_held_to_their_own_rules() -> None:
    small = check({"group": True, "members": 3, "population": 80_000}, "IUC")
    assert small.verdict == "does_not_meet"
    assert result(small, "iuc-2018-population-group").status == "does_not_meet"
    assert "iuc-2018-population-city" not in {r.rule_id for r in small.results}  # for single cities only
    members = next(r for r in small.results if r.criterion == "members")
    assert members.status == "not_stated"
    assert members.citation is None
    assert "states no condition on the number of municipalities in the group" in small.summary
    big = check(
        {"group": True, "population": 120_000, "lead_contact": True, "members_committed": True}
        | {"country": "PT", "commitment_months": 18, "partner_agreement": True},
        "IUC",
    )
    assert big.verdict == "meets_stated_criteria"
    assert {r.status for r in big.results} == {"meets"}
    without_lead = check({"group": True, "population": 120_000, "lead_contact": False}, "IUC")
    assert without_lead.verdict == "does_not_meet"
    assert result(without_lead, "iuc-2018-group-lead-contact").status == "does_not_meet"


def test_missing_facts_are_unknown_never_assumed() -> None:
    report = check({}, "IUC")
    assert report.verdict == "cannot_tell"
    statuses = {r.rule_id: r.status for r in report.results}
    assert set(statuses.values()) == {"unknown"}
    assert "the country" in report.needed
    assert (
        "whether you apply alone or as a group of municipalities" in report.needed
    )  # who the group rules bind
    unsure = result(report, "iuc-2018-population-group")
    assert "applies only to groups of municipalities" in unsure.explanation
    assert "none of the call's requirements" not in report.summary
    assert "we also need:" in report.summary


def test_facts_no_rule_speaks_of_are_not_stated() -> None:
    report = check(ALL_IUC_MET | {"partner_region": "Kenya", "members": 1}, "IUC")
    not_stated = {r.criterion: r for r in report.results if r.status == "not_stated"}
    assert set(not_stated) == {"partner_region", "members"}
    assert not_stated["partner_region"].explanation == (
        "The IUC call (2018 edition) states no condition on the partner city's region."
    )
    assert report.verdict == "meets_stated_criteria"


def test_countries_and_partner_regions() -> None:
    assert check(ALL_IUC_MET | {"country": "United Kingdom"}, "IUC").verdict == "meets_stated_criteria"
    norway = check(ALL_IUC_MET | {"country": "NO"}, "IUC")
    assert norway.verdict == "does_not_meet"
    assert (
        "Norway is not among the countries the IUC call (2018 edition) covers"
        in result(norway, "iuc-2018-country").explanation
    )
    kenya = {"applicant_type": "town", "country": "de", "partner_region": "Kenya"}
    assert result(check(kenya, "TTCE", edition="2023"), "ttce-2023-partner-region").status == "does_not_meet"
    assert result(check(kenya, "TTCE", edition="2025"), "ttce-2025-partner-region").status == "meets"


# --- editions, programmes, deadlines ---------------------------------------------------------------------


def test_the_newest_edition_by_default_and_the_older_one_on_request() -> None:
    profile = {"applicant_type": "municipality", "population": 40_000, "country": "FR"}
    newest = check(profile, "TTCE")
    assert newest.edition == "2025"
    assert newest.other_editions == ["2023"]
    assert "Rules also exist for the 2023 edition of TTCE" in newest.summary
    assert result(newest, "ttce-2025-population").status == "meets"
    older = check(profile, "ttce", edition=2023)
    assert older.edition == "2023"
    assert older.other_editions == ["2025"]
    assert older.verdict == "does_not_meet"
    assert result(older, "ttce-2023-population").explanation == (
        "A municipality of 40,000 does not meet the requirement of at least 50,000 inhabitants."
    )
    small = check({"applicant_type": "town", "population": 20_000}, "TTCE")
    assert result(small, "ttce-2025-population").strength is Strength.ENCOURAGED
    assert small.verdict != "does_not_meet"


def test_deadlines_are_reported_apart_from_the_verdict() -> None:
    newest = check({}, "TTCE")
    assert (newest.deadline, newest.open) == (date(2026, 12, 15), True)
    assert newest.summary.startswith(
        "The TTCE call (2025 edition) takes applications until 15 December 2026 [1]."
    )
    assert newest.deadline_result is not None and newest.deadline_result.citation is not None
    assert "15 December 2026" in newest.deadline_result.citation.quote
    later = check({}, "TTCE", today=date(2026, 12, 16))
    assert later.open is False
    assert "closed on 15 December 2026" in later.summary
    assert check({}, "TTCE", edition="2023").open is False


def test_the_programme_is_picked_and_named() -> None:
    only_iuc = check({"applicant_type": "town"}, rules=IUC_RULES)
    assert only_iuc.programme == "IUC"
    assert "the IUC call (2018 edition)" in only_iuc.summary
    assert "several programmes" not in only_iuc.summary
    several = check({"applicant_type": "town"})
    assert (several.programme, several.edition, several.other_programmes) == ("TTCE", "2025", ["IUC"])
    assert several.summary.startswith("Eligibility rules exist for several programmes (IUC, TTCE)")
    assert check({}, "International Urban Cooperation").programme == "IUC"
    unknown = check({}, "URBACT")
    assert unknown.verdict == "no_rules"
    assert unknown.summary == (
        "No reviewed eligibility rules exist for the programme 'URBACT'. "
        "Rules exist for: IUC (2018); TTCE (2023, 2025)."
    )
    assert check({}, "IUC", edition="2030").verdict == "no_rules"
    assert check({}, rules=[]).verdict == "no_rules"


def test_a_quote_that_is_not_in_its_chunk_is_never_cited() -> None:
    rule = IUC_RULES[0]
    tampered = rule.model_copy(update={"quote": rule.quote + " And more."})
    with pytest.raises(CitationError):
        check_eligibility([tampered], ApplicantProfile(), chunks=CHUNKS, today=TODAY)


# --- profiles -------------------------------------------------------------------------------------------


def test_profiles_normalise_and_refuse_what_they_cannot_read() -> None:
    profile = ApplicantProfile(
        applicant_type="Group of municipalities", country="spain", partner_region="kenya"
    )
    assert (profile.applicant_type, profile.group, profile.partner_region) == (
        "group_of_municipalities",
        True,
        "Africa",
    )
    assert ApplicantProfile(country="Spain").country == ApplicantProfile(country="es").country == "ES"
    assert ApplicantProfile(applicant_type="town").model_fields_set == {"applicant_type"}
    with pytest.raises(ValidationError, match="unknown applicant type 'duchy'"):
        ApplicantProfile(applicant_type="duchy")
    with pytest.raises(ValidationError, match="unknown country 'Atlantis'"):
        ApplicantProfile(country="Atlantis")
    with pytest.raises(ValidationError, match="contradicts group"):
        ApplicantProfile(applicant_type="city", group=True)
    with pytest.raises(ValidationError):
        ApplicantProfile(population=-1)


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        (
            "We are a town of 60,000 — can we apply?",
            {"applicant_type": "town", "population": 60_000, "group": False},
        ),
        (
            "our municipality has 250 000 inhabitants",
            {"applicant_type": "municipality", "population": 250_000},
        ),
        ("Our town has 60.000 inhabitants. Are we eligible?", {"population": 60_000}),
        ("a city of 60k people", {"applicant_type": "city", "population": 60_000}),
        ("We are a city of 1.2 million", {"population": 1_200_000}),
        ("a city of 1,5 million inhabitants", {"population": 1_500_000}),
        ("our small town (8 500 inhabitants) in Croatia", {"population": 8_500, "country": "HR"}),
        (
            "a group of 3 municipalities with 80k people in total",
            {"group": True, "members": 3, "population": 80_000, "applicant_type": "group_of_municipalities"},
        ),
        (
            "A consortium of four municipalities totalling 120,000 residents; the lead municipality has been "
            "designated. Can we take part?",
            {"group": True, "members": 4, "population": 120_000, "lead_contact": True},
        ),
        (
            "Our town of 45,000 wants to apply together with two neighbouring towns",
            {"group": True, "members": 3, "population": 45_000, "population_qualifier": Qualifier.AT_LEAST},
        ),
        ("we are a region in Italy", {"applicant_type": "region", "country": "IT"}),
        ("can a province apply", {"applicant_type": "province"}),
        (
            "Can cities with more than 100,000 inhabitants apply?",
            {"applicant_type": "city", "population": 100_000, "population_qualifier": Qualifier.MORE_THAN},
        ),
        ("Can a Spanish town apply?", {"applicant_type": "town", "country": "ES"}),
        ("Are regions eligible?", {"applicant_type": "region"}),
        ("We are a town in a region of Spain", {"applicant_type": "town", "country": "ES"}),
        ("I work for the county council of Kerry in Ireland; are we eligible?", {"applicant_type": "county"}),
        (
            "We have more than 100,000 inhabitants",
            {"population": 100_000, "population_qualifier": Qualifier.MORE_THAN},
        ),
        ("a population of about 95,000", {"population": 95_000, "population_qualifier": Qualifier.ABOUT}),
        (
            "We are a German city of 500,000 looking for a partner in Kenya",
            {"country": "DE", "partner_region": "Africa", "population": 500_000},
        ),
        ("Is a city in the US eligible?", {"country": "US", "applicant_type": "city"}),
        (
            "We can only commit for 12 months; we are a city in Portugal",
            {"commitment_months": 12, "country": "PT"},
        ),
        ("We could cooperate for two years", {"commitment_months": 24}),
        ("We will sign the partnership agreement", {"partner_agreement": True}),
        ("we won't sign an agreement", {"partner_agreement": False}),
    ],
)
def test_profiles_are_read_from_many_phrasings(question: str, expected: dict[str, Any]) -> None:
    profile = profile_from_question(question)
    assert profile is not None
    got = profile.model_dump()
    assert {key: got[key] for key in expected} == expected


@pytest.mark.parametrize(
    "question",
    [
        "What is the deadline?",
        "Hello, can you help me?",
        "Contact us about the IUC call",
        "Which cities were paired?",
        "Which cities are paired with cities in Canada?",
        "As well as cities, who else took part?",
    ],
)
def test_a_question_without_facts_gives_no_profile(question: str) -> None:
    assert profile_from_question(question) is None


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("We are a town of 60,000 — can we apply?", True),
        ("Are we eligible?", True),
        ("May we take part in the programme?", True),
        ("Could our municipality participate?", True),
        ("Can a province apply?", True),
        ("Who can apply?", True),
        ("Do we qualify with 40,000 inhabitants?", True),
        ("When can we apply?", False),
        ("How can we apply?", False),
        ("Can I join the mailing list?", False),
        ("Which cities were paired with cities in Canada?", False),
    ],
)
def test_eligibility_questions_are_recognised(question: str, expected: bool) -> None:
    assert is_eligibility_question(question) is expected


def test_the_request_and_the_agent_tool_share_one_schema() -> None:
    request = EligibilityRequest.model_validate(
        {"applicant_type": "town", "population": 60000, "programme": "IUC", "edition": 2018}
    )
    assert request.edition == "2018"
    assert request.profile() == ApplicantProfile(applicant_type="town", population=60000)
    tool = tool_definition()
    assert tool["function"]["name"] == "check_eligibility"
    properties = tool["function"]["parameters"]["properties"]
    assert {"applicant_type", "population", "country", "group", "programme", "edition"} <= set(properties)
    with pytest.raises(ValidationError):
        EligibilityRequest.model_validate({"inhabitants": 5})


# --- through a real index -------------------------------------------------------------------------------


def test_the_check_runs_on_the_rules_of_a_synced_index(isolated_env: Path) -> None:
    embedder = HashingEmbedder()
    report = sync(isolated_env, [CORPUS, INVENTED_CALLS], lambda: embedder)
    assert report.ok
    snapshot = IndexHandle(isolated_env).get()
    question = "We are a town of 60,000 — can we apply?"
    assert is_eligibility_question(question)
    profile = profile_from_question(question)
    assert profile is not None
    checked = check_eligibility(snapshot.rules, profile, "IUC", chunks=snapshot.chunks, today=TODAY)
    assert checked.verdict == "cannot_tell"
    assert (
        "A town of 60,000 is below the 100,000 inhabitants the IUC call (2018 edition) encourages"
        in checked.summary
    )
    for citation in checked.citations:
        assert citation.quote in snapshot.chunks[citation.chunk_id].text


# --- proposing rules --------------------------------------------------------------------------------------


def test_propose_drafts_the_threshold_and_deadline_and_activates_nothing(
    tmp_path: Path, isolated_env: Path
) -> None:
    folder = tmp_path / "new-call"
    folder.mkdir()
    call = folder / "ttce-call-2025.txt"
    shutil.copy(INVENTED_CALLS / call.name, call)
    shutil.copy(INVENTED_CALLS / f"{call.name}.meta.json", folder)
    draft = propose_rules(call)
    assert sorted(path.name for path in folder.iterdir()) == [
        call.name,
        f"{call.name}.meta.json",
    ]  # nothing written
    data = yaml.safe_load(draft)
    [ruleset] = data["rulesets"]
    assert (ruleset["programme"], ruleset["edition"], ruleset["source"], ruleset["status"]) == (
        "TTCE",
        "2025",
        call.name,
        "draft",
    )
    rules = ruleset["rules"]
    population = [rule for rule in rules if rule["criterion"] == "population"]
    assert population[0]["condition"] == {"min": 30000, "inclusive": False}
    assert population[0]["strength"] == "encouraged"
    assert population[1]["strength"] == "required"
    assert population[1]["applies_when"] == {"group": {"equals": True}}
    [deadline] = [rule for rule in rules if rule["criterion"] == "deadline"]
    assert deadline["condition"] == {"max": date(2026, 12, 15), "inclusive": True}
    assert deadline["quote"] == "The deadline for applications is 15 December 2026 at 12:00 CET."
    assert "# review:" in draft
    chunks = parse_file(call, "-", None).chunks
    for rule in rules:
        assert any(find_verbatim(rule["quote"], chunk.text) for chunk in chunks), rule["quote"]
    # Put beside the call as it stands, the draft is read, reported as skipped, and never used.
    (folder / "new.rules.yaml").write_text(draft, encoding="utf-8")
    report = sync(isolated_env, [folder], HashingEmbedder)
    assert report.ok
    assert [skipped.edition for skipped in report.rulesets_skipped] == ["2025"]
    assert report.rules_loaded == 0
    assert IndexHandle(isolated_env).get().rules == []


def test_propose_on_the_older_edition_and_on_the_shipped_call() -> None:
    older = yaml.safe_load(propose_rules(INVENTED_CALLS / "ttce-call-2023.txt"))["rulesets"][0]
    criteria = {rule["criterion"] for rule in older["rules"]}
    assert {"population", "deadline", "commitment_months", "applicant_type", "partner_region"} <= criteria
    [deadline] = [rule for rule in older["rules"] if rule["criterion"] == "deadline"]
    assert deadline["condition"]["max"] == date(2023, 3, 31)
    iuc = yaml.safe_load(propose_rules(IUC_CALL))["rulesets"][0]
    assert (iuc["programme"], iuc["edition"]) == ("IUC", "2018")
    quotes = {rule["quote"] for rule in iuc["rules"]}
    assert "Cities with more than 100,000 inhabitants are encouraged to apply." in quotes


def test_a_rule_may_apply_only_to_some_populations() -> None:
    chunk = Chunk(
        id="c:0000",
        source="c.txt",
        title="C",
        ordinal=0,
        text="Cities above 50,000 inhabitants must commit for 24 months.",
    )
    text = """rulesets:
  - programme: C
    edition: "2030"
    source: c.txt
    rules:
      - id: long
        criterion: commitment_months
        strength: required
        condition: {min: 24, inclusive: true}
        applies_when: {population: {min: 50000, inclusive: false}}
        label: Cities above 50,000 inhabitants commit for 24 months
        quote: Cities above 50,000 inhabitants must commit for 24 months.
"""
    rules = anchor_rules([RulesFile(source="c.rules.yaml", sha256="-", text=text)], {"c.txt": [chunk]}).rules

    def verdict(**facts: Any) -> str:
        report = check_eligibility(rules, ApplicantProfile(**facts), chunks={chunk.id: chunk}, today=TODAY)
        _never_overstates_with(report, {chunk.id: chunk})
        return report.verdict

    # Below the population the rule names, it does not apply at all.
    assert verdict(population=40_000, commitment_months=6) == "meets_stated_criteria"
    assert verdict(population=60_000, commitment_months=6) == "does_not_meet"
    assert verdict(population=50_000, population_qualifier="about", commitment_months=6) == "cannot_tell"
    assert verdict(commitment_months=30) == "meets_stated_criteria"


def _never_overstates_with(report: EligibilityReport, chunks: dict[str, Chunk]) -> None:
    for citation in report.citations:
        assert citation.quote in chunks[citation.chunk_id].text
    assert "you are eligible" not in report.summary.lower()


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("We are a town of 60,000 — can we apply to IUC?", ("IUC", None)),
        ("Could a town of 40,000 have applied to the 2023 TTCE call?", ("TTCE", "2023")),
        ("Can we apply to the International Urban Cooperation programme?", ("IUC", None)),
        ("Can a town of 60,000 apply?", (None, None)),
        ("We are a city of 90,000: could we have applied in 2018?", (None, "2018")),
    ],
)
def test_the_call_a_question_names(question: str, expected: tuple[str | None, str | None]) -> None:
    assert call_in_question(question, RULES) == expected
