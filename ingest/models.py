"""Typed records produced by ingestion and stored in the index."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, Field


class DocumentKind(StrEnum):
    CALL = "call for applications"
    FAQ = "FAQ"
    FACTSHEET = "factsheet"
    CONCEPT_NOTE = "concept note"
    TAKEAWAYS = "event takeaways"
    RULES = "rules"
    OTHER = "document"


class PageText(BaseModel):
    """Text of one page (PDF) or of the whole file (other formats, ``number`` is None)."""

    number: int | None = None
    text: str


class LoadedDocument(BaseModel):
    """What a loader returns: the pages of text and whatever title the format itself declares."""

    path: str
    format: str
    pages: list[PageText]
    declared_title: str | None = None


class DocumentMeta(BaseModel):
    source: str = Field(description="File name; citations name it")
    title: str
    kind: DocumentKind = DocumentKind.OTHER
    programme: str | None = Field(
        default=None, description="IUC, IURC, Partnerships for Sustainable Cities, …"
    )
    years: list[int] = Field(default_factory=list, description="Years the document speaks of, newest first")
    edition: int | None = Field(default=None, description="The year of the edition the document belongs to")
    contacts: list[str] = Field(default_factory=list)
    indexed_at: datetime | None = Field(
        default=None, description="When this version of the file was read (UTC); None in older indexes"
    )


class Chunk(BaseModel):
    id: str
    source: str
    title: str
    section: str = Field(default="", description="Heading path, ' > '-joined")
    page: int | None = None
    ordinal: int
    text: str
    is_table: bool = False
    programme: str | None = None
    kind: str = DocumentKind.OTHER.value
    edition: int | None = None


class Sentence(BaseModel):
    """A citable unit: a sentence, a list item, a field line or a table row, verbatim from its chunk."""

    id: str
    chunk_id: str
    position: int
    text: str


class PairingRow(BaseModel):
    """One row of a city pairings table."""

    id: str
    eu_city: str
    eu_country: str
    partner_city: str
    partner_country: str
    topics: str
    source: str
    chunk_id: str
    quote: str = Field(description="The row as it stands in the chunk text")
    programme: str | None = None


class FailedFile(BaseModel):
    path: str
    error: str


class RefusedRule(BaseModel):
    """An eligibility rule left out of the index: its quote is not in its source, or it is malformed."""

    file: str = Field(description="The rules file (its name)")
    rule_id: str
    reason: str

    @property
    def message(self) -> str:
        return f"{self.file}: rule '{self.rule_id}': {self.reason}"


class SkippedRuleset(BaseModel):
    """A ruleset read but not used: a draft waiting for review."""

    file: str
    programme: str
    edition: str
    reason: str


class IngestReport(BaseModel):
    """What an ingest did: every file it was given, sorted by what became of it, and what changed."""

    files_indexed: list[str] = Field(
        default_factory=list, description="Files read into the index: files_added and files_changed together"
    )
    files_added: list[str] = Field(default_factory=list, description="Files the index did not hold before")
    files_changed: list[str] = Field(
        default_factory=list, description="Files whose new version replaced the one in the index"
    )
    files_unchanged: list[str] = Field(default_factory=list)
    files_removed: list[str] = Field(
        default_factory=list, description="Documents (file names) that left the index"
    )
    files_failed: list[FailedFile] = Field(default_factory=list)
    chunks_embedded: int = 0
    chunks_total: int = 0
    rules_loaded: int = Field(default=0, description="Eligibility rules active in the index")
    rules_added: list[str] = Field(default_factory=list, description="Rules now active ('file: rule id')")
    rules_changed: list[str] = Field(
        default_factory=list, description="Active rules whose wording or anchor changed ('file: rule id')"
    )
    rules_removed: list[str] = Field(
        default_factory=list, description="Rules active before and no longer ('file: rule id')"
    )
    rules_refused: list[RefusedRule] = Field(default_factory=list)
    rulesets_skipped: list[SkippedRuleset] = Field(default_factory=list)
    generation: str | None = None
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        """False when a file failed or a rule was refused: either way something asked for is missing."""
        return not self.files_failed and not self.rules_refused
