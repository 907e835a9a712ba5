"""Where the repository, the shipped corpus and the test data are, wherever a test module sits."""

from __future__ import annotations

from pathlib import Path

TESTS = Path(__file__).resolve().parent.parent
REPO = TESTS.parent
CORPUS = REPO / "corpus"
INVENTED_CALLS = TESTS / "data" / "invented_calls"  # two editions of an invented call, with their rules
INVENTED_EXCHANGES = (
    TESTS / "data" / "invented_exchanges"
)  # a call and a later FAQ of a scheme no label names
