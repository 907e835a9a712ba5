"""The evidence of one answer: every passage a tool returned this turn, numbered as the model sees it,
shown to the model as quoted data, and turned into citations once the answer is verified.

A passage's *units* are what a marker may draw on (the chunk's sentences, a pairings row, a rule's
words); each is verbatim in its chunk, so the quote a citation carries is the chunk's own text.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from assistant.grounding import Passage, Support
from ingest.models import Chunk
from ingest.store import IndexSnapshot
from ingest.textutil import split_sentences

# A marker inside a document ('[1]', '[2, 3]') is shown as '(1)': only the answerer numbers passages.
_DOCUMENT_MARKER = re.compile(r"\[(\s*\d{1,3}(?:\s*[,;–-]\s*\d{1,3})*\s*)\]")


@dataclass
class Evidence:
    """One passage a tool returned: its number in this turn, its chunk, and its citable units."""

    ref: int
    chunk: Chunk
    units: tuple[str, ...]
    text: str  # what the model is shown: the chunk, or only the row or the rule's words
    pairing_id: str | None = None

    def quote(self, support: Support) -> str:
        """The chunk's text from the first to the last unit that supports a sentence (verbatim)."""
        first, last = self.units[support.first], self.units[support.last]
        start = self.chunk.text.find(first)
        end = self.chunk.text.find(last, max(start, 0))
        if start < 0 or end < 0:  # units are verbatim in the chunk; this is only a safeguard
            return first
        return self.chunk.text[start : end + len(last)]


@dataclass
class Ledger:
    """Every passage returned for one answer, numbered in the order tools first returned them; a
    passage returned again keeps its number."""

    items: dict[int, Evidence] = field(default_factory=dict)
    _by_key: dict[str, int] = field(default_factory=dict)

    def add(
        self,
        key: str,
        chunk: Chunk,
        units: Iterable[str],
        *,
        text: str | None = None,
        pairing_id: str | None = None,
    ) -> Evidence:
        """The passage ``key`` (a chunk id, a row id, a rule id), numbered if it is new. Units not
        verbatim in the chunk are left out: a citation quotes only the chunk's own text."""
        if key in self._by_key:
            return self.items[self._by_key[key]]
        kept = tuple(unit for unit in units if unit.strip() and unit in chunk.text)
        evidence = Evidence(len(self.items) + 1, chunk, kept or (chunk.text,), text or chunk.text, pairing_id)
        self.items[evidence.ref] = evidence
        self._by_key[key] = evidence.ref
        return evidence

    def passages(self) -> dict[int, Passage]:
        return {
            ref: Passage(evidence.units, about(evidence.chunk.title, evidence.chunk.section))
            for ref, evidence in self.items.items()
        }


def about(title: str, section: str) -> str:
    """What a passage is from, for the grounding check: its document's title and its section."""
    return f"{title}. {section}".strip(". ")


def chunk_units(snapshot: IndexSnapshot, chunk: Chunk) -> list[str]:
    """A chunk's citable sentences as ingest cut them (table rows and list items included)."""
    indexes = snapshot.sentences_by_chunk.get(chunk.id, [])
    units = [snapshot.sentences[i].text for i in indexes]
    if units:
        return units
    return [piece for line in chunk.text.splitlines() for piece in split_sentences(line)]


def shown(text: str) -> str:
    """Document text as the model sees it: its own [n] markers turned into (n)."""
    return _DOCUMENT_MARKER.sub(r"(\1)", text)


def quoted(data: object) -> str:
    """A tool result as JSON data. Angle brackets are escaped, so no document text can pass for chat
    markup ('<|im_end|>', '</tool_call>') in whatever template the server applies."""
    text = json.dumps(data, ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e")


def passage_view(evidence: Evidence, max_chars: int) -> dict[str, object]:
    """What the model is shown of one passage."""
    text = shown(evidence.text)
    if len(text) > max_chars:
        text = text[:max_chars].rsplit(" ", 1)[0] + " …"
    view: dict[str, object] = {"ref": evidence.ref, "document": shown(evidence.chunk.title)}
    if evidence.chunk.section:
        view["section"] = shown(evidence.chunk.section)
    if evidence.chunk.page is not None:
        view["page"] = evidence.chunk.page
    view["text"] = text
    return view
