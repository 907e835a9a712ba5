"""Staff routes that change the index, each answered at once with a background job (202): a reindex of
the corpus folder, an upload into it, a removal; and the jobs' progress."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response
from fastapi.concurrency import run_in_threadpool

from assistant.faces.http.deps import ADMIN, ServiceDep
from assistant.faces.http.routes.documents import DocumentKey
from assistant.faces.http.schemas import ADMIN_ERRORS, errors
from assistant.faces.http.uploads import read_upload
from assistant.jobs import IngestJob
from assistant.settings import Settings

router = APIRouter(tags=["admin"], dependencies=ADMIN)
_LOCATION = {"Location": {"description": "Where the job's progress is read", "schema": {"type": "string"}}}
_ACCEPTED: dict[int | str, dict[str, Any]] = {202: {"description": "The job, queued", "headers": _LOCATION}}
_UPLOAD_BODY = {
    "required": True,
    "content": {
        "multipart/form-data": {
            "schema": {
                "type": "object",
                "properties": {"file": {"type": "string", "format": "binary"}},
                "required": ["file"],
            }
        }
    },
}


def _accepted(response: Response, job: IngestJob) -> IngestJob:
    response.headers["Location"] = f"/v1/admin/ingests/{job.id}"
    return job


@router.post(
    "/v1/admin/reindex",
    response_model=IngestJob,
    status_code=202,
    summary="Sync the corpus folder into a new index generation in the background",
    description=(
        "Answers at once with the job; `GET /v1/admin/ingests/{id}` follows it, and holds the report "
        "(files added, changed, removed, failed; rules) when it is done. A reindex asked for while another "
        "is still queued is that same job. Queries are answered from the current generation meanwhile."
    ),
    responses={**ADMIN_ERRORS, **_ACCEPTED, **errors(409)},
)
async def reindex(service: ServiceDep, response: Response) -> IngestJob:
    return _accepted(response, await run_in_threadpool(service.start_reindex))


@router.post(
    "/v1/admin/documents",
    response_model=IngestJob,
    status_code=202,
    summary="Upload a document into the corpus folder and index it in the background",
    description=(
        "A multipart form with one `file` (.txt, .md, .html, .htm or .pdf, at most "
        "`ASSISTANT_INGEST__MAX_FILE_BYTES`). It is checked, stored under a safe version of its name, and "
        "the corpus folder is synced by a job. A file of the same name is replaced only with `replace=true`."
    ),
    openapi_extra={"requestBody": _UPLOAD_BODY},
    responses={**ADMIN_ERRORS, **_ACCEPTED, **errors(409), **errors(413), **errors(422)},
)
async def upload(
    request: Request,
    service: ServiceDep,
    response: Response,
    replace: Annotated[bool, Query(description="Replace a document of the same name")] = False,
) -> IngestJob:
    # The form is read here, after the admin key was checked, never before.
    settings: Settings = request.app.state.settings
    upload = await read_upload(request, "file", settings.ingest.max_file_bytes)
    job = await run_in_threadpool(service.start_upload, upload.filename, upload.data, replace=replace)
    return _accepted(response, job)


@router.delete(
    "/v1/admin/documents/{document_id}",
    response_model=IngestJob,
    status_code=202,
    summary="Remove a document from the index in the background (its file moves out of the corpus folder)",
    responses={**ADMIN_ERRORS, **_ACCEPTED, **errors(404), **errors(409), **errors(503)},
)
async def remove(service: ServiceDep, response: Response, document_id: DocumentKey) -> IngestJob:
    return _accepted(response, await run_in_threadpool(service.start_removal, document_id))


@router.get(
    "/v1/admin/ingests",
    response_model=list[IngestJob],
    summary="The ingest jobs the server remembers, newest first",
    responses=ADMIN_ERRORS,
)
async def ingests(service: ServiceDep) -> list[IngestJob]:
    return service.ingest_jobs()


@router.get(
    "/v1/admin/ingests/{job_id}",
    response_model=IngestJob,
    summary="One ingest job: state, phase, files done/total, chunks, embeddings, and its report when done",
    responses={**ADMIN_ERRORS, **errors(404)},
)
async def ingest_job(service: ServiceDep, job_id: str) -> IngestJob:
    return service.ingest_job(job_id)
