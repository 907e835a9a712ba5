"""One file → what it contributes to an index (``parse_file``), and the plain reason a file failed.

Whatever goes wrong inside one file (a loader's error, a parser's RecursionError, a bug) fails that file
only: the ingest reports it and goes on with the rest."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from pathlib import Path

from ingest.chunking import chunk_document
from ingest.classify import classify
from ingest.discovery import FileLimits
from ingest.errors import DocumentError
from ingest.loaders import load_document
from ingest.loaders.common import short_reason
from ingest.normalize import normalize_text, replace_surrogates
from ingest.records import ParsedFile
from ingest.structure import parse_blocks

logger = logging.getLogger(__name__)


def parse_file(path: Path, sha256: str, origin: str | None, limits: FileLimits | None = None) -> ParsedFile:
    """Read, normalise, classify and chunk one file; ``DocumentError`` says why a file is unusable."""
    limits = limits or FileLimits()
    loaded = load_document(path)
    if (problem := limits.text_problem(sum(len(page.text) for page in loaded.pages))) is not None:
        raise DocumentError(problem)
    pages = [(page.number, normalize_text(page.text)) for page in loaded.pages]
    full_text = "\n\n".join(text for _, text in pages)
    if not full_text.strip():
        raise DocumentError("no text to index")
    declared = replace_surrogates(loaded.declared_title) if loaded.declared_title else None
    meta = classify(path, full_text, declared)
    meta.indexed_at = datetime.now(UTC)
    blocks = [block for number, text in pages for block in parse_blocks(text, number)]
    chunked = chunk_document(meta, blocks)
    if not chunked.chunks:
        raise DocumentError("no text to index")
    parsed = ParsedFile(meta, sha256, origin, chunked.chunks, chunked.sentences, chunked.pairings)
    _check_storable(parsed)
    return parsed


def _check_storable(parsed: ParsedFile) -> None:
    """Everything a file contributes serialises: a value that would not (text no codec can write)
    must fail here, with this file, not later while the whole index is written."""
    for item in (parsed.meta, *parsed.chunks, *parsed.sentences, *parsed.pairings):
        item.model_dump_json()


def failure_reason(error: Exception) -> str:
    """What the report says about a file that failed with ``error``."""
    if isinstance(error, DocumentError):
        return error.message
    if isinstance(error, OSError):
        return f"cannot read: {error.strerror or error}"
    if isinstance(error, RecursionError):
        return "nested too deeply to read"
    if isinstance(error, MemoryError):
        return "too large to read in memory"
    return f"could not be read ({type(error).__name__}: {short_reason(error)})"
