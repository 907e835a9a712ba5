"""What the index knows about the programmes: editions, and calls open or closed today."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.concurrency import run_in_threadpool

from assistant.faces.http.deps import ServiceDep
from assistant.faces.http.schemas import errors
from assistant.programmes import ProgrammeList

router = APIRouter(tags=["retrieval"])


@router.get(
    "/v1/programmes",
    response_model=ProgrammeList,
    summary="Programmes, their editions, and their calls open or closed today",
    description=(
        "Every programme the indexed documents belong to, with the editions of its calls and FAQs, the "
        "kinds of its documents, and each call with the latest deadline its text gives: `open` or "
        "`closed` on `today`, `unknown` when the text gives no date. `programme` and `kind` here are "
        "the values the `programme` and `kind` filters of /v1/ask and /v1/search accept."
    ),
    responses=errors(503),
)
async def programmes(service: ServiceDep) -> ProgrammeList:
    return await run_in_threadpool(service.programmes)
