"""The OpenAI-compatible routes: any OpenAI client can use the assistant as a model."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import StreamingResponse

from assistant.faces.http import openai_compat
from assistant.faces.http.deps import ServiceDep
from assistant.faces.http.schemas import SSE_SCHEMA, errors
from assistant.faces.http.streaming import first_event, relay, sse
from assistant.models import AnswerDelta, AnswerDone, AnswerEvent, AnswerStarted, CitationsReady
from assistant.service import final_answer

router = APIRouter(tags=["openai"])


@router.get("/v1/models", summary="The one model this server offers (OpenAI-compatible)")
async def models() -> dict[str, Any]:
    return openai_compat.models_list()


@router.post(
    "/v1/chat/completions",
    summary="OpenAI-compatible chat completions (whole or `stream: true`); any model name is accepted",
    responses={200: {"content": {"application/json": {}, **SSE_SCHEMA}}, **errors(503)},
)
async def chat_completions(
    request: Request, body: openai_compat.ChatCompletionRequest, service: ServiceDep
) -> Any:
    question, history = openai_compat.question_and_history(body)
    events = service.ask_stream(question, None, None, history)
    first = await first_event(events)
    if not body.stream:
        answer = await run_in_threadpool(final_answer, events)
        return openai_compat.completion(answer, body.model)
    answer_id = first.answer_id if isinstance(first, AnswerStarted) else ""

    def render(event: AnswerEvent) -> list[str]:
        if isinstance(event, AnswerStarted):
            return [sse(openai_compat.chunk(answer_id, body.model, {"role": "assistant", "content": ""}))]
        if isinstance(event, AnswerDelta):
            return [sse(openai_compat.chunk(answer_id, body.model, {"content": event.text}))]
        if isinstance(event, CitationsReady):
            sources = openai_compat.sources_text(event.citations)
            return [sse(openai_compat.chunk(answer_id, body.model, {"content": sources}))] if sources else []
        assert isinstance(event, AnswerDone)
        return [sse(openai_compat.chunk(answer_id, body.model, {}, "stop", event.answer))]

    return StreamingResponse(
        relay(request, events, first, render, ["data: [DONE]\n\n"]),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-cache"},
    )
