"""Plain text and markdown: UTF-8 (with or without BOM), UTF-16 with a BOM, or Windows-1252."""

from __future__ import annotations

import logging
from pathlib import Path

from ingest.errors import DocumentError
from ingest.furniture import without_furniture
from ingest.loaders.common import CONTROL_BYTES, MAX_CONTROL_RATIO, UTF16_BOMS, Pages, reject_binary
from ingest.models import PageText

logger = logging.getLogger(__name__)


def load_text(data: bytes, path: Path) -> Pages:
    text = decode_text(data, path)
    if not text.strip():
        raise DocumentError("empty file")
    # A page saved from the web keeps its breadcrumb trail, cookie banner and share buttons as lines.
    text = without_furniture(text)
    if not text.strip():
        raise DocumentError("only page furniture (menus, breadcrumbs, cookie notices), no text")
    return [PageText(number=None, text=text)], None


def decode_text(data: bytes, path: Path) -> str:
    """Decode UTF-8 (with or without BOM), UTF-16 with a BOM, or, as a last resort, Windows-1252."""
    if data.startswith(UTF16_BOMS):
        # Windows "Unicode" text: the NUL bytes of UTF-16 are not a sign of a binary file here.
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise DocumentError("undecodable text: it starts with a UTF-16 mark but is not UTF-16") from exc
    reject_binary(data, path)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    # Legacy files from Windows editors are cp1252; decode them only if strict decoding succeeds and the
    # bytes have almost no control characters, otherwise a binary file would come out as garbage text.
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise DocumentError("binary file, not text (neither UTF-8 nor Windows-1252)") from exc
    if len(CONTROL_BYTES.findall(data)) > MAX_CONTROL_RATIO * len(data):
        raise DocumentError("binary file, not text (control characters)")
    logger.warning("%s is not UTF-8; decoded as Windows-1252", path)
    return text
