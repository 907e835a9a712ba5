"""The OpenAI-compatible routes: any OpenAI client can use the assistant as a model."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import StreamingResponse

from assistant.faces.http import openai_compat
from assistant.faces.http.deps import ServiceDep
from assistant.faces.http.plain_text import PlainTextStream, plain_text
from assistant.faces.http.schemas import SSE_SCHEMA, errors
from assistant.faces.http.streaming import first_event, relay, sse
from assistant.faces.http.tokens import TokenCounter
from assistant.models import AnswerDelta, AnswerDone, AnswerEvent, AnswerStarted, CitationsReady
from assistant.service import final_answer

router = APIRouter(tags=["openai"])


@router.get("/v1/models", summary="The one model this server offers (OpenAI-compatible)")
async def models() -> dict[str, Any]:
    return openai_compat.models_list()


@router.post(
    "/v1/chat/completions",
    summary="OpenAI-compatible chat completions (whole or `stream: true`); any model name is accepted",
    description=(
        "The conversation comes from `messages`; the answer is plain text with `[n]` markers and a "
        "`Sources:` list (also in an extra `citations` field). `usage` counts tokens with the MiniLM "
        "tokenizer the project ships; with `stream_options.include_usage` a last chunk carries it. A "
        "system message asking for another language gets, in offline mode, a first sentence saying "
        "the answer is in English."
    ),
    responses={200: {"content": {"application/json": {}, **SSE_SCHEMA}}, **errors(503)},
)
async def chat_completions(
    request: Request, body: openai_compat.ChatCompletionRequest, service: ServiceDep
) -> Any:
    question, history = openai_compat.question_and_history(body)
    counter: TokenCounter = request.app.state.tokens
    language = openai_compat.requested_language(body)
    events = service.ask_stream(question, None, None, history)
    first = await first_event(events)
    offline = isinstance(first, AnswerStarted) and first.mode == "offline"
    note = openai_compat.language_note(language) if language and offline else ""
    if not body.stream:
        answer = await run_in_threadpool(final_answer, events)
        content = note + plain_text(answer.answer) + openai_compat.sources_text(answer.citations)
        token_usage = await run_in_threadpool(openai_compat.usage, body, content, counter)
        return openai_compat.completion(answer, body.model, content, token_usage)
    answer_id = first.answer_id if isinstance(first, AnswerStarted) else ""
    text = PlainTextStream()
    given: list[str] = []

    def piece(content: str) -> list[str]:
        given.append(content)
        return [sse(openai_compat.chunk(answer_id, body.model, {"content": content}))] if content else []

    def render(event: AnswerEvent) -> list[str]:
        if isinstance(event, AnswerStarted):
            return [
                sse(openai_compat.chunk(answer_id, body.model, {"role": "assistant", "content": ""})),
                *piece(note),
            ]
        if isinstance(event, AnswerDelta):
            return piece(text.feed(event.text))
        if isinstance(event, CitationsReady):
            return piece(text.flush() + openai_compat.sources_text(event.citations))
        assert isinstance(event, AnswerDone)
        last = [sse(openai_compat.chunk(answer_id, body.model, {}, "stop", event.answer))]
        if body.stream_options is not None and body.stream_options.include_usage:
            token_usage = openai_compat.usage(body, "".join(given), counter)
            last.append(sse(openai_compat.chunk(answer_id, body.model, {}, token_usage=token_usage)))
        return last

    return StreamingResponse(
        relay(request, events, first, render, ["data: [DONE]\n\n"]),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-cache"},
    )
