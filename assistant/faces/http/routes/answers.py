"""Answers: whole, streamed as Server-Sent Events, and the eligibility check."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import StreamingResponse

from assistant.eligibility.models import EligibilityReport, EligibilityRequest
from assistant.faces.http.deps import CallerDep, ServiceDep
from assistant.faces.http.schemas import SSE_SCHEMA, AskRequest, errors
from assistant.faces.http.streaming import first_event, relay, sse
from assistant.models import Answer, AnswerDelta, AnswerEvent, AnswerStarted, CitationsReady, Filters

router = APIRouter(tags=["answers"])


@router.post(
    "/v1/ask",
    response_model=Answer,
    summary="Answer a question from the documents, with citations",
    responses=errors(503),
)
async def ask(body: AskRequest, service: ServiceDep, caller: CallerDep) -> Answer:
    filters = Filters(programme=body.programme, kind=body.kind)
    return await run_in_threadpool(service.ask, body.question, body.session_id, filters, None, caller)


def _render(event: AnswerEvent) -> list[str]:
    if isinstance(event, AnswerStarted):
        return [sse(event.model_dump(exclude={"type"}), "start")]
    if isinstance(event, AnswerDelta):
        return [sse({"text": event.text})]
    if isinstance(event, CitationsReady):
        return [sse([c.model_dump() for c in event.citations], "citations")]
    return [sse(event.answer.model_dump(), "done")]


@router.post(
    "/v1/ask/stream",
    summary="The answer as Server-Sent Events: start, text pieces, citations, done",
    description=(
        'Events: `start` (session_id, answer_id), then unnamed `data` events `{"text": piece}` '
        "as the answer is produced, then `citations` (the list), then `done` (the whole answer, as "
        "`/v1/ask` returns it). A client that disconnects stops the work; its answer is not recorded."
    ),
    response_class=StreamingResponse,
    responses={200: {"content": SSE_SCHEMA}, **errors(503)},
)
async def ask_stream(
    request: Request, body: AskRequest, service: ServiceDep, caller: CallerDep
) -> StreamingResponse:
    filters = Filters(programme=body.programme, kind=body.kind)
    events = service.ask_stream(body.question, body.session_id, filters, None, caller)
    first = await first_event(events)
    return StreamingResponse(
        relay(request, events, first, _render, []),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )


@router.post(
    "/v1/eligibility",
    response_model=EligibilityReport,
    summary="Check an applicant against a call's eligibility rules, criterion by criterion",
    description=(
        "Each criterion comes back as `meets`, `does_not_meet`, `not_stated` (the documents set no "
        "rule on that fact) or `unknown` (the profile does not give the fact), with the call's words "
        "and a citation. The verdict never overstates: an encouraged figure is not a requirement."
    ),
    responses=errors(503),
)
async def eligibility(body: EligibilityRequest, service: ServiceDep) -> EligibilityReport:
    return await run_in_threadpool(service.check_eligibility, body)
