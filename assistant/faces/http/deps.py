"""What routes depend on: the service the app was built with, and the admin key check."""

from __future__ import annotations

import hmac
from typing import Annotated

from fastapi import Depends, Request

from assistant.service import AssistantService
from assistant.settings import Settings
from ingest.errors import AuthenticationError, FeatureDisabledError


def _service(request: Request) -> AssistantService:
    service: AssistantService = request.app.state.service
    return service


ServiceDep = Annotated[AssistantService, Depends(_service)]


def require_admin(request: Request) -> None:
    settings: Settings = request.app.state.settings
    key = settings.http.admin_key
    if key is None:
        raise FeatureDisabledError("Admin routes are disabled: set ASSISTANT_ADMIN_KEY to enable them.")
    scheme, _, given = request.headers.get("authorization", "").partition(" ")
    expected = key.get_secret_value().encode()
    if (
        scheme.lower() != "bearer"
        or not expected
        or not hmac.compare_digest(given.strip().encode(), expected)
    ):
        raise AuthenticationError("Admin routes need 'Authorization: Bearer <ASSISTANT_ADMIN_KEY>'.")


ADMIN = [Depends(require_admin)]
