"""The connection level of `assistant serve` (uvicorn configured by assistant/faces/http/server.py), over
real sockets on loopback: silent and slow connections are closed, one client cannot hold every
connection or file descriptor, malformed and oversized request heads get the JSON error shape, nothing
redirects to the client's Host, and forwarded headers are believed from configured proxies only."""

from __future__ import annotations

import json
import os
import resource
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from tests.support.paths import CORPUS
from tests.support.servers import LOOPBACK, free_port, serve

pytestmark = pytest.mark.slow  # real servers on loopback


def _connect(base: str, source: str = LOOPBACK) -> socket.socket:
    host, port = base.removeprefix("http://").split(":")
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind((source, 0))
    sock.settimeout(10)
    sock.connect((host, int(port)))
    return sock


def _read_all(sock: socket.socket) -> bytes:
    data = b""
    while chunk := sock.recv(65536):
        data += chunk
    return data


def _json_error(raw: bytes) -> tuple[int, dict[str, Any]]:
    head, _, body = raw.partition(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    assert b"content-type: application/json" in head.lower(), raw
    parsed: dict[str, Any] = json.loads(body)
    assert set(parsed) == {"error"} and set(parsed["error"]) == {"code", "message"}, parsed
    return status, parsed


# --- timeouts ---------------------------------------------------------------------------------------
def test_a_silent_connection_is_closed_after_the_header_timeout(make_app: Callable[..., FastAPI]) -> None:
    with serve(make_app(HTTP__HEADER_TIMEOUT_SECONDS="0.5")) as base, _connect(base) as silent:
        started = time.monotonic()
        assert _read_all(silent) == b""  # closed by the server, nothing said
        assert time.monotonic() - started < 5


def test_a_request_head_sent_too_slowly_gets_408(make_app: Callable[..., FastAPI]) -> None:
    with serve(make_app(HTTP__HEADER_TIMEOUT_SECONDS="0.5")) as base, _connect(base) as slow:
        slow.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")  # and never the blank line
        status, body = _json_error(_read_all(slow))
        assert (status, body["error"]["code"]) == (408, "request_timeout")


def test_a_kept_alive_connection_serves_requests_then_closes_when_idle(
    make_app: Callable[..., FastAPI],
) -> None:
    with (
        serve(make_app(HTTP__KEEP_ALIVE_SECONDS="1", HTTP__HEADER_TIMEOUT_SECONDS="5")) as base,
        _connect(base) as sock,
    ):
        for _ in range(2):
            sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
            received = b""
            while not received.endswith(b'{"status":"ok"}'):
                received += sock.recv(65536)
            assert received.startswith(b"HTTP/1.1 200")
        started = time.monotonic()
        assert _read_all(sock) == b""
        assert 0.5 < time.monotonic() - started < 4


# --- malformed and oversized heads --------------------------------------------------------------------
def test_a_malformed_request_gets_a_json_400(make_app: Callable[..., FastAPI]) -> None:
    with serve(make_app()) as base, _connect(base) as sock:
        sock.sendall(b"GARBAGE\r\n\r\n")
        status, body = _json_error(_read_all(sock))
        assert (status, body["error"]["code"]) == (400, "bad_request")


def test_a_request_head_over_the_cap_gets_431(make_app: Callable[..., FastAPI]) -> None:
    with serve(make_app(HTTP__MAX_HEADER_BYTES="4096")) as base:
        over = httpx.get(f"{base}/healthz", headers={"X-Filler": "x" * 5000})
        assert over.status_code == 431
        assert over.json()["error"]["code"] == "headers_too_large"
        assert "4096 bytes" in over.json()["error"]["message"]
        assert httpx.get(f"{base}/healthz", headers={"X-Filler": "x" * 3000}).status_code == 200


def test_no_redirect_is_built_from_the_host_header(make_app: Callable[..., FastAPI]) -> None:
    with serve(make_app()) as base:
        for path in ("/v1/models/", "/static", "/docs/"):
            response = httpx.get(f"{base}{path}", headers={"Host": "evil.example"})
            assert "location" not in response.headers, (path, response.headers)
            assert response.status_code == 404, path
        assert "server" not in httpx.get(f"{base}/healthz").headers  # uvicorn does not announce itself


# --- connection caps ----------------------------------------------------------------------------------
def test_one_address_cannot_hold_every_connection(make_app: Callable[..., FastAPI]) -> None:
    app = make_app(HTTP__MAX_CONNECTIONS_PER_CLIENT="4", HTTP__HEADER_TIMEOUT_SECONDS="30")
    with serve(app) as base, ExitStack() as held:
        for _ in range(4):
            held.enter_context(_connect(base, "127.0.0.2"))
        with _connect(base, "127.0.0.2") as fifth:
            status, body = _json_error(_read_all(fifth))
            assert (status, body["error"]["code"]) == (503, "too_many_connections")
        assert httpx.get(f"{base}/healthz").status_code == 200  # another address is served


def test_requests_over_the_in_progress_cap_get_503(make_app: Callable[..., FastAPI]) -> None:
    app = make_app(HTTP__MAX_CONCURRENT_REQUESTS="1", HTTP__HEADER_TIMEOUT_SECONDS="30")
    with serve(app) as base, _connect(base) as held:
        # a request whose body never finishes stays in progress
        held.sendall(b"POST /v1/ask HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n")
        held.sendall(b"Content-Length: 100\r\n\r\n{")
        deadline = time.monotonic() + 5
        while (response := httpx.get(f"{base}/v1/models")).status_code != 503:
            assert time.monotonic() < deadline, "the held request never counted"
            time.sleep(0.05)
        assert response.json()["error"]["code"] == "busy"
        assert response.headers["retry-after"] == "1"
        assert httpx.get(f"{base}/healthz").status_code == 200  # liveness is never refused


# --- forwarded headers ----------------------------------------------------------------------------------
def test_x_forwarded_for_from_loopback_is_not_believed_by_default(make_app: Callable[..., FastAPI]) -> None:
    app = make_app(RATE_LIMIT_PER_MINUTE="6", RATE_LIMIT_BURST="2")
    with serve(app) as base:
        statuses = [
            httpx.get(f"{base}/v1/models", headers={"X-Forwarded-For": f"198.51.100.{n}"}).status_code
            for n in range(4)
        ]
    assert statuses == [200, 200, 429, 429]


def test_x_forwarded_for_is_believed_from_a_configured_proxy(make_app: Callable[..., FastAPI]) -> None:
    app = make_app(RATE_LIMIT_PER_MINUTE="6", RATE_LIMIT_BURST="2", HTTP__TRUSTED_PROXIES='["127.0.0.1"]')
    with serve(app) as base:
        spread = [
            httpx.get(f"{base}/v1/models", headers={"X-Forwarded-For": f"198.51.100.{n}"}).status_code
            for n in range(4)
        ]
        # the left end is whatever the client wrote: the proxy's own entry (the right end) counts
        spoofed = [
            httpx.get(
                f"{base}/v1/models", headers={"X-Forwarded-For": f"203.0.113.{n}, 198.51.100.77"}
            ).status_code
            for n in range(4)
        ]
    assert spread == [200] * 4
    assert spoofed == [200, 200, 429, 429]


# --- the probe of issue 14: silent sockets under a small file-descriptor limit -------------------------
def _wait_until_healthy(base: str, seconds: float, alive: Callable[[], object] = lambda: True) -> None:
    """Until GET /healthz answers 200; ``alive`` is true while waiting makes sense (else what it says)."""
    deadline = time.monotonic() + seconds
    while True:
        assert (still := alive()) is True, still
        try:
            if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        assert time.monotonic() < deadline, f"no answer from {base}/healthz in {seconds} s"
        time.sleep(0.1)


@dataclass
class Served:
    base: str
    stdout: Path
    stderr: Path


@contextmanager
def _served_process(
    data: Path, env: dict[str, str], *, fd_limit: int | None = None, log_level: str = "WARNING"
) -> Iterator[Served]:
    """`assistant serve` in its own process (optionally under an RLIMIT_NOFILE of ``fd_limit``), its
    output kept in files beside ``data``."""
    port = free_port()

    def limit() -> None:
        if fd_limit is not None:
            resource.setrlimit(resource.RLIMIT_NOFILE, (fd_limit, fd_limit))

    environment = {
        **{k: v for k, v in os.environ.items() if not k.startswith("ASSISTANT_")},
        "ASSISTANT_DATA_DIR": str(data),
        "ASSISTANT_CORPUS_DIR": str(CORPUS),
        "ASSISTANT_LOG_LEVEL": log_level,
        **{f"ASSISTANT_{name}": value for name, value in env.items()},
    }
    data.parent.mkdir(parents=True, exist_ok=True)
    served = Served(f"http://{LOOPBACK}:{port}", data.with_name("serve.out"), data.with_name("serve.err"))
    command = [sys.executable, "-c", "from assistant.faces.cli import main; main()"]
    with served.stdout.open("wb") as out, served.stderr.open("wb") as err:
        process = subprocess.Popen(
            [*command, "serve", "--host", LOOPBACK, "--port", str(port)],
            env=environment,
            preexec_fn=limit,  # noqa: PLW1509 - only sets a resource limit
            stdout=out,
            stderr=err,
        )
    try:
        _wait_until_healthy(served.base, 60, lambda: process.poll() is None or served.stderr.read_text())
        yield served
    finally:
        process.terminate()
        process.wait(timeout=15)


def test_300_silent_sockets_under_a_256_fd_limit_do_not_stop_real_requests(tmp_path: Path) -> None:
    served = _served_process(tmp_path / "data", {"HTTP__HEADER_TIMEOUT_SECONDS": "2"}, fd_limit=256)
    with served as server, ExitStack() as held:
        base = server.base
        for _ in range(300):  # one address: all but its share are refused at once
            try:
                held.enter_context(_connect(base, "127.0.0.2"))
            except OSError:
                break
        assert httpx.get(f"{base}/healthz", timeout=5).status_code == 200
        for number in range(300):  # many addresses: the total stays under the descriptor limit
            try:
                held.enter_context(_connect(base, f"127.0.1.{number % 250 + 1}"))
            except OSError:
                break
        _wait_until_healthy(base, 10)  # the silent ones are dropped after the header timeout


# --- logs -----------------------------------------------------------------------------------------------
def test_the_server_logs_to_stderr_only_and_at_its_level(tmp_path: Path, corpus_copy: Path) -> None:
    admin = {"Authorization": "Bearer admin-key-0123456789abcdef"}
    settings = {"ADMIN_KEY": admin["Authorization"].split()[1], "CORPUS_DIR": str(corpus_copy)}
    with _served_process(tmp_path / "info" / "data", settings, log_level="INFO") as served:
        assert httpx.get(f"{served.base}/v1/models").status_code == 200
    assert served.stdout.read_text() == ""  # uvicorn's access log used to go to stdout
    assert "GET /v1/models" in served.stderr.read_text()

    with _served_process(tmp_path / "warning" / "data", settings, log_level="WARNING") as served:
        reindexed = httpx.post(f"{served.base}/v1/admin/reindex", headers=admin, timeout=120)
        assert reindexed.status_code in (200, 202), reindexed.text
        deadline = time.monotonic() + 120
        while httpx.get(f"{served.base}/readyz").status_code != 200:
            assert time.monotonic() < deadline
            time.sleep(0.2)
        assert httpx.post(f"{served.base}/v1/ask", json={"question": "Who can apply?"}).status_code == 200
    assert served.stdout.read_text() == ""
    below = [line for line in served.stderr.read_text().splitlines() if " DEBUG " in line or " INFO " in line]
    assert below == []
