"""The offline answerer, no LLM: a question carrying an applicant's facts gets the rule-by-rule check of
the call it is about; every other question an answer composed from the best supporting sentences and
table rows, each with its citation."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import date

from assistant.answering.base import AnswerRequest
from assistant.answering.compose import OfflineComposer
from assistant.answering.query import analyse
from assistant.answering.retrieval import CorpusStats, embed_query, retrieve
from assistant.eligibility.check import check_eligibility
from assistant.eligibility.reading import call_in_question, is_eligibility_question, profile_from_question
from assistant.eligibility.wording import answer_text, closed_notice
from assistant.models import Composed, Filters, Notice
from assistant.settings import AnswerSettings
from ingest.embedder import Embedder
from ingest.store import IndexSnapshot

_WARM_UP_QUESTION = "Who can apply, and by when?"


class OfflineAnswerer:
    def __init__(self, settings: AnswerSettings, embedder: Embedder, today: Callable[[], date]) -> None:
        self.settings = settings
        self.embedder = embedder
        self.today = today
        self._stats: tuple[str, CorpusStats] | None = None
        self._stats_lock = threading.Lock()

    @property
    def mode(self) -> str:
        return "offline"

    def warm_up(self, snapshot: IndexSnapshot) -> None:
        """One question answered end to end: the model loads and the per-generation tables are built
        now, not by a user's first question."""
        self.answer(AnswerRequest(_WARM_UP_QUESTION, snapshot))

    def answer(self, request: AnswerRequest) -> Composed:
        analysis = analyse(request.question, list(request.history))
        composed = self._from_rules(request.snapshot, request.question, request.filters)
        if composed is None:
            query_vector = embed_query(self.embedder, analysis.subject)
            retrieved = retrieve(
                request.snapshot, query_vector, analysis.subject, self.settings.retrieval_k, request.filters
            )
            composer = OfflineComposer(
                request.snapshot,
                self._stats_for(request.snapshot),
                self.settings.max_answer_chars,
                self.today(),
                request.filters,
            )
            composed = composer.compose(analysis, query_vector, retrieved)
        composed.subject = analysis.subject
        return composed

    def _stats_for(self, snapshot: IndexSnapshot) -> CorpusStats:
        """Corpus statistics, built once per index generation."""
        cached = self._stats
        if cached is None or cached[0] != snapshot.generation:
            with self._stats_lock:
                cached = self._stats
                if cached is None or cached[0] != snapshot.generation:
                    cached = (snapshot.generation, CorpusStats(snapshot))
                    self._stats = cached
        return cached[1]

    def _from_rules(self, snapshot: IndexSnapshot, question: str, filters: Filters) -> Composed | None:
        """'We are a town of 60,000 — can we apply?': a question carrying the applicant's facts gets the
        rule-by-rule check of the call in force, each verdict quoting the call; None for other questions."""
        if not snapshot.rules or not is_eligibility_question(question):
            return None
        profile = profile_from_question(question)
        if profile is None:
            return None
        programme, edition = call_in_question(question, snapshot.rules)
        report = check_eligibility(
            snapshot.rules,
            profile,
            programme or filters.programme,
            edition,
            chunks=snapshot.chunks,
            today=self.today(),
        )
        if report.verdict == "no_rules":
            return None
        ruleset = [
            rule
            for rule in snapshot.rules
            if (rule.programme, rule.edition) == (report.programme, report.edition)
        ]
        text, citations = answer_text(report, ruleset)
        notices = (
            [Notice(kind="deadline_passed", text=closed_notice(report), source=report.source)]
            if report.open is False and report.deadline is not None
            else []
        )
        return Composed(text, citations, abstained=False, notices=notices)
