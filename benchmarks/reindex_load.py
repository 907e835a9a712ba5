"""Queries while a background reindex runs: `assistant serve` (real model) over a copy of the shipped
corpus; sequential `/v1/ask` latency idle, then while `POST /v1/admin/reindex` embeds a new ~300-passage
document in the background. Prints one line per figure.

    .venv/bin/python benchmarks/reindex_load.py
"""

from __future__ import annotations

import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parent.parent
KEY = "bench-admin-key"
QUESTIONS = [
    "Who can apply to the IUC programme?",
    "Which EU cities are paired with cities in Japan?",
    "How long must cities commit to the cooperation?",
    "What is the weather in Brussels?",
]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _big_document(paragraphs: int) -> str:
    lines = ["# Harbour cooperation compendium", ""]
    for number in range(paragraphs):
        lines += [
            f"## Harbour case {number}",
            "",
            f"The harbour city number {number} paired with partner {number * 7 % 101} on port logistics "
            f"and ferry timetables in year {2000 + number % 25}. Its delegation of {number % 13 + 2} staff "
            f"visited {number % 5 + 1} terminals and wrote {number % 9 + 1} recommendations.",
            "",
        ]
    return "\n".join(lines)


def _asks(http: httpx.Client, seconds: float | None, count: int | None, until: object = None) -> list[float]:
    timings: list[float] = []
    started = time.monotonic()
    turn = 0
    while True:
        if count is not None and turn >= count:
            break
        if seconds is not None and time.monotonic() - started > seconds:
            break
        if callable(until) and until():
            break
        asked = time.perf_counter()
        response = http.post("/v1/ask", json={"question": QUESTIONS[turn % len(QUESTIONS)]})
        response.raise_for_status()
        timings.append((time.perf_counter() - asked) * 1000)
        turn += 1
    return timings


def _figures(name: str, timings: list[float]) -> None:
    ordered = sorted(timings)
    p95 = ordered[int(0.95 * (len(ordered) - 1))]
    print(f"{name:34} n={len(timings):4}  p50 {statistics.median(timings):6.1f} ms  p95 {p95:6.1f} ms")


def main() -> None:
    folder = Path(tempfile.mkdtemp(prefix="reindex-load-"))
    corpus, data = folder / "corpus", folder / "data"
    shutil.copytree(REPO / "corpus", corpus)
    env = {**os.environ, "ASSISTANT_DATA_DIR": str(data), "ASSISTANT_CORPUS_DIR": str(corpus)}
    env |= {
        "ASSISTANT_ADMIN_KEY": KEY,
        "ASSISTANT_RATE_LIMIT_PER_MINUTE": "0",
        "ASSISTANT_LOG_LEVEL": "WARNING",
    }
    assistant = str(Path(sys.executable).parent / "assistant")
    subprocess.run([assistant, "ingest", "--json"], env=env, check=True, capture_output=True)
    port = _free_port()
    server = subprocess.Popen([assistant, "serve", "--port", str(port)], env=env)
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=120) as http:
            deadline = time.monotonic() + 60
            while True:
                try:
                    if http.get("/readyz").status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                assert time.monotonic() < deadline, "the server did not start"
                time.sleep(0.2)
            _asks(http, None, 10)  # warm
            _figures("ask, idle", _asks(http, None, 100))
            (corpus / "harbour-compendium.md").write_text(_big_document(300), encoding="utf-8")
            headers = {"Authorization": f"Bearer {KEY}"}
            began = time.perf_counter()
            accepted = http.post("/v1/admin/reindex", headers=headers)
            answered = (time.perf_counter() - began) * 1000
            print(f"POST /v1/admin/reindex answered {accepted.status_code} in {answered:.1f} ms")
            location = accepted.headers["location"]

            def finished() -> bool:
                return http.get(location, headers=headers).json()["state"] in ("done", "failed")

            during = _asks(http, None, None, finished)
            job = http.get(location, headers=headers).json()
            seconds = time.perf_counter() - began
            report = job["report"] or {}
            embedded = report.get("chunks_embedded")
            print(
                f"background reindex: {job['state']} in {seconds:.1f} s, {embedded} chunks embedded, "
                f"{job['embedding_total']} texts through the embedding step"
            )
            _figures("ask, during the reindex", during)
    finally:
        server.terminate()
        server.wait(timeout=30)
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
