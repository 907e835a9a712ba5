"""A real Chroma server on loopback for the tests: `chroma run` (it ships with chromadb) on a temporary
folder and a free port, stopped at the end."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.support.servers import LOOPBACK, free_port


@contextmanager
def chroma_server(start_timeout: float = 60) -> Iterator[str]:
    """Start a Chroma server; yield its URL (``http://127.0.0.1:<port>``)."""
    folder = Path(tempfile.mkdtemp(prefix="assistant-chroma-"))
    port = free_port()
    command = [str(Path(sys.executable).parent / "chroma"), "run", "--path", str(folder)]
    server = subprocess.Popen(
        [*command, "--host", LOOPBACK, "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://{LOOPBACK}:{port}"
    try:
        deadline = time.monotonic() + start_timeout
        while True:
            assert server.poll() is None, "the Chroma server exited while starting"
            try:
                with urllib.request.urlopen(f"{url}/api/v2/heartbeat", timeout=2):
                    break
            except OSError:
                assert time.monotonic() < deadline, f"the Chroma server did not start in {start_timeout} s"
                time.sleep(0.2)
        yield url
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        shutil.rmtree(folder, ignore_errors=True)
