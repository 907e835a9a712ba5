"""PDF (pypdf): one page of text per page, so citations give page numbers."""

from __future__ import annotations

import io
import logging
from pathlib import Path

from pypdf import PasswordType, PdfReader
from pypdf.errors import DependencyError

from ingest.errors import DocumentError
from ingest.loaders.common import Pages, collapse, short_reason
from ingest.models import PageText

logger = logging.getLogger(__name__)

# The PDF specification lets a header follow up to 1 KiB of junk, and real files do that.
PDF_HEADER_WINDOW = 1024


def load_pdf(data: bytes, path: Path) -> Pages:
    if b"%PDF-" not in data[:PDF_HEADER_WINDOW]:
        raise DocumentError("not a PDF (the file does not start with %PDF; is it mislabelled?)")
    try:
        reader = PdfReader(io.BytesIO(data))
        _unlock(reader)
        page_count = len(reader.pages)
    except DocumentError:
        raise
    except DependencyError as exc:
        raise DocumentError("encrypted PDF: decrypting it needs the 'cryptography' package") from exc
    except Exception as exc:
        # pypdf raises its own PyPdfError subclasses but also ValueError, KeyError, TypeError, struct or
        # zlib errors and more on damaged files; any of them means the file is unusable.
        raise DocumentError(f"corrupt PDF: {short_reason(exc)}") from exc
    if page_count == 0:
        raise DocumentError("corrupt PDF: it has no pages")
    pages, failure = _pdf_pages(reader, path)
    if not any(page.text.strip() for page in pages):
        if failure is not None:
            raise DocumentError(f"corrupt PDF: no page could be read ({failure})")
        raise DocumentError("no extractable text (scanned PDF without a text layer?)")
    return pages, _pdf_title(reader)


def _unlock(reader: PdfReader) -> None:
    """Open an encrypted PDF with the empty user password, which many "protected" PDFs have."""
    if reader.is_encrypted and reader.decrypt("") == PasswordType.NOT_DECRYPTED:
        raise DocumentError("encrypted PDF: a password is needed")


def _pdf_pages(reader: PdfReader, path: Path) -> tuple[list[PageText], str | None]:
    """Text of every page, and the reason of the last extraction failure if any page failed."""
    pages: list[PageText] = []
    failure: str | None = None
    for number, page in enumerate(reader.pages, start=1):
        try:
            text = page.extract_text()
        except Exception as exc:
            # One damaged page should not cost the whole document: its text is left empty, and logged.
            failure = short_reason(exc)
            logger.warning("%s page %d: text extraction failed: %s", path, number, failure)
            text = ""
        pages.append(PageText(number=number, text=text))
    return pages, failure


def _pdf_title(reader: PdfReader) -> str | None:
    try:
        metadata = reader.metadata
        title = metadata.title if metadata is not None else None
    except Exception as exc:
        # A broken information dictionary is common and harmless: the title is only a hint.
        logger.debug("unreadable PDF metadata: %s", short_reason(exc))
        return None
    if not isinstance(title, str):
        return None
    return collapse(title.replace("\x00", "")) or None
