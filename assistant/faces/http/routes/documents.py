"""The document library, for everyone: what the index holds, and one document's text in order."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path
from fastapi.concurrency import run_in_threadpool

from assistant.faces.http.deps import ServiceDep
from assistant.faces.http.schemas import errors
from assistant.library import DocumentList, DocumentText

router = APIRouter(tags=["documents"])
DocumentKey = Annotated[
    str,
    Path(
        min_length=1,
        max_length=300,
        description="The document's id (as listed, or a citation's chunk_id up to its last ':') or file name",
    ),
]


@router.get(
    "/v1/documents",
    response_model=DocumentList,
    summary="Every indexed document: title, programme, kind, edition, file, chunks, when indexed, rules",
    responses=errors(503),
)
async def documents(service: ServiceDep) -> DocumentList:
    return await run_in_threadpool(service.documents)


@router.get(
    "/v1/documents/{document_id}",
    response_model=DocumentText,
    summary="One document's normalised text in reading order, chunk by chunk (chunk ids are anchors)",
    description=(
        "Each chunk's `id` is what citations carry as `chunk_id`, so a page can open the document at a "
        "cited passage: fetch `/v1/documents/{chunk_id up to its last ':'}` and scroll to that chunk."
    ),
    responses={**errors(404), **errors(503)},
)
async def document(service: ServiceDep, document_id: DocumentKey) -> DocumentText:
    return await run_in_threadpool(service.document, document_id)
