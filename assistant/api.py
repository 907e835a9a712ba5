"""The HTTP face: FastAPI routes that parse, call the service and translate errors. No logic here."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from assistant.models import Answer
from assistant.service import AssistantService
from assistant.settings import Settings
from ingest.errors import AssistantError, IndexLockedError, IndexMissingError, InvalidRequestError

logger = logging.getLogger(__name__)

_STATUS = {InvalidRequestError: 422, IndexMissingError: 503, IndexLockedError: 409}


class AskRequest(BaseModel):
    question: str = Field(min_length=1, examples=["We are a town of 60,000 people. Can we apply?"])
    session_id: str | None = Field(
        default=None, max_length=128, description="Continue a conversation; an unknown id starts a new one"
    )


def _error(status: int, code: str, message: str) -> JSONResponse:
    return JSONResponse(status_code=status, content={"error": {"code": code, "message": message}})


def create_app(settings: Settings, service: AssistantService | None = None) -> FastAPI:
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.service = service or AssistantService(settings)
        yield
        app.state.service.close()

    app = FastAPI(
        title="City-to-city cooperation assistant",
        version="0.1.0",
        lifespan=lifespan,
        description="Grounded, cited answers from the EU's city-to-city cooperation programme documents.",
    )

    @app.exception_handler(AssistantError)
    async def assistant_error(_: Request, error: AssistantError) -> JSONResponse:
        status = next((code for kind, code in _STATUS.items() if isinstance(error, kind)), 500)
        if status == 500:
            logger.error("request failed: %s", error.message)
        return _error(status, error.code, error.message)

    @app.exception_handler(RequestValidationError)
    async def validation_error(_: Request, error: RequestValidationError) -> JSONResponse:
        problems = "; ".join(
            f"{'.'.join(str(part) for part in item['loc'] if part != 'body')}: {item['msg']}"
            for item in error.errors()
        )
        return _error(422, "invalid_request", problems or "invalid request")

    @app.get("/healthz", summary="Liveness")
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @app.post(
        "/v1/ask", response_model=Answer, summary="Answer a question from the documents, with citations"
    )
    async def ask(request: Request, body: AskRequest) -> Answer:
        service: AssistantService = request.app.state.service
        return await run_in_threadpool(service.ask, body.question, body.session_id)

    return app
