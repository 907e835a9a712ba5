"""Citations as validated data: every quote must occur verbatim in the chunk it cites. One numberer
serves every answerer (text answers, pairing rows, eligibility rules, and later an LLM's)."""

from __future__ import annotations

import re
from collections.abc import Mapping

from assistant.models import Citation, Marker
from ingest.errors import AssistantError
from ingest.models import Chunk


class CitationError(AssistantError):
    code = "bad_citation"


class CitationBuilder:
    """Numbers citations in order of first use; the same quote of the same chunk keeps one number."""

    def __init__(self, chunks: Mapping[str, Chunk]) -> None:
        self.chunks = chunks
        self.citations: list[Citation] = []
        self._by_quote: dict[tuple[str, str], int] = {}

    def cite(self, chunk_id: str, quote: str) -> int:
        """The marker of ``quote`` in the chunk ``chunk_id``; refuses a chunk the index does not hold
        or a quote that is not verbatim in it."""
        chunk = self.chunks.get(chunk_id)
        if chunk is None:
            raise CitationError(f"no chunk {chunk_id} in the index")
        return self.cite_text(chunk, quote)

    def cite_text(self, chunk: Chunk, quote: str) -> int:
        key = (chunk.id, quote)
        if key in self._by_quote:
            return self._by_quote[key]
        if quote not in chunk.text:
            raise CitationError(f"quote not found in chunk {chunk.id}: {quote[:60]!r}")
        marker = len(self.citations) + 1
        self.citations.append(
            Citation(
                id=marker,
                source=chunk.source,
                title=chunk.title,
                section=chunk.section,
                page=chunk.page,
                quote=quote,
                chunk_id=chunk.id,
            )
        )
        self._by_quote[key] = marker
        return marker

    def citation(self, marker: int) -> Citation:
        return self.citations[marker - 1]

    def marker_of(self, quote: str) -> int:
        for (_, cited), marker in self._by_quote.items():
            if cited == quote:
                return marker
        raise CitationError(f"not cited: {quote[:60]!r}")


def verify_citations(chunks: Mapping[str, Chunk], citations: list[Citation]) -> list[str]:
    """Problems with citations (empty when all hold): unknown chunk, or a quote not in its chunk."""
    problems = []
    for citation in citations:
        chunk = chunks.get(citation.chunk_id)
        if chunk is None:
            problems.append(f"[{citation.id}] cites an unknown chunk {citation.chunk_id}")
        elif citation.quote not in chunk.text:
            problems.append(f"[{citation.id}] quote does not occur in {citation.chunk_id}")
        elif chunk.source != citation.source:
            problems.append(f"[{citation.id}] names {citation.source} but the chunk is from {chunk.source}")
    return problems


_MARKER = re.compile(r"\[(\d{1,4})\]")


def markers_in(text: str, citations: list[Citation]) -> list[Marker]:
    """The positions of an answerer's own ``[n]`` markers in its text: the bracketed numbers that name
    one of its citations. Only for an answerer's output, whose quoted document text carries no bracketed
    numbers of its own; faces read the positions, never the brackets."""
    ids = {citation.id for citation in citations}
    return [
        Marker(id=int(match.group(1)), start=match.start(), end=match.end())
        for match in _MARKER.finditer(text)
        if int(match.group(1)) in ids
    ]
