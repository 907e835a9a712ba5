"""ASGI middleware at the HTTP edge: a cap on request bodies and a per-client rate limit."""

from __future__ import annotations

import math
import threading
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Mapping, MutableMapping
from typing import Any

from starlette.exceptions import HTTPException

from assistant.faces.http.errors import error_response

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


class _BodyTooLargeError(HTTPException):
    """An HTTP exception, so that a framework reading the body lets it through (FastAPI turns any other
    exception raised while parsing into its own 400)."""

    def __init__(self, message: str) -> None:
        super().__init__(413, message)


class BodySizeLimit:
    """413 for bodies over ``max_bytes``: told by Content-Length, or counted as a chunked body arrives."""

    def __init__(self, app: ASGIApp, max_bytes: int, overrides: Mapping[str, int] | None = None) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.overrides = dict(overrides or {})  # path → its own cap (an upload route)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        max_bytes = self.overrides.get(scope.get("path", ""), self.max_bytes)
        message = f"The request body is over the limit of {max_bytes} bytes."
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > max_bytes:
            await error_response(413, "payload_too_large", message)(scope, receive, send)
            return
        received = 0
        started = False

        async def counting_receive() -> Message:
            nonlocal received
            incoming = await receive()
            if incoming["type"] == "http.request":
                received += len(incoming.get("body", b""))
                if received > max_bytes:
                    raise _BodyTooLargeError(message)
            return incoming

        async def tracking_send(outgoing: Message) -> None:
            nonlocal started
            started = started or outgoing["type"] == "http.response.start"
            await send(outgoing)

        try:
            await self.app(scope, counting_receive, tracking_send)
        except _BodyTooLargeError:
            if not started:
                await error_response(413, "payload_too_large", message)(scope, receive, send)


class TokenBuckets:
    """One bucket per client: ``burst`` requests at once, refilled at ``per_minute``. Bounded memory:
    the least recently seen clients are forgotten first (a forgotten client starts with a full bucket)."""

    def __init__(
        self,
        per_minute: int,
        burst: int,
        max_clients: int = 10_000,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.rate = per_minute / 60.0
        self.burst = float(burst)
        self.max_clients = max_clients
        self.clock = clock
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()
        self._lock = threading.Lock()

    def take(self, client: str) -> float:
        """0 when the request may go on, else the seconds until it may."""
        now = self.clock()
        with self._lock:
            tokens, last = self._buckets.pop(client, (self.burst, now))
            tokens = min(self.burst, tokens + (now - last) * self.rate)
            wait = 0.0
            if tokens >= 1.0:
                tokens -= 1.0
            else:
                wait = (1.0 - tokens) / self.rate
            self._buckets[client] = (tokens, now)
            while len(self._buckets) > self.max_clients:
                self._buckets.popitem(last=False)
        return wait


class RateLimit:
    """429 with Retry-After when a client (by address) goes over its bucket on the limited paths."""

    def __init__(self, app: ASGIApp, buckets: TokenBuckets, prefixes: tuple[str, ...] = ("/v1/",)) -> None:
        self.app = app
        self.buckets = buckets
        self.prefixes = prefixes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and str(scope.get("path", "")).startswith(self.prefixes):
            client = scope.get("client")
            wait = self.buckets.take(str(client[0]) if client else "unknown")
            if wait > 0:
                seconds = max(1, math.ceil(wait))
                response = error_response(
                    429,
                    "rate_limited",
                    f"Too many requests; try again in {seconds} s.",
                    {"Retry-After": str(seconds)},
                )
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)
