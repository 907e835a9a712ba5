"""Grounding, checked explicitly: whether each sentence of an answer is supported by the passages its
[n] markers point to (numbers, dates, names, links, negation, modality, content words): ``claims`` reads
what a text asserts, ``support`` whether passage sentences carry a sentence, ``answer`` a whole answer.
Used by the LLM answerer before anything leaves, and by `benchmarks/llm_grounding.py` to re-check answers."""

from assistant.grounding.answer import MARKER, CheckedSentence, Verification, normalise_markers, verify
from assistant.grounding.claims import Claim, Modality, read_claim
from assistant.grounding.support import Passage, Problem, Support, check_sentence

__all__ = [
    "MARKER",
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
