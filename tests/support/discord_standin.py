"""A Discord stand-in on loopback: the REST routes a bot calls and the gateway (``discord_gateway``),
served by aiohttp in a thread of its own, so a real discord.py client talks to it over real HTTP and a
real websocket. One guild with two text channels; users to ask with; a test drives it by dispatching
events (``slash``, ``click``, ``post``, ``drop``) and reads what the bot sent (``bot_messages``, ``calls``),
waiting with ``wait_until`` (always bounded).

Discord's rules the bot must keep are enforced as Discord does: a bad token gets 401; an interaction
not acknowledged within 3 seconds is unknown (404, code 10062) and one acknowledged twice is refused
(400, code 40060); a message over 2,000 characters or empty is refused (400, code 50035 or 50006). The
first follow-up of a deferred interaction fills its "thinking…" message; a thread opened on a message
takes the message's id. The bot's own messages come back to it as MESSAGE_CREATE, as from Discord."""

from __future__ import annotations

import asyncio
import json
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, TypeVar

from aiohttp import web

from tests.support import discord_payloads as p
from tests.support.discord_gateway import Gateway
from tests.support.servers import LOOPBACK, free_port

T = TypeVar("T")
API = "/api/v10"
EPHEMERAL = 1 << 6
LOADING = 1 << 7
ACK_DEADLINE_SECONDS = 3.0


@dataclass
class Call:
    method: str
    path: str  # after /api/v10
    body: Any
    at: float


@dataclass
class Posted:
    """A message in the stand-in: the bot's (through a route) or a user's (dispatched by a test)."""

    id: int
    channel_id: int
    author_id: int
    content: str
    payload: dict[str, Any]
    via: str  # "callback", "followup", "channel" or "user"
    ephemeral: bool = False
    interaction: str | None = None  # the interaction token it answers
    allowed_mentions: dict[str, Any] | None = None

    def custom_ids(self) -> list[str]:
        return [
            component["custom_id"]
            for row in self.payload.get("components", [])
            for component in row.get("components", [])
            if "custom_id" in component
        ]


@dataclass
class _Interaction:
    id: int
    token: str
    channel_id: int
    dispatched: float
    acknowledged: int | None = None  # the callback type
    acknowledged_after: float | None = None
    ephemeral_defer: bool = False
    original_id: int | None = None
    original_loading: bool = False


@dataclass
class Identity:
    bot: dict[str, Any] = field(default_factory=lambda: p.user(p.snowflake(), "City assistant", bot=True))
    application_id: int = field(default_factory=p.snowflake)
    guild_id: int = field(default_factory=p.snowflake)
    channel_id: int = field(default_factory=p.snowflake)  # #questions
    other_channel_id: int = field(default_factory=p.snowflake)  # #general
    owner: dict[str, Any] = field(default_factory=lambda: p.user(p.snowflake(), "guild-owner"))

    @property
    def bot_id(self) -> int:
        return int(self.bot["id"])


class DiscordStandIn:
    def __init__(self, token: str = "stand-in-token", *, allow_message_content: bool = True) -> None:
        self.token = token
        self.me = Identity()
        self.port = free_port()
        self.calls: list[Call] = []
        self.messages: list[Posted] = []
        self.threads: dict[int, dict[str, Any]] = {}
        self.commands: dict[str, dict[str, Any]] = {}
        self.late_acknowledgements: list[str] = []
        self.unknown_routes: list[str] = []  # calls to routes the stand-in does not serve
        self.refuse_threads = False  # as if the bot lacked the Create Public Threads permission
        self._interactions: dict[str, _Interaction] = {}
        self._changed = threading.Condition()
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="discord-stand-in", daemon=True)
        self._runner: web.AppRunner | None = None
        channels = [
            p.text_channel(self.me.channel_id, self.me.guild_id, "questions"),
            p.text_channel(self.me.other_channel_id, self.me.guild_id, "general"),
        ]
        self.channels = {int(channel["id"]): channel for channel in channels}
        self.gateway = Gateway(
            token=token,
            ready=self._ready,
            guild_create=lambda: {
                **p.guild(self.me.guild_id, int(self.me.owner["id"]), channels, self.me.bot),
                "threads": list(self.threads.values()),
            },
            on_change=self._notify,
            allow_message_content=allow_message_content,
        )

    # --- lifecycle -----------------------------------------------------------------------------------
    @property
    def api_base(self) -> str:
        return f"http://{LOOPBACK}:{self.port}{API}"

    @property
    def gateway_url(self) -> str:
        return f"ws://{LOOPBACK}:{self.port}/gateway"

    @contextmanager
    def running(self) -> Iterator[DiscordStandIn]:
        self._thread.start()
        self._run(self._start(), timeout=10)
        try:
            yield self
        finally:
            self._run(self._stop(), timeout=10)
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(timeout=10)
            assert not self._thread.is_alive(), "the stand-in's loop did not stop"
            self._loop.close()

    async def _start(self) -> None:
        app = web.Application()
        app.router.add_get("/gateway", self.gateway.handle)
        routes = [
            ("GET", "/users/@me", self._me),
            ("GET", "/oauth2/applications/@me", self._application),
            ("GET", "/gateway/bot", self._gateway_bot),
            ("PUT", "/applications/{app}/commands", self._sync_commands),
            ("POST", "/interactions/{id}/{token}/callback", self._callback),
            ("POST", "/webhooks/{app}/{token}", self._followup),
            ("POST", "/channels/{channel}/messages/{message}/threads", self._open_thread),
            ("POST", "/channels/{channel}/messages", self._channel_message),
            ("POST", "/channels/{channel}/typing", self._typing),
        ]
        for method, path, handler in routes:
            app.router.add_route(method, API + path, self._recorded(handler))
        app.router.add_route("*", API + "/{tail:.*}", self._recorded(self._unknown))
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        await web.TCPSite(self._runner, LOOPBACK, self.port).start()

    async def _stop(self) -> None:
        await self.gateway.drop(code=1001)
        if self._runner is not None:
            await self._runner.cleanup()

    def _run(self, coroutine: Any, timeout: float = 10) -> Any:
        return asyncio.run_coroutine_threadsafe(coroutine, self._loop).result(timeout)

    def _notify(self) -> None:
        with self._changed:
            self._changed.notify_all()

    def wait_until(self, predicate: Callable[[], T], timeout: float = 15, what: str = "") -> T:
        """Wait (at most ``timeout`` seconds) until ``predicate()`` is truthy; return its value."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                value = predicate()
                if value:
                    return value
                left = deadline - time.monotonic()
                if left <= 0:
                    recent = [f"{call.method} {call.path}" for call in self.calls[-15:]]
                    raise AssertionError(
                        f"timed out after {timeout} s waiting for {what or predicate}; last calls: {recent}"
                    )
                self._changed.wait(min(left, 0.2))

    # --- what a test does ----------------------------------------------------------------------------
    def user(self, name: str) -> dict[str, Any]:
        return p.user(p.snowflake(), name)

    def slash(
        self, name: str, asker: dict[str, Any], channel_id: int | None = None, **options: object
    ) -> str:
        """A user runs ``/name`` with these options; returns the interaction's token."""
        command = self.commands.get(name)
        assert command is not None, f"/{name} was not registered; registered: {sorted(self.commands)}"
        data = {"id": command["id"], "name": name, "type": 1, "options": p.command_options(**options)}
        return self._interact(2, asker, channel_id or self.me.channel_id, data)

    def click(self, message: Posted, custom_id: str, asker: dict[str, Any]) -> str:
        """A user clicks the button ``custom_id`` under ``message``; returns the interaction's token."""
        assert custom_id in message.custom_ids(), (custom_id, message.custom_ids())
        data = {"custom_id": custom_id, "component_type": 2}
        return self._interact(3, asker, message.channel_id, data, message.payload)

    def _interact(
        self,
        kind: int,
        asker: dict[str, Any],
        channel_id: int,
        data: dict[str, Any],
        message: dict[str, Any] | None = None,
    ) -> str:
        channel = self.threads.get(channel_id) or self.channels[channel_id]
        payload = p.interaction(
            kind=kind,
            application_id=self.me.application_id,
            guild_id=self.me.guild_id,
            channel=channel,
            asker=asker,
            data=data,
            message_payload=message,
        )
        token = payload["token"]
        self._interactions[token] = _Interaction(int(payload["id"]), token, channel_id, time.monotonic())
        self._run(self.gateway.dispatch("INTERACTION_CREATE", payload))
        return token

    def post(
        self, author: dict[str, Any], content: str, channel_id: int | None = None, *, mention: bool = True
    ) -> Posted:
        """A user writes in a channel or thread (``mention``: starting with the bot's @mention)."""
        channel_id = channel_id or self.me.channel_id
        text = f"<@{self.me.bot_id}> {content}" if mention else content
        payload = p.message(
            p.snowflake(),
            channel_id,
            author,
            text,
            guild_id=self.me.guild_id,
            mentions=[self.me.bot] if mention else [],
        )
        posted = self._store(payload, via="user")
        self._run(self.gateway.dispatch("MESSAGE_CREATE", payload))
        return posted

    def drop(self, code: int | None = None) -> None:
        """The server ends the bot's gateway connection (see ``Gateway.drop``)."""
        self._run(self.gateway.drop(code))

    def hold_connections(self) -> None:
        """Until ``accept_connections``, new gateway connections wait (as during an outage)."""
        self._loop.call_soon_threadsafe(self.gateway.accepting.clear)

    def accept_connections(self) -> None:
        self._loop.call_soon_threadsafe(self.gateway.accepting.set)

    def dispatch(self, event: str, data: dict[str, Any]) -> None:
        self._run(self.gateway.dispatch(event, data))

    # --- what a test reads ---------------------------------------------------------------------------
    def bot_messages(self, channel_id: int | None = None, interaction: str | None = None) -> list[Posted]:
        """The bot's messages in order, in one channel or thread, or answering one interaction."""
        with self._changed:
            return [
                message
                for message in self.messages
                if message.author_id == self.me.bot_id
                and (channel_id is None or message.channel_id == channel_id)
                and (interaction is None or message.interaction == interaction)
                and not (message.payload["flags"] & LOADING)
            ]

    def acknowledgement(self, token: str) -> tuple[int, float] | None:
        """How an interaction was acknowledged (the callback type) and after how many seconds."""
        state = self._interactions[token]
        if state.acknowledged is None or state.acknowledged_after is None:
            return None
        return state.acknowledged, state.acknowledged_after

    def thread_of(self, message_id: int) -> dict[str, Any] | None:
        return self.threads.get(message_id)

    # --- REST ----------------------------------------------------------------------------------------
    def _recorded(self, handler: Callable[[web.Request, Any], Any]) -> Callable[[web.Request], Any]:
        async def route(request: web.Request) -> web.StreamResponse:
            body = await request.json() if request.can_read_body else None
            with self._changed:
                self.calls.append(
                    Call(request.method, request.path.removeprefix(API), body, time.monotonic())
                )
            webhook = request.path.startswith((f"{API}/webhooks/", f"{API}/interactions/"))
            if not webhook and request.headers.get("Authorization") != f"Bot {self.token}":
                return _error(401, "401: Unauthorized", 0)
            try:
                response: web.StreamResponse = await handler(request, body)
            finally:
                self._notify()
            return response

        return route

    async def _me(self, _: web.Request, __: Any) -> web.Response:
        return _json({**self.me.bot, "verified": True, "mfa_enabled": False, "flags": 0})

    async def _application(self, _: web.Request, __: Any) -> web.Response:
        return _json(
            {
                "id": str(self.me.application_id),
                "name": "City assistant",
                "description": "",
                "icon": None,
                "bot_public": True,
                "bot_require_code_grant": False,
                "owner": self.me.owner,
                "verify_key": "0" * 64,
                "flags": 0,
                "team": None,
                "summary": "",
                "rpc_origins": [],
                "interactions_endpoint_url": None,
            }
        )

    async def _gateway_bot(self, _: web.Request, __: Any) -> web.Response:
        return _json(
            {
                "url": self.gateway_url,
                "shards": 1,
                "session_start_limit": {
                    "total": 1000,
                    "remaining": 999,
                    "reset_after": 0,
                    "max_concurrency": 1,
                },
            }
        )

    async def _sync_commands(self, _: web.Request, body: list[dict[str, Any]]) -> web.Response:
        self.commands = {
            command["name"]: {
                **command,
                "id": str(p.snowflake()),
                "application_id": str(self.me.application_id),
                "version": str(p.snowflake()),
                "default_member_permissions": None,
                "type": command.get("type", 1),
            }
            for command in body
        }
        return _json(list(self.commands.values()))

    async def _callback(self, request: web.Request, body: dict[str, Any]) -> web.Response:
        state = self._interactions.get(request.match_info["token"])
        if state is None or str(state.id) != request.match_info["id"]:
            return _error(404, "Unknown interaction", 10062)
        if state.acknowledged is not None:
            return _error(400, "Interaction has already been acknowledged.", 40060)
        after = time.monotonic() - state.dispatched
        if after > ACK_DEADLINE_SECONDS:
            self.late_acknowledgements.append(state.token)
            return _error(404, "Unknown interaction", 10062)
        state.acknowledged, state.acknowledged_after = body["type"], after
        data = body.get("data") or {}
        message = None
        if body["type"] == 4:  # a message at once
            problem = _invalid(data)
            if problem:
                return problem
            message = self._store(
                self._bot_message(state.channel_id, data),
                via="callback",
                ephemeral=bool(data.get("flags", 0) & EPHEMERAL),
                interaction=state.token,
            )
            state.original_id = message.id
        elif body["type"] == 5:  # "thinking…", filled by the first follow-up
            state.ephemeral_defer = bool(data.get("flags", 0) & EPHEMERAL)
            message = self._store(
                self._bot_message(state.channel_id, {"content": ""}, flags=LOADING),
                via="callback",
                ephemeral=state.ephemeral_defer,
                interaction=state.token,
            )
            state.original_id, state.original_loading = message.id, True
        return _json(
            {
                "interaction": {
                    "id": str(state.id),
                    "type": 2,
                    "response_message_id": str(state.original_id),
                    "response_message_loading": state.original_loading,
                    "response_message_ephemeral": state.ephemeral_defer,
                },
                "resource": {"type": body["type"], **({"message": message.payload} if message else {})},
            }
        )

    async def _followup(self, request: web.Request, body: dict[str, Any]) -> web.Response:
        state = self._interactions.get(request.match_info["token"])
        if (
            state is None
            or state.acknowledged is None
            or request.match_info["app"] != str(self.me.application_id)
        ):
            return _error(404, "Unknown Webhook", 10015)
        problem = _invalid(body)
        if problem:
            return problem
        if state.original_loading and state.original_id is not None:  # fills the "thinking…" message
            state.original_loading = False
            message = self._store(
                self._bot_message(state.channel_id, body, message_id=state.original_id),
                via="followup",
                ephemeral=state.ephemeral_defer,
                interaction=state.token,
            )
        else:
            message = self._store(
                self._bot_message(state.channel_id, body),
                via="followup",
                ephemeral=bool(body.get("flags", 0) & EPHEMERAL),
                interaction=state.token,
            )
        return _json(message.payload)

    async def _open_thread(self, request: web.Request, body: dict[str, Any]) -> web.Response:
        channel_id, message_id = int(request.match_info["channel"]), int(request.match_info["message"])
        if self.refuse_threads:
            return _error(403, "Missing Permissions", 50013)
        if channel_id not in self.channels or not any(m.id == message_id for m in self.messages):
            return _error(404, "Unknown Message", 10008)
        if message_id in self.threads:
            return _error(400, "A thread has already been created for this message", 160004)
        name = body.get("name", "")
        if not 1 <= len(name) <= 100:
            return _error(400, "Invalid Form Body (name)", 50035)
        thread = p.thread(
            message_id,
            self.me.guild_id,
            channel_id,
            self.me.bot_id,
            name,
            archive_minutes=body.get("auto_archive_duration", 1440),
        )
        self.threads[message_id] = thread
        await self.gateway.dispatch("THREAD_CREATE", {**thread, "newly_created": True})
        return _json(thread, status=201)

    async def _channel_message(self, request: web.Request, body: dict[str, Any]) -> web.Response:
        channel_id = int(request.match_info["channel"])
        if channel_id not in self.channels and channel_id not in self.threads:
            return _error(404, "Unknown Channel", 10003)
        problem = _invalid(body)
        if problem:
            return problem
        message = self._store(self._bot_message(channel_id, body), via="channel")
        await self.gateway.dispatch("MESSAGE_CREATE", message.payload)  # Discord echoes the bot's own
        return _json(message.payload)

    async def _typing(self, _: web.Request, __: Any) -> web.Response:
        return web.Response(status=204)

    async def _unknown(self, request: web.Request, _: Any) -> web.Response:
        self.unknown_routes.append(f"{request.method} {request.path}")
        return _error(404, "404: Not Found", 0)

    # --- messages ------------------------------------------------------------------------------------
    def _bot_message(
        self,
        channel_id: int,
        body: dict[str, Any],
        *,
        flags: int | None = None,
        message_id: int | None = None,
    ) -> dict[str, Any]:
        payload = p.message(
            message_id or p.snowflake(),
            channel_id,
            self.me.bot,
            body.get("content") or "",
            guild_id=self.me.guild_id,
            components=body.get("components"),
            flags=body.get("flags", 0) if flags is None else flags,
        )
        payload["allowed_mentions"] = body.get("allowed_mentions")
        if body.get("message_reference"):
            payload["message_reference"] = body["message_reference"]
        return payload

    def _store(
        self, payload: dict[str, Any], *, via: str, ephemeral: bool = False, interaction: str | None = None
    ) -> Posted:
        posted = Posted(
            int(payload["id"]),
            int(payload["channel_id"]),
            int(payload["author"]["id"]),
            payload["content"],
            payload,
            via,
            ephemeral,
            interaction,
            payload.pop("allowed_mentions", None),
        )
        with self._changed:
            same = [index for index, message in enumerate(self.messages) if message.id == posted.id]
            if same:  # a message filled in (the "thinking…" one) keeps its place
                self.messages[same[0]] = posted
            else:
                self.messages.append(posted)
            self._changed.notify_all()
        return posted

    def _ready(self, session_id: str) -> dict[str, Any]:
        return {
            "v": 10,
            "user": {**self.me.bot, "verified": True, "mfa_enabled": False, "flags": 0},
            "guilds": [{"id": str(self.me.guild_id), "unavailable": True}],
            "session_id": session_id,
            "resume_gateway_url": self.gateway_url,
            "shard": [0, 1],
            "application": {"id": str(self.me.application_id), "flags": 0},
            "private_channels": [],
            "relationships": [],
            "presences": [],
            "geo_ordered_rtc_regions": [],
            "guild_join_requests": [],
        }


def _json(data: Any, status: int = 200) -> web.Response:
    """JSON as Discord sends it: ``content-type: application/json`` exactly (discord.py compares it)."""
    return web.Response(body=json.dumps(data).encode(), status=status, content_type="application/json")


def _error(status: int, message: str, code: int) -> web.Response:
    return _json({"message": message, "code": code}, status=status)


def _invalid(body: dict[str, Any]) -> web.Response | None:
    """Discord's refusal of a message it would not post, or None."""
    content = body.get("content") or ""
    if len(content) > 2000:
        return _json(
            {
                "message": "Invalid Form Body",
                "code": 50035,
                "errors": {
                    "content": {
                        "_errors": [
                            {"code": "BASE_TYPE_MAX_LENGTH", "message": "Must be 2000 or fewer in length."}
                        ]
                    }
                },
            },
            status=400,
        )
    if not content and not body.get("components") and not body.get("embeds"):
        return _error(400, "Cannot send an empty message", 50006)
    return None
