"""A real PostgreSQL on loopback for the tests: Debian's server binaries, a cluster in a temporary folder
(initdb), started with pg_ctl and stopped at the end; each test gets a database of its own.

``make test`` installs the server with apt when it is missing. ``SKIP_POSTGRES_TESTS=1`` skips these
tests on a machine without it; without that, a missing server is an error, not a silent skip."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.support.servers import free_port

SKIP = os.environ.get("SKIP_POSTGRES_TESTS") == "1"


def server_binaries() -> Path | None:
    """The folder holding initdb and pg_ctl: Debian keeps them off PATH, under /usr/lib/postgresql/N/bin."""
    found = shutil.which("initdb")
    if found:
        return Path(os.path.realpath(found)).parent
    candidates = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), reverse=True)
    return candidates[0].parent if candidates else None


def _as_postgres(command: list[str]) -> list[str]:
    """PostgreSQL refuses to run as root: as root, run it as Debian's 'postgres' user."""
    if os.geteuid() != 0:
        return command
    return ["runuser", "-u", "postgres", "--", *command]


@contextmanager
def postgres_server() -> Iterator[str]:
    """Start a throwaway cluster; yield the URL of its maintenance database."""
    binaries = server_binaries()
    if binaries is None:
        raise RuntimeError(
            "PostgreSQL's server is not installed (apt-get install postgresql), or set SKIP_POSTGRES_TESTS=1"
        )
    root = Path(tempfile.mkdtemp(prefix="assistant-pg-"))
    data, sockets = root / "data", root / "run"
    sockets.mkdir()
    if os.geteuid() == 0:
        shutil.chown(root, "postgres")
        shutil.chown(sockets, "postgres")
    port = free_port()
    try:
        subprocess.run(
            _as_postgres(
                [str(binaries / "initdb"), "-D", str(data), "-U", "assistant", "--auth=trust", "-E", "UTF8"]
            ),
            check=True,
            capture_output=True,
        )
        options = f"-p {port} -k {sockets} -c listen_addresses=127.0.0.1 -c fsync=off"
        start = [str(binaries / "pg_ctl"), "-D", str(data), "-o", options, "-l", str(root / "log"), "-w"]
        subprocess.run(
            _as_postgres([*start, "start"]),
            check=True,
            capture_output=True,
            timeout=60,
        )
        yield f"postgresql://assistant@127.0.0.1:{port}/postgres"
    finally:
        if (data / "postmaster.pid").exists():
            subprocess.run(
                _as_postgres([str(binaries / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"]),
                check=False,
                capture_output=True,
                timeout=60,
            )
        shutil.rmtree(root, ignore_errors=True)


def new_database(server_url: str) -> str:
    """A fresh, empty database on the server; returns its URL."""
    import psycopg

    name = f"t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(server_url, autocommit=True) as connection:
        connection.execute(f"CREATE DATABASE {name}")
    return server_url.rsplit("/", 1)[0] + f"/{name}"
