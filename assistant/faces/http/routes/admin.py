"""Staff routes behind the admin key: the unanswered-questions report (reindexing and documents are in
``ingests``)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.concurrency import run_in_threadpool

from assistant.faces.http.deps import ADMIN, ServiceDep
from assistant.faces.http.schemas import ADMIN_ERRORS, UnansweredList

router = APIRouter(tags=["admin"], dependencies=ADMIN)


@router.get(
    "/v1/admin/unanswered",
    response_model=UnansweredList,
    summary="Abstained and down-rated questions, grouped by similarity with counts, newest first",
    responses=ADMIN_ERRORS,
)
async def unanswered(
    service: ServiceDep, limit: Annotated[int, Query(ge=1, le=5000, description="Questions read")] = 500
) -> UnansweredList:
    return UnansweredList(groups=await run_in_threadpool(service.unanswered, limit))
