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
