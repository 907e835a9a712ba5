"""The learned part of answering: a linear ranker of candidate sentences, and a calibrated estimate of
whether the best answer found is right (below a threshold, the answerer abstains). Both are plain
weights in ``weights.json``, fitted by ``tools/train_answerer.py`` on the project's own question sets
with documents held out; nothing here was fitted on the shared evaluation sets."""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import numpy as np

from assistant.answering.evidence import FEATURES, Candidate

WEIGHTS_FILE = "weights.json"
# What the answerability estimate reads of the best answer found (computed in offline.py).
ANSWERABILITY = (
    "top",
    "confidence",
    "dense",
    "coverage",
    "coverage_best",
    "names",
    "unknown_terms",
    "document_years",
    "unknown_years",
    "programme",
    "negation",
    "polarity",
    "numbers",
    "missing",
    "missing_weight",
    "kind_missing",
)


@dataclass(frozen=True)
class LinearModel:
    features: tuple[str, ...]
    mean: np.ndarray
    scale: np.ndarray
    weights: np.ndarray
    bias: float = 0.0

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> LinearModel:
        return cls(
            tuple(str(name) for name in data["features"]),
            np.asarray(data["mean"], dtype=float),
            np.asarray(data["scale"], dtype=float),
            np.asarray(data["weights"], dtype=float),
            float(data.get("bias", 0.0)),
        )

    def to_json(self) -> dict[str, object]:
        return {
            "features": list(self.features),
            "mean": [round(float(value), 6) for value in self.mean],
            "scale": [round(float(value), 6) for value in self.scale],
            "weights": [round(float(value), 6) for value in self.weights],
            "bias": round(self.bias, 6),
        }

    def score(self, rows: np.ndarray) -> np.ndarray:
        scores: np.ndarray = ((rows - self.mean) / self.scale) @ self.weights + self.bias
        return scores


@dataclass(frozen=True)
class Weights:
    ranker: LinearModel
    answerability: LinearModel
    threshold: float  # abstain when the estimated chance that the answer is right is below this


@lru_cache(maxsize=1)
def weights() -> Weights:
    data = json.loads(resources.files("assistant.answering").joinpath(WEIGHTS_FILE).read_text("utf-8"))
    ranker = LinearModel.from_json(data["ranker"])
    answerability = LinearModel.from_json(data["answerability"])
    if ranker.features != FEATURES or answerability.features != ANSWERABILITY:
        raise RuntimeError(f"{WEIGHTS_FILE} was fitted on other features; run tools/train_answerer.py")
    return Weights(ranker, answerability, float(data["threshold"]))


def rank(candidates: Sequence[Candidate], model: LinearModel | None = None) -> list[Candidate]:
    """The candidates, best first, each with its score."""
    if not candidates:
        return []
    model = model or weights().ranker
    scores = model.score(np.array([candidate.vector() for candidate in candidates], dtype=float))
    for candidate, value in zip(candidates, scores, strict=True):
        candidate.score = float(value)
    return sorted(candidates, key=lambda candidate: candidate.score, reverse=True)


def probability(values: dict[str, float], model: LinearModel | None = None) -> float:
    """The estimated chance that an answer with these measurements is right."""
    model = model or weights().answerability
    row = np.array([[values[name] for name in model.features]], dtype=float)
    logit = float(model.score(row)[0])
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, logit))))
