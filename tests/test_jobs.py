"""The ingest job runner on its own: one job at a time in submission order, progress written into the
job, failures kept as the job's error (an unexpected one logged, not leaked), old jobs forgotten, and
queued jobs failed when the server stops."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator

import pytest

from assistant.jobs import IngestJob, IngestJobs, JobKind, JobState
from ingest.errors import ConflictError, IndexLockedError, NotFoundError
from ingest.models import IngestReport
from ingest.progress import IngestProgress, Phase

BOUND = 30.0  # a hang guard


def finished(jobs: IngestJobs, job_id: str) -> IngestJob:
    deadline = time.monotonic() + BOUND
    while (job := jobs.get(job_id)).state not in (JobState.DONE, JobState.FAILED):
        assert time.monotonic() < deadline, job
        time.sleep(0.01)
    return job


def held(release: threading.Event) -> Callable[[IngestProgress], IngestReport]:
    """Work that runs until ``release`` is set."""

    def run(_: IngestProgress) -> IngestReport:
        assert release.wait(BOUND)
        return IngestReport()

    return run


@pytest.fixture
def jobs() -> Iterator[IngestJobs]:
    runner = IngestJobs(keep=3)
    yield runner
    runner.close()


def test_jobs_run_one_at_a_time_in_order_and_report_progress(jobs: IngestJobs) -> None:
    release = threading.Event()
    order: list[str] = []
    running = threading.Lock()

    def work(name: str, block: bool) -> Callable[[IngestProgress], IngestReport]:
        def run(progress: IngestProgress) -> IngestReport:
            assert running.acquire(blocking=False), "two jobs ran at once"
            try:
                order.append(name)
                progress.phase(Phase.EMBEDDING)
                progress.files(2, 3)
                progress.chunks(40)
                progress.embedded(16, 64)
                if block:
                    assert release.wait(BOUND)
                return IngestReport(files_added=[name], chunks_total=40)
            finally:
                running.release()

        return run

    first = jobs.submit(JobKind.UPLOAD, work("first", True), document="first.md")
    second = jobs.submit(JobKind.REMOVE, work("second", False), document="second.md")
    deadline = time.monotonic() + BOUND
    while jobs.get(first.id).embedding_total != 64:
        assert time.monotonic() < deadline
        time.sleep(0.01)
    midway = jobs.get(first.id)
    assert (midway.state, midway.phase, midway.files_done, midway.files_total) == (
        JobState.RUNNING,
        "embedding",
        2,
        3,
    )
    assert (midway.chunks_total, midway.embedding_done) == (40, 16)
    assert jobs.get(second.id).state is JobState.QUEUED
    release.set()
    done = finished(jobs, second.id)
    assert order == ["first", "second"]
    assert (done.state, done.phase, done.document, done.error) == (JobState.DONE, "done", "second.md", None)
    assert done.report is not None and done.report.files_added == ["second"]
    assert [job.id for job in jobs.recent()] == [second.id, first.id]


def test_a_reindex_asked_while_one_waits_is_that_job(jobs: IngestJobs) -> None:
    release = threading.Event()
    running = jobs.submit(JobKind.UPLOAD, held(release))
    waiting = jobs.submit(JobKind.REINDEX, lambda _: IngestReport())
    again = jobs.submit(JobKind.REINDEX, lambda _: IngestReport())
    assert again.id == waiting.id != running.id
    release.set()
    assert finished(jobs, waiting.id).state is JobState.DONE


def test_failures_are_the_jobs_error_and_unexpected_ones_are_logged_not_shown(
    jobs: IngestJobs, caplog: pytest.LogCaptureFixture
) -> None:
    def locked(_: IngestProgress) -> IngestReport:
        raise IndexLockedError("Another ingest is already writing the index (pid 1).")

    def broken(_: IngestProgress) -> IngestReport:
        raise RuntimeError("secret internal detail")

    known = finished(jobs, jobs.submit(JobKind.REINDEX, locked).id)
    assert (known.state, known.phase, known.report) == (JobState.FAILED, "failed", None)
    assert known.error is not None and known.error.code == "index_locked"
    assert "already writing" in known.error.message
    unknown = finished(jobs, jobs.submit(JobKind.UPLOAD, broken).id)
    assert unknown.error is not None and unknown.error.code == "internal"
    assert "secret" not in unknown.error.message
    assert "secret internal detail" in caplog.text


def test_old_finished_jobs_are_forgotten(jobs: IngestJobs) -> None:
    ids = []
    for _ in range(5):
        ids.append(jobs.submit(JobKind.UPLOAD, lambda _: IngestReport()).id)
        finished(jobs, ids[-1])
    assert [job.id for job in jobs.recent()][:3] == ids[::-1][:3]
    with pytest.raises(NotFoundError):
        jobs.get(ids[0])


def test_stopping_fails_the_queued_jobs_and_refuses_new_ones() -> None:
    jobs = IngestJobs()
    release = threading.Event()
    running = jobs.submit(JobKind.UPLOAD, held(release))
    queued = jobs.submit(JobKind.REINDEX, lambda _: IngestReport())
    deadline = time.monotonic() + BOUND
    # On a busy machine the worker may not have taken the first job yet; stopping would fail it as queued.
    while jobs.get(running.id).state is JobState.QUEUED:
        assert time.monotonic() < deadline
        time.sleep(0.01)
    closer = threading.Thread(target=jobs.close)
    closer.start()
    while jobs.get(queued.id).state is JobState.QUEUED:
        assert time.monotonic() < deadline
        time.sleep(0.01)
    stopped = jobs.get(queued.id)
    assert stopped.state is JobState.FAILED and stopped.error is not None and stopped.error.code == "stopped"
    release.set()  # the running job may finish
    closer.join(BOUND)
    assert jobs.get(running.id).state is JobState.DONE
    with pytest.raises(ConflictError, match="stopping"):
        jobs.submit(JobKind.REINDEX, lambda _: IngestReport())
