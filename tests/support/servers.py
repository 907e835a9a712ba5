"""A real server on loopback: an ASGI app under uvicorn, in a thread, on a free port."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import uvicorn
from starlette.types import ASGIApp

from assistant.faces.http.server import server_config
from assistant.settings import Settings

LOOPBACK = "127.0.0.1"


def free_port() -> int:
    """A TCP port on loopback that nothing listens on (the OS picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((LOOPBACK, 0))
        port: int = probe.getsockname()[1]
        return port


@contextmanager
def serve(
    app: ASGIApp, start_timeout: float = 20, stop_timeout: float = 10, settings: Settings | None = None
) -> Iterator[str]:
    """Run ``app`` under uvicorn, configured as ``assistant serve`` configures it (from ``settings``, else
    the app's own), on a free loopback port in a thread; yield its base URL (``http://127.0.0.1:<port>``),
    then stop the server and check its thread has ended."""
    port = free_port()
    settings = settings or getattr(getattr(app, "state", None), "settings", None) or Settings()
    config = server_config(app, settings.model_copy(update={"log_level": "WARNING"}), LOOPBACK, port)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name=f"uvicorn-test-{port}", daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + start_timeout
        while not server.started:
            assert thread.is_alive(), "the server thread died while starting"
            assert time.monotonic() < deadline, f"the server did not start in {start_timeout} s"
            time.sleep(0.02)
        yield f"http://{LOOPBACK}:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=stop_timeout)
    assert not thread.is_alive(), "the server did not stop"
