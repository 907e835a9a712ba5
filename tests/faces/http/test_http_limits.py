"""The HTTP edge: token buckets (with an injected clock), the per-client rate limit, the request body cap
(declared and chunked, over a real server for the latter) and CORS, closed unless origins are configured."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse
from starlette.types import Message, Receive, Scope, Send

from assistant.faces.http.callers import Callers
from assistant.faces.http.limits import BodySizeLimit, RateLimit, RateLimits, TokenBuckets
from assistant.settings import get_settings
from tests.support.http import Reply
from tests.support.servers import serve


class Clock:
    def __init__(self, now: float = 1000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


# --- token buckets ----------------------------------------------------------------------------------
def test_a_full_bucket_allows_the_burst_then_says_how_long_to_wait() -> None:
    buckets = TokenBuckets(per_minute=60, burst=3, clock=Clock())
    assert [buckets.take("a") for _ in range(3)] == [0.0, 0.0, 0.0]
    assert buckets.take("a") == pytest.approx(1.0)
    assert buckets.take("a") == pytest.approx(1.0)  # a refused request costs nothing


def test_buckets_refill_at_the_rate_and_never_above_the_burst() -> None:
    clock = Clock()
    buckets = TokenBuckets(per_minute=30, burst=2, clock=clock)  # one token every 2 s
    assert [buckets.take("a"), buckets.take("a")] == [0.0, 0.0]
    assert buckets.take("a") == pytest.approx(2.0)
    clock.advance(0.5)
    assert buckets.take("a") == pytest.approx(1.5)
    clock.advance(1.5)
    assert buckets.take("a") == 0.0
    assert buckets.take("a") == pytest.approx(2.0)
    clock.advance(3600)  # a long idle time fills the bucket to the burst, no more
    assert [buckets.take("a") for _ in range(3)] == [0.0, 0.0, pytest.approx(2.0)]


def test_each_client_has_its_own_bucket() -> None:
    buckets = TokenBuckets(per_minute=60, burst=1, clock=Clock())
    assert buckets.take("10.0.0.1") == 0.0
    assert buckets.take("10.0.0.1") > 0
    assert buckets.take("10.0.0.2") == 0.0


def test_the_least_recently_seen_clients_are_forgotten_first() -> None:
    buckets = TokenBuckets(per_minute=60, burst=1, max_clients=2, clock=Clock())
    assert buckets.take("a") == 0.0
    assert buckets.take("b") == 0.0
    assert buckets.take("a") > 0  # seen again: now the most recent
    assert buckets.take("c") == 0.0  # one too many: "b" is forgotten, not "a"
    assert buckets.take("a") > 0
    assert buckets.take("b") == 0.0  # forgotten clients start with a full bucket


def test_memory_stays_bounded_under_many_clients() -> None:
    buckets = TokenBuckets(per_minute=60, burst=1, max_clients=100, clock=Clock())
    for number in range(10_000):
        buckets.take(f"client-{number}")
    assert len(buckets._buckets) == 100
    assert buckets.take("client-9999") > 0  # recent clients are still tracked
    assert buckets.take("client-0") == 0.0


def test_buckets_hand_out_exactly_the_burst_to_concurrent_callers() -> None:
    buckets = TokenBuckets(per_minute=60, burst=100, clock=Clock())
    waits: list[float] = []
    lock = threading.Lock()

    def hammer() -> None:
        mine = [buckets.take("shared") for _ in range(50)]
        with lock:
            waits.extend(mine)

    threads = [threading.Thread(target=hammer) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert waits.count(0.0) == 100 and len(waits) == 400


# --- the rate-limit middleware, with an injected clock ---------------------------------------------
async def ok_app(scope: Scope, receive: Receive, send: Send) -> None:
    if scope["type"] == "lifespan":
        message = await receive()
        while message["type"] != "lifespan.shutdown":
            await send({"type": "lifespan.startup.complete"})
            message = await receive()
        await send({"type": "lifespan.shutdown.complete"})
        return
    await PlainTextResponse("ok")(scope, receive, send)


def test_retry_after_is_the_wait_rounded_up_to_whole_seconds() -> None:
    clock = Clock()
    limited = RateLimit(ok_app, RateLimits(Callers([], []), per_minute=6, burst=1, clock=clock))  # 1 per 10 s
    with TestClient(limited) as client:
        assert client.get("/v1/ask").status_code == 200
        refused = client.get("/v1/ask")
        assert refused.status_code == 429
        assert refused.headers["retry-after"] == "10"
        assert refused.json() == {
            "error": {
                "code": "rate_limited",
                "message": "Too many requests: over the limit per client address (6 per minute, 1 at once; "
                "an API key has a limit of its own); try again in 10 s.",
            }
        }
        clock.advance(7.5)
        assert client.get("/v1/ask").headers["retry-after"] == "3"
        clock.advance(2.4)
        assert client.get("/v1/ask").headers["retry-after"] == "1"  # 0.1 s: never "0"
        clock.advance(0.1)
        assert client.get("/v1/ask").status_code == 200


def test_only_the_v1_routes_are_limited() -> None:
    limited = RateLimit(ok_app, RateLimits(Callers([], []), per_minute=60, burst=1, clock=Clock()))
    with TestClient(limited) as client:
        assert client.get("/v1/models").status_code == 200
        assert client.get("/v1/search").status_code == 429
        assert {client.get(path).status_code for path in ["/healthz", "/readyz", "/", "/v1"] * 3} == {200}


# --- the rate limit in the app (make_app: tests/faces/http/conftest.py) -----------------------------
def test_clients_over_their_rate_get_429_with_retry_after(make_app: Callable[..., FastAPI]) -> None:
    app = make_app(RATE_LIMIT_PER_MINUTE="6", RATE_LIMIT_BURST="3")
    with (
        TestClient(app, client=("192.0.2.1", 40000)) as first,
        TestClient(app, client=("192.0.2.2", 40000)) as second,
    ):
        assert [first.get("/v1/models").status_code for _ in range(3)] == [200, 200, 200]
        refused = first.get("/v1/models")
        assert refused.status_code == 429
        assert refused.json()["error"]["code"] == "rate_limited"
        assert 9 <= int(refused.headers["retry-after"]) <= 10
        assert first.post("/v1/ask", json={"question": "Who can apply?"}).status_code == 429
        assert first.get("/healthz").status_code == 200  # liveness is never limited
        assert second.get("/v1/models").status_code == 200  # another client has its own bucket


def test_the_default_limit_is_on_and_zero_turns_it_off(make_app: Callable[..., FastAPI]) -> None:
    burst = get_settings().http.rate_limit_burst
    with TestClient(make_app()) as client:
        statuses = [client.get("/v1/models").status_code for _ in range(burst + 3)]
    # the default refill (2/s) may add a token while the burst is sent, never three
    assert statuses[:burst] == [200] * burst and 429 in statuses[burst:]
    with TestClient(make_app(RATE_LIMIT_PER_MINUTE="0")) as client:
        assert {client.get("/v1/models").status_code for _ in range(60)} == {200}


# --- the body cap -----------------------------------------------------------------------------------
def _question_of(size: int, filler: str = "x") -> bytes:
    """A JSON body of exactly ``size`` bytes; padded with spaces, its question is short once stripped."""
    question = "Who can apply?"
    body = json.dumps({"question": question}).encode()
    return json.dumps({"question": question + filler * (size - len(body))}).encode()


@pytest.mark.parametrize("path", ["/v1/ask", "/v1/ask/stream", "/v1/chat/completions", "/v1/feedback"])
def test_declared_bodies_over_the_default_64_kib_are_413(make_app: Callable[..., FastAPI], path: str) -> None:
    with TestClient(make_app(RATE_LIMIT_PER_MINUTE="0")) as client:
        response = client.post(
            path, content=_question_of(64 * 1024 + 1), headers={"Content-Type": "application/json"}
        )
        assert response.status_code == 413
        assert response.json() == {
            "error": {
                "code": "payload_too_large",
                "message": "The request body is over the limit of 65536 bytes.",
            }
        }
        at_limit = client.post(
            path, content=_question_of(64 * 1024), headers={"Content-Type": "application/json"}
        )
        assert at_limit.status_code == 422  # through the cap; refused for what it says instead


def test_the_body_cap_follows_the_setting(make_app: Callable[..., FastAPI]) -> None:
    with TestClient(make_app(RATE_LIMIT_PER_MINUTE="0", MAX_BODY_BYTES="2048")) as client:
        over = client.post(
            "/v1/ask", content=_question_of(2049), headers={"Content-Type": "application/json"}
        )
        assert over.status_code == 413 and "2048 bytes" in over.json()["error"]["message"]
        at = client.post(
            "/v1/ask", content=_question_of(2048, " "), headers={"Content-Type": "application/json"}
        )
        assert at.status_code == 503  # through the cap and the question check; no index yet


def _receive_chunks(*chunks: bytes) -> Receive:
    messages: list[Message] = [
        {"type": "http.request", "body": chunk, "more_body": index < len(chunks) - 1}
        for index, chunk in enumerate(chunks)
    ]

    async def receive() -> Message:
        return messages.pop(0) if messages else {"type": "http.disconnect"}

    return receive


async def _read_body_app(scope: Scope, receive: Receive, send: Send) -> None:
    body = await Request(scope, receive).body()
    await JSONResponse({"read": len(body)})(scope, receive, send)


def _run(app: Any, receive: Receive, headers: list[tuple[bytes, bytes]] | None = None) -> list[Message]:
    import anyio

    sent: list[Message] = []

    async def send(message: Message) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "method": "POST",
        "path": "/v1/ask",
        "headers": headers or [],
        "query_string": b"",
    }
    anyio.run(app, scope, receive, send)
    return sent


def test_a_chunked_body_is_counted_as_it_arrives() -> None:
    capped = BodySizeLimit(_read_body_app, max_bytes=1024)
    sent = _run(capped, _receive_chunks(b"x" * 600, b"x" * 600, b"x" * 600))
    assert sent[0]["status"] == 413
    assert json.loads(sent[1]["body"])["error"]["code"] == "payload_too_large"
    sent = _run(capped, _receive_chunks(b"x" * 512, b"x" * 512))
    assert sent[0]["status"] == 200 and json.loads(sent[1]["body"]) == {"read": 1024}


def test_a_declared_length_is_refused_before_the_body_is_read() -> None:
    async def never(*_: object) -> None:
        raise AssertionError("the app must not be called")

    sent = _run(BodySizeLimit(never, max_bytes=1024), _receive_chunks(b""), [(b"content-length", b"1025")])
    assert sent[0]["status"] == 413


@pytest.fixture
def live_app(make_app: Callable[..., FastAPI]) -> Iterator[str]:
    with serve(make_app(RATE_LIMIT_PER_MINUTE="0", MAX_BODY_BYTES="4096")) as base:
        yield base


def _chunked(body: bytes, size: int = 1000) -> Iterator[bytes]:
    for start in range(0, len(body), size):
        yield body[start : start + size]


@pytest.mark.slow  # a real server on loopback
def test_an_over_long_declared_body_is_413_over_real_http(live_app: str) -> None:
    response = httpx.post(
        f"{live_app}/v1/ask", content=_question_of(5000), headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "payload_too_large"


@pytest.mark.slow  # a real server on loopback
def test_a_chunked_body_under_the_cap_goes_through_over_real_http(live_app: str) -> None:
    request = httpx.Request(
        "POST",
        f"{live_app}/v1/ask",
        content=_chunked(_question_of(3000, " ")),
        headers={"Content-Type": "application/json"},
    )
    assert request.headers["transfer-encoding"] == "chunked" and "content-length" not in request.headers
    with httpx.Client(timeout=30) as client:
        response = client.send(request)
    assert response.status_code == 503  # read whole, then: no index yet


@pytest.mark.slow  # a real server on loopback
@pytest.mark.parametrize("path", ["/v1/ask", "/v1/chat/completions", "/v1/feedback"])
def test_a_chunked_body_over_the_cap_is_413_over_real_http(live_app: str, path: str) -> None:
    request = httpx.Request(
        "POST",
        f"{live_app}{path}",
        content=_chunked(_question_of(9000)),
        headers={"Content-Type": "application/json"},
    )
    assert "content-length" not in request.headers
    with httpx.Client(timeout=30) as client:
        response = client.send(request)
    assert response.status_code == 413, response.text
    assert response.json()["error"]["code"] == "payload_too_large"


# --- CORS -------------------------------------------------------------------------------------------
ORIGIN = "https://city.example"


def _preflight(client: TestClient, origin: str) -> Reply:
    return client.options(
        "/v1/ask",
        headers={
            "Origin": origin,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        },
    )


def test_cors_is_closed_by_default(make_app: Callable[..., FastAPI]) -> None:
    with TestClient(make_app()) as client:
        response = client.get("/v1/models", headers={"Origin": ORIGIN})
        assert response.status_code == 200
        assert "access-control-allow-origin" not in response.headers
        preflight = _preflight(client, ORIGIN)
        assert "access-control-allow-origin" not in preflight.headers
        assert preflight.status_code == 405


def test_cors_opens_for_the_configured_origins_only(make_app: Callable[..., FastAPI]) -> None:
    with TestClient(make_app(CORS_ORIGINS=json.dumps([ORIGIN, "http://localhost:5173"]))) as client:
        allowed = client.get("/v1/models", headers={"Origin": ORIGIN})
        assert allowed.headers["access-control-allow-origin"] == ORIGIN
        other = client.get("/v1/models", headers={"Origin": "https://evil.example"})
        assert other.status_code == 200 and "access-control-allow-origin" not in other.headers

        preflight = _preflight(client, ORIGIN)
        assert preflight.status_code == 200
        assert preflight.headers["access-control-allow-origin"] == ORIGIN
        assert "POST" in preflight.headers["access-control-allow-methods"]
        assert "content-type" in preflight.headers["access-control-allow-headers"].lower()
        refused = _preflight(client, "https://evil.example")
        assert refused.status_code == 400 and "access-control-allow-origin" not in refused.headers
