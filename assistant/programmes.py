"""What the index holds, programme by programme: editions, documents and calls, each call open or closed
on today's date (by the deadline its own text gives, read with the answerer's deadline helpers), and the
values the ``programme`` and ``kind`` filters accept."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from typing import Literal

from pydantic import BaseModel, Field

from assistant.answering.editions import Editions, deadline_note, full_name, is_deadline
from ingest.dates import dates_in
from ingest.models import DocumentKind, DocumentMeta
from ingest.store import IndexSnapshot

CallStatus = Literal["open", "closed", "unknown"]


class Call(BaseModel):
    source: str = Field(description="File name of the call document")
    title: str
    edition: int | None = None
    deadline: date | None = Field(default=None, description="The latest deadline the call's text gives")
    status: CallStatus = Field(description="open or closed on `today`; unknown when the text gives no date")
    note: str | None = Field(default=None, description="The deadline in a sentence, as answers say it")
    older_edition: bool = Field(default=False, description="A newer edition of this programme's call exists")


class Programme(BaseModel):
    programme: str = Field(description="The value the `programme` filter takes")
    name: str
    editions: list[int] = Field(description="Editions of its calls and FAQs, newest first")
    documents: int
    kinds: list[str] = Field(description="Kinds of its documents (values of the `kind` filter)")
    calls: list[Call]


class ProgrammeList(BaseModel):
    today: date
    programmes: list[Programme]
    unassigned_documents: int = Field(description="Documents the index holds with no programme")


def filter_values(documents: Iterable[DocumentMeta]) -> dict[str, list[str]]:
    """The values each filter accepts: what the index's documents are labelled with."""
    metas = list(documents)
    return {
        "programme": sorted({meta.programme for meta in metas if meta.programme}),
        "kind": sorted({str(meta.kind.value) for meta in metas}),
    }


def _deadline(sentences: Iterable[str], meta: DocumentMeta, today: date) -> tuple[date, str, bool] | None:
    """The latest deadline the sentences give, with its note and whether it has passed."""
    found: list[tuple[date, str, bool]] = []
    for sentence in sentences:
        if not is_deadline(sentence):
            continue
        note = deadline_note(sentence, meta, today)
        mentions = dates_in(sentence, meta.edition)
        if note is not None and mentions:
            found.append((max(mention.on for mention in mentions), note.text, note.passed))
    return max(found, key=lambda item: item[0]) if found else None


def programmes(snapshot: IndexSnapshot, today: date) -> ProgrammeList:
    documents = snapshot.documents
    editions = Editions.of(documents.values())
    sentences_of = {parsed.meta.source: [s.text for s in parsed.sentences] for parsed in snapshot.files}
    by_programme: dict[str, list[DocumentMeta]] = defaultdict(list)
    for meta in documents.values():
        if meta.programme:
            by_programme[meta.programme].append(meta)
    listed = []
    for programme, metas in sorted(by_programme.items()):
        calls = []
        for meta in sorted(metas, key=lambda m: (-(m.edition or 0), m.source)):
            if meta.kind is not DocumentKind.CALL:
                continue
            deadline = _deadline(sentences_of.get(meta.source, []), meta, today)
            calls.append(
                Call(
                    source=meta.source,
                    title=meta.title,
                    edition=meta.edition,
                    deadline=deadline[0] if deadline else None,
                    status=("closed" if deadline[2] else "open") if deadline else "unknown",
                    note=deadline[1] if deadline else None,
                    older_edition=editions.is_superseded(meta),
                )
            )
        listed.append(
            Programme(
                programme=programme,
                name=full_name(programme),
                editions=sorted(
                    {
                        m.edition
                        for m in metas
                        if m.edition and m.kind in (DocumentKind.CALL, DocumentKind.FAQ)
                    },
                    reverse=True,
                ),
                documents=len(metas),
                kinds=sorted({str(m.kind.value) for m in metas}),
                calls=calls,
            )
        )
    unassigned = sum(1 for meta in documents.values() if not meta.programme)
    return ProgrammeList(today=today, programmes=listed, unassigned_documents=unassigned)
