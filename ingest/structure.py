"""Turn normalised text into typed blocks: headings, paragraphs, list items, fields and tables.

Works on plain-text exports of web pages and PDFs, where structure survives only as line shapes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum

from ingest.tables import Table, looks_like_table_header, parse_table
from ingest.textutil import CAPITALS


class BlockKind(StrEnum):
    HEADING = "heading"
    PARAGRAPH = "paragraph"
    LIST_ITEM = "list_item"
    FIELD = "field"
    TABLE = "table"


@dataclass
class Block:
    kind: BlockKind
    text: str
    page: int | None = None
    level: int = 0
    table: Table | None = None
    lines: list[str] = field(default_factory=list)


_MARKDOWN_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*$")
_NUMBERED_HEADING = re.compile(rf"^(\d+(?:\.\d+)*)\.?\s+([{CAPITALS}].{{0,80}})$")
_LIST_ITEM = re.compile(r"^(?:[-*•]\s+|\(?\d{1,2}[.)]\s+|\(?[a-z][.)]\s+|- \d{1,2}\)\s+)")
_FIELD = re.compile(r"^([A-Z][\w ()/'&-]{1,40}):\s+(\S.*)$")
_HEADING_NUMBER = re.compile(r"^\s*\d+(?:\.\d+)*\.?\s+")
_SENTENCE_END = re.compile(r"[.;,]$")
MAX_HEADING_CHARS = 300
# A line that says what must or will be done ('Applications must be submitted online') is a sentence, not
# a heading, even without its full stop; a headline ('Small cities are punching above their weight') or a
# heading that asks ('Who can apply') stays one.
_STATEMENT = re.compile(r"\s(?:must|shall|should|will|would|can|could|may|might|cannot)\s")
_STATEMENT_WORDS = 6
_ASKING = re.compile(r"(?:who|what|when|where|which|why|how)\b", re.I)
# Items of a list run together on one line, set apart by a middle dot or a bullet.
_ITEM_SEPARATOR = re.compile(r"\s[·•]\s")
_ITEMS_APART = 2
# A table shows itself in its first rows: a header line whose first rows do not parse heads no table.
TABLE_PROBE_ROWS = 10


def without_numbering(heading: str) -> str:
    """'3.1 Hamburg' → 'Hamburg'."""
    return _HEADING_NUMBER.sub("", heading)


def _heading_level(line: str) -> int | None:
    """Level of a heading line, or None. Short, unpunctuated lines read as headings."""
    if len(line) > MAX_HEADING_CHARS:
        return None  # no heading is this long (and the patterns below need not scan such a line)
    if match := _MARKDOWN_HEADING.match(line):
        return len(match.group(1))
    if (match := _NUMBERED_HEADING.match(line)) and not _SENTENCE_END.search(line) and len(line) <= 90:
        return match.group(1).count(".") + 1 if "." in match.group(1).rstrip(".") else 1
    words = line.split()
    if not words or len(line) > 90 or len(words) > 14 or _SENTENCE_END.search(line) or line.endswith(":"):
        return None
    if line.startswith(("(", "-", "•")) or not re.match(r"[A-Za-zÀ-ÿ“\"]", line):
        return None
    if len(_ITEM_SEPARATOR.findall(line)) >= _ITEMS_APART:
        return None  # 'Valparaíso (Chile) · Durban (South Africa) · Halifax (Canada)' lists, it heads nothing
    if _STATEMENT.search(line) and len(words) >= _STATEMENT_WORDS and not _ASKING.match(line):
        return None  # 'Applications must be submitted online' is a sentence a page left without its period
    if line.isupper():
        return 1
    return 2


def _heading_text(line: str) -> str:
    if match := _MARKDOWN_HEADING.match(line):
        return match.group(2)
    return line


def parse_blocks(text: str, page: int | None = None) -> list[Block]:
    """Split one page of normalised text into blocks, in reading order. Linear in the number of lines:
    what a line needs to know about the lines after it is worked out once, up front."""
    lines = text.split("\n")
    last_text = _last_nonblank(lines)
    table_end = _table_run_ends(lines)
    blocks: list[Block] = []
    index = 0
    while index < len(lines):
        line = lines[index].strip()
        if not line:
            index += 1
            continue
        if looks_like_table_header(line) or _is_pipe_row(line):
            table_lines, table = _table_at(lines, index, table_end[index])
            if table is not None:
                blocks.append(
                    Block(BlockKind.TABLE, "\n".join(table_lines), page, table=table, lines=table_lines)
                )
                index += len(table_lines)
                continue
        if (
            _NUMBERED_HEADING.match(line)
            and _set_apart(lines, index)
            and not _within_a_list(lines, index)
            and _heading_level(line) is not None
        ):
            # '4. Impact' between blank lines is a numbered heading, not an item of a list
            blocks.append(Block(BlockKind.HEADING, line, page, level=_heading_level(line) or 1))
        elif _LIST_ITEM.match(line):
            blocks.append(Block(BlockKind.LIST_ITEM, line, page))
        elif _FIELD.match(line):
            blocks.append(Block(BlockKind.FIELD, line, page))
        elif (
            (level := _heading_level(line)) is not None
            and index < last_text  # a heading introduces something: the text does not end right after it
            and (_MARKDOWN_HEADING.match(line) or _NUMBERED_HEADING.match(line) or _set_apart(lines, index))
        ):
            blocks.append(Block(BlockKind.HEADING, _heading_text(line), page, level=level))
        else:
            blocks.append(Block(BlockKind.PARAGRAPH, line, page))
        index += 1
    return blocks


def _last_nonblank(lines: list[str]) -> int:
    """The index of the last line with text (-1 if none)."""
    for index in range(len(lines) - 1, -1, -1):
        if lines[index].strip():
            return index
    return -1


def _set_apart(lines: list[str], index: int) -> bool:
    """A plain short line reads as a heading only when a blank line sets it apart from its neighbours."""
    before = index == 0 or not lines[index - 1].strip()
    after = index + 1 < len(lines) and not lines[index + 1].strip()
    return before or after


def _within_a_list(lines: list[str], index: int) -> bool:
    """'9. Maribor…' right under '8. Tartu…' is the last item of a list, though a blank line follows it;
    '1. Oulu…' right above '2. Mannheim…' is its first, though a blank line comes before it."""
    before = index > 0 and _LIST_ITEM.match(lines[index - 1].strip()) is not None
    after = index + 1 < len(lines) and _LIST_ITEM.match(lines[index + 1].strip()) is not None
    return before or after


def _is_pipe_row(line: str) -> bool:
    return line.count("|") >= 2


def _ends_table(stripped: str) -> bool:
    """A blank line or a long sentence-like line ends the rows under a table header."""
    return not stripped or (stripped.endswith(".") and len(stripped) > 120)


def _table_run_ends(lines: list[str]) -> list[int]:
    """For each line, the end (exclusive) of the table that would start there: its header line and the
    rows under it, up to the first line that ends a table. One pass from the bottom."""
    ends = [0] * len(lines)
    stop = len(lines)
    for index in range(len(lines) - 1, -1, -1):
        ends[index] = stop
        if _ends_table(lines[index].strip()):
            stop = index
    return ends


def _table_at(lines: list[str], start: int, end: int) -> tuple[list[str], Table | None]:
    """The table whose header is ``lines[start]``, or None. Whether the header line heads a table is
    decided from its first rows, so a long run of lines that is no table costs a few rows per line,
    never the whole run again for each of its lines."""
    probe = [line.strip() for line in lines[start : min(end, start + 1 + TABLE_PROBE_ROWS)]]
    if parse_table(probe, quiet=True) is None:
        return probe, None
    collected = [line.strip() for line in lines[start:end]]
    return collected, parse_table(collected)
