"""Ratings of answers."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.concurrency import run_in_threadpool

from assistant.faces.http.deps import ServiceDep
from assistant.faces.http.schemas import FeedbackRecorded, FeedbackRequest, errors

router = APIRouter(tags=["feedback"])


@router.post(
    "/v1/feedback",
    response_model=FeedbackRecorded,
    status_code=201,
    summary="Rate an answer (1 or -1) with an optional comment",
    responses=errors(404),
)
async def feedback(body: FeedbackRequest, service: ServiceDep) -> FeedbackRecorded:
    await run_in_threadpool(service.feedback, body.answer_id, body.rating, body.comment)
    return FeedbackRecorded(answer_id=body.answer_id, rating=body.rating)
