"""Speed of the numpy MiniLM embedder: load time, query latency, passage throughput, peak memory.

Run from the project root: ``python benchmarks/embedder.py``.
"""

from __future__ import annotations

import resource
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

if TYPE_CHECKING:
    from ingest.minilm import MiniLMEmbedder

# Plain English prose of ~1.2 word-piece tokens per word.
_SENTENCE = (
    "The city of Malmö and its partner municipalities exchanged practices on sustainable urban "
    "mobility, public procurement and the integration of newcomers, funded by the programme. "
)


def _passage(tokens: int, seed: int, count_tokens: Callable[[str], int]) -> str:
    """A distinct passage of roughly ``tokens`` word pieces (the seed keeps passages apart)."""
    words = (f"Project {seed}. " + _SENTENCE * (tokens // 20 + 2)).split()
    text = ""
    for n in range(len(words), 0, -1):
        text = " ".join(words[:n])
        if count_tokens(text) <= tokens:
            break
    return text


def _throughput(embedder: MiniLMEmbedder, tokens: int, count: int = 64) -> float:
    from tokenizers import Tokenizer

    from ingest.minilm import default_model_dir

    tokenizer = Tokenizer.from_file(str(default_model_dir() / "tokenizer.json"))
    tokenizer.no_truncation()  # counts include [CLS] and [SEP], like the model's 256-token window

    passages = [_passage(tokens, i, lambda t: len(tokenizer.encode(t).ids)) for i in range(count)]
    embedder.embed(passages[:2])  # warm up
    started = time.perf_counter()
    embedder.embed(passages)
    return count / (time.perf_counter() - started)


def main() -> None:
    started = time.perf_counter()
    from ingest.minilm import MiniLMEmbedder

    imported = time.perf_counter()
    embedder = MiniLMEmbedder()
    loaded = time.perf_counter()
    print(f"load: {loaded - started:.2f} s (imports {imported - started:.2f} s, weights + tokenizer "
          f"{loaded - imported:.2f} s)")

    embedder.embed(["warm up"])
    timings = []
    for i in range(50):
        t0 = time.perf_counter()
        embedder.embed([f"Which cities took part in the twinning call number {i}?"])
        timings.append(time.perf_counter() - t0)
    print(f"query: {statistics.median(timings) * 1000:.1f} ms (median of 50)")

    for tokens in (256, 130):
        print(f"passages of ~{tokens} tokens: {_throughput(embedder, tokens):.1f} /s (64 passages)")

    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    print(f"peak RSS: {peak_kib / 1024:.0f} MiB")


if __name__ == "__main__":
    main()
