"""What an ingest tells whoever follows it (a progress bar, a background job): the phase it is in, files
read, chunks cut, texts embedded. The base class ignores everything; followers override what they show."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from enum import StrEnum

import numpy as np

from ingest.embedder import Vectors


class Phase(StrEnum):
    READING = "reading"  # finding files, parsing the new and changed ones
    EMBEDDING = "embedding"  # passages and sentences through the model (or the vector cache)
    WRITING = "writing"  # vectors, keyword index and records written, then the switch


class IngestProgress:
    """Told by ``sync`` as it works; every method is called from the ingesting thread."""

    # Texts embedded between two reports. The model serves queries between calls too, so a server,
    # whose queries wait for the call in progress, asks for smaller batches than a command line.
    batch = 64

    def phase(self, phase: Phase) -> None:
        """The ingest moved on to ``phase``."""

    def files(self, done: int, total: int) -> None:
        """``done`` of the ``total`` files found have been read (parsed, or found unchanged)."""

    def chunks(self, total: int) -> None:
        """The index being built holds ``total`` chunks so far."""

    def embedded(self, done: int, total: int) -> None:
        """``done`` of ``total`` texts (passages and sentences) have their vectors."""


def embedding_with_progress(
    embed: Callable[[Sequence[str]], Vectors], total: int, progress: IngestProgress
) -> Callable[[list[str]], Vectors]:
    """``embed`` in batches, telling ``progress`` after each; ``total`` is every text the build will
    embed, across calls. The last call moves the ingest on to writing."""
    done = 0

    def run(texts: list[str]) -> Vectors:
        nonlocal done
        progress.phase(Phase.EMBEDDING)
        parts: list[Vectors] = []
        for start in range(0, len(texts), progress.batch):
            batch = texts[start : start + progress.batch]
            parts.append(embed(batch))
            done += len(batch)
            progress.embedded(done, max(total, done))
        if done >= total:
            progress.phase(Phase.WRITING)
        return np.concatenate(parts) if parts else embed(texts)

    return run
