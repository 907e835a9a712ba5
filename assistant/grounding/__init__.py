"""Grounding, checked explicitly: whether each sentence of an answer is supported by the passages its
[n] markers point to (numbers, dates, names, links, negation, modality, content words). Used by the LLM
answerer before anything leaves, and by `benchmarks/llm_grounding.py` to re-check answers."""

from assistant.grounding.claims import Claim, Modality, read_claim
from assistant.grounding.verify import (
    CheckedSentence,
    Passage,
    Problem,
    Support,
    Verification,
    check_sentence,
    normalise_markers,
    verify,
)

__all__ = [
    "CheckedSentence",
    "Claim",
    "Modality",
    "Passage",
    "Problem",
    "Support",
    "Verification",
    "check_sentence",
    "normalise_markers",
    "read_claim",
    "verify",
]
