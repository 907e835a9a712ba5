"""HTML: visible text as lines that keep headings, list items, paragraphs and tables."""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterator
from pathlib import Path

from bs4 import BeautifulSoup, MarkupResemblesLocatorWarning, XMLParsedAsHTMLWarning
from bs4.element import NavigableString, PreformattedString, Tag

from ingest.errors import DocumentError
from ingest.loaders.common import UTF16_BOMS, Pages, collapse, reject_binary
from ingest.models import PageText

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
WHITESPACE = re.compile(r"\s+")


def load_html(data: bytes, path: Path) -> Pages:
    if not data.startswith(UTF16_BOMS):  # bs4 decodes UTF-16 itself; its NUL bytes are not binary
        reject_binary(data, path)
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
                self._inline.append(WHITESPACE.sub(" ", str(child)))

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
            line = collapse(piece)
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
    return collapse(" ".join(_inline_pieces(tag, skip)))


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
