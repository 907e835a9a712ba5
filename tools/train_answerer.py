"""Fit the offline answerer's learned weights (assistant/answering/weights.json) on the project's own
question sets, and report how they do on documents held out.

    .venv/bin/python tools/train_answerer.py            # fit, report, write weights.json
    .venv/bin/python tools/train_answerer.py --report   # report only (leave-one-set-out), write nothing

Two models are fitted, in this order:
1. the ranker: a linear score over each candidate sentence's measurements (assistant/answering/evidence.py),
   fitted listwise — a softmax over one question's candidates, maximising the weight of the sentences
   that hold the expected answer;
2. the answerability estimate: a logistic model over the best answer's measurements, whose label is
   "the answer given would be right"; the abstention threshold is the one that maximises the questions
   passed (answered right, or rightly abstained) when each set's documents are held out in turn.

Only the project's own sets are used (tests/eval): never the shared evaluation sets.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from assistant.answering import ranker as ranker_module  # noqa: E402
from assistant.answering.base import AnswerRequest  # noqa: E402
from assistant.answering.evidence import FEATURES  # noqa: E402
from assistant.answering.offline import OfflineAnswerer, settled_by_names  # noqa: E402
from assistant.answering.ranker import ANSWERABILITY, LinearModel  # noqa: E402
from assistant.conversation import Turn  # noqa: E402
from assistant.settings import Settings  # noqa: E402
from assistant.wiring import build_service  # noqa: E402

EVAL = REPO / "tests" / "eval"
# (name, question file, extra corpus folder or None): each set's documents are held out in turn.
SETS = [
    ("shipped", EVAL / "questions.jsonl", None),
    ("programmes", EVAL / "own" / "programmes" / "questions.jsonl", EVAL / "own" / "programmes" / "corpus"),
    ("prose", EVAL / "own" / "prose" / "questions.jsonl", EVAL / "own" / "prose" / "corpus"),
    (
        "programmes2",
        EVAL / "own2" / "programmes" / "questions.jsonl",
        EVAL / "own2" / "programmes" / "corpus",
    ),
    ("prose2", EVAL / "own2" / "prose" / "questions.jsonl", EVAL / "own2" / "prose" / "corpus"),
]
WEIGHTS = REPO / "assistant" / "answering" / ranker_module.WEIGHTS_FILE


def matches(question: dict[str, object], text: str) -> bool:
    groups = question.get("must_include") or []
    return all(any(re.search(p, text, re.I | re.M) for p in group) for group in groups)  # type: ignore[union-attr]


@dataclass
class Asked:
    set: str
    question: dict[str, object]
    candidates: np.ndarray  # rows of measurements
    labels: np.ndarray  # 1 for a candidate sentence holding an expected fact
    answer_features: dict[str, float]
    answer_right: bool
    abstention_passes: bool
    # Decided whatever the estimate says: declined by a refusal, or answered as settled by its names.
    declined: bool = False
    settled: bool = False


def _specific_groups(question: dict[str, object], sentences: list[str]) -> list[list[str]]:
    """Groups of the expected answer that few sentences of the expected documents match: a generic
    pattern ('not', 'yes') says nothing about which sentence answers."""
    groups: list[list[str]] = list(question.get("must_include") or [])  # type: ignore[call-overload]
    specific = [
        g for g in groups if sum(any(re.search(p, s, re.I | re.M) for p in g) for s in sentences) <= 3
    ]
    return specific or groups


def collect(name: str, questions_file: Path, corpus: Path | None, work: Path) -> list[Asked]:
    data_dir = work / name
    settings = Settings(data_dir=data_dir, corpus_dir=REPO / "corpus")
    service = build_service(settings)
    service.ingest([REPO / "corpus", *([corpus] if corpus else [])])
    answerer = service.answerer
    assert isinstance(answerer, OfflineAnswerer)
    snapshot = service.index.get()
    stats = answerer.generation(snapshot).stats
    asked: list[Asked] = []
    for line in questions_file.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        question = json.loads(line)
        history: list[Turn] = []
        for turn in question.get("turns", [])[:-1]:
            composed = answerer.answer(AnswerRequest(turn, snapshot, list(history)))
            history.append(Turn(turn, composed.subject, composed.text, composed.abstained))
        request, analysis = answerer.read(AnswerRequest(question["question"], snapshot, list(history)))
        draft = answerer.draft(request, analysis)
        expected = set(question.get("expected_sources", []))
        answerable = bool(question.get("answerable", True))
        document_sentences = [
            snapshot.sentences[index].text
            for source in expected
            for index in stats.document_sentences.get(source, [])
        ]
        groups = _specific_groups(question, document_sentences) if answerable else []
        labels = [
            int(
                answerable
                and (not expected or candidate.source in expected)
                and any(
                    any(re.search(p, snapshot.sentences[candidate.index].text, re.I | re.M) for p in g)
                    for g in groups
                )
            )
            for candidate in draft.ranked
        ]
        composed = draft.composed
        right = (
            answerable
            and composed is not None
            and matches(question, composed.text)
            and (not expected or bool(expected & {c.source for c in composed.citations}))
            and not any(
                re.search(p, composed.text, re.I | re.M) for p in question.get("must_not_include", [])
            )
        )
        asked.append(
            Asked(
                name,
                question,
                np.array([c.vector() for c in draft.ranked], dtype=float).reshape(-1, len(FEATURES)),
                np.array(labels, dtype=float),
                draft.features,
                bool(right),
                not answerable,
                declined=composed is None or answerer.declines(request, analysis, draft),
                settled=settled_by_names(analysis, draft.ranked),
            )
        )
    service.close()
    return asked


def fit_ranker(asked: list[Asked], l2: float = 0.001) -> LinearModel:
    """Listwise: for each question, a softmax over its candidates whose target spreads over the sentences
    holding the expected answer; L2-regularised, minimised with L-BFGS (scipy, a development tool)."""
    from scipy.optimize import minimize

    groups = [(a.candidates, a.labels) for a in asked if len(a.labels) and a.labels.sum() > 0]
    rows = np.vstack([x for x, _ in groups])
    mean, scale = rows.mean(0), rows.std(0) + 1e-6
    groups = [((x - mean) / scale, y / y.sum()) for x, y in groups]

    def loss(w: np.ndarray) -> tuple[float, np.ndarray]:
        total, gradient = 0.5 * l2 * float(w @ w), l2 * w
        for x, target in groups:
            s = x @ w
            top = s.max()
            p = np.exp(s - top)
            partition = p.sum()
            p /= partition
            total -= float(target @ (s - top - np.log(partition))) / len(groups)
            gradient = gradient + x.T @ (p - target) / len(groups)
        return total, gradient

    result = minimize(loss, np.zeros(len(FEATURES)), jac=True, method="L-BFGS-B", options={"maxiter": 500})
    return LinearModel(FEATURES, mean, scale, result.x)


def fit_answerability(asked: list[Asked], l2: float = 1.0) -> LinearModel:
    x = np.array([[a.answer_features[name] for name in ANSWERABILITY] for a in asked], dtype=float)
    y = np.array([a.answer_right for a in asked], dtype=float)
    mean, scale = x.mean(0), x.std(0) + 1e-6
    z = np.hstack([(x - mean) / scale, np.ones((len(x), 1))])
    w = np.zeros(z.shape[1])
    for _ in range(50):  # Newton's method
        p = 1 / (1 + np.exp(-z @ w))
        penalty = l2 * np.r_[np.ones(len(w) - 1), 0]
        gradient = z.T @ (p - y) + penalty * w
        hessian = (z.T * (p * (1 - p))) @ z + np.diag(penalty)
        change = np.linalg.solve(hessian, gradient)
        w -= change
        if np.abs(change).max() < 1e-8:
            break
    return LinearModel(ANSWERABILITY, mean, scale, w[:-1], float(w[-1]))


def abstains(a: Asked, model: LinearModel, threshold: float) -> bool:
    """The answerer's decision: a refusal declines whatever the estimate says; below the threshold, only
    a yes/no question its lead settles by naming all it asks of is answered."""
    if a.declined:
        return True
    return ranker_module.probability(a.answer_features, model) < threshold and not a.settled


def passes(asked: list[Asked], model: LinearModel, threshold: float) -> int:
    return sum(a.abstention_passes if abstains(a, model, threshold) else a.answer_right for a in asked)


# A right answer hidden behind "the documents don't answer this" costs the asker more than an unanswerable
# question answered with the closest passage (which shows its source): the threshold may cost at most
# this share of the right answers.
MAX_RIGHT_LOST = 0.02


def best_threshold(asked: list[Asked], model: LinearModel) -> float:
    """The highest threshold that abstains on at most MAX_RIGHT_LOST of the answers that are right."""
    right = [ranker_module.probability(a.answer_features, model) for a in asked if a.answer_right]
    if not right:
        return 0.0
    grid = [i / 100 for i in range(0, 96)]
    allowed = [t for t in grid if sum(p < t for p in right) <= MAX_RIGHT_LOST * len(right)]
    return max(allowed)


def report(asked: list[Asked], model: LinearModel, threshold: float, sets: list[str]) -> dict[str, object]:
    out: dict[str, object] = {}
    for name in sets:
        part = [a for a in asked if a.set == name]
        abstained = [a for a in part if abstains(a, model, threshold)]
        unanswerable = [a for a in part if a.abstention_passes]
        rightly = sum(a.abstention_passes for a in abstained)
        out[name] = {
            "passed": passes(part, model, threshold),
            "total": len(part),
            "answer_right_if_answered": sum(a.answer_right for a in part),
            "answerable": len(part) - len(unanswerable),
            "abstention_precision": round(rightly / len(abstained), 3) if abstained else None,
            "abstention_recall": round(rightly / len(unanswerable), 3) if unanswerable else None,
        }
    return out


def write_weights(
    ranker: LinearModel, answerability: LinearModel, threshold: float, held_out: object
) -> None:
    WEIGHTS.write_text(
        json.dumps(
            {
                "_comment": "Fitted by tools/train_answerer.py on tests/eval own sets; do not edit by hand.",
                "ranker": ranker.to_json(),
                "answerability": answerability.to_json(),
                "threshold": threshold,
                "held_out": held_out,
            },
            indent=1,
        )
        + "\n",
        encoding="utf-8",
    )
    ranker_module.weights.cache_clear()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--report", action="store_true", help="report only; write nothing")
    parser.add_argument("--work", type=Path, default=Path("/tmp/assistant-train"), help="index cache folder")
    args = parser.parse_args()
    # Fitting the answerability needs answers drafted with the new ranker, so the ranker is written
    # first; a report puts the file back as it was, byte for byte (its own held-out report included).
    original = WEIGHTS.read_bytes() if WEIGHTS.exists() else None
    try:
        fit_and_report(write=not args.report, work=args.work)
    finally:
        if args.report:
            if original is None:
                WEIGHTS.unlink(missing_ok=True)
            else:
                WEIGHTS.write_bytes(original)


def fit_and_report(*, write: bool, work: Path) -> None:
    names = [name for name, _, _ in SETS]
    try:
        ranker_module.weights()
        fitted = True
    except (FileNotFoundError, RuntimeError):
        fitted = False
    if not fitted:  # bootstrap (no weights, or weights of other features): rank by meaning alone
        neutral = np.zeros(len(FEATURES))
        neutral[FEATURES.index("dense")] = 1.0
        write_weights(
            LinearModel(FEATURES, np.zeros(len(FEATURES)), np.ones(len(FEATURES)), neutral),
            LinearModel(
                ANSWERABILITY,
                np.zeros(len(ANSWERABILITY)),
                np.ones(len(ANSWERABILITY)),
                np.zeros(len(ANSWERABILITY)),
            ),
            0.0,
            {},
        )
    # 1. the ranker: its measurements do not depend on the current weights.
    asked = [a for name, questions, corpus in SETS for a in collect(name, questions, corpus, work)]
    ranker = fit_ranker(asked)
    current = ranker_module.weights()
    write_weights(ranker, current.answerability, current.threshold, {})
    # 2. answers drafted with the new ranker; answerability fitted and checked with each set held out.
    asked = [a for name, questions, corpus in SETS for a in collect(name, questions, corpus, work)]
    held_out: dict[str, object] = {}
    for name in names:
        training = [a for a in asked if a.set != name]
        model = fit_answerability(training)
        held_out.update(report(asked, model, best_threshold(training, model), [name]))
    answerability = fit_answerability(asked)
    threshold = best_threshold(asked, answerability)
    print(json.dumps({"held_out": held_out, "threshold": threshold}, indent=1))
    for feature, weight in sorted(zip(FEATURES, ranker.weights, strict=True), key=lambda item: -abs(item[1])):
        print(f"  ranker {feature:18s} {weight:+.2f}")
    for feature, weight in zip(ANSWERABILITY, answerability.weights, strict=True):
        print(f"  answer {feature:18s} {weight:+.2f}")
    if write:
        write_weights(ranker, answerability, threshold, held_out)


if __name__ == "__main__":
    main()
