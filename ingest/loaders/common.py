"""What every loader shares: reading the bytes, refusing binaries that wear a text suffix, collapsing
whitespace, and short reasons for errors."""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from ingest.errors import DocumentError
from ingest.models import PageText

Pages = tuple[list[PageText], str | None]

# Signatures of formats that are often renamed by mistake; a text loader names them instead of
# reporting mojibake or NUL bytes.
_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "a PDF"),
    (b"PK\x03\x04", "a ZIP archive or an Office document (.docx, .xlsx, .odt)"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"\xd0\xcf\x11\xe0", "an old Office document (.doc, .xls)"),
)
# Control characters other than tab, LF, FF and CR: a few are tolerable in text, many mean binary.
CONTROL_BYTES = re.compile(rb"[\x00-\x08\x0b\x0e-\x1f\x7f]")
MAX_CONTROL_RATIO = 0.01
_REASON_LENGTH = 160

UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
_WHITESPACE = re.compile(r"\s+")


def read_bytes(path: Path) -> bytes:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise DocumentError(f"cannot read the file: {exc.strerror or exc}", path=str(path)) from exc
    if not data.strip():
        raise DocumentError("empty file", path=str(path))
    return data


def reject_binary(data: bytes, path: Path) -> None:
    head = data.lstrip()
    for signature, name in _SIGNATURES:
        if head.startswith(signature):
            raise DocumentError(f"mislabelled: looks like {name} but named {path.suffix}")
    if b"\x00" in data:
        raise DocumentError("binary file, not text (NUL bytes)")


def collapse(text: str) -> str:
    return _WHITESPACE.sub(" ", text).strip()


def short_reason(exc: BaseException) -> str:
    lines = str(exc).strip().splitlines()
    reason = lines[0] if lines else ""
    if not reason:
        return type(exc).__name__
    if len(reason) > _REASON_LENGTH:
        reason = reason[: _REASON_LENGTH - 1] + "…"
    return reason
