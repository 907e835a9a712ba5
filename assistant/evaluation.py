"""Run a question file (the ``dev.jsonl`` format) against the service and score the answers."""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from assistant.models import Answer

MAX_ANSWER_CHARS = 1800


@dataclass
class Outcome:
    id: str
    category: str
    passed: bool
    problems: list[str] = field(default_factory=list)
    answer: str = ""
    answerable: bool = True
    abstained: bool = False
    cited: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, object]:
        return {
            "id": self.id,
            "category": self.category,
            "passed": self.passed,
            "answerable": self.answerable,
            "abstained": self.abstained,
            "problems": self.problems,
            "cited": self.cited,
            "answer": self.answer,
        }


def _matches(pattern: str, text: str) -> bool:
    return re.search(pattern, text, re.I | re.M) is not None


def score_answer(question: dict[str, object], answer: Answer) -> list[str]:
    """What is wrong with an answer (empty when it passes), by the rules of the shared scorer."""
    text = answer.answer
    bad = [str(p) for p in question.get("must_not_include", []) or [] if _matches(str(p), text)]  # type: ignore[attr-defined]
    problems = [f"must not include {pattern!r}" for pattern in bad]
    if not question.get("answerable", True):
        if not answer.abstained:
            problems.append("should have abstained")
        return problems
    if answer.abstained:
        problems.append("abstained")
    for group in question.get("must_include", []) or []:  # type: ignore[attr-defined]
        if not any(_matches(str(pattern), text) for pattern in group):
            problems.append(f"missing one of {group}")
    expected = set(question.get("expected_sources", []) or [])  # type: ignore[call-overload]
    cited = {citation.source.split("/")[-1] for citation in answer.citations}
    if expected and not cited & expected:
        problems.append(f"cites {sorted(cited)}, expected one of {sorted(expected)}")
    if len(text) > MAX_ANSWER_CHARS:
        problems.append(f"answer is {len(text)} characters")
    return problems


def run_file(path: Path, ask: Callable[[str, str], Answer]) -> list[Outcome]:
    outcomes = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        question = json.loads(line)
        session = f"eval-{uuid.uuid4().hex[:8]}"
        for turn in question.get("turns", [])[:-1]:
            ask(turn, session)
        answer = ask(question["question"], session)
        problems = score_answer(question, answer)
        outcomes.append(
            Outcome(
                question["id"],
                question.get("category", ""),
                not problems,
                problems,
                answer.answer,
                answerable=bool(question.get("answerable", True)),
                abstained=answer.abstained,
                cited=sorted({citation.source for citation in answer.citations}),
            )
        )
    return outcomes


def summarise(outcomes: list[Outcome]) -> dict[str, object]:
    by_category: dict[str, list[int]] = {}
    for outcome in outcomes:
        counts = by_category.setdefault(outcome.category, [0, 0])
        counts[0] += outcome.passed
        counts[1] += 1
    passed = sum(outcome.passed for outcome in outcomes)
    abstained = [outcome for outcome in outcomes if outcome.abstained]
    unanswerable = [outcome for outcome in outcomes if not outcome.answerable]
    rightly = sum(not outcome.answerable for outcome in abstained)
    return {
        "passed": passed,
        "total": len(outcomes),
        "rate": round(passed / max(1, len(outcomes)), 3),
        "by_category": {name: f"{ok}/{total}" for name, (ok, total) in sorted(by_category.items())},
        # Abstention as a detector of unanswerable questions: how often it is right when it abstains
        # (precision) and how many unanswerable questions it catches (recall).
        "abstention": {
            "abstained": len(abstained),
            "precision": round(rightly / len(abstained), 3) if abstained else None,
            "recall": round(rightly / len(unanswerable), 3) if unanswerable else None,
            "answerable_abstained": len(abstained) - rightly,
        },
    }
