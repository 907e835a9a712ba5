"""Loaders: read one file of a supported format into pages of plain text.

Each format has one small function; ``load_document`` dispatches by suffix. A file that cannot be read
raises ``DocumentError`` whose message is shown to users in the ingest report, so every message names the
problem in plain words. Text is returned as extracted; ``normalize.normalize_text`` cleans it later.
"""

from __future__ import annotations

import codecs
import io
import logging
import re
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path

from bs4 import BeautifulSoup, MarkupResemblesLocatorWarning, XMLParsedAsHTMLWarning
from bs4.element import NavigableString, PreformattedString, Tag
from pypdf import PasswordType, PdfReader
from pypdf.errors import DependencyError

from ingest.errors import DocumentError
from ingest.models import LoadedDocument, PageText

logger = logging.getLogger(__name__)

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
# The PDF specification lets a header follow up to 1 KiB of junk, and real files do that.
_PDF_HEADER_WINDOW = 1024
# Control characters other than tab, LF, FF and CR: a few are tolerable in text, many mean binary.
_CONTROL_BYTES = re.compile(rb"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_MAX_CONTROL_RATIO = 0.01
_REASON_LENGTH = 160

_HTML_DROPPED = frozenset({"script", "style", "nav", "noscript", "template", "head"})
# A page-level header or footer is navigation chrome; inside a sectioning element it carries content
# (an article's title and byline), so it is kept there.
_HTML_CHROME = frozenset({"header", "footer"})
_HTML_SECTIONING = frozenset({"article", "main", "section", "aside"})
_HTML_HEADINGS = {f"h{level}": level for level in range(1, 7)}
_HTML_LISTS = frozenset({"ul", "ol", "menu"})
_HTML_LINE_BLOCKS = frozenset({"dt", "dd", "figcaption", "caption", "summary", "legend"})
_HTML_BLOCKS = frozenset(
    {
        "p",
        "div",
        "section",
        "article",
        "main",
        "aside",
        "blockquote",
        "address",
        "figure",
        "form",
        "fieldset",
        "details",
        "dl",
        "hr",
        "body",
        "html",
        "center",
        "header",
        "footer",
    }
)
# Elements whose boundaries render as a break; inside a heading, list item or cell they become a space.
_HTML_BREAKS = (
    _HTML_BLOCKS
    | _HTML_LINE_BLOCKS
    | _HTML_LISTS
    | _HTML_HEADINGS.keys()
    | {"br", "li", "pre", "table", "tr", "td", "th"}
)
_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
_WHITESPACE = re.compile(r"\s+")


def load_document(path: Path) -> LoadedDocument:
    """Read ``path`` into pages of text; raise ``DocumentError`` saying why if the file is unusable."""
    suffix = path.suffix.lower()
    entry = _LOADERS.get(suffix)
    if entry is None:
        raise DocumentError(_unsupported_reason(suffix), path=str(path))
    file_format, loader = entry
    data = _read_bytes(path)
    try:
        pages, title = loader(data, path)
    except DocumentError as exc:
        exc.context.setdefault("path", str(path))
        raise
    logger.debug("loaded %s: %d page(s), title %r", path, len(pages), title)
    return LoadedDocument(path=str(path), format=file_format, pages=pages, declared_title=title)


def _unsupported_reason(suffix: str) -> str:
    supported = ", ".join(_SUPPORTED_NAMES)
    if not suffix:
        return f"unsupported file type: the name has no extension (supported: {supported})"
    return f"unsupported file type '{suffix}' (supported: {supported})"


def _read_bytes(path: Path) -> bytes:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise DocumentError(f"cannot read the file: {exc.strerror or exc}", path=str(path)) from exc
    if not data.strip():
        raise DocumentError("empty file", path=str(path))
    return data


# --- plain text and markdown -------------------------------------------------------------------


def _load_text(data: bytes, path: Path) -> Pages:
    text = _decode_text(data, path)
    if not text.strip():
        raise DocumentError("empty file")
    return [PageText(number=None, text=text)], None


def _decode_text(data: bytes, path: Path) -> str:
    """Decode UTF-8 (with or without BOM), UTF-16 with a BOM, or, as a last resort, Windows-1252."""
    if data.startswith(_UTF16_BOMS):
        # Windows "Unicode" text: the NUL bytes of UTF-16 are not a sign of a binary file here.
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise DocumentError("undecodable text: it starts with a UTF-16 mark but is not UTF-16") from exc
    _reject_binary(data, path)
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
    if len(_CONTROL_BYTES.findall(data)) > _MAX_CONTROL_RATIO * len(data):
        raise DocumentError("binary file, not text (control characters)")
    logger.warning("%s is not UTF-8; decoded as Windows-1252", path)
    return text


def _reject_binary(data: bytes, path: Path) -> None:
    head = data.lstrip()
    for signature, name in _SIGNATURES:
        if head.startswith(signature):
            raise DocumentError(f"mislabelled: looks like {name} but named {path.suffix}")
    if b"\x00" in data:
        raise DocumentError("binary file, not text (NUL bytes)")


# --- HTML --------------------------------------------------------------------------------------


def _load_html(data: bytes, path: Path) -> Pages:
    if not data.startswith(_UTF16_BOMS):  # bs4 decodes UTF-16 itself; its NUL bytes are not binary
        _reject_binary(data, path)
    with warnings.catch_warnings():
        # bs4 warns about markup that looks like a file name or like XML; neither matters for extraction.
        warnings.simplefilter("ignore", MarkupResemblesLocatorWarning)
        warnings.simplefilter("ignore", XMLParsedAsHTMLWarning)
        soup = BeautifulSoup(data, "html.parser")
    title = _html_title(soup)
    text = "\n".join(_HtmlText().render(soup))
    if not text.strip():
        raise DocumentError("no extractable text (the HTML page has no visible text)")
    return [PageText(number=None, text=text)], title


def _html_title(soup: BeautifulSoup) -> str | None:
    for tag in (soup.find("title"), soup.find("h1")):
        if isinstance(tag, Tag):
            title = _inline_text(tag)
            if title:
                return title
    return None


def _collapse(text: str) -> str:
    return _WHITESPACE.sub(" ", text).strip()


class _HtmlText:
    """Render an HTML tree as plain text lines that keep headings, list items, paragraphs and tables.

    Headings become ``## text``, list items ``- text``, table rows ``cell | cell``; blocks are separated
    by one blank line. Inline text is whitespace-collapsed as a browser would.
    """

    def __init__(self) -> None:
        self._lines: list[str] = []
        self._inline: list[str] = []

    def render(self, root: Tag) -> list[str]:
        self._walk(root)
        self._paragraph_break()
        while self._lines and not self._lines[-1]:
            self._lines.pop()
        return self._lines

    def _walk(self, node: Tag) -> None:
        for child in node.children:
            if isinstance(child, Tag):
                self._element(child)
            elif isinstance(child, NavigableString) and not isinstance(child, PreformattedString):
                # Source newlines are just whitespace in HTML; only <br> breaks a line.
                self._inline.append(_WHITESPACE.sub(" ", str(child)))

    def _element(self, tag: Tag) -> None:
        name = tag.name
        if name in _HTML_DROPPED or (name in _HTML_CHROME and not _in_section(tag)):
            return
        if name == "br":
            self._inline.append("\n")
        elif name in _HTML_HEADINGS:
            self._block_line(f"{'#' * _HTML_HEADINGS[name]} {_inline_text(tag)}", paragraph=True)
        elif name == "li":
            self._list_item(tag)
        elif name == "table":
            self._table(tag)
        elif name == "pre":
            self._paragraph_break()
            self._lines.extend(line.rstrip() for line in tag.get_text().strip("\n").split("\n"))
            self._paragraph_break()
        elif name in _HTML_LINE_BLOCKS:
            self._block_line(_inline_text(tag), paragraph=False)
        elif name in _HTML_BLOCKS or name in _HTML_LISTS:
            self._paragraph_break()
            self._walk(tag)
            self._paragraph_break()
        else:
            self._walk(tag)

    def _list_item(self, item: Tag) -> None:
        # The item's own text is one line; nested lists follow as lines of their own.
        self._line_break()
        nested = [child for child in item.find_all(_HTML_LISTS) if isinstance(child, Tag)]
        own = _inline_text(item, skip=_HTML_LISTS)
        if own:
            self._lines.append(f"- {own}")
        for sublist in nested:
            if sublist.find_parent("li") is item:
                self._walk(sublist)
        self._line_break()

    def _table(self, table: Tag) -> None:
        self._paragraph_break()
        caption = table.find("caption")
        if isinstance(caption, Tag) and caption.find_parent("table") is table:
            self._lines.append(_inline_text(caption))
        for row in _table_rows(table):
            cells = [_inline_text(cell) for cell in row.find_all(("th", "td"), recursive=False)]
            if any(cells):
                self._lines.append(" | ".join(cells))
        self._paragraph_break()

    def _block_line(self, line: str, *, paragraph: bool) -> None:
        if paragraph:
            self._paragraph_break()
        else:
            self._line_break()
        if line.strip(" #"):
            self._lines.append(line)
        if paragraph:
            self._paragraph_break()

    def _line_break(self) -> None:
        """End the pending inline text as line(s) of its own; ``<br>`` splits it."""
        text = "".join(self._inline)
        self._inline = []
        for piece in text.split("\n"):
            line = _collapse(piece)
            if line:
                self._lines.append(line)

    def _paragraph_break(self) -> None:
        self._line_break()
        if self._lines and self._lines[-1]:
            self._lines.append("")


def _in_section(tag: Tag) -> bool:
    return tag.find_parent(_HTML_SECTIONING) is not None


def _inline_text(tag: Tag, skip: frozenset[str] = frozenset()) -> str:
    """The text of ``tag`` on one line; ``<br>`` and block boundaries become spaces."""
    return _collapse(" ".join(_inline_pieces(tag, skip)))


def _inline_pieces(tag: Tag, skip: frozenset[str]) -> Iterator[str]:
    # Adjacent inline strings must not gain a space (`<b>Mál</b>aga`), so strings are yielded whole
    # and only element boundaries that render as breaks insert one.
    pending = ""
    for child in tag.children:
        if isinstance(child, Tag):
            if child.name in _HTML_DROPPED or child.name in skip:
                continue
            if child.name in _HTML_BREAKS:
                yield pending
                pending = ""
                yield from _inline_pieces(child, skip)
            else:
                pending += " ".join(_inline_pieces(child, skip))
        elif isinstance(child, NavigableString) and not isinstance(child, PreformattedString):
            pending += str(child)
    yield pending


def _table_rows(table: Tag) -> Iterator[Tag]:
    """Rows of ``table`` itself (directly or in thead/tbody/tfoot), not of tables nested in its cells."""
    for row in table.find_all("tr"):
        if isinstance(row, Tag) and row.find_parent("table") is table:
            yield row


# --- PDF ---------------------------------------------------------------------------------------


def _load_pdf(data: bytes, path: Path) -> Pages:
    if b"%PDF-" not in data[:_PDF_HEADER_WINDOW]:
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
        raise DocumentError(f"corrupt PDF: {_short_reason(exc)}") from exc
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
            failure = _short_reason(exc)
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
        logger.debug("unreadable PDF metadata: %s", _short_reason(exc))
        return None
    if not isinstance(title, str):
        return None
    return _collapse(title.replace("\x00", "")) or None


def _short_reason(exc: BaseException) -> str:
    lines = str(exc).strip().splitlines()
    reason = lines[0] if lines else ""
    if not reason:
        return type(exc).__name__
    if len(reason) > _REASON_LENGTH:
        reason = reason[: _REASON_LENGTH - 1] + "…"
    return reason


_Loader = Callable[[bytes, Path], Pages]
_LOADERS: dict[str, tuple[str, _Loader]] = {
    ".txt": ("text", _load_text),
    ".md": ("markdown", _load_text),
    ".markdown": ("markdown", _load_text),
    ".html": ("html", _load_html),
    ".htm": ("html", _load_html),
    ".pdf": ("pdf", _load_pdf),
}
# The names the unsupported-type message lists (".markdown" is an alias nobody needs to be told about).
_SUPPORTED_NAMES = (".txt", ".md", ".html", ".htm", ".pdf")
