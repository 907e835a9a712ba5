"""What an ingest tells whoever follows it (a progress bar, a background job): the phase it is in, files
read, chunks cut, texts embedded. The base class ignores everything; followers override what they show."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from enum import StrEnum

from ingest.embedder import Vectors

EMBED_BATCH = 64  # texts per call to the embedder while progress is being told


class Phase(StrEnum):
    READING = "reading"  # finding files, parsing the new and changed ones
    EMBEDDING = "embedding"  # passages and sentences through the model (or the vector cache)
    WRITING = "writing"  # vectors, keyword index and records written, then the switch


class IngestProgress:
    """Told by ``sync`` as it works; every method is called from the ingesting thread."""

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
    import numpy as np

    done = 0

    def run(texts: list[str]) -> Vectors:
        nonlocal done
        progress.phase(Phase.EMBEDDING)
        parts: list[Vectors] = []
        for start in range(0, len(texts), EMBED_BATCH):
            parts.append(embed(texts[start : start + EMBED_BATCH]))
            done += len(texts[start : start + EMBED_BATCH])
            progress.embedded(done, max(total, done))
        if done >= total:
            progress.phase(Phase.WRITING)
        return np.concatenate(parts) if parts else embed(texts)

    return run
