"""Liveness and readiness."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.concurrency import run_in_threadpool

from assistant.faces.http.deps import ServiceDep
from assistant.faces.http.schemas import Readiness, errors

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
    snapshot = await run_in_threadpool(service.index.get)
    return Readiness(status="ready", generation=snapshot.generation)
