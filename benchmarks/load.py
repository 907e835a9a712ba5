"""Load test of the HTTP API: N requests from C concurrent clients over a mix of realistic questions
(POST /v1/ask), searches (GET /v1/search) and pairings look-ups (GET /v1/pairings).

By default it indexes the shipped corpus with the real embedding model into a private data dir, starts
`assistant serve` in a subprocess on a free loopback port with the rate limit off, and reports errors, wall
time, throughput, latency percentiles per endpoint and overall, and the server's peak RSS. With --url it
loads an already-running server instead (whose rate limit should be off).

    .venv/bin/python benchmarks/load.py                       # 2,000 requests, 16 clients
    .venv/bin/python benchmarks/load.py --requests 500 --concurrency 4
    .venv/bin/python benchmarks/load.py --url http://127.0.0.1:8000
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

REPO = Path(__file__).resolve().parent.parent
QUESTIONS = [
    "Who can apply to the IUC programme?",
    "We are a town of 60,000 people. Can we apply?",
    "Which EU cities are paired with cities in Japan?",
    "Which EU city is paired with Kochi?",
    "Who is Rotterdam's partner city?",
    "How long must cities commit to the cooperation?",
    "What must chosen cities commit to?",
    "What did Murcia gain from its partnership?",
    "When was the first global meeting of the Partnerships for Sustainable Cities?",
    "Is there funding for the local action plans?",
    "Which cities work on urban mobility?",
    "What is the timeframe of the IUC city-to-city initiative?",
    "When did the 2018 call for EU cities close?",
    "Whom should I contact for more information?",
    "What were the takeaways of the Espoo meeting?",
    "Can regions apply?",
    "What is the weather in Brussels?",
    "Write me a poem about the sea.",
]
SEARCHES = [
    "study tours",
    "local action plan",
    "eligibility of cities",
    "partnership agreement",
    "circular economy",
    "green transition",
    "urban mobility",
    "global meeting Barcelona",
]
PAIRINGS: list[dict[str, str]] = [
    {"country": "India"},
    {"country": "Japan"},
    {"city": "Hamburg"},
    {"topic": "mobility"},
    {"country": "Canada", "topic": "smart"},
    {"country": "China"},
    {},
]
MIX = {"POST /v1/ask": 0.7, "GET /v1/search": 0.2, "GET /v1/pairings": 0.1}


@dataclass(frozen=True)
class Call:
    endpoint: str
    method: str
    path: str
    params: dict[str, Any] | None = None
    body: dict[str, Any] | None = None


@dataclass(frozen=True)
class Outcome:
    endpoint: str
    seconds: float
    error: str | None


def plan(count: int, seed: int) -> list[Call]:
    """``count`` calls drawn from the mix, reproducibly."""
    draw = random.Random(seed)
    endpoints = draw.choices(list(MIX), weights=list(MIX.values()), k=count)
    calls = []
    for endpoint in endpoints:
        if endpoint == "POST /v1/ask":
            calls.append(Call(endpoint, "POST", "/v1/ask", body={"question": draw.choice(QUESTIONS)}))
        elif endpoint == "GET /v1/search":
            params = {"q": draw.choice(SEARCHES), "k": draw.choice([3, 5, 10])}
            calls.append(Call(endpoint, "GET", "/v1/search", params=params))
        else:
            calls.append(Call(endpoint, "GET", "/v1/pairings", params=draw.choice(PAIRINGS)))
    return calls


async def send(client: httpx.AsyncClient, call: Call) -> Outcome:
    started = time.perf_counter()
    error = None
    try:
        response = await client.request(call.method, call.path, params=call.params, json=call.body)
        await response.aread()
        if not response.is_success:
            error = f"HTTP {response.status_code}: {response.text[:120]}"
    except httpx.HTTPError as failure:
        error = f"{type(failure).__name__}: {failure}"
    return Outcome(call.endpoint, time.perf_counter() - started, error)


async def load(url: str, calls: list[Call], concurrency: int, timeout: float) -> tuple[list[Outcome], float]:
    """Every call sent by ``concurrency`` clients, each taking the next call as soon as it is free."""
    queue = iter(calls)
    outcomes: list[Outcome] = []
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=url, timeout=timeout, limits=limits) as client:

        async def worker() -> None:
            for call in queue:  # the shared iterator hands each call to one worker
                outcomes.append(await send(client, call))

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        return outcomes, time.perf_counter() - started


def percentile(ordered: list[float], share: float) -> float:
    """Nearest-rank percentile of an ascending list."""
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def report(outcomes: list[Outcome], wall: float, concurrency: int) -> None:
    errors = [outcome for outcome in outcomes if outcome.error]
    print(f"requests:    {len(outcomes)} with {concurrency} concurrent clients")
    print(f"errors:      {len(errors)} (non-2xx or exceptions)")
    for message, count in Counter(outcome.error for outcome in errors).most_common(5):
        print(f"             {count} x {message}")
    print(f"wall time:   {wall:.2f} s")
    print(f"throughput:  {len(outcomes) / wall:.1f} req/s")
    groups: dict[str, list[float]] = defaultdict(list)
    for outcome in outcomes:
        groups[outcome.endpoint].append(outcome.seconds * 1000)
        groups["all"].append(outcome.seconds * 1000)
    print(f"\n{'latency (ms)':<18}{'count':>7}{'p50':>9}{'p95':>9}{'p99':>9}{'max':>9}")
    for endpoint in [*MIX, "all"]:
        ordered = sorted(groups.get(endpoint, []))
        if not ordered:
            continue
        figures = [percentile(ordered, share) for share in (0.5, 0.95, 0.99)] + [ordered[-1]]
        print(f"{endpoint:<18}{len(ordered):>7}" + "".join(f"{figure:>9.1f}" for figure in figures))


# --- a server of our own ----------------------------------------------------------------------------
def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _assistant() -> str:
    return str(Path(sys.executable).parent / "assistant")


def _peak_rss_mib(pid: int) -> float | None:
    """The process's peak resident set (VmHWM), Linux only."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    for line in status.splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return None


def _index(env: dict[str, str]) -> None:
    started = time.perf_counter()
    ingest = subprocess.run(
        [_assistant(), "ingest", "--json"], env=env, capture_output=True, text=True, check=True
    )
    indexed = json.loads(ingest.stdout)
    print(
        f"index:       {indexed['chunks_total']} chunks in {env['ASSISTANT_DATA_DIR']} "
        f"({indexed['chunks_embedded']} embedded, {time.perf_counter() - started:.1f} s)"
    )


def _wait_ready(url: str, server: subprocess.Popen[bytes], log: Any) -> None:
    deadline = time.monotonic() + 60
    while True:
        if server.poll() is not None:
            log.seek(0)
            raise SystemExit(f"the server exited with {server.returncode}:\n{log.read().decode()[-2000:]}")
        try:
            if httpx.get(f"{url}/readyz", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        if time.monotonic() > deadline:
            raise SystemExit("the server was not ready in 60 s")
        time.sleep(0.1)


@contextmanager
def own_server(data_dir: Path | None) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """Index the corpus (real embedding model) and serve it with `assistant serve`, rate limit off."""
    data = data_dir or Path(tempfile.mkdtemp(prefix="assistant-load-"))
    env = {
        **os.environ,
        "ASSISTANT_DATA_DIR": str(data),
        "ASSISTANT_CORPUS_DIR": str(REPO / "corpus"),
        "ASSISTANT_LOG_LEVEL": "WARNING",
        "ASSISTANT_RATE_LIMIT_PER_MINUTE": "0",
    }
    try:
        _index(env)
        port = _free_port()
        command = [_assistant(), "serve", "--host", "127.0.0.1", "--port", str(port)]
        with (
            tempfile.TemporaryFile() as log,
            subprocess.Popen(command, env=env, stdout=log, stderr=log) as server,
        ):
            try:
                url = f"http://127.0.0.1:{port}"
                _wait_ready(url, server, log)
                yield url, server
            finally:
                server.terminate()
                try:
                    server.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    server.kill()
    finally:
        if data_dir is None:
            shutil.rmtree(data, ignore_errors=True)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--requests", type=int, default=2000, help="requests to send (default 2000)")
    parser.add_argument("--concurrency", type=int, default=16, help="concurrent clients (default 16)")
    parser.add_argument("--url", help="load this running server instead of starting one")
    parser.add_argument("--data-dir", type=Path, help="index here and keep it (default: a temporary dir)")
    parser.add_argument("--warmup", type=int, default=32, help="untimed requests first (default 32)")
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds per request (default 60)")
    parser.add_argument("--seed", type=int, default=7, help="seed of the request mix (default 7)")
    options = parser.parse_args(argv)
    if options.requests < 1 or options.concurrency < 1:
        parser.error("--requests and --concurrency must be at least 1")

    calls = plan(options.requests, options.seed)
    warmup = plan(options.warmup, options.seed + 1)

    def run(url: str) -> None:
        print(f"target:      {url}")
        asyncio.run(load(url, warmup, options.concurrency, options.timeout))
        outcomes, wall = asyncio.run(load(url, calls, options.concurrency, options.timeout))
        report(outcomes, wall, options.concurrency)

    if options.url:
        run(options.url.rstrip("/"))
        return
    with own_server(options.data_dir) as (url, server):
        run(url)
        rss = _peak_rss_mib(server.pid)
        print(f"\nserver peak RSS: {rss:.0f} MiB" if rss is not None else "\nserver peak RSS: unknown")


if __name__ == "__main__":
    main()
