"""The gateway half of the Discord stand-in: a websocket speaking Discord's gateway protocol v10.

HELLO on connect; IDENTIFY → READY (then GUILD_CREATE); HEARTBEAT → HEARTBEAT_ACK; RESUME → the events
missed since the client's sequence number, then RESUMED (an unknown session gets INVALID_SESSION).
Dispatches are numbered per session and kept, so a client that lost its connection and resumes gets
what it missed, as from Discord. Frames are compressed as the client asks (``zlib-stream`` with a
shared context and a sync flush per message; ``zstd-stream`` when zstandard is installed)."""

from __future__ import annotations

import asyncio
import json
import uuid
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import WSMsgType, web

# Gateway opcodes.
DISPATCH, HEARTBEAT, IDENTIFY, RESUME, RECONNECT, INVALID_SESSION, HELLO, HEARTBEAT_ACK = (
    0,
    1,
    2,
    6,
    7,
    9,
    10,
    11,
)
MESSAGE_CONTENT_INTENT = 1 << 15


class _Compressor:
    """One connection's outgoing compression, as negotiated by the ``compress`` query parameter."""

    def __init__(self, kind: str | None) -> None:
        self.kind = kind
        self._zlib = zlib.compressobj() if kind == "zlib-stream" else None
        self._zstd: Any = None
        if kind == "zstd-stream":
            import zstandard  # type: ignore[import-not-found]  # only when discord.py found it too

            self._zstd = zstandard.ZstdCompressor().compressobj()

    def frame(self, text: str) -> str | bytes:
        data = text.encode()
        if self._zlib is not None:
            return self._zlib.compress(data) + self._zlib.flush(zlib.Z_SYNC_FLUSH)
        if self._zstd is not None:
            import zstandard

            return bytes(self._zstd.compress(data) + self._zstd.flush(zstandard.COMPRESSOBJ_FLUSH_BLOCK))
        return text


@dataclass
class Connection:
    socket: web.WebSocketResponse
    request: web.Request
    compressor: _Compressor

    async def send(self, payload: dict[str, Any]) -> None:
        frame = self.compressor.frame(json.dumps(payload))
        if isinstance(frame, bytes):
            await self.socket.send_bytes(frame)
        else:
            await self.socket.send_str(frame)


@dataclass
class Session:
    session_id: str
    sequence: int = 0
    sent: list[dict[str, Any]] = field(default_factory=list)  # every dispatch, for resumes
    connection: Connection | None = None


@dataclass
class GatewayRecord:
    """What the tests read: the handshakes and heartbeats seen."""

    identifies: list[dict[str, Any]] = field(default_factory=list)
    resumes: list[dict[str, Any]] = field(default_factory=list)
    heartbeats: int = 0
    acks: int = 0
    connections: int = 0
    compressions: list[str | None] = field(default_factory=list)


class Gateway:
    """The websocket endpoint. ``on_change`` is called after anything a test may wait for."""

    def __init__(
        self,
        *,
        token: str,
        ready: Callable[[str], dict[str, Any]],
        guild_create: Callable[[], dict[str, Any]],
        on_change: Callable[[], None],
        heartbeat_ms: int = 1000,
        allow_message_content: bool = True,
    ) -> None:
        self.token = token
        self._ready = ready
        self._guild_create = guild_create
        self._changed = on_change
        self.heartbeat_ms = heartbeat_ms
        self.allow_message_content = allow_message_content
        self.sessions: dict[str, Session] = {}
        self.current: Session | None = None
        self.record = GatewayRecord()
        self.accepting = asyncio.Event()  # cleared: new connections wait before HELLO (an outage)
        self.accepting.set()

    async def handle(self, request: web.Request) -> web.WebSocketResponse:
        await self.accepting.wait()
        socket = web.WebSocketResponse(max_msg_size=0)
        await socket.prepare(request)
        compress = request.query.get("compress")
        connection = Connection(socket, request, _Compressor(compress))
        self.record.connections += 1
        self.record.compressions.append(compress)
        self._changed()
        await connection.send({"op": HELLO, "d": {"heartbeat_interval": self.heartbeat_ms}})
        try:
            async for message in socket:
                if message.type not in (WSMsgType.TEXT, WSMsgType.BINARY):
                    break
                await self._receive(connection, json.loads(message.data))
        finally:
            for session in self.sessions.values():
                if session.connection is connection:
                    session.connection = None
            self._changed()
        return socket

    async def _receive(self, connection: Connection, payload: dict[str, Any]) -> None:
        op, data = payload.get("op"), payload.get("d")
        if op == HEARTBEAT:
            self.record.heartbeats += 1
            await connection.send({"op": HEARTBEAT_ACK})
            self.record.acks += 1
        elif op == IDENTIFY:
            await self._identify(connection, data)
        elif op == RESUME:
            await self._resume(connection, data)
        self._changed()

    async def _identify(self, connection: Connection, data: dict[str, Any]) -> None:
        if data.get("token") != self.token:
            await connection.socket.close(code=4004, message=b"Authentication failed.")
            return
        if data.get("intents", 0) & MESSAGE_CONTENT_INTENT and not self.allow_message_content:
            await connection.socket.close(code=4014, message=b"Disallowed intent(s).")
            return
        self.record.identifies.append(data)
        session = Session(uuid.uuid4().hex)
        self.sessions[session.session_id] = session
        self.current = session
        session.connection = connection
        await self.dispatch("READY", self._ready(session.session_id))
        await self.dispatch("GUILD_CREATE", self._guild_create())

    async def _resume(self, connection: Connection, data: dict[str, Any]) -> None:
        session = self.sessions.get(data.get("session_id", ""))
        if data.get("token") != self.token or session is None:
            await connection.send({"op": INVALID_SESSION, "d": False})
            return
        self.record.resumes.append(data)
        session.connection = connection
        self.current = session
        for payload in session.sent:
            if payload["s"] > (data.get("seq") or 0):
                await connection.send(payload)
        await self.dispatch("RESUMED", {})

    async def dispatch(self, event: str, data: dict[str, Any]) -> None:
        """Send an event to the current session (kept for a resume if it is not connected)."""
        session = self.current
        assert session is not None, "no client has identified yet"
        session.sequence += 1
        payload = {"op": DISPATCH, "t": event, "s": session.sequence, "d": data}
        session.sent.append(payload)
        if session.connection is not None and not session.connection.socket.closed:
            await session.connection.send(payload)

    async def drop(self, code: int | None = None) -> None:
        """End the current connection: with a close frame of ``code``, or, with none, by cutting the
        TCP connection as a failing network would."""
        session = self.current
        if session is None or session.connection is None:
            return
        connection, session.connection = session.connection, None
        if code is None:
            transport = connection.request.transport
            assert transport is not None
            transport.abort()
        else:
            await connection.socket.close(code=code)
        await asyncio.sleep(0)

    async def ask_reconnect(self) -> None:
        """Ask the client to reconnect and resume (op 7), as Discord does before moving a session."""
        session = self.current
        if session is not None and session.connection is not None:
            await session.connection.send({"op": RECONNECT, "d": None})
