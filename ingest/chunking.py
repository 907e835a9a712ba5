"""Blocks → chunks that keep sections, lists and tables whole, and the citable sentences inside them."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field

from ingest.models import Chunk, DocumentMeta, PairingRow, Sentence
from ingest.structure import Block, BlockKind, without_numbering
from ingest.tables import Table
from ingest.textutil import fold, split_sentences

MAX_CHUNK_CHARS = 1000
TABLE_ROWS_PER_CHUNK = 15
_SLUG = re.compile(r"[^a-z0-9]+")
_INFORMATIVE_HEADING = re.compile(r"\d")
_SLUG_CHARS = 60


def document_id(source: str) -> str:
    """A document's id, the first part of its chunks' ids: the file name as a readable slug, then a
    digest of the exact name. Names that differ only in case or punctuation, or are written in letters
    the slug drops, still get distinct ids. URL-safe: ``[a-z0-9-]``."""
    slug = _SLUG.sub("-", fold(source))[:_SLUG_CHARS].strip("-") or "document"
    return f"{slug}-{hashlib.sha256(source.encode('utf-8')).hexdigest()[:10]}"


@dataclass
class ChunkedDocument:
    chunks: list[Chunk] = field(default_factory=list)
    sentences: list[Sentence] = field(default_factory=list)
    pairings: list[PairingRow] = field(default_factory=list)


@dataclass
class _Pending:
    """The blocks of the chunk being filled, and their size (kept as blocks come and go)."""

    section: str
    blocks: list[Block] = field(default_factory=list)
    size: int = 0

    def add(self, block: Block) -> None:
        self.blocks.append(block)
        self.size += len(block.text) + 1

    def replace(self, blocks: list[Block]) -> None:
        self.blocks = blocks
        self.size = sum(len(block.text) + 1 for block in blocks)


class _Chunker:
    def __init__(self, meta: DocumentMeta) -> None:
        self.meta = meta
        self.document_id = document_id(meta.source)
        self.out = ChunkedDocument()
        self.positions: dict[str, int] = {}

    def _new_chunk(self, section: str, page: int | None, text: str, *, is_table: bool = False) -> Chunk:
        chunk = Chunk(
            id=f"{self.document_id}:{len(self.out.chunks):04d}",
            source=self.meta.source,
            title=self.meta.title,
            section=section,
            page=page,
            ordinal=len(self.out.chunks),
            text=text,
            is_table=is_table,
            programme=self.meta.programme,
            kind=self.meta.kind.value,
            edition=self.meta.edition,
        )
        self.out.chunks.append(chunk)
        return chunk

    def _add_sentence(self, chunk: Chunk, text: str) -> None:
        position = self.positions.get(chunk.id, 0)
        self.positions[chunk.id] = position + 1
        self.out.sentences.append(
            Sentence(id=f"{chunk.id}:{position:03d}", chunk_id=chunk.id, position=position, text=text)
        )

    def emit_text(self, pending: _Pending) -> None:
        if not pending.blocks:
            return
        chunk = self._new_chunk(
            pending.section, pending.blocks[0].page, "\n".join(block.text for block in pending.blocks)
        )
        for block in pending.blocks:
            units = (
                [block.text]
                if block.kind is BlockKind.FIELD and len(block.text) < 200
                else (split_sentences(block.text))
            )
            for unit in units:
                self._add_sentence(chunk, unit)
        pending.replace([])

    def emit_table(self, section: str, block: Block) -> None:
        table = block.table
        assert table is not None
        header = table.render_row(table.header)
        for start in range(0, len(table.rows), TABLE_ROWS_PER_CHUNK):
            rows = table.rows[start : start + TABLE_ROWS_PER_CHUNK]
            lines = [table.render_row(row) for row in rows]
            chunk = self._new_chunk(section, block.page, "\n".join([header, *lines]), is_table=True)
            for offset, (row, line) in enumerate(zip(rows, lines, strict=True)):
                self._add_sentence(chunk, line)
                pairing = _pairing(table, row, line, chunk, start + offset)
                if pairing is not None:
                    self.out.pairings.append(pairing)


def _column(header: list[str], *needles: str, occurrence: int = 0) -> int | None:
    hits = [index for index, name in enumerate(header) if any(needle in name.lower() for needle in needles)]
    return hits[occurrence] if len(hits) > occurrence else None


def _pairing(table: Table, row: list[str], line: str, chunk: Chunk, position: int) -> PairingRow | None:
    """A row of a pairings table: two city columns, each followed by its country, and topics."""
    header = table.header
    city_a, city_b = _column(header, "city", "municipal"), _column(header, "city", "municipal", occurrence=1)
    country_a, country_b = _column(header, "country"), _column(header, "country", occurrence=1)
    topics = _column(header, "topic", "theme", "sector", "focus", "area")
    if None in (city_a, city_b, country_a, country_b):
        return None
    assert city_a is not None and city_b is not None and country_a is not None and country_b is not None
    return PairingRow(
        id=f"{chunk.id}:{position:03d}",
        eu_city=row[city_a],
        eu_country=row[country_a],
        partner_city=row[city_b],
        partner_country=row[country_b],
        topics=row[topics] if topics is not None else "",
        source=chunk.source,
        chunk_id=chunk.id,
        quote=line,
        programme=chunk.programme,
    )


def chunk_document(meta: DocumentMeta, blocks: list[Block]) -> ChunkedDocument:
    """Group blocks into chunks under their heading path; every sentence is verbatim in its chunk."""
    chunker = _Chunker(meta)
    stack: list[tuple[int, str]] = []
    pending = _Pending(section="")
    for block in blocks:
        if block.kind is BlockKind.HEADING:
            if block.text.strip().lower() == meta.title.strip().lower():
                continue
            chunker.emit_text(pending)
            while stack and stack[-1][0] >= block.level:
                stack.pop()
            stack.append((block.level, block.text))
            pending = _Pending(section=" > ".join(text for _, text in stack))
            if _INFORMATIVE_HEADING.search(without_numbering(block.text)):
                # 'Eurocities Annual Conference, Espoo – 8-10 June 2022' says when and where: citable.
                pending.add(Block(BlockKind.PARAGRAPH, block.text, block.page))
            continue
        if block.kind is BlockKind.TABLE:
            chunker.emit_text(pending)
            chunker.emit_table(pending.section, block)
            continue
        if pending.blocks and block.page != pending.blocks[-1].page:
            chunker.emit_text(pending)  # a chunk never spans pages, so its page number is exact
        for piece in _split_oversized(block):
            if pending.blocks and pending.size + len(piece.text) > MAX_CHUNK_CHARS:
                carried = _trailing_list(pending.blocks)
                pending.replace(pending.blocks[: len(pending.blocks) - len(carried)])
                chunker.emit_text(pending)
                pending.replace(carried)
            pending.add(piece)
    chunker.emit_text(pending)
    return chunker.out


def _trailing_list(blocks: list[Block]) -> list[Block]:
    """The lead-in line ending in ':' and the list items after it, at the end of ``blocks``, when
    something precedes them: they move on to the next chunk together rather than be cut apart."""
    start = len(blocks)
    while start > 0 and blocks[start - 1].kind is BlockKind.LIST_ITEM:
        start -= 1
    if start > 0 and blocks[start - 1].text.endswith(":"):
        start -= 1
    elif start == len(blocks):
        return []  # no list at the end
    return blocks[start:] if start > 0 else []


def _split_oversized(block: Block) -> list[Block]:
    """A paragraph longer than a chunk is cut between sentences; a single sentence longer than a chunk
    (a run of text with no sentence end) is cut between words."""
    if len(block.text) <= MAX_CHUNK_CHARS:
        return [block]
    pieces: list[Block] = []
    current: list[str] = []
    size = 0
    for sentence in split_sentences(block.text):
        for part in _cut_between_words(sentence):
            if current and size + len(part) > MAX_CHUNK_CHARS:
                pieces.append(Block(block.kind, " ".join(current), block.page, block.level))
                current, size = [], 0
            current.append(part)
            size += len(part) + 1
    if current:
        pieces.append(Block(block.kind, " ".join(current), block.page, block.level))
    return pieces


def _cut_between_words(sentence: str) -> list[str]:
    """``sentence`` in pieces of at most a chunk's length, cut at spaces (inside a word only when a
    word alone is longer than a chunk); every piece is verbatim in the sentence."""
    if len(sentence) <= MAX_CHUNK_CHARS:
        return [sentence]
    pieces: list[str] = []
    start = 0
    while len(sentence) - start > MAX_CHUNK_CHARS:
        cut = sentence.rfind(" ", start + 1, start + MAX_CHUNK_CHARS + 1)
        if cut <= start:
            cut = start + MAX_CHUNK_CHARS
        pieces.append(sentence[start:cut].strip())
        start = cut
        while start < len(sentence) and sentence[start] == " ":
            start += 1
    if start < len(sentence):
        pieces.append(sentence[start:].strip())
    return [piece for piece in pieces if piece]
