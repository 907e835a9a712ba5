"""Loaders: read one file of a supported format into pages of plain text.

Each format has one small function; ``load_document`` dispatches by suffix. A file that cannot be read
raises ``DocumentError`` whose message is shown to users in the ingest report, so every message names the
problem in plain words. Text is returned as extracted; ``normalize.normalize_text`` cleans it later.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from ingest.errors import DocumentError
from ingest.loaders.common import UTF16_BOMS, Pages, read_bytes, reject_binary
from ingest.loaders.html import load_html
from ingest.loaders.pdf import PDF_HEADER_WINDOW, load_pdf
from ingest.loaders.text import decode_text, load_text
from ingest.models import LoadedDocument

logger = logging.getLogger(__name__)


def load_document(path: Path) -> LoadedDocument:
    """Read ``path`` into pages of text; raise ``DocumentError`` saying why if the file is unusable."""
    suffix = path.suffix.lower()
    entry = _LOADERS.get(suffix)
    if entry is None:
        raise DocumentError(_unsupported_reason(suffix), path=str(path))
    file_format, loader = entry
    data = read_bytes(path)
    try:
        pages, title = loader(data, path)
    except DocumentError as exc:
        exc.context.setdefault("path", str(path))
        raise
    logger.debug("loaded %s: %d page(s), title %r", path, len(pages), title)
    return LoadedDocument(path=str(path), format=file_format, pages=pages, declared_title=title)


def check_type(data: bytes, name: str) -> None:
    """A quick look at ``data`` (an upload, before it is stored): raise ``DocumentError`` unless it is a
    non-empty file of the supported format its name says. Reading it in full is the ingest's job."""
    suffix = Path(name).suffix.lower()
    entry = _LOADERS.get(suffix)
    if entry is None:
        raise DocumentError(_unsupported_reason(suffix))
    if not data.strip():
        raise DocumentError("empty file")
    file_format = entry[0]
    if file_format == "pdf":
        if b"%PDF-" not in data[:PDF_HEADER_WINDOW]:
            raise DocumentError("not a PDF (the file does not start with %PDF; is it mislabelled?)")
    elif file_format == "html":
        if not data.startswith(UTF16_BOMS):
            reject_binary(data, Path(name))
    else:
        decode_text(data, Path(name))


def _unsupported_reason(suffix: str) -> str:
    supported = ", ".join(_SUPPORTED_NAMES)
    if not suffix:
        return f"unsupported file type: the name has no extension (supported: {supported})"
    return f"unsupported file type '{suffix}' (supported: {supported})"


_Loader = Callable[[bytes, Path], Pages]
_LOADERS: dict[str, tuple[str, _Loader]] = {
    ".txt": ("text", load_text),
    ".md": ("markdown", load_text),
    ".markdown": ("markdown", load_text),
    ".html": ("html", load_html),
    ".htm": ("html", load_html),
    ".pdf": ("pdf", load_pdf),
}
# The names the unsupported-type message lists (".markdown" is an alias nobody needs to be told about).
_SUPPORTED_NAMES = (".txt", ".md", ".html", ".htm", ".pdf")
