"""Two replicas: two `assistant serve` processes sharing one Chroma server, one PostgreSQL and the
generation files (one data dir). A reindex through one is served by the other within SWITCH_SECONDS;
a conversation started on one continues on the other; no query fails meanwhile."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from assistant.settings import get_settings
from assistant.wiring import build_service
from tests.support.servers import LOOPBACK, free_port

ADMIN_KEY = "replica-test-key"
SWITCH_SECONDS = 15.0  # poll interval (0.5 s here) + loading and warming the new generation, on a busy box
NEW_DOCUMENT = (
    "Heat networks note\n\nHeat networks in partner cities\n\n"
    "The cooperation tested a district heat network fed by waste heat from a data centre.\n"
)


def _start(env: dict[str, str], port: int) -> subprocess.Popen[bytes]:
    command = [str(Path(sys.executable).parent / "assistant"), "serve", "--port", str(port)]
    return subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def _wait_ready(base: str, server: subprocess.Popen[bytes], timeout: float = 120) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert server.poll() is None, server.stderr.read().decode() if server.stderr else "exited"
        try:
            response = httpx.get(f"{base}/readyz", timeout=5)
            if response.status_code == 200:
                return str(response.json()["generation"])
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise AssertionError(f"{base} was not ready in {timeout} s")


@pytest.fixture
def replicas(  # noqa: PLR0917 - fixtures
    real_index: Path,
    isolated_env: Path,
    corpus_copy: Path,
    chroma_server: str,
    postgres_url: str,
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[tuple[str, str]]:
    isolated_env.mkdir(parents=True)
    shutil.copy(real_index / "embeddings.sqlite3", isolated_env / "embeddings.sqlite3")
    settings = {
        "ASSISTANT_CORPUS_DIR": str(corpus_copy),
        "ASSISTANT_INDEX__CHROMA_URL": chroma_server,
        "ASSISTANT_INDEX__CHROMA_COLLECTION_PREFIX": f"replicas-{uuid.uuid4().hex[:8]}",
        "ASSISTANT_INDEX__POLL_SECONDS": "0.5",
        "ASSISTANT_STATE__DATABASE_URL": postgres_url,
        "ASSISTANT_HTTP__ADMIN_KEY": ADMIN_KEY,
        "ASSISTANT_HTTP__RATE_LIMIT_PER_MINUTE": "0",
        "ASSISTANT_LOG_LEVEL": "WARNING",
    }
    for name, value in settings.items():
        monkeypatch.setenv(name, value)
    service = build_service(get_settings())
    assert service.ingest().ok
    service.close()
    env = {**os.environ, **settings, "ASSISTANT_DATA_DIR": str(isolated_env)}
    ports = [free_port(), free_port()]
    servers = [_start(env, port) for port in ports]
    try:
        bases = [f"http://{LOOPBACK}:{port}" for port in ports]
        for base, server in zip(bases, servers, strict=True):
            _wait_ready(base, server)
        yield bases[0], bases[1]
    finally:
        for server in servers:
            server.terminate()
        for server in servers:
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
            if server.stderr is not None:
                server.stderr.close()


@pytest.mark.slow
def test_two_replicas_share_generations_and_conversations(
    replicas: tuple[str, str], corpus_copy: Path
) -> None:
    first, second = replicas
    failures: list[str] = []
    answered = [0]
    stop = threading.Event()

    def keep_asking() -> None:
        with httpx.Client(timeout=60) as client:
            while not stop.is_set():
                for base in (first, second):
                    try:
                        response = client.post(f"{base}/v1/ask", json={"question": "Who can apply?"})
                        if response.status_code != 200:
                            failures.append(f"{base}: {response.status_code} {response.text[:200]}")
                        answered[0] += 1
                    except httpx.HTTPError as error:
                        failures.append(f"{base}: {error!r}")

    asking = threading.Thread(target=keep_asking, daemon=True)
    asking.start()
    try:
        (corpus_copy / "heat-networks-note.txt").write_text(NEW_DOCUMENT, encoding="utf-8")
        admin = {"Authorization": f"Bearer {ADMIN_KEY}"}
        job = httpx.post(f"{first}/v1/admin/reindex", headers=admin, timeout=60)
        assert job.status_code == 202, job.text
        while (followed := httpx.get(f"{first}/v1/admin/ingests/{job.json()['id']}", headers=admin).json())[
            "state"
        ] not in ("done", "failed"):
            time.sleep(0.1)
        assert followed["state"] == "done", followed
        generation = followed["report"]["generation"]
        published = time.monotonic()
        assert httpx.get(f"{first}/readyz").json()["generation"] == generation  # the reindexing one at once
        while httpx.get(f"{second}/readyz", timeout=10).json()["generation"] != generation:
            assert time.monotonic() - published < SWITCH_SECONDS, "the other replica did not switch"
            time.sleep(0.1)
        switched = time.monotonic() - published
        hits = httpx.get(f"{second}/v1/search", params={"q": "district heat network waste heat"}).json()
        assert any(hit["source"] == "heat-networks-note.txt" for hit in hits["results"])

        opened = httpx.post(
            f"{first}/v1/ask", json={"question": "Which EU city is paired with Ottawa?"}, timeout=60
        ).json()
        assert "Malmö" in opened["answer"]
        follow_up = httpx.post(
            f"{second}/v1/ask",
            json={"question": "What do they work on?", "session_id": opened["session_id"]},
            timeout=60,
        ).json()
        assert follow_up["session_id"] == opened["session_id"]
        assert "smart cities" in follow_up["answer"].lower()
        turns = httpx.get(f"{first}/v1/sessions/{opened['session_id']}").json()["turns"]
        assert [turn["question"] for turn in turns][-1] == "What do they work on?"
    finally:
        stop.set()
        asking.join(timeout=60)
    assert failures == []
    assert answered[0] > 0
    print(f"\nreplica switch: {switched:.2f} s after publishing; {answered[0]} queries, 0 failed")


@pytest.mark.slow
def test_serve_with_two_workers_answers_on_one_port(real_index: Path, isolated_env: Path) -> None:
    shutil.copytree(real_index, isolated_env)
    env = {**os.environ, "ASSISTANT_DATA_DIR": str(isolated_env), "ASSISTANT_LOG_LEVEL": "WARNING"}
    port = free_port()
    command = [str(Path(sys.executable).parent / "assistant"), "serve", "--port", str(port), "--workers", "2"]
    server = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        base = f"http://{LOOPBACK}:{port}"
        _wait_ready(base, server)
        children = Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()
        assert len(children) >= 2  # two worker processes (and a resource tracker) under the supervisor
        with httpx.Client(base_url=base, timeout=60) as client:
            answers = [client.post("/v1/ask", json={"question": "Who can apply?"}) for _ in range(6)]
        assert [response.status_code for response in answers] == [200] * 6
    finally:
        server.terminate()
        server.wait(timeout=60)
        if server.stderr is not None:
            server.stderr.close()
