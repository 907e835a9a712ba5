"""The one error shape of the HTTP face, ``{"error": {"code", "message"}}``, and the handlers that turn
the project's exceptions, FastAPI's validation errors and anything unexpected into it."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from ingest.errors import (
    AssistantError,
    AuthenticationError,
    ConflictError,
    FeatureDisabledError,
    IndexLockedError,
    IndexMissingError,
    InvalidRequestError,
    NotFoundError,
    StateUnavailableError,
    SyncRefusedError,
    TooLargeError,
)

logger = logging.getLogger(__name__)


class RateLimitedError(AssistantError):
    """A caller went over one of its limits; ``retry_after`` says in how many seconds it may go on."""

    code = "rate_limited"

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message, retry_after=retry_after)
        self.retry_after = retry_after


_STATUS = {
    RateLimitedError: 429,
    InvalidRequestError: 422,
    NotFoundError: 404,
    AuthenticationError: 401,
    FeatureDisabledError: 403,
    IndexMissingError: 503,
    IndexLockedError: 409,
    ConflictError: 409,
    TooLargeError: 413,
    StateUnavailableError: 503,
    SyncRefusedError: 409,
}
_HTTP_CODES = {404: "not_found", 405: "method_not_allowed", 413: "payload_too_large"}


def error_response(
    status: int, code: str, message: str, headers: dict[str, str] | None = None
) -> JSONResponse:
    """The one shape of every error the HTTP face sends: ``{"error": {"code", "message"}}``."""
    return JSONResponse(
        status_code=status, content={"error": {"code": code, "message": message}}, headers=headers
    )


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(AssistantError)
    async def assistant_error(_: Request, error: AssistantError) -> JSONResponse:
        status = next((code for kind, code in _STATUS.items() if isinstance(error, kind)), 500)
        if status == 500:
            logger.error("request failed: %s", error.message)
        headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
        if isinstance(error, RateLimitedError):
            headers = {"Retry-After": str(error.retry_after)}
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
