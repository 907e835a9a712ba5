"""The document library: what the index holds, document by document (a list for staff and integrators,
each document's text in order for a page that opens it at a cited passage), and the file side of adding
and removing a document in the corpus folder. The service calls these; ingest jobs do the indexing."""

from __future__ import annotations

import os
import re
import shutil
import unicodedata
import uuid
from datetime import UTC, datetime
from pathlib import Path

from pydantic import BaseModel, Field

from ingest.chunking import document_id
from ingest.discovery import SIDECAR_SUFFIX, SUPPORTED_SUFFIXES, unsupported_reason
from ingest.errors import ConflictError, DocumentError, InvalidRequestError, NotFoundError
from ingest.loaders import check_type
from ingest.models import IngestReport
from ingest.records import ParsedFile
from ingest.store import IndexSnapshot


class DocumentSummary(BaseModel):
    """One indexed document, as `GET /v1/documents` lists it."""

    id: str = Field(
        description="Stable id: the file name as a slug and a digest of it; every chunk id starts with it",
        examples=["iuc-call-2018-pdf-1a2b3c4d5e"],
    )
    source: str = Field(description="The file name; citations name it", examples=["iuc-call-2018.pdf"])
    title: str
    programme: str | None = Field(default=None, examples=["IUC"])
    kind: str = Field(examples=["call for applications"])
    edition: int | None = Field(default=None, description="The year of the edition", examples=[2018])
    years: list[int] = Field(default_factory=list, description="Years the document speaks of, newest first")
    chunks: int = Field(description="Passages indexed")
    indexed_at: datetime | None = Field(
        default=None, description="When this version of the file was read (UTC); null for older indexes"
    )
    rules_active: bool = Field(description="Whether active eligibility rules quote this document")
    rules: int = Field(description="How many active eligibility rules quote it")


class DocumentList(BaseModel):
    count: int
    generation: str = Field(description="The index generation listed")
    documents: list[DocumentSummary]


class Passage(BaseModel):
    """One chunk of a document's text. Its ``id`` is what citations carry as ``chunk_id``: a page opens
    the document at a cited passage by finding the chunk with that id (use it as the HTML anchor)."""

    id: str = Field(examples=["iuc-call-2018-pdf-1a2b3c4d5e:0003"])
    ordinal: int = Field(description="Position in the document, from 0")
    section: str = Field(description="Heading path, ' > '-joined")
    page: int | None = Field(default=None, description="PDF page, from 1")
    text: str = Field(description="The normalised text, as citations quote it")
    is_table: bool = Field(description="Rows of a table, one per line, cells ' | '-separated")


class DocumentText(BaseModel):
    """A document's normalised text in reading order, as `GET /v1/documents/{id}` serves it."""

    document: DocumentSummary
    chunks: list[Passage]


class Removal(BaseModel):
    """A document taken out of the index."""

    source: str = Field(description="Its file name")
    moved_to: str | None = Field(
        description="Where its file went (under the data folder); null when it was not in the corpus folder"
    )
    report: IngestReport


def summaries(snapshot: IndexSnapshot) -> list[DocumentSummary]:
    """Every document of ``snapshot``, by file name."""
    rules: dict[str, int] = {}
    for rule in snapshot.rules:
        rules[rule.source] = rules.get(rule.source, 0) + 1
    return sorted(
        (_summary(parsed, rules.get(parsed.meta.source, 0)) for parsed in snapshot.files), key=_by_name
    )


def _by_name(summary: DocumentSummary) -> tuple[str, str]:
    return (summary.source.casefold(), summary.source)


def _summary(parsed: ParsedFile, rules: int) -> DocumentSummary:
    meta = parsed.meta
    return DocumentSummary(
        id=document_id(meta.source),
        source=meta.source,
        title=meta.title,
        programme=meta.programme,
        kind=meta.kind.value,
        edition=meta.edition,
        years=meta.years,
        chunks=len(parsed.chunks),
        indexed_at=meta.indexed_at,
        rules_active=rules > 0,
        rules=rules,
    )


def find(snapshot: IndexSnapshot, key: str) -> ParsedFile:
    """The document whose id or file name is ``key``."""
    for parsed in snapshot.files:
        # A document kept from an index built before ids carried a digest answers to its chunks' prefix too.
        stored = parsed.chunks[0].id.rsplit(":", 1)[0] if parsed.chunks else None
        if key in (parsed.meta.source, document_id(parsed.meta.source), stored):
            return parsed
    raise NotFoundError(f"No indexed document has the id or file name {key!r}.", field="id")


def text_of(snapshot: IndexSnapshot, key: str) -> DocumentText:
    parsed = find(snapshot, key)
    rules = sum(1 for rule in snapshot.rules if rule.source == parsed.meta.source)
    return DocumentText(
        document=_summary(parsed, rules),
        chunks=[
            Passage(
                id=chunk.id,
                ordinal=chunk.ordinal,
                section=chunk.section,
                page=chunk.page,
                text=chunk.text,
                is_table=chunk.is_table,
            )
            for chunk in sorted(parsed.chunks, key=lambda chunk: chunk.ordinal)
        ],
    )


# --- files in the corpus folder ------------------------------------------------------------------

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_UNSAFE = re.compile(r"[^\w .,()+-]")  # \w keeps letters of every script
_SPACES = re.compile(r"\s+")
_MAX_STEM = 120


def safe_name(uploaded: str) -> str:
    """The name an uploaded file is stored under: its base name only (no folders), no control or
    shell-special characters, never hidden, a supported suffix in lower case."""
    name = unicodedata.normalize("NFKC", uploaded).replace("\\", "/").rsplit("/", 1)[-1]
    name = _SPACES.sub(" ", _UNSAFE.sub("-", _CONTROL.sub("", name))).strip()
    stem, dot, suffix = name.rpartition(".")
    suffix = f".{suffix.lower()}" if dot else ""
    if suffix not in SUPPORTED_SUFFIXES or name.lower().endswith(SIDECAR_SUFFIX):
        raise InvalidRequestError(unsupported_reason(name or uploaded), field="file")
    stem = stem.strip(" .-")[:_MAX_STEM].strip(" .-") or "document"
    return f"{stem}{suffix}"


def store_upload(corpus: Path, uploaded: str, data: bytes, *, replace: bool) -> Path:
    """Check an upload and write it into the corpus folder under a safe name; returns its path. The file
    appears whole or not at all (written beside, then renamed)."""
    name = safe_name(uploaded)
    try:
        check_type(data, name)
    except DocumentError as error:
        raise InvalidRequestError(f"{name}: {error.message}", field="file") from error
    corpus.mkdir(parents=True, exist_ok=True)
    target = corpus / name
    if target.exists() and not replace:
        raise ConflictError(
            f"The corpus already holds a file named {name}; send replace=true to replace it.", field="file"
        )
    temporary = corpus / f".upload-{uuid.uuid4().hex}.tmp"  # hidden: an ingest running now skips it
    try:
        with temporary.open("wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        temporary.replace(target)
    finally:
        temporary.unlink(missing_ok=True)
    return target


def set_aside(corpus: Path, data_dir: Path, parsed: ParsedFile) -> Path | None:
    """Move a removed document's file (and its metadata file) out of the corpus folder, into
    ``<data_dir>/removed/``, so that nothing is lost; None when the file is not in the corpus folder."""
    source = parsed.meta.source
    path = corpus / source
    if parsed.origin != str(corpus.resolve()) or not path.is_file():
        return None
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    folder = data_dir / "removed" / stamp
    folder.mkdir(parents=True, exist_ok=True)
    shutil.move(path, folder / source)
    sidecar = corpus / f"{source}{SIDECAR_SUFFIX}"
    if sidecar.is_file():
        shutil.move(sidecar, folder / sidecar.name)
    return folder / source
