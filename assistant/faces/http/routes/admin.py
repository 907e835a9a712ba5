"""Staff routes behind the admin key: the unanswered-questions report and reindexing."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.concurrency import run_in_threadpool

from assistant.faces.http.deps import ADMIN, ServiceDep
from assistant.faces.http.schemas import ERROR_SCHEMA, UnansweredList
from ingest.models import IngestReport

router = APIRouter(tags=["admin"], dependencies=ADMIN)
_ADMIN_ERRORS: dict[int | str, dict[str, Any]] = {401: ERROR_SCHEMA, 403: ERROR_SCHEMA}


@router.get(
    "/v1/admin/unanswered",
    response_model=UnansweredList,
    summary="Abstained and down-rated questions, grouped by similarity with counts, newest first",
    responses=_ADMIN_ERRORS,
)
async def unanswered(
    service: ServiceDep, limit: Annotated[int, Query(ge=1, le=5000, description="Questions read")] = 500
) -> UnansweredList:
    return UnansweredList(groups=await run_in_threadpool(service.unanswered, limit))


@router.post(
    "/v1/admin/reindex",
    response_model=IngestReport,
    summary="Sync the corpus folder into a new index and switch to it atomically",
    responses={**_ADMIN_ERRORS, 409: ERROR_SCHEMA},
)
async def reindex(service: ServiceDep) -> IngestReport:
    return await run_in_threadpool(service.ingest)
