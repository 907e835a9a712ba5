"""The ``assistant`` command over a copy of the real index: ``ask`` as JSON and as text, and ``eval``."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from assistant.faces.cli import app
from tests.support.http import ANSWER_KEYS
from tests.support.own_eval import MIN_PASS_RATE, QUESTIONS

pytestmark = pytest.mark.slow


@pytest.fixture
def runner(real_index: Path, tmp_path: Path) -> CliRunner:
    """A runner whose commands read a private copy of the real index."""
    data = tmp_path / "cli-data"
    shutil.copytree(real_index, data)
    return CliRunner(env={"ASSISTANT_DATA_DIR": str(data)})


def test_ask_json_prints_the_answer_shape(runner: CliRunner) -> None:
    result = runner.invoke(app, ["ask", "Which EU city is paired with Kochi?", "--json"])
    assert result.exit_code == 0, result.output
    body = json.loads(result.stdout)
    assert set(body) == ANSWER_KEYS
    assert body["mode"] == "offline"
    assert body["abstained"] is False
    assert "Vilnius" in body["answer"]
    assert body["citations"]
    for citation in body["citations"]:
        assert set(citation) == {"id", "source", "title", "section", "page", "quote", "chunk_id"}


def test_ask_json_continues_a_session_by_name_or_by_id(runner: CliRunner) -> None:
    first = runner.invoke(app, ["ask", "Which EU city is paired with Ottawa?", "--json", "--session", "s1"])
    assert first.exit_code == 0, first.output
    issued = json.loads(first.stdout)["session_id"]
    assert issued != "s1" and len(issued) == 32  # the server issues ids; 's1' is the user's own name
    second = runner.invoke(app, ["ask", "What do they work on?", "--json", "--session", "s1"])
    assert second.exit_code == 0, second.output
    body = json.loads(second.stdout)
    assert body["session_id"] == issued
    assert "smart cities" in body["answer"].lower()
    third = runner.invoke(app, ["ask", "What do they work on?", "--json", "--session", issued])
    assert json.loads(third.stdout)["session_id"] == issued


def test_ask_prints_the_answer_and_numbered_sources(runner: CliRunner) -> None:
    result = runner.invoke(app, ["ask", "When did the 2018 call for EU cities close?"])
    assert result.exit_code == 0, result.output
    answer, _, sources = result.stdout.partition("\n\n")
    assert "March" in answer
    assert "[1]" in answer
    lines = sources.strip().splitlines()
    assert lines
    for number, line in enumerate(lines, start=1):
        assert re.match(rf"\[{number}\] [\w.-]+\.txt\b.*: “.+”$", line), line
    assert lines[0].startswith("[1] iuc-call-starting-city-to-city-cooperation.txt")


def test_eval_prints_a_json_summary(runner: CliRunner) -> None:
    result = runner.invoke(app, ["eval", str(QUESTIONS)])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout.strip().splitlines()[-1])
    total = sum(1 for line in QUESTIONS.read_text("utf-8").splitlines() if line.strip())
    assert summary["total"] == total
    # the gate the README states for the own set, the same one tests/answering/test_answers.py holds
    assert summary["passed"] / total >= MIN_PASS_RATE, summary
    assert summary["rate"] == round(summary["passed"] / total, 3)
    assert {"pairing", "lessons", "unanswerable", "multi-turn"} <= set(summary["by_category"])
    counts = [re.fullmatch(r"(\d+)/(\d+)", value) for value in summary["by_category"].values()]
    assert all(counts), summary["by_category"]
    assert sum(int(count.group(1)) for count in counts if count) == summary["passed"]
    assert sum(int(count.group(2)) for count in counts if count) == total
