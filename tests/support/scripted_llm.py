"""A scripted OpenAI-protocol server for tests: run on loopback (``servers.serve``), it answers
``POST /v1/chat/completions`` with the replies it was given, in order, whole or as streamed chunks
(the request's ``stream`` decides), and records every request body. Nothing is a model: a reply is
text, tool calls, an HTTP status, a raw body, or a delay, possibly computed from the request (to cite
the ref a tool returned for a passage)."""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route

MODEL = "scripted-model"


@dataclass(frozen=True)
class Text:
    """An assistant message with this content."""

    text: str


@dataclass(frozen=True)
class Calls:
    """An assistant message calling tools: (name, arguments as JSON text — may be broken on purpose)."""

    calls: tuple[tuple[str, str], ...]

    @classmethod
    def one(cls, name: str, **arguments: Any) -> Calls:
        return cls(((name, json.dumps(arguments)),))


@dataclass(frozen=True)
class Status:
    """An HTTP error: status, JSON body, headers."""

    status: int
    body: dict[str, Any] = field(default_factory=lambda: {"error": {"message": "scripted failure"}})
    headers: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Raw:
    """A 200 response with this exact body (to send what no client can parse)."""

    body: str
    content_type: str = "application/json"


@dataclass(frozen=True)
class Slow:
    """Wait, then reply."""

    seconds: float
    then: Reply


Reply = Text | Calls | Status | Raw | Slow
Scripted = Reply | Callable[[dict[str, Any]], Reply]


class ScriptedLLM:
    """Replies in order; the last one repeats when ``repeat_last`` (an endless tool loop)."""

    def __init__(self, *replies: Scripted, repeat_last: bool = False) -> None:
        self.replies = list(replies)
        self.repeat_last = repeat_last
        self.requests: list[dict[str, Any]] = []
        self.app = Starlette(
            routes=[
                Route("/v1/chat/completions", self._completions, methods=["POST"]),
                Route("/v1/models", self._models, methods=["GET"]),
            ]
        )

    def _next(self, body: dict[str, Any]) -> Reply:
        if not self.replies:
            raise AssertionError("the script has no reply left")
        scripted = self.replies[0] if self.repeat_last and len(self.replies) == 1 else self.replies.pop(0)
        return scripted(body) if callable(scripted) else scripted

    async def _models(self, request: Request) -> Response:
        return JSONResponse(
            {"object": "list", "data": [{"id": MODEL, "object": "model", "owned_by": "tests"}]}
        )

    async def _completions(self, request: Request) -> Response:
        body = await request.json()
        self.requests.append(body)
        reply = self._next(body)
        while isinstance(reply, Slow):
            await asyncio.sleep(reply.seconds)
            reply = reply.then
        if isinstance(reply, Status):
            return JSONResponse(reply.body, status_code=reply.status, headers=reply.headers)
        if isinstance(reply, Raw):
            return Response(reply.body, media_type=reply.content_type)
        if body.get("stream"):
            return StreamingResponse(_chunks(reply), media_type="text/event-stream")
        return JSONResponse(_completion(reply))


def _message(reply: Text | Calls) -> dict[str, Any]:
    if isinstance(reply, Text):
        return {"role": "assistant", "content": reply.text}
    return {
        "role": "assistant",
        "content": None,
        "tool_calls": [
            {"id": f"call_{i}", "type": "function", "function": {"name": name, "arguments": arguments}}
            for i, (name, arguments) in enumerate(reply.calls)
        ],
    }


def _completion(reply: Text | Calls) -> dict[str, Any]:
    return {
        "id": f"chatcmpl-{uuid.uuid4().hex[:12]}",
        "object": "chat.completion",
        "created": 0,
        "model": MODEL,
        "choices": [
            {
                "index": 0,
                "message": _message(reply),
                "finish_reason": "stop" if isinstance(reply, Text) else "tool_calls",
            }
        ],
    }


def _chunk(delta: dict[str, Any], finish: str | None = None) -> str:
    body = {
        "id": "chatcmpl-stream",
        "object": "chat.completion.chunk",
        "created": 0,
        "model": MODEL,
        "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
    }
    return f"data: {json.dumps(body)}\n\n"


async def _chunks(reply: Text | Calls) -> AsyncIterator[str]:
    if isinstance(reply, Text):
        yield _chunk({"role": "assistant", "content": ""})
        for start in range(0, len(reply.text), 12):
            yield _chunk({"content": reply.text[start : start + 12]})
        yield _chunk({}, "stop")
    else:
        yield _chunk({"role": "assistant", "content": None})
        for index, (name, arguments) in enumerate(reply.calls):
            head = {"index": index, "id": f"call_{index}", "type": "function"}
            yield _chunk({"tool_calls": [{**head, "function": {"name": name, "arguments": ""}}]})
            for start in range(0, len(arguments), 7):
                piece = arguments[start : start + 7]
                yield _chunk({"tool_calls": [{"index": index, "function": {"arguments": piece}}]})
        yield _chunk({}, "tool_calls")
    yield "data: [DONE]\n\n"


# --- reading what the answerer sent -----------------------------------------------------------------


def tool_results(body: dict[str, Any]) -> list[dict[str, Any]]:
    """Every tool result in a request, parsed (they are JSON)."""
    return [json.loads(m["content"]) for m in body["messages"] if m.get("role") == "tool"]


def returned(body: dict[str, Any]) -> list[dict[str, Any]]:
    """Every passage or row the tools returned, as the model saw it (each has a 'ref')."""
    found = []
    for result in tool_results(body):
        for key in ("passages", "pairings"):
            found.extend(item for item in result.get(key, []) if "ref" in item)
    return found


def ref_of(body: dict[str, Any], words: str) -> int:
    """The ref of the first returned passage whose text holds ``words``."""
    for item in returned(body):
        if words.lower() in json.dumps(item, ensure_ascii=False).lower():
            return int(item["ref"])
    raise AssertionError(
        f"no returned passage holds {words!r}: {[i.get('text', '')[:60] for i in returned(body)]}"
    )


def answer_citing(template: str, **words: str) -> Callable[[dict[str, Any]], Reply]:
    """A reply computed from the request: ``template`` with each ``{name}`` replaced by the ref of the
    passage holding ``words[name]`` ("Cities must … [{call}]." with call="100,000")."""

    def reply(body: dict[str, Any]) -> Reply:
        return Text(template.format(**{name: ref_of(body, text) for name, text in words.items()}))

    return reply
