"""Ingests in the background: a reindex, an upload or a removal becomes a job that one worker thread
runs after the others, while the server goes on answering. Its progress (phase, files, chunks,
embeddings) and, when done, its report can be read by id.

Jobs live in the server's memory: a restart forgets them (the index itself is crash-safe, and a job cut
short leaves the previous generation serving)."""

from __future__ import annotations

import logging
import threading
import uuid
from collections import OrderedDict
from collections.abc import Callable
from datetime import UTC, datetime
from enum import StrEnum

from pydantic import BaseModel, Field

from ingest.errors import AssistantError, ConflictError, NotFoundError
from ingest.models import IngestReport
from ingest.progress import IngestProgress, Phase

logger = logging.getLogger(__name__)
_STOP_WAIT_SECONDS = 30.0


class JobState(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


class JobKind(StrEnum):
    REINDEX = "reindex"
    UPLOAD = "upload"
    REMOVE = "remove"


class JobError(BaseModel):
    code: str
    message: str


class IngestJob(BaseModel):
    """An ingest run in the background, as `GET /v1/admin/ingests/{id}` shows it."""

    id: str = Field(examples=["5d0c8a3f9e2b4c71a6f0e9d8c7b6a5f4"])
    kind: JobKind
    state: JobState
    phase: str = Field(
        description="queued, reading (files), embedding, writing, done or failed", examples=["embedding"]
    )
    document: str | None = Field(default=None, description="The file uploaded or removed")
    files_done: int = Field(default=0, description="Files read so far (parsed, or found unchanged)")
    files_total: int = Field(default=0, description="Files found to read")
    chunks_total: int = Field(default=0, description="Chunks in the index being built, so far")
    embedding_done: int = Field(default=0, description="Texts (passages and sentences) with their vectors")
    embedding_total: int = Field(default=0, description="Texts the build embeds (most come from the cache)")
    created_at: datetime
    started_at: datetime | None = None
    finished_at: datetime | None = None
    report: IngestReport | None = Field(default=None, description="What the ingest did, once done")
    error: JobError | None = Field(default=None, description="Why the job failed")


Work = Callable[[IngestProgress], IngestReport]


class _Progress(IngestProgress):
    """Writes what the ingest tells into its job."""

    batch = 16  # queries share the model: each waits for at most one small batch of the ingest

    def __init__(self, jobs: IngestJobs, job_id: str) -> None:
        self._jobs = jobs
        self._id = job_id

    def phase(self, phase: Phase) -> None:
        self._jobs._update(self._id, phase=phase.value)

    def files(self, done: int, total: int) -> None:
        self._jobs._update(self._id, files_done=done, files_total=total)

    def chunks(self, total: int) -> None:
        self._jobs._update(self._id, chunks_total=total)

    def embedded(self, done: int, total: int) -> None:
        self._jobs._update(self._id, embedding_done=done, embedding_total=total)


class IngestJobs:
    """The queue of ingest jobs and the one thread that runs them, oldest first."""

    def __init__(self, keep: int = 100) -> None:
        self._keep = keep
        self._jobs: OrderedDict[str, IngestJob] = OrderedDict()
        self._work: dict[str, Work] = {}
        self._lock = threading.Condition()
        self._worker: threading.Thread | None = None
        self._stopping = False

    def submit(self, kind: JobKind, work: Work, *, document: str | None = None) -> IngestJob:
        """Queue ``work``; a reindex asked for while another waits to start is that same job."""
        with self._lock:
            if self._stopping:
                raise ConflictError("The server is stopping; no new ingest is started.")
            if kind is JobKind.REINDEX:
                waiting = next(
                    (job for job in self._jobs.values() if job.kind is kind and job.state is JobState.QUEUED),
                    None,
                )
                if waiting is not None:
                    return waiting.model_copy(deep=True)
            job = IngestJob(
                id=uuid.uuid4().hex,
                kind=kind,
                state=JobState.QUEUED,
                phase="queued",
                document=document,
                created_at=datetime.now(UTC),
            )
            self._jobs[job.id] = job
            self._work[job.id] = work
            self._forget_old()
            if self._worker is None:
                self._worker = threading.Thread(target=self._run, name="ingest-jobs", daemon=True)
                self._worker.start()
            self._lock.notify_all()
            return job.model_copy(deep=True)

    def get(self, job_id: str) -> IngestJob:
        with self._lock:
            job = self._jobs.get(job_id)
            if job is None:
                raise NotFoundError(f"No ingest job has the id {job_id!r}.", field="id")
            return job.model_copy(deep=True)

    def recent(self) -> list[IngestJob]:
        """Every job remembered, newest first."""
        with self._lock:
            return [job.model_copy(deep=True) for job in reversed(self._jobs.values())]

    def close(self) -> None:
        """Start nothing more: queued jobs fail, the running one may finish (for a while)."""
        with self._lock:
            self._stopping = True
            for job in self._jobs.values():
                if job.state is JobState.QUEUED:
                    self._finish(job, error=JobError(code="stopped", message="The server stopped first."))
            self._lock.notify_all()
            worker = self._worker
        if worker is not None:
            worker.join(_STOP_WAIT_SECONDS)
            if worker.is_alive():
                logger.warning(
                    "an ingest is still running as the server stops; the index keeps its last generation"
                )

    # --- the worker ----------------------------------------------------------------------------
    def _run(self) -> None:
        while True:
            with self._lock:
                self._lock.wait_for(lambda: self._stopping or self._next() is not None)
                job = self._next()
                if job is None:
                    return  # stopping, nothing left to run
                work = self._work.pop(job.id)
                job.state, job.phase, job.started_at = (
                    JobState.RUNNING,
                    Phase.READING.value,
                    datetime.now(UTC),
                )
            report: IngestReport | None = None
            error: JobError | None = None
            try:
                report = work(_Progress(self, job.id))
            except AssistantError as failure:
                error = JobError(code=failure.code, message=failure.message)
            except Exception:
                logger.exception("ingest job %s failed", job.id)
                error = JobError(
                    code="internal", message="The ingest failed unexpectedly; it has been logged."
                )
            with self._lock:
                self._finish(job, report=report, error=error)
                self._lock.notify_all()

    def _next(self) -> IngestJob | None:
        return next((job for job in self._jobs.values() if job.state is JobState.QUEUED), None)

    def _finish(
        self, job: IngestJob, *, report: IngestReport | None = None, error: JobError | None = None
    ) -> None:
        job.state = JobState.FAILED if error is not None else JobState.DONE
        job.phase = job.state.value
        job.report, job.error, job.finished_at = report, error, datetime.now(UTC)
        self._work.pop(job.id, None)

    def _update(self, job_id: str, **fields: object) -> None:
        with self._lock:
            job = self._jobs[job_id]
            for name, value in fields.items():
                setattr(job, name, value)

    def _forget_old(self) -> None:
        finished = [job.id for job in self._jobs.values() if job.state in (JobState.DONE, JobState.FAILED)]
        for job_id in finished[: max(0, len(finished) - self._keep)]:
            del self._jobs[job_id]
