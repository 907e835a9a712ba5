"""What routes depend on: the service the app was built with, who is calling, and the admin key check."""

from __future__ import annotations

import hmac
from typing import Annotated

from fastapi import Depends, Request

from assistant.faces.http.callers import Callers
from assistant.faces.http.errors import RateLimitedError
from assistant.faces.http.limits import TokenBuckets, retry_seconds
from assistant.service import AssistantService
from assistant.settings import Settings
from ingest.errors import AuthenticationError, FeatureDisabledError


def _service(request: Request) -> AssistantService:
    service: AssistantService = request.app.state.service
    return service


ServiceDep = Annotated[AssistantService, Depends(_service)]


def caller_of(request: Request) -> str:
    """The one identity of the client: ``key:NAME`` for a request carrying a configured API key, else
    ``address:ADDRESS`` (the peer, or behind a trusted proxy the address it forwarded). Rate limits,
    failed-admin limits and session scoping all read it from here."""
    callers: Callers = request.app.state.callers
    return callers.resolve(request.scope).identity


CallerDep = Annotated[str, Depends(caller_of)]


def require_admin(request: Request) -> None:
    """The admin key, compared in constant time. An address that failed too often gets 429 before its
    key is even read, so guessing is slow."""
    settings: Settings = request.app.state.settings
    key = settings.http.admin_key
    if key is None:
        raise FeatureDisabledError("Admin routes are disabled: set ASSISTANT_ADMIN_KEY to enable them.")
    callers: Callers = request.app.state.callers
    failures: TokenBuckets = request.app.state.admin_failures
    address = callers.resolve(request.scope).address
    wait = failures.peek(address)
    if wait > 0:
        seconds = retry_seconds(wait)
        raise RateLimitedError(
            f"Too many failed admin-key attempts from this address; try again in {seconds} s.", seconds
        )
    scheme, _, given = request.headers.get("authorization", "").partition(" ")
    expected = key.get_secret_value().encode()
    if (
        scheme.lower() != "bearer"
        or not expected
        or not hmac.compare_digest(given.strip().encode(), expected)
    ):
        failures.take(address)
        raise AuthenticationError("Admin routes need 'Authorization: Bearer <ASSISTANT_ADMIN_KEY>'.")


ADMIN = [Depends(require_admin)]
