"""Ingest against the physical limit: the whole pipeline (parse, chunk, embed chunks and sentences, index)
against raw embedding of the same texts with the same model in one process, and what the sentence
vectors cost and buy (the project's own question set with and without them).

    .venv/bin/python benchmarks/ingest_ratio.py --documents 30
"""

from __future__ import annotations

import argparse
import json
import logging
import resource
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from benchmarks.bulk import write_corpus  # noqa: E402
from ingest.minilm import MiniLMEmbedder  # noqa: E402
from ingest.pipeline import sync  # noqa: E402
from ingest.snapshot import IndexHandle  # noqa: E402
from ingest.store import _sentence_context, chunk_search_text  # noqa: E402


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def pipeline_versus_raw(documents: int) -> None:
    root = Path(tempfile.mkdtemp(prefix="assistant-ratio-"))
    write_corpus(root / "corpus", documents)
    wall, cpu = time.perf_counter(), _cpu()
    report = sync(root / "data", [root / "corpus"], MiniLMEmbedder)
    pipeline_wall, pipeline_cpu = time.perf_counter() - wall, _cpu() - cpu
    handle = IndexHandle(root / "data")
    snapshot = handle.get()
    chunk_texts = sorted({chunk_search_text(chunk) for chunk in snapshot.chunks.values()})
    sentence_texts = sorted(
        {_sentence_context(snapshot.chunks[s.chunk_id], s) for s in snapshot.sentences} - set(chunk_texts)
    )
    handle.close()
    model = MiniLMEmbedder()
    timings = {}
    for label, texts in (("chunks", chunk_texts), ("sentences", sentence_texts)):
        wall, cpu = time.perf_counter(), _cpu()
        for start in range(0, len(texts), 64):
            model.embed(texts[start : start + 64])
        timings[label] = (time.perf_counter() - wall, _cpu() - cpu)
    raw_wall = sum(wall for wall, _ in timings.values())
    raw_cpu = sum(cpu for _, cpu in timings.values())
    print(
        f"ingest of {documents} documents ({report.chunks_total} chunks, {len(sentence_texts)} more sentence "
        f"texts): pipeline {pipeline_wall:.1f} s wall / {pipeline_cpu:.1f} s CPU, raw embedding of the same "
        f"texts {raw_wall:.1f} s wall / {raw_cpu:.1f} s CPU: ratio {pipeline_wall / raw_wall:.2f} wall, "
        f"{pipeline_cpu / raw_cpu:.2f} CPU (the pipeline's figure includes loading the model and chromadb)"
    )
    print(
        f"sentence vectors: {timings['sentences'][1]:.1f} of the {raw_cpu:.1f} CPU-s of embedding "
        f"({timings['sentences'][1] / raw_cpu:.0%}); chunks alone {timings['chunks'][1]:.1f} CPU-s"
    )


def what_sentence_vectors_buy() -> None:
    from assistant.evaluation import run_file, summarise
    from assistant.settings import Settings
    from assistant.wiring import build_service

    data = Path(tempfile.mkdtemp(prefix="assistant-ratio-eval-")) / "data"
    service = build_service(Settings(data_dir=data, corpus_dir=REPO / "corpus"))
    service.ingest()
    questions = REPO / "tests" / "eval" / "questions.jsonl"
    with_vectors = summarise(run_file(questions, service.ask))
    snapshot = service.index.get()
    snapshot.sentence_vectors = np.zeros_like(np.asarray(snapshot.sentence_vectors))
    without = summarise(run_file(questions, service.ask))
    service.close()
    print(
        f"the project's own question set: with sentence vectors {with_vectors['passed']}/"
        f"{with_vectors['total']}; with them zeroed {without['passed']}/{without['total']} "
        f"(by category, with: {json.dumps(with_vectors['by_category'])}; without: "
        f"{json.dumps(without['by_category'])})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--documents", type=int, default=30, help="documents recombined from the corpus")
    arguments = parser.parse_args()
    logging.basicConfig(level=logging.ERROR)
    pipeline_versus_raw(arguments.documents)
    what_sentence_vectors_buy()


if __name__ == "__main__":
    main()
