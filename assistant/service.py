"""The one entry every face calls: ask (whole or streamed), search, pairings, feedback, ingest."""

from __future__ import annotations

import logging
import re
import threading
import uuid
from collections.abc import Callable, Generator, Iterable, Iterator, Sequence
from pathlib import Path

from assistant.applicant import ApplicantProfile, is_eligibility_question, profile_from_question
from assistant.compose import Composed, OfflineComposer
from assistant.conversation import ConversationStore, Turn
from assistant.eligibility import EligibilityReport, EligibilityRequest, call_in_question, check_eligibility
from assistant.eligibility_text import answer_text
from assistant.models import (
    Answer,
    AnswerDelta,
    AnswerDone,
    AnswerEvent,
    AnswerStarted,
    CitationsReady,
    Exchange,
    PairingRow,
    SearchHit,
)
from assistant.pairings import PairingCriteria, find_pairings
from assistant.query import QueryAnalysis, analyse
from assistant.retrieval import CorpusStats, Filters, embed_query, retrieve
from assistant.settings import Settings
from assistant.unanswered import UnansweredGroup, group_unanswered
from ingest.embedder import Embedder
from ingest.errors import InvalidRequestError, NotFoundError
from ingest.geo import gazetteer
from ingest.models import IngestReport
from ingest.pipeline import sync
from ingest.store import IndexHandle, IndexSnapshot, VectorIndexFactory, persistent_chroma
from ingest.textutil import terms

logger = logging.getLogger(__name__)


def _pieces(text: str, words_per_piece: int = 4) -> Iterator[str]:
    """The answer text in small pieces, whitespace kept, so a stream shows it as it comes."""
    tokens = re.findall(r"\s*\S+", text)
    for start in range(0, len(tokens), words_per_piece):
        yield "".join(tokens[start : start + words_per_piece])


def final_answer(events: Iterable[AnswerEvent]) -> Answer:
    """Read an answer stream (or what is left of it) to its end: the whole answer."""
    for event in events:
        if isinstance(event, AnswerDone):
            return event.answer
    raise AssertionError("an answer stream always ends with its answer")  # pragma: no cover


def default_embedder() -> Embedder:
    from ingest.minilm import MiniLMEmbedder

    return MiniLMEmbedder()


class AssistantService:
    def __init__(
        self,
        settings: Settings,
        embedder_factory: Callable[[], Embedder] = default_embedder,
        vector_factory: VectorIndexFactory = persistent_chroma,
    ) -> None:
        self.settings = settings
        self._embedder_factory = embedder_factory
        self._embedder: Embedder | None = None
        self._vector_factory = vector_factory
        self._lock = threading.Lock()
        self.index = IndexHandle(settings.data_dir, vector_factory)
        self.conversations = ConversationStore(settings.data_dir / "state.sqlite3")
        self._stats: tuple[str, CorpusStats] | None = None

    # --- shared parts ---------------------------------------------------------------------------
    @property
    def embedder(self) -> Embedder:
        if self._embedder is None:
            with self._lock:
                if self._embedder is None:
                    self._embedder = self._embedder_factory()
        return self._embedder

    def _stats_for(self, snapshot: IndexSnapshot) -> CorpusStats:
        cached = self._stats
        if cached is None or cached[0] != snapshot.generation:
            cached = (snapshot.generation, CorpusStats(snapshot))
            self._stats = cached
        return cached[1]

    def _check_question(self, question: str) -> str:
        question = question.strip()
        if not question:
            raise InvalidRequestError("The question is empty.", field="question")
        if len(question) > self.settings.max_question_chars:
            raise InvalidRequestError(
                f"The question is {len(question)} characters long; the limit is "
                f"{self.settings.max_question_chars}.",
                field="question",
            )
        return question

    # --- operations -----------------------------------------------------------------------------
    def ask(
        self,
        question: str,
        session_id: str | None = None,
        filters: Filters | None = None,
        history: Sequence[Exchange] | None = None,
    ) -> Answer:
        return final_answer(self.ask_stream(question, session_id, filters, history))

    def ask_stream(
        self,
        question: str,
        session_id: str | None = None,
        filters: Filters | None = None,
        history: Sequence[Exchange] | None = None,
    ) -> Generator[AnswerEvent, None, None]:
        """The answer as it is produced. ``history`` (a client's own record of the conversation) replaces
        the stored one. The turn is recorded only when the stream is read to its end: a client that
        went away stops the work and leaves nothing behind."""
        question = self._check_question(question)
        snapshot = self.index.get()
        session_id = self.conversations.open_session(session_id)
        turns = (
            self._turns_from(history)
            if history is not None
            else self.conversations.history(session_id, self.settings.history_turns)
        )
        answer_id = uuid.uuid4().hex
        yield AnswerStarted(session_id=session_id, answer_id=answer_id, mode="offline")
        analysis = analyse(question, turns)
        composed = self._eligibility_answer(snapshot, question, filters) or self._compose(
            snapshot, analysis, filters
        )
        for piece in _pieces(composed.text):
            yield AnswerDelta(text=piece)
        yield CitationsReady(citations=composed.citations)
        answer = Answer(
            answer=composed.text,
            citations=composed.citations,
            abstained=composed.abstained,
            session_id=session_id,
            mode="offline",
            answer_id=answer_id,
        )
        self.conversations.record(
            session_id,
            Turn(
                question, analysis.subject, composed.text, composed.abstained, composed.pairing_ids, answer_id
            ),
        )
        yield AnswerDone(answer=answer)

    def _compose(self, snapshot: IndexSnapshot, analysis: QueryAnalysis, filters: Filters | None) -> Composed:
        query_vector = embed_query(self.embedder, analysis.subject)
        retrieved = retrieve(snapshot, query_vector, analysis.subject, self.settings.retrieval_k, filters)
        composer = OfflineComposer(
            snapshot,
            self._stats_for(snapshot),
            self.settings.max_answer_chars,
            self.settings.current_date(),
            filters,
        )
        return composer.compose(analysis, query_vector, retrieved)

    def _eligibility_answer(
        self, snapshot: IndexSnapshot, question: str, filters: Filters | None
    ) -> Composed | None:
        """'We are a town of 60,000 — can we apply?': a question carrying the applicant's facts gets the
        rule-by-rule check of the call in force, each verdict quoting the call; None for other questions."""
        if not snapshot.rules or not is_eligibility_question(question):
            return None
        profile = profile_from_question(question)
        if profile is None:
            return None
        programme, edition = call_in_question(question, snapshot.rules)
        report = self._check(
            snapshot, profile, programme or (filters.programme if filters else None), edition
        )
        if report.verdict == "no_rules":
            return None
        ruleset = [
            rule
            for rule in snapshot.rules
            if (rule.programme, rule.edition) == (report.programme, report.edition)
        ]
        text, citations = answer_text(report, ruleset)
        return Composed(text, citations, abstained=False)

    def check_eligibility(self, request: EligibilityRequest) -> EligibilityReport:
        return self._check(self.index.get(), request.profile(), request.programme, request.edition)

    def _check(
        self,
        snapshot: IndexSnapshot,
        profile: ApplicantProfile,
        programme: str | None,
        edition: str | int | None,
    ) -> EligibilityReport:
        """The check against the snapshot's rules; each quote is verified against the chunk it cites."""
        return check_eligibility(
            snapshot.rules,
            profile,
            programme,
            edition,
            chunks=snapshot.chunks,
            today=self.settings.current_date(),
        )

    def _turns_from(self, history: Sequence[Exchange]) -> list[Turn]:
        turns: list[Turn] = []
        for exchange in history[-self.settings.history_turns :] if self.settings.history_turns else []:
            subject = analyse(exchange.question, turns).subject
            turns.append(Turn(exchange.question, subject, exchange.answer))
        return turns

    def feedback(self, answer_id: str, rating: int, comment: str = "") -> None:
        if rating not in (-1, 1):
            raise InvalidRequestError("A rating is 1 (helpful) or -1 (not helpful).", field="rating")
        if not self.conversations.record_feedback(answer_id, rating, comment.strip()):
            raise NotFoundError(f"No answer has the id {answer_id!r}.", field="answer_id")

    def unanswered(self, limit: int = 500) -> list[UnansweredGroup]:
        return group_unanswered(self.conversations.unanswered(limit), self.embedder)

    def search(self, query: str, k: int = 5, filters: Filters | None = None) -> list[SearchHit]:
        query = self._check_question(query)
        snapshot = self.index.get()
        hits = retrieve(snapshot, embed_query(self.embedder, query), query, k, filters)
        return [
            SearchHit(
                source=hit.chunk.source,
                title=hit.chunk.title,
                section=hit.chunk.section,
                page=hit.chunk.page,
                text=hit.chunk.text,
                score=round(hit.score, 6),
                chunk_id=hit.chunk.id,
            )
            for hit in hits
        ]

    def pairings(
        self, city: str | None = None, country: str | None = None, topic: str | None = None
    ) -> list[PairingRow]:
        rows = self.index.get().pairings
        criteria = PairingCriteria()
        if city:
            wanted = city.strip().lower()
            criteria.cities = [
                name for row in rows for name in (row.eu_city, row.partner_city) if wanted in name.lower()
            ]
            if not criteria.cities:
                return []
        if country:
            code = gazetteer().code_of(country)
            if code is None:
                return []
            criteria.countries = [code]
        if topic:
            criteria.topics = terms(topic)
        return find_pairings(rows, criteria)

    def ingest(self, paths: Sequence[Path] | None = None) -> IngestReport:
        return sync(
            self.settings.data_dir,
            list(paths) if paths else [self.settings.corpus_dir],
            lambda: self.embedder,
            self._vector_factory,
        )

    def close(self) -> None:
        self.conversations.close()
