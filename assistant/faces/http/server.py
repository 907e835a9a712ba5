"""The HTTP server (uvicorn, kept inside this module): its limits and timeouts come from the ``http``
settings, and the connection level speaks the API's JSON error shape too.

uvicorn alone keeps a connection that never sends a byte open for ever, lets one client hold every file
descriptor, believes X-Forwarded-For from loopback and answers a malformed request with plain text. The
protocol below closes a connection whose request head is not complete in ``header_timeout_seconds``,
caps open connections in all and per client address, caps the request head at ``max_header_bytes``
(431), and answers those refusals as ``{"error": {"code", "message"}}``. Forwarded headers are read by
``callers.Callers`` from configured proxies only, so uvicorn's own proxy handling is off."""

from __future__ import annotations

import asyncio
import functools
import json
import logging
import resource
from collections import Counter
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any

import h11
import uvicorn
from uvicorn.protocols.http.h11_impl import H11Protocol

from assistant.faces.http.callers import Callers, load_api_keys
from assistant.settings import HttpSettings, Settings

logger = logging.getLogger(__name__)
# File descriptors the process keeps for itself (index files, SQLite, the listening socket, logs).
_RESERVED_FDS = 64
WORKER_HEALTHCHECK_SECONDS = 120


@dataclass
class ConnectionLimits:
    """What every connection of one server shares: the limits and who holds how many connections."""

    header_timeout: float
    max_header_bytes: int
    max_connections: int
    max_per_client: int
    callers: Callers
    open_by_client: Counter[str] = field(default_factory=Counter)
    total: int = 0


def _raw_error(status: int, code: str, message: str) -> bytes:
    """A whole HTTP/1.1 error response that closes the connection, written below the ASGI app."""
    body = json.dumps({"error": {"code": code, "message": message}}).encode()
    head = (
        f"HTTP/1.1 {status} {HTTPStatus(status).phrase}\r\n"
        "content-type: application/json\r\n"
        f"content-length: {len(body)}\r\n"
        "connection: close\r\n\r\n"
    )
    return head.encode("ascii") + body


class GuardedH11Protocol(H11Protocol):
    """uvicorn's h11 protocol with a request-head deadline, connection caps and JSON errors."""

    # Set on the subclass ``protocol_for`` makes; a worker process of `serve --workers N` (which gets
    # this class itself) reads its limits from the environment's settings on its first connection.
    limits: ConnectionLimits | None = None

    @property
    def _limits(self) -> ConnectionLimits:
        if self.limits is not None:
            return self.limits
        return _worker_limits()

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._counted = ""
        self._head_bytes = 0  # of the request head being received
        self._head_tail = b""  # its last bytes, where a terminator may have begun
        self._header_timer: asyncio.TimerHandle | None = None
        limits = self._limits
        client = self.client[0] if self.client else "unknown"
        exempt = limits.callers.is_trusted(client)
        if limits.total >= limits.max_connections:
            self._refuse(503, "busy", f"The server has {limits.max_connections} connections open; try again.")
            return
        if not exempt and limits.open_by_client[client] >= limits.max_per_client:
            self._refuse(
                503, "too_many_connections", f"This address has {limits.max_per_client} connections open."
            )
            return
        self._counted = client
        limits.total += 1
        limits.open_by_client[client] += 1
        self._arm_header_timer()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm_header_timer()
        if self._counted:
            limits = self._limits
            limits.total -= 1
            limits.open_by_client[self._counted] -= 1
            if limits.open_by_client[self._counted] <= 0:
                del limits.open_by_client[self._counted]
            self._counted = ""
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        if self.conn.their_state is h11.IDLE and self._head_too_large(data):
            message = f"The request head is over the limit of {self._limits.max_header_bytes} bytes."
            self._refuse(431, "headers_too_large", message)
            return
        super().data_received(data)
        if self.conn.their_state is not h11.IDLE:  # the request head is complete
            self._head_bytes, self._head_tail = 0, b""
            self._disarm_header_timer()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        if not self.transport.is_closing():
            self._arm_header_timer()  # the next request on this connection has the same deadline

    def send_400_response(self, msg: str) -> None:
        self._refuse(400, "bad_request", "The request is not valid HTTP/1.1.")

    # --- helpers ---------------------------------------------------------------------------------------
    def _head_too_large(self, data: bytes) -> bool:
        """Whether the request head being received (up to its blank line) is over the cap. h11 checks
        only a head that is still incomplete, so one that arrives whole in one read is measured here."""
        window = self._head_tail + data
        end = window.find(b"\r\n\r\n")
        size = self._head_bytes + (len(data) if end == -1 else end + 4 - len(self._head_tail))
        self._head_bytes += len(data)
        self._head_tail = window[-3:]
        return size > self._limits.max_header_bytes

    def _refuse(self, status: int, code: str, message: str) -> None:
        self._disarm_header_timer()
        if not self.transport.is_closing():
            self.transport.write(_raw_error(status, code, message))
            self.transport.close()

    def _arm_header_timer(self) -> None:
        self._disarm_header_timer()
        self._header_timer = self.loop.call_later(self._limits.header_timeout, self._header_deadline)

    def _disarm_header_timer(self) -> None:
        timer = getattr(self, "_header_timer", None)
        if timer is not None:
            timer.cancel()
            self._header_timer = None

    def _header_deadline(self) -> None:
        self._header_timer = None
        if self.conn.their_state is not h11.IDLE or self.transport.is_closing():
            return
        if self._head_bytes:
            self._refuse(408, "request_timeout", "The request head did not arrive in time.")
        else:
            self.transport.close()  # a silent connection: nothing to answer


def protocol_for(limits: ConnectionLimits) -> type[GuardedH11Protocol]:
    return type("GuardedH11ProtocolBound", (GuardedH11Protocol,), {"limits": limits})


@functools.cache
def _worker_limits() -> ConnectionLimits:
    """A worker process's limits: from the settings of its environment (each worker counts its own)."""
    from assistant.settings import get_settings

    http = get_settings().http
    return connection_limits(http, Callers(load_api_keys(http), http.trusted_proxies))


def connection_limits(http: HttpSettings, callers: Callers) -> ConnectionLimits:
    """The limits of the settings; the total is kept under the process's file-descriptor limit."""
    soft, _ = resource.getrlimit(resource.RLIMIT_NOFILE)
    total = http.max_connections
    if soft != resource.RLIM_INFINITY and total > soft - _RESERVED_FDS:
        total = max(1, soft - _RESERVED_FDS)
        logger.warning(
            "ASSISTANT_HTTP__MAX_CONNECTIONS=%d is over what %d file descriptors allow; using %d",
            http.max_connections,
            soft,
            total,
        )
    return ConnectionLimits(
        header_timeout=http.header_timeout_seconds,
        max_header_bytes=http.max_header_bytes,
        max_connections=total,
        max_per_client=http.max_connections_per_client,
        callers=callers,
    )


def server_config(
    app: Any, settings: Settings, host: str | None = None, port: int | None = None, workers: int = 1
) -> Any:
    """The uvicorn configuration (a ``uvicorn.Config``) of ``app`` — with ``workers`` > 1, the import
    string of an app factory, which every worker process calls — for these settings."""
    http = settings.http
    if workers > 1:
        protocol: type[GuardedH11Protocol] = GuardedH11Protocol  # limits read in each worker
    else:
        callers = getattr(getattr(app, "state", None), "callers", None) or Callers(
            load_api_keys(http), http.trusted_proxies
        )
        protocol = protocol_for(connection_limits(http, callers))
    return uvicorn.Config(
        app,
        host=host or http.host,
        port=port or http.port,
        workers=workers if workers > 1 else None,
        factory=workers > 1,
        http=protocol,
        ws="none",
        proxy_headers=False,  # X-Forwarded-For is read from trusted proxies only, by Callers
        server_header=False,
        timeout_keep_alive=http.keep_alive_seconds,
        h11_max_incomplete_event_size=http.max_header_bytes,
        backlog=http.backlog,
        log_config=None,  # the process's own logging (stderr, its level) applies to uvicorn's loggers
        log_level=settings.log_level.lower(),
        # A worker loading a large index generation or answering under load may hold the interpreter
        # for seconds; uvicorn's default (5 s) would kill and restart it mid-answer.
        timeout_worker_healthcheck=WORKER_HEALTHCHECK_SECONDS,
    )


def run(
    app: Any, settings: Settings, host: str | None = None, port: int | None = None, workers: int = 1
) -> None:
    """Serve ``app`` (an app, or with ``workers`` > 1 the import string of an app factory)."""
    config = server_config(app, settings, host, port, workers)
    if workers > 1:
        from uvicorn.supervisors import Multiprocess

        Multiprocess(config, sockets=[config.bind_socket()]).run()
    else:
        uvicorn.Server(config).run()
