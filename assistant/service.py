"""The one entry every face calls: ask (whole or streamed), search, pairings, the eligibility check,
feedback, the unanswered-questions report, ingest (here and now, or as background jobs) and the document
library. For a question: check it → open the session → the answerer answers → stream the events →
record the turn."""

from __future__ import annotations

import logging
import re
import uuid
from collections.abc import Generator, Iterable, Iterator, Sequence
from datetime import date
from pathlib import Path
from typing import Protocol, runtime_checkable

from assistant.answering.base import Answerer, AnswerRequest
from assistant.answering.pairings import pairings_matching
from assistant.answering.query import analyse
from assistant.answering.retrieval import embed_query, retrieve
from assistant.citations import markers_in
from assistant.conversation import StateHealth, StateStore, Turn
from assistant.eligibility.check import check_eligibility
from assistant.eligibility.models import EligibilityReport, EligibilityRequest
from assistant.jobs import IngestJob, IngestJobs, JobKind
from assistant.library import (
    DocumentList,
    DocumentText,
    Removal,
    find,
    set_aside,
    store_upload,
    summaries,
    text_of,
)
from assistant.models import (
    Answer,
    AnswerDelta,
    AnswerDone,
    AnswerEvent,
    AnswerProgress,
    AnswerStarted,
    CitationsReady,
    Composed,
    Exchange,
    Filters,
    PairingRow,
    SearchHit,
)
from assistant.programmes import ProgrammeList, filter_values, programmes
from assistant.settings import Settings
from assistant.unanswered import UnansweredGroup, group_unanswered
from ingest.embedder import Embedder
from ingest.errors import InvalidRequestError, NotFoundError
from ingest.lock import writer_lock
from ingest.models import IngestReport
from ingest.pipeline import sync
from ingest.progress import IngestProgress
from ingest.snapshot import IndexHandle, IndexSnapshot
from ingest.store import rollback
from ingest.vector_index import VectorStore

logger = logging.getLogger(__name__)
# NUL and the other C0/C1 controls (tab and line breaks are text).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def _pieces(text: str, words_per_piece: int = 4) -> Iterator[str]:
    """The answer text in small pieces, whitespace kept, so a stream shows it as it comes."""
    tokens = re.findall(r"\s*\S+", text)
    for start in range(0, len(tokens), words_per_piece):
        yield "".join(tokens[start : start + words_per_piece])


@runtime_checkable
class SteppedAnswerer(Protocol):
    """An answerer that reports its work while it answers (the LLM answerer's tool rounds)."""

    def answer_steps(self, request: AnswerRequest) -> Generator[AnswerProgress, None, Composed]: ...


def final_answer(events: Iterable[AnswerEvent]) -> Answer:
    """Read an answer stream (or what is left of it) to its end: the whole answer."""
    for event in events:
        if isinstance(event, AnswerDone):
            return event.answer
    raise AssertionError("an answer stream always ends with its answer")  # pragma: no cover


class AssistantService:
    """Built by ``wiring.build_service``, which chooses the adapters; this class names none of them."""

    def __init__(
        self,
        settings: Settings,
        *,
        answerer: Answerer,
        embedder: Embedder,
        index: IndexHandle,
        conversations: StateStore,
        vectors: VectorStore,
    ) -> None:
        self.settings = settings
        self.answerer = answerer
        self.embedder = embedder
        self.index = index
        self.conversations = conversations
        self._programmes: tuple[tuple[str, date], ProgrammeList] | None = None
        self.jobs = IngestJobs(settings.ingest.jobs_kept)
        self._vectors = vectors
        index.on_load(self._warm_up)

    def _warm_up(self, snapshot: IndexSnapshot) -> None:
        """One question answered end to end on a generation before it serves: the model is loaded and
        whatever the answerer builds per generation is built, not by a user's first question."""
        self.answerer.warm_up(snapshot)

    def start(self) -> None:
        """For a server: load and warm the index in the background, and follow newly published
        generations (from this process's reindex, another process's or another machine's)."""
        self.index.watch(self.settings.index.poll_seconds)

    def _check_question(self, question: str) -> str:
        question = question.strip()
        if not question:
            raise InvalidRequestError("The question is empty.", field="question")
        control = _CONTROL.search(question)
        if control is not None:
            raise InvalidRequestError(
                f"The question contains a control character (U+{ord(control.group()):04X}); send plain text.",
                field="question",
            )
        limit = self.settings.answers.max_question_chars
        if len(question) > limit:
            raise InvalidRequestError(
                f"The question is {len(question)} characters long; the limit is {limit}.", field="question"
            )
        return question

    def _check_filters(self, filters: Filters | None, snapshot: IndexSnapshot) -> Filters:
        """The filters with each value as the index spells it ('iuc' is IUC); a value no document
        carries is refused, naming the values that exist."""
        filters = filters or Filters()
        allowed = filter_values(snapshot.documents.values())
        checked = {}
        for name in ("programme", "kind"):
            value = (getattr(filters, name) or "").strip()
            if not value:
                continue
            known = {option.casefold(): option for option in allowed[name]}
            if value.casefold() not in known:
                raise InvalidRequestError(
                    f"{name}: {value!r} is not a {name} the documents hold; one of: "
                    f"{', '.join(allowed[name]) or 'none'}.",
                    field=name,
                )
            checked[name] = known[value.casefold()]
        return Filters(programme=checked.get("programme"), kind=checked.get("kind"), source=filters.source)

    # --- answers --------------------------------------------------------------------------------
    def ask(
        self,
        question: str,
        session_id: str | None = None,
        filters: Filters | None = None,
        history: Sequence[Exchange] | None = None,
        *,
        caller: str | None = None,
        language: str | None = None,
    ) -> Answer:
        return final_answer(
            self.ask_stream(question, session_id, filters, history, caller=caller, language=language)
        )

    def ask_stream(
        self,
        question: str,
        session_id: str | None = None,
        filters: Filters | None = None,
        history: Sequence[Exchange] | None = None,
        *,
        caller: str | None = None,
        language: str | None = None,
    ) -> Generator[AnswerEvent, None, None]:
        """The answer as it is produced. ``history`` (a client's own record of the conversation) replaces
        the stored one; ``language`` is one the client asked answers in (LLM mode honours it). The turn
        is recorded only when the stream is read to its end: a client that went away stops the work and
        leaves nothing behind. An answerer that reports its work (LLM tool rounds) adds progress events
        before the text.

        Session ids are issued by the server: a known id continues its session; any other id is the
        ``caller``'s own label (the same caller sending it again continues the same conversation, another
        caller gets another one), and the answer carries the server's id."""
        question = self._check_question(question)
        with self.index.reading() as snapshot:
            filters = self._check_filters(filters, snapshot)
            yield from self._answer(
                snapshot,
                question,
                session_id,
                filters=filters,
                history=history,
                caller=caller,
                language=language,
            )

    def _answer(
        self,
        snapshot: IndexSnapshot,
        question: str,
        session_id: str | None,
        *,
        filters: Filters | None,
        history: Sequence[Exchange] | None,
        caller: str | None,
        language: str | None = None,
    ) -> Generator[AnswerEvent, None, None]:
        session_id = self.conversations.open_session(session_id, caller)
        turns = (
            self._turns_from(history)
            if history is not None
            else self.conversations.history(session_id, self.settings.answers.history_turns)
        )
        answer_id = uuid.uuid4().hex
        mode = self.answerer.mode
        yield AnswerStarted(session_id=session_id, answer_id=answer_id, mode=mode)
        request = AnswerRequest(question, snapshot, turns, filters or Filters(), language)
        if isinstance(self.answerer, SteppedAnswerer):
            composed = yield from self.answerer.answer_steps(request)
        else:
            composed = self.answerer.answer(request)
        for piece in _pieces(composed.text):
            yield AnswerDelta(text=piece)
        yield CitationsReady(citations=composed.citations)
        answer = Answer(
            answer=composed.text,
            citations=composed.citations,
            markers=composed.markers
            if composed.markers is not None
            else markers_in(composed.text, composed.citations),
            notices=composed.notices,
            abstained=composed.abstained,
            session_id=session_id,
            mode=mode,
            answer_id=answer_id,
        )
        self.conversations.record(
            session_id,
            Turn(
                question,
                composed.subject or question,
                composed.text,
                composed.abstained,
                composed.pairing_ids,
                answer_id,
                [citation.model_dump() for citation in answer.citations],
                [marker.model_dump() for marker in answer.markers],
                [notice.model_dump() for notice in answer.notices],
            ),
        )
        yield AnswerDone(answer=answer)

    def session(self, session_id: str) -> list[Turn]:
        """Every turn of a session, for whoever holds its id; NotFoundError for an id never issued."""
        turns = self.conversations.session_turns(session_id)
        if turns is None:
            raise NotFoundError("No session has this id.", field="session_id")
        return turns

    def _turns_from(self, history: Sequence[Exchange]) -> list[Turn]:
        turns: list[Turn] = []
        keep = self.settings.answers.history_turns
        for exchange in history[-keep:] if keep else []:
            subject = analyse(exchange.question, turns).subject
            turns.append(Turn(exchange.question, subject, exchange.answer))
        return turns

    def check_eligibility(self, request: EligibilityRequest) -> EligibilityReport:
        with self.index.reading() as snapshot:
            return check_eligibility(
                snapshot.rules,
                request.profile(),
                request.programme,
                request.edition,
                chunks=snapshot.chunks,
                today=self.settings.current_date(),
            )

    # --- retrieval ------------------------------------------------------------------------------
    def search(self, query: str, k: int = 5, filters: Filters | None = None) -> list[SearchHit]:
        query = self._check_question(query)
        with self.index.reading() as snapshot:
            filters = self._check_filters(filters, snapshot)
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
        return pairings_matching(self.index.get().pairings, city, country, topic)

    def programmes(self) -> ProgrammeList:
        """Programmes, editions and calls (open or closed today) the index holds; kept per generation
        and day, since it reads every sentence of every call."""
        snapshot = self.index.get()
        key = (snapshot.generation, self.settings.current_date())
        cached = self._programmes
        if cached is None or cached[0] != key:
            cached = (key, programmes(snapshot, key[1]))
            self._programmes = cached
        return cached[1]

    # --- feedback and staff ---------------------------------------------------------------------
    def feedback(self, answer_id: str, rating: int, comment: str = "") -> None:
        if rating not in (-1, 1):
            raise InvalidRequestError("A rating is 1 (helpful) or -1 (not helpful).", field="rating")
        if not self.conversations.record_feedback(answer_id, rating, comment.strip()):
            raise NotFoundError(f"No answer has the id {answer_id!r}.", field="answer_id")

    def unanswered(self, limit: int = 500) -> list[UnansweredGroup]:
        return group_unanswered(self.conversations.unanswered(limit), self.embedder)

    # --- ingest and the document library ---------------------------------------------------------
    def ingest(
        self,
        paths: Sequence[Path] | None = None,
        progress: IngestProgress | None = None,
        forget: Sequence[str] = (),
        *,
        force: bool = False,
    ) -> IngestReport:
        """Sync ``paths`` (default: the corpus folder) into a new index generation, here and now; this
        process serves it when this returns."""
        report = sync(
            self.settings.data_dir,
            list(paths) if paths else [self.settings.corpus_dir],
            lambda: self.embedder,
            self._vectors,
            limits=self.settings.ingest.limits(),
            progress=progress,
            forget=forget,
            keep=self.settings.index.keep_generations,
            max_removed_share=self.settings.index.max_removed_share,
            force=force,
        )
        self._serve_published()
        return report

    def rollback(self) -> tuple[str, str]:
        """Serve the generation before the serving one again; returns (from, to)."""
        with writer_lock(self.settings.data_dir):
            switched = rollback(self.settings.data_dir)
        self._serve_published()
        return switched

    def _serve_published(self) -> None:
        if self.index.loaded() is not None:  # a server: switch now rather than at the watcher's next look
            self.index.refresh()

    def documents(self) -> DocumentList:
        snapshot = self.index.get()
        listed = summaries(snapshot)
        return DocumentList(count=len(listed), generation=snapshot.generation, documents=listed)

    def document(self, key: str) -> DocumentText:
        """A document (by id or file name): its normalised text in order, chunk by chunk."""
        return text_of(self.index.get(), key)

    def remove_document(self, key: str, progress: IngestProgress | None = None) -> Removal:
        """Take a document (by id or file name) out of the index, here and now. Its file, if it is in the
        corpus folder, moves to ``<data_dir>/removed/`` (nothing is deleted)."""
        return self._remove(find(self.index.get(), key).meta.source, progress)

    def _remove(self, source: str, progress: IngestProgress | None) -> Removal:
        current = next((parsed for parsed in self.index.get().files if parsed.meta.source == source), None)
        moved = set_aside(self.settings.corpus_dir, self.settings.data_dir, current) if current else None
        report = self.ingest(progress=progress, forget=[source])
        return Removal(source=source, moved_to=str(moved) if moved else None, report=report)

    def start_reindex(self) -> IngestJob:
        """Sync the corpus folder in the background; progress at ``ingest_job(id)``."""
        return self.jobs.submit(JobKind.REINDEX, lambda progress: self.ingest(progress=progress))

    def start_upload(self, file_name: str, data: bytes, *, replace: bool = False) -> IngestJob:
        """Store an uploaded file in the corpus folder (checked, under a safe name), then sync the folder
        in the background."""
        path = store_upload(self.settings.corpus_dir, file_name, data, replace=replace)
        return self.jobs.submit(
            JobKind.UPLOAD, lambda progress: self.ingest(progress=progress), document=path.name
        )

    def start_removal(self, key: str) -> IngestJob:
        """Remove a document (by id or file name) in the background, as ``remove_document`` does."""
        source = find(self.index.get(), key).meta.source
        return self.jobs.submit(
            JobKind.REMOVE, lambda progress: self._remove(source, progress).report, document=source
        )

    def ingest_job(self, job_id: str) -> IngestJob:
        return self.jobs.get(job_id)

    def ingest_jobs(self) -> list[IngestJob]:
        return self.jobs.recent()

    def state_health(self) -> StateHealth:
        return self.conversations.health()

    def close(self) -> None:
        self.jobs.close()
        self.index.close()
        self.answerer.close()
        self.conversations.close()
