"""Writing offline answers, no LLM: passages as the documents word them, each run of sentences with its
citation; an older edition's differing passage under its own label; each deadline said to be passed or
ahead; table rows for pairing questions; or an honest "the documents don't answer this" with the
closest they cover and whom to contact at that programme."""

from __future__ import annotations

import re
from datetime import date

from assistant.answering.editions import DeadlineNote, Editions, deadline_note, full_name
from assistant.answering.evidence import Candidate, is_list_item
from assistant.answering.passages import Passage
from assistant.answering.retrieval import CorpusStats
from assistant.citations import CitationBuilder
from assistant.models import Composed, Notice
from ingest.models import Chunk, PairingRow
from ingest.store import IndexSnapshot
from ingest.tables import CELL_SEPARATOR
from prompts import load_prompt, say

_BULLET = re.compile(r"^\s*(?:[-•*▸►]\s+|\(?\d{1,2}[.)]\s+|\(?[a-z][.)]\s+)")
# A bracketed number in a document's own text would read as one of the answer's citation markers.
_BRACKETED_NUMBER = re.compile(r"\[(\d{1,3})\]")


def clean(text: str) -> str:
    """A sentence as shown inside an answer: no list bullet, and no bracketed number that could pass
    for a citation marker ('…eligible to apply [2].' in a document must not point at source 2)."""
    return _BRACKETED_NUMBER.sub(r"(\1)", _BULLET.sub("", text)).strip()


def _with_marker(text: str, marker: int) -> str:
    text = text.rstrip()
    if text and text[-1] in ".!?:;":
        # A lead-in keeps its colon ('…your city will [1]: …'): what it introduces follows.
        end = "." if text[-1] == ";" else text[-1]
        return f"{text[:-1]} [{marker}]{end}"
    return f"{text} [{marker}]."


class Writer:
    """Renders one answer; its citations are numbered in order of first use."""

    def __init__(
        self, snapshot: IndexSnapshot, stats: CorpusStats, editions: Editions, today: date, max_chars: int
    ) -> None:
        self.snapshot = snapshot
        self.stats = stats
        self.editions = editions
        self.today = today
        self.max_chars = max_chars
        self.builder = CitationBuilder(snapshot.chunks)
        self.notices: list[Notice] = []

    # --- passages ---------------------------------------------------------------------------------
    def passage(self, passage: Passage) -> str:
        """The passage's sentences in reading order; each run of one chunk is one citation whose quote
        is that run as it stands in the chunk, and list items read as one line."""
        indices = passage.indices(self.stats)
        runs: list[list[int]] = []
        for index in indices:
            previous = runs[-1][-1] if runs else None
            same_chunk = (
                previous is not None
                and self.snapshot.sentences[previous].chunk_id == self.snapshot.sentences[index].chunk_id
                and self.stats.sentence_position[index] == self.stats.sentence_position[previous] + 1
            )
            if same_chunk:
                runs[-1].append(index)
            else:
                runs.append([index])
        return " ".join(self._run(run) for run in runs)

    def _run(self, run: list[int]) -> str:
        sentences = [self.snapshot.sentences[index] for index in run]
        chunk = self.snapshot.chunks[sentences[0].chunk_id]
        start = chunk.text.find(sentences[0].text)
        end = chunk.text.find(sentences[-1].text, max(start, 0))
        quote = (
            chunk.text[start : end + len(sentences[-1].text)]
            if start >= 0 and end >= 0
            else sentences[0].text
        )
        if start < 0 or end < 0:  # not found in order: cite the sentences one by one
            return " ".join(
                _with_marker(clean(s.text), self.builder.cite_text(chunk, s.text)) for s in sentences
            )
        marker = self.builder.cite_text(chunk, quote)
        if chunk.is_table:
            return " ".join(_with_marker(self._row(chunk, s.text), marker) for s in sentences)
        parts: list[str] = []
        for sentence in sentences:
            text = clean(sentence.text)
            if is_list_item(sentence.text) and parts:
                parts[-1] = parts[-1].rstrip(";.") + ";" if not parts[-1].endswith(":") else parts[-1]
                parts.append(text.rstrip("."))
            else:
                parts.append(text)
        return _with_marker(" ".join(parts), marker)

    @staticmethod
    def _row(chunk: Chunk, row: str) -> str:
        """A table row read with its header: 'Visiting: Kuopio; Country: FI; Host: Ludwigsburg…'."""
        header = [cell.strip() for cell in chunk.text.split("\n", 1)[0].split(CELL_SEPARATOR)]
        cells = [cell.strip() for cell in row.split(CELL_SEPARATOR)]
        if row == chunk.text.split("\n", 1)[0] or len(header) != len(cells):
            return clean(row)
        return "; ".join(
            f"{name}: {clean(value)}" if name else clean(value)
            for name, value in zip(header, cells, strict=True)
        )

    def label(self, source: str) -> str:
        meta = self.snapshot.documents[source]
        parts = [f"{meta.programme} {meta.kind.value}" if meta.programme else meta.kind.value]
        if meta.edition:
            parts.append(f"{meta.edition} edition")
        return f"{meta.title} ({', '.join(parts)})"

    def deadline_notes(self, passage: Passage) -> list[str]:
        """Each deadline the passage gives, said to be passed or still ahead as of today; a passed one
        is also a notice the faces show apart from the text."""
        meta = self.snapshot.documents[passage.source]
        notes: list[DeadlineNote] = []
        for index in passage.indices(self.stats):
            note = deadline_note(self.snapshot.sentences[index].text, meta, self.today)
            if note is not None and note.text not in {known.text for known in notes}:
                notes.append(note)
        self.notices += [
            Notice(kind="deadline_passed", text=note.text, source=passage.source)
            for note in notes
            if note.passed
        ]
        return [note.text for note in notes]

    def older_edition(self, source: str) -> None:
        self.notices.append(
            Notice(
                kind="older_edition",
                text=say("notices.older_edition", label=self.label(source)),
                source=source,
            )
        )

    def programme_lead(self, programme: str | None) -> str:
        return say("offline.programme_lead", programme=full_name(programme)) if programme else ""

    # --- tables -------------------------------------------------------------------------------------
    def rows(self, rows: list[PairingRow], topics: list[str]) -> str:
        source = self.snapshot.documents.get(rows[0].source)
        edition = f" ({source.title})" if source else ""
        lead = (
            say("offline.pairing_one", edition=edition)
            if len(rows) == 1
            else say("offline.pairing_many", count=len(rows), edition=edition)
        )
        lead += say("offline.pairing_topics", topics=" / ".join(sorted(set(topics)))) if topics else ":"
        lines = []
        for row in rows:
            marker = self.builder.cite_text(self.snapshot.chunks[row.chunk_id], row.quote)
            lines.append(
                f"- {row.eu_city} ({row.eu_country}) – {row.partner_city} ({row.partner_country}): "
                f"{clean(row.topics)} [{marker}]"
            )
        text = "\n".join([lead, *lines])
        if len(text) > self.max_chars:  # many rows: names only, so the list stays complete
            names = [
                f"{row.eu_city}–{row.partner_city} [{self.builder.marker_of(row.quote)}]" for row in rows
            ]
            text = lead + " " + "; ".join(names) + "."
        return text

    def no_such_pairing(self, asked: str, rows: list[PairingRow]) -> str:
        listed = sorted({row.partner_country for row in rows} | {row.eu_country for row in rows})
        table_chunk = self.snapshot.chunks[rows[0].chunk_id]
        marker = self.builder.cite_text(table_chunk, table_chunk.text.split("\n", 1)[0])
        return say("offline.no_such_pairing", asked=asked, marker=marker, countries=", ".join(listed))

    # --- abstentions --------------------------------------------------------------------------------
    def abstention(self, about: str, closest: Candidate | None, relevant: list[str] | None = None) -> str:
        parts = [load_prompt("offline_abstain").format(about=about)]
        if closest is not None:
            sentence = self.snapshot.sentences[closest.index]
            marker = self.builder.cite_text(closest.chunk, sentence.text)
            parts.append(
                say("offline.closest", title=closest.chunk.title, quote=clean(sentence.text), marker=marker)
            )
        parts.extend(self.contact(closest.chunk if closest else None, relevant))
        return " ".join(parts)

    def decline(self, near: Chunk | None, relevant: list[str] | None = None) -> str:
        return " ".join([load_prompt("offline_decline"), *self.contact(near, relevant)])

    def contact(self, near: Chunk | None, relevant: list[str] | None = None) -> list[str]:
        """Whom to contact: from the closest passage's own document, or else another document of the
        same programme, or else (documents of no known programme) the documents most relevant to the
        question, best first. A contact address in one programme's documents never speaks for another's,
        and a document that merely comes first by name never speaks for all."""
        if near is None:
            return []
        index = self.stats.contact_for(near.source, near.programme)
        if index is None and not near.programme:
            unlabelled = [s for s in relevant or [] if not self.snapshot.documents[s].programme]
            index = next(
                (found for s in unlabelled if (found := self.stats.contact_for(s, None)) is not None), None
            )
        if index is None:
            return []
        sentence = self.snapshot.sentences[index]
        email = self.stats.contact_address(index)
        marker = self.builder.cite(sentence.chunk_id, sentence.text)
        return [say("offline.contact", email=email, marker=marker)]

    # --- the whole --------------------------------------------------------------------------------
    def finish(self, text: str, *, abstained: bool, pairing_ids: list[str] | None = None) -> Composed:
        """The answer cut to the length limit, with only the citations whose markers it still holds."""
        text = self.fit(text)
        kept = [citation for citation in self.builder.citations if f"[{citation.id}]" in text]
        return Composed(text, kept, abstained, pairing_ids or [], notices=self.notices)

    def fit(self, text: str) -> str:
        if len(text) <= self.max_chars:
            return text
        cut = text[: self.max_chars - 1]
        return cut[: cut.rfind(" ")] + "…"
