"""Liveness and readiness."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.concurrency import run_in_threadpool

from assistant.faces.http.deps import ServiceDep
from assistant.faces.http.schemas import Readiness, errors
from ingest.errors import StateUnavailableError

router = APIRouter(tags=["health"])


@router.get("/healthz", summary="Liveness")
async def healthz() -> dict[str, str]:
    return {"status": "ok"}


@router.get(
    "/readyz",
    summary="Readiness: an index is loaded and answers can be given",
    response_model=Readiness,
    responses=errors(503),
)
async def readyz(service: ServiceDep) -> Readiness:
    """503 until an index generation is loaded, and while the state database cannot be written (answers
    are still given then, without memory: a balancer should prefer another replica)."""
    snapshot = await run_in_threadpool(service.index.get)
    state = await run_in_threadpool(service.state_health)
    if not state.ok:
        raise StateUnavailableError(state.problem)
    return Readiness(status="ready", generation=snapshot.generation)
