"""Safe names for uploaded files: the base name only, no control or shell characters, never hidden,
a supported suffix in lower case; letters of every script kept."""

from __future__ import annotations

import pytest

from assistant.library import safe_name
from ingest.errors import InvalidRequestError


@pytest.mark.parametrize(
    ("uploaded", "stored"),
    [
        ("call.pdf", "call.pdf"),
        ("../../call <2024>.PDF", "call -2024.pdf"),
        ("C:\\Users\\me\\Desktop\\notes.TXT", "notes.txt"),
        ("...hidden.md", "hidden.md"),
        ("tab\tand\nnewline.md", "tabandnewline.md"),
        ("$(rm -rf ~);`x`.html", "(rm -rf -)--x.html"),
        ("Convocatoria Málaga 2024.md", "Convocatoria Málaga 2024.md"),
        ("通知.txt", "通知.txt"),
        ("ﬁle ligature.md", "file ligature.md"),
        (".pdf", "document.pdf"),
        ("x" * 300 + ".md", "x" * 120 + ".md"),
    ],
)
def test_uploaded_names_are_made_safe(uploaded: str, stored: str) -> None:
    assert safe_name(uploaded) == stored


@pytest.mark.parametrize(
    "uploaded",
    ["tool.exe", "rules.rules.yaml", "call.md.meta.json", "no-suffix", "", "../", "archive.pdf.zip"],
)
def test_names_of_unsupported_types_are_refused(uploaded: str) -> None:
    with pytest.raises(InvalidRequestError, match="unsupported file type"):
        safe_name(uploaded)


def test_a_document_is_found_by_id_file_name_or_its_chunks_prefix() -> None:
    from types import SimpleNamespace

    from assistant.library import find
    from ingest.chunking import document_id
    from ingest.errors import NotFoundError
    from ingest.models import Chunk, DocumentMeta
    from ingest.records import ParsedFile

    def parsed(source: str, chunk_id: str) -> ParsedFile:
        chunk = Chunk(id=chunk_id, source=source, title="T", ordinal=0, text="Text.")
        return ParsedFile(DocumentMeta(source=source, title="T"), "sha", None, [chunk])

    current = parsed("Notes.txt", f"{document_id('Notes.txt')}:0000")
    older = parsed("old notes.txt", "old-notes-txt:0000")  # kept from an index built before digests
    snapshot = SimpleNamespace(files=[current, older])
    for key in ("Notes.txt", document_id("Notes.txt")):
        assert find(snapshot, key) is current
    for key in ("old notes.txt", document_id("old notes.txt"), "old-notes-txt"):
        assert find(snapshot, key) is older
    with pytest.raises(NotFoundError, match=r"'notes\.txt'"):
        find(snapshot, "notes.txt")
