"""Eligibility rules files: format, validation, anchoring of quotes, and how ingestion treats them.

The invented call (tests/data/invented_calls: two editions of the 'Twin Towns Climate Exchange') is
test material; the shipped corpus rules are checked to anchor too. Syncs use the hashing embedder.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from ingest.models import Chunk, IngestReport
from ingest.pipeline import sync
from ingest.quotes import find_verbatim
from ingest.rules import AnchoredRule, RulesFile, Strength, anchor_rules, is_rules_file, parse_rules
from ingest.store import IndexHandle, IndexSnapshot, current_generation
from tests.support.fakes import HashingEmbedder
from tests.support.paths import CORPUS, INVENTED_CALLS

RULES = "ttce.rules.yaml"
COMMITMENT_QUOTE = "at least 24 months with their"


@pytest.fixture
def calls(tmp_path: Path) -> Path:
    """A writable copy of the invented calls and their rules."""
    target = tmp_path / "calls"
    shutil.copytree(INVENTED_CALLS, target)
    return target


@pytest.fixture
def embedder() -> HashingEmbedder:
    return HashingEmbedder()


@pytest.fixture
def run(isolated_env: Path, embedder: HashingEmbedder) -> Callable[..., IngestReport]:
    def run_sync(*paths: Path) -> IngestReport:
        return sync(isolated_env, list(paths), lambda: embedder)

    return run_sync


def snapshot(data: Path) -> IndexSnapshot:
    return IndexHandle(data).get()


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


# --- the shipped and the invented rules ---------------------------------------------------------------


def test_the_shipped_corpus_rules_all_anchor(run: Callable[..., IngestReport], isolated_env: Path) -> None:
    report = run(CORPUS)
    assert report.rules_refused == []
    assert report.rulesets_skipped == []
    assert report.ok
    rules = snapshot(isolated_env).rules
    assert report.rules_loaded == len(rules) == 9
    assert {(rule.programme, rule.edition) for rule in rules} == {("IUC", "2018")}
    chunks = snapshot(isolated_env).chunks
    for rule in rules:
        assert rule.quote in chunks[rule.chunk_id].text
        assert rule.source == "iuc-call-starting-city-to-city-cooperation.txt"
    by_id = {rule.rule.id: rule for rule in rules}
    assert by_id["iuc-2018-population-city"].rule.strength is Strength.ENCOURAGED
    assert (
        by_id["iuc-2018-population-city"].quote
        == "Cities with more than 100,000 inhabitants are encouraged to apply."
    )
    assert by_id["iuc-2018-population-city"].section == "Who can apply?"
    assert by_id["iuc-2018-population-group"].rule.strength is Strength.REQUIRED


def test_the_invented_calls_and_their_rules_index(
    run: Callable[..., IngestReport], isolated_env: Path
) -> None:
    report = run(INVENTED_CALLS)
    assert report.ok, (report.files_failed, report.rules_refused)
    assert sorted(Path(path).name for path in report.files_indexed) == [
        "ttce-call-2023.txt",
        "ttce-call-2025.txt",
    ]
    index = snapshot(isolated_env)
    assert {(meta.programme, meta.edition) for meta in index.documents.values()} == {
        ("TTCE", 2023),
        ("TTCE", 2025),
    }
    assert report.rules_loaded == 18
    assert {rule.edition for rule in index.rules} == {"2023", "2025"}
    assert RULES not in index.documents  # a rules file is not a document


# --- refusals: nothing else is lost --------------------------------------------------------------------


def test_a_quote_not_in_its_source_is_refused_and_the_rest_is_kept(
    run: Callable[..., IngestReport], calls: Path, isolated_env: Path
) -> None:
    edit(calls / RULES, COMMITMENT_QUOTE, "at least 36 months with their")
    report = run(calls)
    [refused] = report.rules_refused
    assert (refused.file, refused.rule_id) == (RULES, "ttce-2023-commitment")
    assert refused.reason.startswith("quote not found in ttce-call-2023.txt: “Selected municipalities must")
    assert refused.message.startswith(f"{RULES}: rule 'ttce-2023-commitment': quote not found")
    assert not report.ok  # the exit status signal: a refused rule fails the ingest like a failed file
    assert report.files_failed == []
    assert len(report.files_indexed) == 2
    assert report.rules_loaded == 17
    ids = {rule.rule.id for rule in snapshot(isolated_env).rules}
    assert "ttce-2023-commitment" not in ids
    assert {"ttce-2023-population", "ttce-2025-commitment"} <= ids


def test_a_rule_whose_source_is_not_indexed_is_refused(
    run: Callable[..., IngestReport], calls: Path, isolated_env: Path
) -> None:
    (calls / "ttce-call-2023.txt").unlink()
    (calls / "ttce-call-2023.txt.meta.json").unlink()
    report = run(calls)
    assert {refused.rule_id for refused in report.rules_refused} == {
        rule.rule.id for rule in _anchored_invented() if rule.edition == "2023"
    }
    assert all(
        "source document 'ttce-call-2023.txt' is not in the index" in r.reason for r in report.rules_refused
    )
    assert report.rules_loaded == 9
    assert {rule.edition for rule in snapshot(isolated_env).rules} == {"2025"}


def test_a_file_that_is_not_yaml_fails_alone(
    run: Callable[..., IngestReport], calls: Path, isolated_env: Path
) -> None:
    (calls / "broken.rules.yaml").write_text(
        "rulesets:\n  - programme: [IUC\n    edition: 2018\n", encoding="utf-8"
    )
    (calls / "list.rules.yml").write_text("- programme: IUC\n", encoding="utf-8")
    report = run(calls)
    reasons = {Path(failed.path).name: failed.error for failed in report.files_failed}
    assert reasons["broken.rules.yaml"].startswith("not valid YAML (line ")
    assert reasons["list.rules.yml"].startswith(
        "not a rules file: it must hold one top-level key, 'rulesets:'"
    )
    assert not report.ok
    assert len(report.files_indexed) == 2  # the documents are all there
    assert report.rules_loaded == 18  # and so are the rules of the good file
    assert len(snapshot(isolated_env).rules) == 18


def test_a_broken_rules_file_keeps_its_previous_version(
    run: Callable[..., IngestReport], calls: Path, isolated_env: Path
) -> None:
    first = run(calls)
    (calls / RULES).write_text("rulesets: [", encoding="utf-8")
    report = run(calls)
    [failed] = report.files_failed
    assert failed.error.endswith("(the previously indexed version is kept)")
    assert report.rules_loaded == 18
    assert report.generation == first.generation
    assert len(snapshot(isolated_env).rules) == 18


def test_draft_rulesets_are_reported_and_never_active(
    run: Callable[..., IngestReport], calls: Path, isolated_env: Path
) -> None:
    (calls / "draft.rules.yaml").write_text(
        "rulesets:\n"
        "  - programme: TTCE\n    edition: '2027'\n    source: ttce-call-2025.txt\n    status: draft\n"
        "    rules:\n      - id: unreviewed\n        criterion: null\n        quote: Partner towns must\n",
        encoding="utf-8",
    )
    report = run(calls)
    assert report.ok  # a draft is not an error
    [skipped] = report.rulesets_skipped
    assert (skipped.file, skipped.programme, skipped.edition) == ("draft.rules.yaml", "TTCE", "2027")
    assert "set 'status: active'" in skipped.reason
    assert {rule.edition for rule in snapshot(isolated_env).rules} == {"2023", "2025"}


# --- re-syncs --------------------------------------------------------------------------------------------


def test_an_unchanged_corpus_does_not_rebuild_and_an_edited_rules_file_does(
    run: Callable[..., IngestReport], calls: Path, isolated_env: Path, embedder: HashingEmbedder
) -> None:
    first = run(calls)
    calls_made = embedder.calls
    again = run(calls)
    assert again.generation == first.generation == current_generation(isolated_env)
    assert again.rules_loaded == 18
    assert embedder.calls == calls_made
    edit(
        calls / RULES,
        "condition: {min: 30000, inclusive: false}",
        "condition: {min: 40000, inclusive: false}",
    )
    edited = run(calls)
    assert edited.generation != first.generation
    assert edited.chunks_embedded == 0  # only the rules changed: nothing is embedded again
    rule = next(rule for rule in snapshot(isolated_env).rules if rule.rule.id == "ttce-2025-population")
    assert rule.rule.condition.min == 40000
    (calls / RULES).unlink()
    removed = run(calls)
    assert removed.rules_loaded == 0
    assert snapshot(isolated_env).rules == []


def test_a_rules_file_given_on_its_own_is_read(
    run: Callable[..., IngestReport], calls: Path, tmp_path: Path, isolated_env: Path
) -> None:
    rules_only = tmp_path / "rules-only"
    rules_only.mkdir()
    shutil.move(calls / RULES, rules_only / RULES)
    run(calls)
    report = run(rules_only / RULES)
    assert report.rules_loaded == 18
    assert len(snapshot(isolated_env).rules) == 18
    assert run(calls).rules_loaded == 18  # syncing the documents' folder does not drop it


# --- validation, one rule at a time ------------------------------------------------------------------------


def _chunk(text: str, ordinal: int = 0, source: str = "call.txt") -> Chunk:
    return Chunk(id=f"call:{ordinal:04d}", source=source, title="A call", ordinal=ordinal, text=text)


CHUNKS = {
    "call.txt": [
        _chunk("Who can apply?\nCities with more than 50,000 inhabitants are eligible to apply.", 0),
        _chunk("Selected cities must commit for at least 12 months.", 1),
    ]
}


def _rules_file(
    rules: str, header: str = "programme: X\n    edition: 2030\n    source: call.txt"
) -> RulesFile:
    return RulesFile(source="x.rules.yaml", sha256="-", text=f"rulesets:\n  - {header}\n    rules:\n{rules}")


RULE = """      - id: {id}
        criterion: {criterion}
        strength: {strength}
        condition: {condition}
        label: A short label
        quote: {quote}
"""


def _rule(**fields: str) -> str:
    values = {
        "id": "r1",
        "criterion": "population",
        "strength": "required",
        "condition": "{min: 50000, inclusive: false}",
        "quote": "Cities with more than 50,000 inhabitants are eligible to apply.",
    }
    return RULE.format(**(values | fields))


@pytest.mark.parametrize(
    ("fields", "reason"),
    [
        ({"criterion": "budget"}, "unknown criterion 'budget'"),
        ({"strength": "mandatory"}, "strength: Input should be 'required' or 'encouraged'"),
        ({"condition": "{min: 50000}"}, "say 'inclusive: true'"),
        ({"condition": "{any_of: [city]}"}, "a number criterion (population) needs min and/or max"),
        ({"condition": "{min: 1, max: 0, inclusive: true}"}, "min is greater than max"),
        ({"criterion": "applicant_type", "condition": "{none_of: [state]}"}, "unknown value(s) 'state'"),
        ({"criterion": "country", "condition": "{any_of: [Atlantis]}"}, "unknown value(s) 'Atlantis'"),
        (
            {"criterion": "partner_agreement", "condition": "{min: 1, inclusive: true}"},
            "needs 'equals: true'",
        ),
        ({"criterion": "deadline", "condition": "{max: 2030, inclusive: true}"}, "must be dates"),
        ({"id": "'has space'"}, "id 'has space': use letters"),
        ({"quote": "Cities with more than 60,000 inhabitants are eligible."}, "quote not found in call.txt"),
    ],
)
def test_malformed_rules_are_refused_with_the_reason(fields: dict[str, str], reason: str) -> None:
    good = _rule(id="good")
    outcome = anchor_rules([_rules_file(_rule(**fields) + good)], CHUNKS)
    [refused] = outcome.refused
    assert refused.file == "x.rules.yaml"
    assert reason in refused.reason, refused.reason
    assert [rule.rule.id for rule in outcome.rules] == ["good"]  # the other rule of the file still counts


def test_a_duplicate_id_and_a_duplicate_edition_are_refused() -> None:
    outcome = anchor_rules([_rules_file(_rule() + _rule())], CHUNKS)
    assert [r.reason for r in outcome.refused] == ["duplicate id 'r1' (ids must be unique in a rules file)"]
    second = _rules_file(_rule(id="other")).model_copy(update={"source": "y.rules.yaml"})
    outcome = anchor_rules([_rules_file(_rule()), second], CHUNKS)
    [refused] = outcome.refused
    assert (refused.file, refused.reason) == ("y.rules.yaml", "X 2030 already has rules in x.rules.yaml")


def test_a_quote_spanning_two_passages_is_refused_with_a_hint() -> None:
    quote = "eligible to apply. Selected cities must commit"
    outcome = anchor_rules([_rules_file(_rule(quote=f"'{quote}'"))], CHUNKS)
    [refused] = outcome.refused
    assert refused.reason.startswith(
        "the quote spans two passages of call.txt; quote a part that lies within one"
    )


def test_a_malformed_ruleset_refuses_its_rules_by_id() -> None:
    parsed = parse_rules(
        _rules_file(_rule(), header="programme: X\n    source: call.txt").text, "x.rules.yaml"
    )
    [refused] = parsed.refused
    assert refused.rule_id == "r1"
    assert refused.reason == "ruleset 1: edition: Field required"


def test_quotes_match_across_spacing_and_typography_and_come_back_verbatim() -> None:
    text = (
        "Cities with more than\n100,000 inhabitants are “encouraged” to apply — the applicant cities’ call."
    )
    found = find_verbatim('Cities with  more than 100,000 inhabitants are "encouraged"', text)
    assert found == "Cities with more than\n100,000 inhabitants are “encouraged”"
    assert find_verbatim("applicant cities' call", text) == "applicant cities’ call"
    assert find_verbatim("the applicant\u00a0cities’ call.", text) == "the applicant cities’ call."
    assert find_verbatim("Cafe\u0301", "Le Café du port") == "Café"
    assert find_verbatim("Cities with 100,000", text) is None


def test_rules_files_are_recognised_by_name() -> None:
    assert is_rules_file(Path("corpus/eligibility.rules.yaml"))
    assert is_rules_file(Path("x/TTCE.RULES.YML"))
    assert not is_rules_file(Path("rules.yaml"))
    assert not is_rules_file(Path("call.txt"))


def _anchored_invented() -> list[AnchoredRule]:
    from ingest.pipeline import parse_file

    chunks = {path.name: parse_file(path, "-", None).chunks for path in sorted(INVENTED_CALLS.glob("*.txt"))}
    text = (INVENTED_CALLS / RULES).read_text(encoding="utf-8")
    outcome = anchor_rules([RulesFile(source=RULES, sha256="-", text=text)], chunks)
    assert outcome.refused == []
    return outcome.rules
