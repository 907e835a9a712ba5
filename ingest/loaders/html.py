"""HTML: visible text as lines that keep headings, list items, paragraphs and tables."""

from __future__ import annotations

import re
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path

from bs4 import BeautifulSoup, MarkupResemblesLocatorWarning, XMLParsedAsHTMLWarning
from bs4.element import NavigableString, PreformattedString, Tag

from ingest.errors import DocumentError
from ingest.furniture import without_furniture
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
    # <nav>, <header> and <footer> are gone; a cookie notice or a trail in a plain <div> is left to read.
    text = without_furniture("\n".join(_HtmlText().render(soup)))
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


_Work = Tag | NavigableString | Callable[[], None]


class _HtmlText:
    """Render an HTML tree as plain text lines that keep headings, list items, paragraphs and tables.

    Headings become ``## text``, list items ``- text``, table rows ``cell | cell``; blocks are separated
    by one blank line. Inline text is whitespace-collapsed as a browser would. The tree is walked with a
    stack of work, never by recursion: a page nested thousands of levels deep renders like any other.
    """

    def __init__(self) -> None:
        self._lines: list[str] = []
        self._inline: list[str] = []
        self._work: list[_Work] = []

    def render(self, root: Tag) -> list[str]:
        self._walk(root)
        while self._work:
            item = self._work.pop()
            if isinstance(item, Tag):
                self._element(item)
            elif isinstance(item, NavigableString):
                if not isinstance(item, PreformattedString):
                    # Source newlines are just whitespace in HTML; only <br> breaks a line.
                    self._inline.append(WHITESPACE.sub(" ", str(item)))
            else:
                item()
        self._paragraph_break()
        while self._lines and not self._lines[-1]:
            self._lines.pop()
        return self._lines

    def _walk(self, node: Tag) -> None:
        """Render ``node``'s children next, in document order."""
        self._work.extend(
            child for child in reversed(node.contents) if isinstance(child, Tag | NavigableString)
        )

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
            self._work.append(self._paragraph_break)  # after the children
            self._walk(tag)
        else:
            self._walk(tag)

    def _list_item(self, item: Tag) -> None:
        # The item's own text is one line; its nested lists follow as lines of their own.
        self._line_break()
        own = _inline_text(item, skip=_HTML_LISTS)
        if own:
            self._lines.append(f"- {own}")
        self._work.append(self._line_break)  # after the nested lists
        for sublist in reversed(_nested_lists(item)):
            self._walk(sublist)

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


def _nested_lists(item: Tag) -> list[Tag]:
    """The lists inside list item ``item`` that belong to it rather than to a list item nested in it,
    in document order (found without descending into them)."""
    found: list[Tag] = []
    stack = [child for child in reversed(item.contents) if isinstance(child, Tag)]
    while stack:
        tag = stack.pop()
        if tag.name in _HTML_LISTS:
            found.append(tag)
        elif tag.name != "li":
            stack.extend(child for child in reversed(tag.contents) if isinstance(child, Tag))
    return found


_SPACE = object()  # an element boundary that renders as a break: a space in inline text


def _inline_text(tag: Tag, skip: frozenset[str] = frozenset()) -> str:
    """The text of ``tag`` on one line; ``<br>`` and block boundaries become spaces. Adjacent inline
    strings gain no space (`<b>Mál</b>aga`); only the edges of elements that render as breaks add one."""
    out: list[str] = []
    stack: list[object] = list(reversed(tag.contents))
    while stack:
        item = stack.pop()
        if item is _SPACE:
            out.append(" ")
        elif isinstance(item, Tag):
            if item.name in _HTML_DROPPED or item.name in skip:
                continue
            if item.name in _HTML_BREAKS:
                out.append(" ")
                stack.append(_SPACE)
            stack.extend(reversed(item.contents))
        elif isinstance(item, NavigableString) and not isinstance(item, PreformattedString):
            out.append(str(item))
    return collapse("".join(out))


def _table_rows(table: Tag) -> Iterator[Tag]:
    """Rows of ``table`` itself (directly or in thead/tbody/tfoot), not of tables nested in its cells."""
    for row in table.find_all("tr"):
        if isinstance(row, Tag) and row.find_parent("table") is table:
            yield row
