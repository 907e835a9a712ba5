"""The project's own question set and the gate the README states for it: it must pass at >= 85%.
One constant, held by the in-process run (tests/answering/test_answers.py) and by `assistant eval`
(tests/faces/test_cli.py)."""

from __future__ import annotations

from tests.support.paths import TESTS

QUESTIONS = TESTS / "eval" / "questions.jsonl"
MIN_PASS_RATE = 0.85
