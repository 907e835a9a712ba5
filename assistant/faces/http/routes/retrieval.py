"""Retrieval without an answer: passages for a query, and rows of the pairings tables."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.concurrency import run_in_threadpool

from assistant.faces.http.deps import ServiceDep
from assistant.faces.http.schemas import PairingList, SearchResults, errors
from assistant.models import Filters

router = APIRouter(tags=["retrieval"])


@router.get(
    "/v1/search",
    response_model=SearchResults,
    summary="Retrieval only: the passages that best match a query",
    responses=errors(503),
)
async def search(
    service: ServiceDep,
    q: Annotated[str, Query(min_length=1, description="The query", examples=["study tours"])],
    k: Annotated[int, Query(ge=1, le=50, description="How many passages")] = 5,
    programme: Annotated[
        str | None, Query(max_length=100, examples=["IUC"], description="A programme /v1/programmes lists")
    ] = None,
    kind: Annotated[
        str | None,
        Query(max_length=100, examples=["call for applications"], description="A kind /v1/programmes lists"),
    ] = None,
) -> SearchResults:
    hits = await run_in_threadpool(service.search, q, k, Filters(programme=programme, kind=kind))
    return SearchResults(results=hits)


@router.get(
    "/v1/pairings",
    response_model=PairingList,
    summary="The city-to-city pairings tables, filtered by city, country and topic",
    responses=errors(503),
)
async def pairings(
    service: ServiceDep,
    city: Annotated[str | None, Query(max_length=200, examples=["Hamburg"])] = None,
    country: Annotated[str | None, Query(max_length=100, examples=["India"])] = None,
    topic: Annotated[str | None, Query(max_length=200, examples=["mobility"])] = None,
) -> PairingList:
    rows = await run_in_threadpool(service.pairings, city, country, topic)
    return PairingList(count=len(rows), pairings=rows)
