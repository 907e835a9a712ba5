"""Bulk corpora for the scale benchmarks: the shipped documents recombined into N documents (paragraphs
reordered, each document and paragraph numbered, so texts are distinct), indexed with *deterministic
pseudo-vectors* seeded through the embedding cache under the real model's name. Ingest then embeds
nothing, and a server started on the data dir answers with the real model: the query path is real,
the documents' vectors are not (retrieval quality on a bulk corpus means nothing; its cost is real).

    .venv/bin/python benchmarks/bulk.py --chunks 10000 --out /tmp/bulk-10k
"""

from __future__ import annotations

import argparse
import hashlib
import logging
import random
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from ingest.embedder import Vectors  # noqa: E402
from ingest.minilm import MiniLMEmbedder  # noqa: E402
from ingest.pipeline import sync  # noqa: E402

CHUNKS_PER_DOCUMENT = 10  # about what a shipped document yields


class SeededEmbedder:
    """Deterministic unit vectors from each text's hash, under the real model's name and dimension."""

    def __init__(self) -> None:
        self.texts = 0

    @property
    def name(self) -> str:
        return "all-MiniLM-L6-v2/numpy"  # MiniLMEmbedder().name, without loading the model

    @property
    def dimension(self) -> int:
        return 384

    def embed(self, texts: Sequence[str]) -> Vectors:
        self.texts += len(texts)
        out = np.empty((len(texts), 384), dtype=np.float32)
        for row, text in enumerate(texts):
            seed = int.from_bytes(hashlib.sha256(text.encode()).digest()[:8], "little")
            vector = np.random.default_rng(seed).standard_normal(384).astype(np.float32)
            out[row] = vector / np.linalg.norm(vector)
        return out


def write_corpus(folder: Path, documents: int) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    bases = sorted(path for path in (REPO / "corpus").glob("*.txt"))
    texts = [path.read_text(encoding="utf-8") for path in bases]
    for number in range(documents):
        base = number % len(bases)
        paragraphs = [part for part in texts[base].split("\n\n") if part.strip()]
        head, body = paragraphs[:2], paragraphs[2:]
        random.Random(number).shuffle(body)
        body = [f"{part}\nRecord {number}-{index}." for index, part in enumerate(body)]
        text = "\n\n".join([f"{head[0]} (bulk document {number})", *head[1:], *body])
        (folder / f"bulk-{number:06d}-{bases[base].name}").write_text(text + "\n", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--chunks", type=int, required=True, help="about this many chunks")
    parser.add_argument("--out", type=Path, required=True, help="a folder: corpus/ and data/ go in it")
    arguments = parser.parse_args()
    logging.basicConfig(level=logging.ERROR)  # the recombined tables make the table reader chatty
    assert SeededEmbedder().name == MiniLMEmbedder.__dict__["name"].fget(None)  # type: ignore[index]
    corpus, data = arguments.out / "corpus", arguments.out / "data"
    started = time.perf_counter()
    write_corpus(corpus, max(1, arguments.chunks // CHUNKS_PER_DOCUMENT))
    embedder = SeededEmbedder()
    report = sync(data, [corpus], lambda: embedder, max_removed_share=1.0)
    print(
        f"bulk corpus: {len(report.files_indexed)} documents, {report.chunks_total} chunks, "
        f"{embedder.texts} deterministic pseudo-vectors seeded through the embedding cache "
        f"({time.perf_counter() - started:.0f} s) -> {arguments.out}"
    )


if __name__ == "__main__":
    main()
