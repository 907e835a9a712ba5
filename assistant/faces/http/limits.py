"""ASGI middleware at the HTTP edge: a cap on request bodies, per-caller rate limits (per API key, else
per address) and a cap on requests in progress."""

from __future__ import annotations

import math
import threading
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Mapping, MutableMapping
from typing import Any

from starlette.exceptions import HTTPException

from assistant.faces.http.callers import Callers
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

    def peek(self, client: str) -> float:
        """What ``take`` would answer, without taking: 0 when a token is there, else the wait."""
        now = self.clock()
        with self._lock:
            tokens, last = self._buckets.get(client, (self.burst, now))
        tokens = min(self.burst, tokens + (now - last) * self.rate)
        return 0.0 if tokens >= 1.0 else (1.0 - tokens) / self.rate

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


def retry_seconds(wait: float) -> int:
    """A wait as the whole seconds of a Retry-After header: rounded up, never 0."""
    return max(1, math.ceil(wait))


class RateLimits:
    """The buckets of every caller: one per API key (at that key's rate), one per address otherwise."""

    def __init__(
        self, callers: Callers, per_minute: int, burst: int, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.callers = callers
        self.per_minute = per_minute
        self.burst = burst
        self.addresses = TokenBuckets(per_minute, burst, clock=clock) if per_minute else None
        self.keys = {
            key.name: TokenBuckets(key.per_minute, key.burst, max_clients=1, clock=clock)
            for key in callers.keys
            if key.per_minute
        }

    def refusal(self, scope: Scope) -> tuple[str, int] | None:
        """None when the request may go on, else the message naming the limit and the seconds to wait."""
        caller = self.callers.resolve(scope)
        if caller.key is not None:
            buckets = self.keys.get(caller.key.name)
            wait = buckets.take(caller.key.name) if buckets else 0.0
            key = caller.key
            limit = f"the limit of API key '{key.name}' ({key.per_minute} per minute, {key.burst} at once)"
        else:
            wait = self.addresses.take(caller.address) if self.addresses else 0.0
            limit = (
                f"the limit per client address ({self.per_minute} per minute, {self.burst} at once; "
                "an API key has a limit of its own)"
            )
        if wait <= 0:
            return None
        seconds = retry_seconds(wait)
        return f"Too many requests: over {limit}; try again in {seconds} s.", seconds


class RateLimit:
    """429 with Retry-After, naming the limit, when a caller goes over its bucket on the limited paths."""

    def __init__(self, app: ASGIApp, limits: RateLimits, prefixes: tuple[str, ...] = ("/v1/",)) -> None:
        self.app = app
        self.limits = limits
        self.prefixes = prefixes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and str(scope.get("path", "")).startswith(self.prefixes):
            refused = self.limits.refusal(scope)
            if refused is not None:
                message, seconds = refused
                response = error_response(429, "rate_limited", message, {"Retry-After": str(seconds)})
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)


class ConcurrencyLimit:
    """503 with Retry-After when ``max_requests`` requests are already in progress (a stream counts
    until it ends): load beyond what the server can carry is refused at once, not queued."""

    def __init__(
        self, app: ASGIApp, max_requests: int, exempt: tuple[str, ...] = ("/healthz", "/readyz")
    ) -> None:
        self.app = app
        self.max_requests = max_requests
        self.exempt = exempt
        self.in_progress = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("path") in self.exempt:
            await self.app(scope, receive, send)
            return
        if self.in_progress >= self.max_requests:
            message = f"The server is busy ({self.max_requests} requests in progress); try again in 1 s."
            await error_response(503, "busy", message, {"Retry-After": "1"})(scope, receive, send)
            return
        self.in_progress += 1
        try:
            await self.app(scope, receive, send)
        finally:
            self.in_progress -= 1
