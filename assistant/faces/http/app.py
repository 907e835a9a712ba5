"""The HTTP face's wiring: the FastAPI app with its edge limits, error handlers, routes and page."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

from assistant.faces.http.callers import Callers, load_api_keys
from assistant.faces.http.errors import install_error_handlers
from assistant.faces.http.limits import BodySizeLimit, ConcurrencyLimit, RateLimit, RateLimits, TokenBuckets
from assistant.faces.http.routes import (
    admin,
    answers,
    documents,
    feedback,
    health,
    ingests,
    openai,
    programmes,
    retrieval,
    sessions,
    web,
)
from assistant.faces.http.schemas import errors
from assistant.faces.http.tokens import TokenCounter
from assistant.service import AssistantService
from assistant.settings import Settings

UPLOAD_FORM_SLACK = 64 * 1024  # a multipart form's boundaries and headers around the file


def app_from_environment() -> FastAPI:
    """The app of one worker process of `assistant serve --workers N`: settings from the environment."""
    from assistant.settings import get_settings

    return create_app(get_settings())


def create_app(settings: Settings, service: AssistantService | None = None) -> FastAPI:
    """The app; without a ``service`` it builds one from ``settings`` when it starts."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if service is None:
            from assistant.wiring import build_service

            app.state.service = build_service(settings)
        else:
            app.state.service = service
        app.state.service.start()
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
        responses=errors(413, 422, 429, 500),
        # '/v1/ask/' is a 404, not a redirect: a redirect would be built from the client's Host header.
        redirect_slashes=False,
        # /docs and /redoc are served by routes/web.py from assets shipped in the package, not a CDN.
        docs_url=None,
        redoc_url=None,
    )
    app.state.settings = settings
    http = settings.http
    callers = Callers(load_api_keys(http), http.trusted_proxies)
    app.state.callers = callers
    app.state.tokens = TokenCounter()
    app.state.admin_failures = TokenBuckets(http.admin_failures_per_minute, http.admin_failures_burst)
    app.add_middleware(
        RateLimit, limits=RateLimits(callers, http.rate_limit_per_minute, http.rate_limit_burst)
    )
    # An upload may be as large as one file may be (the route checks the file itself).
    uploads = {"/v1/admin/documents": settings.ingest.max_file_bytes + UPLOAD_FORM_SLACK}
    app.add_middleware(BodySizeLimit, max_bytes=http.max_body_bytes, overrides=uploads)
    app.add_middleware(ConcurrencyLimit, max_requests=http.max_concurrent_requests)
    if http.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=http.cors_origins,
            allow_methods=["GET", "POST"],
            allow_headers=["Authorization", "Content-Type", "X-API-Key"],
        )
    install_error_handlers(app)
    for module in (
        health,
        answers,
        sessions,
        retrieval,
        programmes,
        documents,
        openai,
        feedback,
        admin,
        ingests,
        web,
    ):
        app.include_router(module.router)
    web.mount_static(app)
    return app
