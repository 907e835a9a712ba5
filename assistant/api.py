"""The HTTP face: FastAPI routes that parse, call the service and translate errors. No logic here."""

from __future__ import annotations

import hmac
import json
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Generator, Iterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import Depends, FastAPI, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import FileResponse, JSONResponse, Response, StreamingResponse
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from assistant import openai_compat
from assistant.eligibility import EligibilityReport, EligibilityRequest
from assistant.http_limits import BodySizeLimit, RateLimit, TokenBuckets, error_response
from assistant.models import (
    Answer,
    AnswerDelta,
    AnswerDone,
    AnswerEvent,
    AnswerStarted,
    CitationsReady,
    PairingRow,
    SearchHit,
)
from assistant.retrieval import Filters
from assistant.service import AssistantService, final_answer
from assistant.settings import Settings
from assistant.unanswered import UnansweredGroup
from ingest.errors import (
    AssistantError,
    AuthenticationError,
    FeatureDisabledError,
    IndexLockedError,
    IndexMissingError,
    InvalidRequestError,
    NotFoundError,
)
from ingest.models import IngestReport

logger = logging.getLogger(__name__)

WEB_DIR = Path(__file__).parent / "web"
_STATUS = {
    InvalidRequestError: 422,
    NotFoundError: 404,
    AuthenticationError: 401,
    FeatureDisabledError: 403,
    IndexMissingError: 503,
    IndexLockedError: 409,
}
_HTTP_CODES = {404: "not_found", 405: "method_not_allowed", 413: "payload_too_large"}
_ERROR_SCHEMA = {
    "description": "An error",
    "content": {
        "application/json": {
            "example": {"error": {"code": "invalid_request", "message": "question: Field required"}}
        }
    },
}
# The page and its files: nothing but this origin, never framed, never content-sniffed.
_PAGE_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; object-src 'none'; frame-ancestors 'none'; base-uri 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}
# Before OpenAPI 3.2 a text/event-stream schema describes one event.
_SSE = {
    "text/event-stream": {
        "schema": {
            "type": "object",
            "properties": {"event": {"type": "string"}, "data": {"type": "string"}},
            "required": ["data"],
        }
    }
}


# --- request and response bodies --------------------------------------------------------------------
class AskRequest(BaseModel):
    question: str = Field(
        min_length=1, pattern=r"\S", examples=["We are a town of 60,000 people. Can we apply?"]
    )
    session_id: str | None = Field(
        default=None, max_length=128, description="Continue a conversation; an unknown id starts a new one"
    )
    programme: str | None = Field(default=None, max_length=100, description="Only this programme's documents")
    kind: str | None = Field(default=None, max_length=100, description="Only documents of this kind")


class SearchResults(BaseModel):
    results: list[SearchHit]


class PairingList(BaseModel):
    count: int
    pairings: list[PairingRow]


class FeedbackRequest(BaseModel):
    answer_id: str = Field(min_length=1, max_length=64, examples=["3f1c0e2a9b7d4c6e8f0a1b2c3d4e5f60"])
    rating: Literal[1, -1] = Field(description="1: helpful, -1: not helpful")
    comment: str = Field(default="", max_length=2000, examples=["It missed the 2018 deadline."])


class FeedbackRecorded(BaseModel):
    status: Literal["recorded"] = "recorded"
    answer_id: str
    rating: int


class UnansweredList(BaseModel):
    groups: list[UnansweredGroup]


class Readiness(BaseModel):
    status: Literal["ready"]
    generation: str


def _sse(data: object, event: str | None = None) -> str:
    head = f"event: {event}\n" if event else ""
    return f"{head}data: {json.dumps(data, ensure_ascii=False)}\n\n"


def _service(request: Request) -> AssistantService:
    service: AssistantService = request.app.state.service
    return service


ServiceDep = Annotated[AssistantService, Depends(_service)]


async def _relay(
    request: Request,
    events: Generator[AnswerEvent, None, None],
    first: AnswerEvent,
    render: Callable[[AnswerEvent], list[str]],
    closing: list[str],
) -> AsyncIterator[str]:
    """Render events as they come; a client gone away stops the work (the generator is closed, so the
    answer is never finished nor recorded)."""
    finished = False
    try:
        for text in render(first):
            yield text
        while True:
            if await request.is_disconnected():
                logger.info("client went away; stopping the answer")
                return
            event = await run_in_threadpool(next, events, None)
            if event is None:
                finished = True
                break
            for text in render(event):
                yield text
        for text in closing:
            yield text
    finally:
        if not finished:
            try:
                events.close()
            except ValueError:  # still running in its thread: it ends at its next step, unrecorded
                logger.debug("answer generator busy while closing")


async def _start(events: Iterator[AnswerEvent]) -> AnswerEvent:
    """The first event, pulled before the response starts so bad input still gets a JSON error."""
    return await run_in_threadpool(next, events)


def create_app(settings: Settings, service: AssistantService | None = None) -> FastAPI:
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.service = service or AssistantService(settings)
        yield
        app.state.service.close()

    app = FastAPI(
        title="City-to-city cooperation assistant",
        version="0.2.0",
        lifespan=lifespan,
        description=(
            "Grounded, cited answers from the EU's city-to-city cooperation programme documents "
            "(IUC, IURC, Partnerships for Sustainable Cities, URBACT). Errors are JSON: "
            '`{"error": {"code", "message"}}`.'
        ),
        responses={422: _ERROR_SCHEMA, 429: _ERROR_SCHEMA},
    )
    if settings.rate_limit_per_minute:
        app.add_middleware(
            RateLimit,
            buckets=TokenBuckets(settings.rate_limit_per_minute, settings.rate_limit_burst),
        )
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_body_bytes)
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "POST"],
            allow_headers=["Authorization", "Content-Type"],
        )

    # --- errors ---------------------------------------------------------------------------------
    @app.exception_handler(AssistantError)
    async def assistant_error(_: Request, error: AssistantError) -> JSONResponse:
        status = next((code for kind, code in _STATUS.items() if isinstance(error, kind)), 500)
        if status == 500:
            logger.error("request failed: %s", error.message)
        headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
        return error_response(status, error.code, error.message, headers)

    @app.exception_handler(RequestValidationError)
    async def validation_error(_: Request, error: RequestValidationError) -> JSONResponse:
        problems = "; ".join(
            f"{'.'.join(str(part) for part in item['loc'] if part != 'body')}: {item['msg']}"
            for item in error.errors()
        )
        return error_response(422, "invalid_request", problems or "invalid request")

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_: Request, error: StarletteHTTPException) -> JSONResponse:
        if error.status_code == 400:  # FastAPI's 'error parsing the body': a body that is not UTF-8 JSON
            return error_response(422, "invalid_request", "The body is not valid JSON (UTF-8).")
        code = _HTTP_CODES.get(error.status_code, "http_error")
        return error_response(error.status_code, code, str(error.detail), dict(error.headers or {}))

    @app.exception_handler(Exception)
    async def unexpected_error(_: Request, error: Exception) -> JSONResponse:
        logger.error("unexpected error", exc_info=error)
        return error_response(500, "internal", "The assistant failed on this request; it has been logged.")

    def require_admin(request: Request) -> None:
        if settings.admin_key is None:
            raise FeatureDisabledError("Admin routes are disabled: set ASSISTANT_ADMIN_KEY to enable them.")
        scheme, _, given = request.headers.get("authorization", "").partition(" ")
        expected = settings.admin_key.get_secret_value().encode()
        if (
            scheme.lower() != "bearer"
            or not expected
            or not hmac.compare_digest(given.strip().encode(), expected)
        ):
            raise AuthenticationError("Admin routes need 'Authorization: Bearer <ASSISTANT_ADMIN_KEY>'.")

    admin = [Depends(require_admin)]

    # --- health ---------------------------------------------------------------------------------
    @app.get("/healthz", summary="Liveness", tags=["health"])
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @app.get(
        "/readyz",
        summary="Readiness: an index is loaded and answers can be given",
        response_model=Readiness,
        responses={503: _ERROR_SCHEMA},
        tags=["health"],
    )
    async def readyz(service: ServiceDep) -> Readiness:
        snapshot = await run_in_threadpool(service.index.get)
        return Readiness(status="ready", generation=snapshot.generation)

    # --- answers --------------------------------------------------------------------------------
    @app.post(
        "/v1/ask",
        response_model=Answer,
        summary="Answer a question from the documents, with citations",
        responses={503: _ERROR_SCHEMA},
        tags=["answers"],
    )
    async def ask(body: AskRequest, service: ServiceDep) -> Answer:
        filters = Filters(programme=body.programme, kind=body.kind)
        return await run_in_threadpool(service.ask, body.question, body.session_id, filters)

    @app.post(
        "/v1/ask/stream",
        summary="The answer as Server-Sent Events: start, text pieces, citations, done",
        description=(
            'Events: `start` (session_id, answer_id), then unnamed `data` events `{"text": piece}` '
            "as the answer is produced, then `citations` (the list), then `done` (the whole answer, as "
            "`/v1/ask` returns it). A client that disconnects stops the work; its answer is not recorded."
        ),
        response_class=StreamingResponse,
        responses={200: {"content": _SSE}, 503: _ERROR_SCHEMA},
        tags=["answers"],
    )
    async def ask_stream(request: Request, body: AskRequest, service: ServiceDep) -> StreamingResponse:
        filters = Filters(programme=body.programme, kind=body.kind)
        events = service.ask_stream(body.question, body.session_id, filters)
        first = await _start(events)

        def render(event: AnswerEvent) -> list[str]:
            if isinstance(event, AnswerStarted):
                return [_sse(event.model_dump(exclude={"type"}), "start")]
            if isinstance(event, AnswerDelta):
                return [_sse({"text": event.text})]
            if isinstance(event, CitationsReady):
                return [_sse([c.model_dump() for c in event.citations], "citations")]
            return [_sse(event.answer.model_dump(), "done")]

        return StreamingResponse(
            _relay(request, events, first, render, []),
            media_type="text/event-stream",
            headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
        )

    @app.post(
        "/v1/eligibility",
        response_model=EligibilityReport,
        summary="Check an applicant against a call's eligibility rules, criterion by criterion",
        description=(
            "Each criterion comes back as `meets`, `does_not_meet`, `not_stated` (the documents set no "
            "rule on that fact) or `unknown` (the profile does not give the fact), with the call's words "
            "and a citation. The verdict never overstates: an encouraged figure is not a requirement."
        ),
        responses={503: _ERROR_SCHEMA},
        tags=["answers"],
    )
    async def eligibility(body: EligibilityRequest, service: ServiceDep) -> EligibilityReport:
        return await run_in_threadpool(service.check_eligibility, body)

    @app.get(
        "/v1/search",
        response_model=SearchResults,
        summary="Retrieval only: the passages that best match a query",
        responses={503: _ERROR_SCHEMA},
        tags=["retrieval"],
    )
    async def search(
        service: ServiceDep,
        q: Annotated[str, Query(min_length=1, description="The query", examples=["study tours"])],
        k: Annotated[int, Query(ge=1, le=50, description="How many passages")] = 5,
        programme: Annotated[str | None, Query(max_length=100, examples=["IUC"])] = None,
        kind: Annotated[str | None, Query(max_length=100, examples=["call for applications"])] = None,
    ) -> SearchResults:
        hits = await run_in_threadpool(service.search, q, k, Filters(programme=programme, kind=kind))
        return SearchResults(results=hits)

    @app.get(
        "/v1/pairings",
        response_model=PairingList,
        summary="The city-to-city pairings tables, filtered by city, country and topic",
        responses={503: _ERROR_SCHEMA},
        tags=["retrieval"],
    )
    async def pairings(
        service: ServiceDep,
        city: Annotated[str | None, Query(max_length=200, examples=["Hamburg"])] = None,
        country: Annotated[str | None, Query(max_length=100, examples=["India"])] = None,
        topic: Annotated[str | None, Query(max_length=200, examples=["mobility"])] = None,
    ) -> PairingList:
        rows = await run_in_threadpool(service.pairings, city, country, topic)
        return PairingList(count=len(rows), pairings=rows)

    # --- OpenAI-compatible ----------------------------------------------------------------------
    @app.get("/v1/models", summary="The one model this server offers (OpenAI-compatible)", tags=["openai"])
    async def models() -> dict[str, Any]:
        return openai_compat.models_list()

    @app.post(
        "/v1/chat/completions",
        summary="OpenAI-compatible chat completions (whole or `stream: true`); any model name is accepted",
        responses={200: {"content": {"application/json": {}, **_SSE}}, 503: _ERROR_SCHEMA},
        tags=["openai"],
    )
    async def chat_completions(
        request: Request, body: openai_compat.ChatCompletionRequest, service: ServiceDep
    ) -> Any:
        question, history = openai_compat.question_and_history(body)
        events = service.ask_stream(question, None, None, history)
        first = await _start(events)
        if not body.stream:
            answer = await run_in_threadpool(final_answer, events)
            return openai_compat.completion(answer, body.model)
        answer_id = first.answer_id if isinstance(first, AnswerStarted) else ""

        def render(event: AnswerEvent) -> list[str]:
            if isinstance(event, AnswerStarted):
                return [
                    _sse(openai_compat.chunk(answer_id, body.model, {"role": "assistant", "content": ""}))
                ]
            if isinstance(event, AnswerDelta):
                return [_sse(openai_compat.chunk(answer_id, body.model, {"content": event.text}))]
            if isinstance(event, CitationsReady):
                sources = openai_compat.sources_text(event.citations)
                return (
                    [_sse(openai_compat.chunk(answer_id, body.model, {"content": sources}))]
                    if sources
                    else []
                )
            assert isinstance(event, AnswerDone)
            return [_sse(openai_compat.chunk(answer_id, body.model, {}, "stop", event.answer))]

        return StreamingResponse(
            _relay(request, events, first, render, ["data: [DONE]\n\n"]),
            media_type="text/event-stream",
            headers={"Cache-Control": "no-cache"},
        )

    # --- feedback and staff -----------------------------------------------------------------------
    @app.post(
        "/v1/feedback",
        response_model=FeedbackRecorded,
        status_code=201,
        summary="Rate an answer (1 or -1) with an optional comment",
        responses={404: _ERROR_SCHEMA},
        tags=["feedback"],
    )
    async def feedback(body: FeedbackRequest, service: ServiceDep) -> FeedbackRecorded:
        await run_in_threadpool(service.feedback, body.answer_id, body.rating, body.comment)
        return FeedbackRecorded(answer_id=body.answer_id, rating=body.rating)

    @app.get(
        "/v1/admin/unanswered",
        response_model=UnansweredList,
        dependencies=admin,
        summary="Abstained and down-rated questions, grouped by similarity with counts, newest first",
        responses={401: _ERROR_SCHEMA, 403: _ERROR_SCHEMA},
        tags=["admin"],
    )
    async def unanswered(
        service: ServiceDep, limit: Annotated[int, Query(ge=1, le=5000, description="Questions read")] = 500
    ) -> UnansweredList:
        return UnansweredList(groups=await run_in_threadpool(service.unanswered, limit))

    @app.post(
        "/v1/admin/reindex",
        response_model=IngestReport,
        dependencies=admin,
        summary="Sync the corpus folder into a new index and switch to it atomically",
        responses={401: _ERROR_SCHEMA, 403: _ERROR_SCHEMA, 409: _ERROR_SCHEMA},
        tags=["admin"],
    )
    async def reindex(service: ServiceDep) -> IngestReport:
        return await run_in_threadpool(service.ingest)

    # --- the web page ---------------------------------------------------------------------------
    @app.get("/", include_in_schema=False)
    async def index_page() -> FileResponse:
        return FileResponse(WEB_DIR / "index.html", media_type="text/html", headers=_PAGE_HEADERS)

    @app.get("/favicon.ico", include_in_schema=False)
    async def favicon() -> Response:
        return Response(status_code=204)

    @app.middleware("http")
    async def static_headers(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        response = await call_next(request)
        if request.url.path.startswith("/static/"):
            response.headers.update(_PAGE_HEADERS)
        return response

    app.mount("/static", StaticFiles(directory=WEB_DIR), name="static")
    return app
