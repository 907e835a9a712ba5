"""The Answerer seam: what the service asks of any way of answering (offline composer, LLM agent)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

from assistant.conversation import Turn
from assistant.models import Composed, Filters
from ingest.store import IndexSnapshot


@dataclass(frozen=True)
class AnswerRequest:
    """One question to answer: already checked, with the conversation so far, what narrows the search,
    and the index generation the whole answer reads from (a reindex midway cannot mix two)."""

    question: str
    snapshot: IndexSnapshot
    history: Sequence[Turn] = ()
    filters: Filters = field(default_factory=Filters)
    language: str | None = None  # a language the client asked answers in ('French'); None: the question's


class Answerer(Protocol):
    @property
    def mode(self) -> str:
        """'offline', 'llm', …: what the answer JSON reports as its mode."""
        ...

    def answer(self, request: AnswerRequest) -> Composed: ...

    def warm_up(self, snapshot: IndexSnapshot) -> None:
        """Build what this answerer keeps per index generation before the generation serves (called
        once per generation; costs no call to an outside service)."""
        ...

    def close(self) -> None:
        """Stop any background work."""
        ...
