"""The eligibility check through every face: `ask` when a question carries the applicant's facts, the
HTTP route, the `check` and `rules propose` commands, and `ingest` refusing a rule whose quote is not in
its source."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from assistant.faces.cli import app
from assistant.faces.http.app import create_app
from assistant.service import AssistantService
from ingest.errors import InvalidRequestError
from ingest.store import IndexHandle
from tests.support.paths import INVENTED_CALLS


@pytest.fixture
def client(real_service: AssistantService) -> Iterator[TestClient]:
    with TestClient(create_app(real_service.settings, real_service)) as test_client:
        yield test_client


@pytest.fixture
def runner(real_index: Path, tmp_path: Path) -> CliRunner:
    data = tmp_path / "cli-data"
    shutil.copytree(real_index, data)
    return CliRunner(env={"ASSISTANT_DATA_DIR": str(data)})


# --- ask ----------------------------------------------------------------------------------------------
def test_a_question_with_the_applicants_facts_gets_the_check_never_overstated(
    real_service: AssistantService,
) -> None:
    answer = real_service.ask("We are a town of 60,000 people. Can we apply?")
    text = answer.answer
    assert not text.lower().startswith("yes")
    assert "60,000" in text and "100,000" in text
    assert "encourages" in text and "does not say smaller towns are excluded" in text
    assert "closed on 19 March 2018" in text  # the only call in the corpus is past
    assert [(notice.kind, notice.source) for notice in answer.notices] == [
        ("deadline_passed", "iuc-call-starting-city-to-city-cooperation.txt")
    ]
    assert "you are eligible" not in text.lower()
    # Every marker in the text has its citation, every citation is used, and quotes are verbatim.
    markers = {int(number) for number in re.findall(r"\[(\d+)\]", text)}
    assert markers == {citation.id for citation in answer.citations}
    snapshot = real_service.index.get()
    for citation in answer.citations:
        assert citation.quote in snapshot.chunks[citation.chunk_id].text


def test_a_failed_requirement_is_said_with_the_calls_words(real_service: AssistantService) -> None:
    answer = real_service.ask("We are a region in Italy. Are we eligible?")
    assert "does not meet" in answer.answer
    assert "will not be considered eligible applicants themselves" in answer.answer


def test_facts_given_after_the_check_asked_for_them_are_checked(real_service: AssistantService) -> None:
    first = real_service.ask("We are a city of about 120,000 people in Italy. Can we apply?")
    assert "for how many months you can commit" in first.answer
    later = real_service.ask("we can commit 2 years", session_id=first.session_id)
    assert "commit to cooperate with their partner city for at least 18 months" in later.answer
    assert "for how many months you can commit" not in later.answer


def test_facts_given_over_several_messages_are_checked_for_the_question_they_answer(
    real_service: AssistantService,
) -> None:
    first = real_service.ask("Can we apply to the IUC?")
    facts = real_service.ask("We're a town of 150,000 in France", session_id=first.session_id)
    assert "for how many months you can commit" in facts.answer
    more = real_service.ask("and we can commit 2 years", session_id=first.session_id)
    assert "A town of 150,000 meets" in more.answer
    assert "at least 18 months" in more.answer and "for how many months you can commit" not in more.answer


def test_new_facts_asked_about_after_the_check_are_checked_with_the_earlier_ones(
    real_service: AssistantService,
) -> None:
    first = real_service.ask("We are a town of 60,000 people in Italy. Can we apply?")
    group = real_service.ask(
        "what if we apply together with two neighbouring towns, 130,000 people in total?",
        session_id=first.session_id,
    )
    # the group's facts, with the country given before; no longer 'a town'
    assert "a group of 3 municipalities with at least 130,000 inhabitants in total meets" in group.answer
    assert "cities in the Member States of the European Union" in group.answer
    assert "the country" not in group.answer.split("we also need")[-1]
    later = real_service.ask("and if we commit for 24 months?", session_id=first.session_id)
    assert "a group of 3 municipalities" in later.answer and "at least 18 months" in later.answer


def test_questions_without_facts_or_not_asking_for_a_verdict_answer_from_the_text(
    real_service: AssistantService,
) -> None:
    activities = real_service.ask("What kinds of activities do city representatives take part in?")
    assert "study tours" in activities.answer
    instead = real_service.ask(
        "Our region is not eligible for IUC on its own. Which programme should a region apply to instead?"
    )
    assert "inter-regional cooperation" in instead.answer


# --- HTTP ---------------------------------------------------------------------------------------------
def test_the_eligibility_route_reports_each_criterion(client: TestClient) -> None:
    response = client.post(
        "/v1/eligibility", json={"applicant_type": "group_of_municipalities", "population": 80000}
    )
    assert response.status_code == 200, response.text
    report = response.json()
    assert report["verdict"] == "does_not_meet"
    assert report["programme"] == "IUC" and report["edition"] == "2018"
    statuses = {result["criterion"]: result["status"] for result in report["results"]}
    assert statuses["population"] == "does_not_meet"
    assert "unknown" in statuses.values()  # facts not given are not guessed
    population = next(result for result in report["results"] if result["criterion"] == "population")
    assert "total population still exceeds 100,000" in population["quote"]
    assert population["citation"]["source"] == "iuc-call-starting-city-to-city-cooperation.txt"


def test_the_eligibility_route_refuses_bad_facts_and_unknown_programmes(client: TestClient) -> None:
    bad = client.post("/v1/eligibility", json={"population": -5})
    assert bad.status_code == 422 and "population" in bad.json()["error"]["message"]
    unknown_type = client.post("/v1/eligibility", json={"applicant_type": "spaceship"})
    assert unknown_type.status_code == 422
    nothing = client.post("/v1/eligibility", json={"programme": "URBACT", "population": 50000})
    assert nothing.status_code == 200
    assert nothing.json()["verdict"] == "no_rules"


# --- CLI ----------------------------------------------------------------------------------------------
def test_check_prints_the_verdict_and_each_criterion(runner: CliRunner) -> None:
    result = runner.invoke(app, ["check", "--type", "town", "--population", "60000", "--country", "Italy"])
    assert result.exit_code == 0, result.output
    assert "encourages" in result.stdout
    assert "- Met (required): Italy" in result.stdout
    assert "- Not known from the facts given (required)" in result.stdout
    as_json = runner.invoke(app, ["check", "--type", "region", "--json"])
    assert json.loads(as_json.stdout)["verdict"] == "does_not_meet"


def test_check_refuses_an_unknown_country_with_a_clear_error(runner: CliRunner) -> None:
    # `main()` prints an AssistantError as "error: <message>" with exit status 2; the runner calls the app.
    result = runner.invoke(app, ["check", "--country", "Atlantis"])
    assert isinstance(result.exception, InvalidRequestError)
    assert "unknown country 'Atlantis'" in result.exception.message


def test_rules_propose_prints_a_draft_and_never_overwrites(runner: CliRunner, tmp_path: Path) -> None:
    call = INVENTED_CALLS / "ttce-call-2025.txt"
    printed = runner.invoke(app, ["rules", "propose", str(call)])
    assert printed.exit_code == 0, printed.output
    assert "status: draft" in printed.stdout and "30,000" in printed.stdout
    target = tmp_path / "draft.rules.yaml"
    written = runner.invoke(app, ["rules", "propose", str(call), "--output", str(target)])
    assert written.exit_code == 0 and target.read_text("utf-8") == printed.stdout
    again = runner.invoke(app, ["rules", "propose", str(call), "--output", str(target)])
    assert isinstance(again.exception, InvalidRequestError)
    assert "never written over" in again.exception.message


def test_ingest_refuses_a_rule_whose_quote_is_not_in_its_source(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(INVENTED_CALLS / "ttce-call-2025.txt", corpus)
    shutil.copy(INVENTED_CALLS / "ttce-call-2025.txt.meta.json", corpus)
    (corpus / "ttce.rules.yaml").write_text(
        """rulesets:
  - programme: TTCE
    edition: "2025"
    source: ttce-call-2025.txt
    rules:
      - id: population-threshold
        criterion: population
        strength: encouraged
        condition: {min: 30000, inclusive: false}
        label: More than 30,000 inhabitants encouraged
        quote: "Municipalities with more than 30,000 inhabitants are encouraged to apply"
      - id: invented-quote
        criterion: commitment_months
        strength: required
        condition: {min: 6}
        label: Six months
        quote: "Municipalities must commit for six months."
""",
        encoding="utf-8",
    )
    data = tmp_path / "data"
    runner = CliRunner(env={"ASSISTANT_DATA_DIR": str(data), "ASSISTANT_CORPUS_DIR": str(corpus)})
    result = runner.invoke(app, ["ingest"])
    assert result.exit_code == 1
    assert "rule refused" in result.stderr and "invented-quote" in result.stderr
    assert "rules 1 loaded, 1 refused" in result.stdout
    snapshot = IndexHandle(data).get()
    assert [rule.rule.id for rule in snapshot.rules] == ["population-threshold"]
    assert "ttce-call-2025.txt" in snapshot.documents  # the document itself was not lost
