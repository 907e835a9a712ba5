"""Speed of the numpy MiniLM embedder: load time, query latency, passage throughput, peak memory.

Run from the project root: ``python benchmarks/embedder.py``. Throughput is the median of three
runs. It is also given per CPU-second: on a shared machine other processes take cores away from
the wall-clock figure, while CPU time per passage barely moves (the workers never spin).
"""

from __future__ import annotations

import resource
import statistics
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

if TYPE_CHECKING:
    from tokenizers import Tokenizer

    from ingest.minilm import MiniLMEmbedder

_PROSE = (
    "The city of Malmö and its partner municipalities exchanged practices on sustainable urban "
    "mobility, public procurement and the integration of newcomers, funded by the programme. "
    "Each partner prepared an integrated action plan, tested small-scale actions with local "
    "stakeholders and reported the results to the managing authority in Lille. "
) * 12


def _passages(tokenizer: Tokenizer, tokens: int, count: int = 64) -> list[str]:
    """``count`` distinct passages of ``tokens`` word pieces, [CLS] and [SEP] included."""
    out = []
    for i in range(count):
        text = f"Project {i}: {_PROSE}"
        offsets = tokenizer.encode(text, add_special_tokens=False).offsets
        out.append(text[: offsets[tokens - 3][1]])
    return out


def _throughput(embedder: MiniLMEmbedder, passages: list[str], runs: int = 3) -> tuple[float, float]:
    """Passages per wall-clock second and per CPU-second, medians of ``runs``."""
    embedder.embed(passages[:2])  # warm up
    wall, cpu = [], []
    for _ in range(runs):
        started, cpu_started = time.perf_counter(), time.process_time()
        embedder.embed(passages)
        wall.append(len(passages) / (time.perf_counter() - started))
        cpu.append(len(passages) / (time.process_time() - cpu_started))
    return statistics.median(wall), statistics.median(cpu)


def main() -> None:
    started = time.perf_counter()
    from tokenizers import Tokenizer

    from ingest.minilm import MiniLMEmbedder, default_model_dir

    imported = time.perf_counter()
    embedder = MiniLMEmbedder()
    loaded = time.perf_counter()
    print(
        f"load: {loaded - started:.2f} s (imports {imported - started:.2f} s, "
        f"weights + tokenizer {loaded - imported:.2f} s)"
    )

    embedder.embed(["warm up"])
    timings = []
    for i in range(50):
        t0 = time.perf_counter()
        embedder.embed([f"Which cities took part in the twinning call number {i}?"])
        timings.append(time.perf_counter() - t0)
    print(f"query (~14 tokens): {statistics.median(timings) * 1000:.1f} ms (median of 50)")

    model_dir = default_model_dir()
    assert model_dir is not None
    tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
    tokenizer.no_truncation()
    tokenizer.no_padding()
    for tokens in (256, 130):
        passages = _passages(tokenizer, tokens)
        wall, cpu = _throughput(embedder, passages)
        print(f"passages of {tokens} tokens: {wall:.1f} /s, {cpu:.1f} per CPU-second (64, median of 3)")

    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    print(f"peak RSS: {peak_kib / 1024:.0f} MiB")


if __name__ == "__main__":
    main()
