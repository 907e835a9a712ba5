"""Speed figures for the README: cold one-shot ask, warm HTTP ask latency, re-ingest of an unchanged
corpus. Prints one line per figure. Run with `make bench` (uses a private data dir under /tmp)."""

from __future__ import annotations

import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
QUESTIONS = [
    "Who can apply to the IUC programme?",
    "Which EU cities are paired with cities in Japan?",
    "How long must cities commit to the cooperation?",
    "What did Murcia gain from its partnership?",
    "When was the first global meeting of the Partnerships for Sustainable Cities?",
    "Is there funding for the local action plans?",
    "What is the weather in Brussels?",
    "Which cities work on urban mobility?",
]


def _assistant(*arguments: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(Path(sys.executable).parent / "assistant"), *arguments],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))]


def main() -> None:
    data = Path(tempfile.mkdtemp(prefix="assistant-bench-"))
    env = {
        **os.environ,
        "ASSISTANT_DATA_DIR": str(data),
        "ASSISTANT_CORPUS_DIR": str(REPO / "corpus"),
        "ASSISTANT_LOG_LEVEL": "WARNING",
    }
    try:
        started = time.perf_counter()
        first = json.loads(_assistant("ingest", "--json", env=env).stdout)
        print(
            f"first ingest: {time.perf_counter() - started:.2f} s wall, "
            f"{first['chunks_embedded']} chunks embedded"
        )
        started = time.perf_counter()
        again = json.loads(_assistant("ingest", "--json", env=env).stdout)
        print(
            f"re-ingest unchanged: {time.perf_counter() - started:.2f} s wall "
            f"(in-process {again['seconds']:.2f} s), {again['chunks_embedded']} chunks embedded"
        )
        colds = []
        for question in QUESTIONS[:3]:
            started = time.perf_counter()
            _assistant("ask", question, "--json", env=env)
            colds.append(time.perf_counter() - started)
        print(
            f"cold one-shot `assistant ask`: median {statistics.median(colds):.2f} s, max {max(colds):.2f} s"
        )

        import uvicorn

        os.environ.update(env)
        from assistant.faces.http.app import create_app
        from assistant.settings import get_settings

        port = _free_port()
        server = uvicorn.Server(
            uvicorn.Config(create_app(get_settings()), host="127.0.0.1", port=port, log_level="warning")
        )
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        while not server.started:
            time.sleep(0.05)
        url = f"http://127.0.0.1:{port}/v1/ask"

        def ask(question: str) -> float:
            request = urllib.request.Request(
                url,
                data=json.dumps({"question": question}).encode(),
                headers={"Content-Type": "application/json"},
            )
            begun = time.perf_counter()
            with urllib.request.urlopen(request, timeout=30) as response:
                response.read()
            return time.perf_counter() - begun

        for question in QUESTIONS:  # warm-up
            ask(question)
        latencies = [ask(QUESTIONS[index % len(QUESTIONS)]) for index in range(200)]
        print(
            f"warm POST /v1/ask (200 sequential): p50 {1000 * _percentile(latencies, 0.5):.1f} ms, "
            f"p95 {1000 * _percentile(latencies, 0.95):.1f} ms, max {1000 * max(latencies):.1f} ms"
        )
        server.should_exit = True
        thread.join(timeout=10)
    finally:
        shutil.rmtree(data, ignore_errors=True)


if __name__ == "__main__":
    main()
