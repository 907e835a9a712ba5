"""Scale figures on one data dir (the shipped corpus by default, or a bulk corpus from bulk.py): unchanged
re-ingest, a one-file edit, cold one-shot ask, warm ask in-process and over HTTP (with and without
filters), serve to ready, server RSS, HTTP throughput at 1/4/16 clients with 1 and 2 workers.

    .venv/bin/python benchmarks/scale.py                          # the shipped corpus, indexed here
    .venv/bin/python benchmarks/scale.py --dir /tmp/bulk-10k      # a bulk corpus (corpus/ and data/)
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
QUESTIONS = [
    "Who can apply to the IUC programme?",
    "Which EU cities are paired with cities in Japan?",
    "How long must cities commit to the cooperation?",
    "What did Murcia gain from its partnership?",
    "Is there funding for the local action plans?",
    "What is the weather in Brussels?",
    "Which cities work on urban mobility?",
    "When did the 2018 call for EU cities close?",
]
FILTERS = {"programme": "IUC"}


def _percentiles(values: list[float]) -> str:
    ordered = sorted(values)
    p50 = ordered[len(ordered) // 2]
    p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
    return f"p50 {1000 * p50:.0f} ms, p95 {1000 * p95:.0f} ms"


def _run(env: dict[str, str], *arguments: str) -> tuple[float, str]:
    started = time.perf_counter()
    done = subprocess.run(
        [str(BIN / "assistant"), *arguments], env=env, capture_output=True, text=True, check=False
    )
    assert done.returncode in (0, 1), done.stderr[-2000:]
    return time.perf_counter() - started, done.stdout


def reingest(env: dict[str, str], corpus: Path) -> None:
    wall, out = _run(env, "ingest", str(corpus), "--json")
    report = json.loads(out)
    print(
        f"re-ingest, unchanged: {wall:.2f} s wall (CLI, process start included; in-process "
        f"{report['seconds']:.2f} s), {report['chunks_embedded']} embedded, {report['chunks_total']} chunks"
    )
    edited = sorted(corpus.glob("*.txt"))[0]
    original = edited.read_text(encoding="utf-8")
    edited.write_text(original + "\n\nOne more paragraph for the benchmark.\n", encoding="utf-8")
    try:
        wall, out = _run(env, "ingest", str(corpus), "--json")
        report = json.loads(out)
        print(f"re-ingest, one file edited: {wall:.2f} s wall, {report['chunks_embedded']} chunks embedded")
    finally:
        edited.write_text(original, encoding="utf-8")
        _run(env, "ingest", str(corpus), "--json")


def cold_ask(env: dict[str, str]) -> None:
    walls = [_run(env, "ask", question, "--json")[0] for question in QUESTIONS[:3]]
    print(f"cold one-shot `assistant ask`: median {statistics.median(walls):.2f} s, max {max(walls):.2f} s")


def in_process(env: dict[str, str], rounds: int) -> None:
    os.environ.update(env)
    from assistant.models import Filters
    from assistant.settings import get_settings
    from assistant.wiring import build_service

    service = build_service(get_settings())
    for question in QUESTIONS:
        service.ask(question)
    for label, filters in (("no filter", None), ("programme filter", Filters(**FILTERS))):
        times, cpu = [], []
        for index in range(rounds):
            started, used = time.perf_counter(), time.process_time()
            service.ask(QUESTIONS[index % len(QUESTIONS)], filters=filters)
            times.append(time.perf_counter() - started)
            cpu.append(time.process_time() - used)
        print(f"warm ask in-process, {label}: wall {_percentiles(times)}; CPU {_percentiles(cpu)} ({rounds})")
    service.close()


def _family(pid: int) -> list[int]:
    children = Path(f"/proc/{pid}/task/{pid}/children")
    return [pid, *(int(child) for child in children.read_text().split())] if children.exists() else [pid]


def _cpu_seconds(pid: int) -> float:
    """CPU time used so far by a process and its children (uvicorn workers)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for each in _family(pid):
        fields = Path(f"/proc/{each}/stat").read_text().rsplit(")", 1)[1].split()
        total += (int(fields[11]) + int(fields[12])) / ticks
    return total


def _rss_mib(pid: int) -> float:
    """Peak resident memory of a process and its children (uvicorn workers), MiB."""
    total = 0.0
    for each in _family(pid):
        for line in Path(f"/proc/{each}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                total += int(line.split()[1]) / 1024
    return total


class Server:
    def __init__(self, env: dict[str, str], workers: int) -> None:
        from tests.support.servers import free_port

        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        started = time.perf_counter()
        command = [str(BIN / "assistant"), "serve", "--port", str(self.port), "--workers", str(workers)]
        self.process = subprocess.Popen(
            command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        while True:
            assert self.process.poll() is None, "the server exited"
            try:
                if httpx.get(f"{self.base}/readyz", timeout=5).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            time.sleep(0.05)
        self.ready_after = time.perf_counter() - started

    def stop(self) -> float:
        rss = _rss_mib(self.process.pid)
        self.process.terminate()
        self.process.wait(timeout=60)
        return rss


def over_http(env: dict[str, str], rounds: int, seconds: float) -> None:
    for workers in (1, 2):
        server = Server(env, workers)
        print(f"serve to ready ({workers} worker{'s' * (workers > 1)}): {server.ready_after:.2f} s")
        with httpx.Client(base_url=server.base, timeout=120) as client:
            if workers == 1:
                for question in QUESTIONS:
                    client.post("/v1/ask", json={"question": question})
                for label, extra in (("no filter", {}), ("programme filter", FILTERS)):
                    times = []
                    used = _cpu_seconds(server.process.pid)
                    for index in range(rounds):
                        body = {"question": QUESTIONS[index % len(QUESTIONS)], **extra}
                        started = time.perf_counter()
                        assert client.post("/v1/ask", json=body).status_code == 200
                        times.append(time.perf_counter() - started)
                    per_request = 1000 * (_cpu_seconds(server.process.pid) - used) / rounds
                    print(
                        f"warm POST /v1/ask, {label}: {_percentiles(times)} ({rounds} sequential); "
                        f"server CPU {per_request:.0f} ms per request"
                    )
        for clients in (1, 4, 16):
            rate = throughput(server.base, clients, seconds)
            print(f"throughput, {workers} worker(s), {clients} clients: {rate}")
        print(f"server peak RSS ({workers} worker(s), all processes): {server.stop():.0f} MiB")


def throughput(base: str, clients: int, seconds: float) -> str:
    counts, errors = [0] * clients, [0]
    deadline = time.perf_counter() + seconds

    def loop(slot: int) -> None:
        with httpx.Client(base_url=base, timeout=120) as client:
            index = slot
            while time.perf_counter() < deadline:
                response = client.post("/v1/ask", json={"question": QUESTIONS[index % len(QUESTIONS)]})
                if response.status_code == 200:
                    counts[slot] += 1
                else:
                    errors[0] += 1
                index += 1

    threads = [threading.Thread(target=loop, args=(slot,)) for slot in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return f"{sum(counts) / (time.perf_counter() - started):.1f} req/s ({errors[0]} errors)"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--dir", type=Path, help="a folder with corpus/ and data/ (bulk.py's output)")
    parser.add_argument("--rounds", type=int, default=100, help="questions per latency figure")
    parser.add_argument("--seconds", type=float, default=15, help="seconds per throughput figure")
    parser.add_argument("--skip", action="append", default=[], help="reingest, cold, inprocess, http")
    arguments = parser.parse_args()
    sys.path.insert(0, str(REPO))
    temporary = None
    if arguments.dir is None:
        temporary = Path(tempfile.mkdtemp(prefix="assistant-scale-"))
        shutil.copytree(REPO / "corpus", temporary / "corpus")
        root = temporary
    else:
        root = arguments.dir
    env = {
        **os.environ,
        "ASSISTANT_DATA_DIR": str(root / "data"),
        "ASSISTANT_CORPUS_DIR": str(root / "corpus"),
        "ASSISTANT_LOG_LEVEL": "WARNING",
        "ASSISTANT_HTTP__RATE_LIMIT_PER_MINUTE": "0",
    }
    try:
        if temporary is not None:
            _run(env, "ingest", "--json")
        print(f"== {root} (machine: {os.cpu_count()} cores)")
        if "reingest" not in arguments.skip:
            reingest(env, root / "corpus")
        if "cold" not in arguments.skip:
            cold_ask(env)
        if "inprocess" not in arguments.skip:
            in_process(env, arguments.rounds)
        if "http" not in arguments.skip:
            over_http(env, arguments.rounds, arguments.seconds)
    finally:
        if temporary is not None:
            shutil.rmtree(temporary, ignore_errors=True)


if __name__ == "__main__":
    main()
