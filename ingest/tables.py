"""Tables whose cells lost their separators ("HamburgGermanyVijayawadaIndiaurban mobility…") or kept them
("Hamburg | Germany | …"), parsed into rows of cells.

Run-together rows are split with the header as a grammar: a column whose header names a country is
matched against the country gazetteer, the others are free text between those anchors.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

from ingest.geo import gazetteer
from ingest.textutil import CAPITALS, SMALL_LETTERS

logger = logging.getLogger(__name__)

CELL_SEPARATOR = " | "
_CAMEL_BOUNDARY = re.compile(rf"(?<=[{SMALL_LETTERS})])(?=[{CAPITALS}])")
_HEADER_CELL = re.compile(r"^[A-Z][A-Za-z]*(?: [A-Za-z]+){0,3}$")
_SENTENCE = re.compile(r"[.!?]$|\b[a-z]+ [a-z]+ [a-z]+ [a-z]+\b")
_MARKDOWN_RULE = re.compile(r"^\|?\s*:?-{3,}")
# The header-as-grammar match backtracks over its free-text columns: it is tried only on rows and headers
# of a size real run-together tables have, so a hostile line cannot make it take minutes.
MAX_GRAMMAR_COLUMNS = 8
MAX_RUN_TOGETHER_ROW = 300


@dataclass
class Table:
    header: list[str]
    rows: list[list[str]]

    def render_row(self, cells: list[str]) -> str:
        return CELL_SEPARATOR.join(cells)

    def render(self) -> list[str]:
        """The table as lines of ' | '-separated cells: the header first, then one line a row."""
        return [self.render_row(self.header)] + [self.render_row(row) for row in self.rows]


def _split_header(line: str) -> list[str]:
    if "|" in line:
        return [cell.strip() for cell in line.strip().strip("|").split("|")]
    return [cell.strip() for cell in _CAMEL_BOUNDARY.split(line)]


def looks_like_table_header(line: str) -> bool:
    """Three or more short, capitalised cells run together: 'EU CityCountryPaired CityCountryTopics'."""
    if len(line) > 120 or re.search(r"[.,;:!?]", line) or "|" in line:
        return False
    cells = _split_header(line)
    return len(cells) >= 3 and all(_HEADER_CELL.match(cell) for cell in cells)


def _is_country_column(name: str) -> bool:
    return any(word in name.lower() for word in ("country", "nation", "state"))


def _row_pattern(header: list[str]) -> re.Pattern[str] | None:
    """The header as a grammar for a run-together row; None without a country column to anchor it,
    since free-text columns alone would split any line anywhere."""
    if not any(_is_country_column(name) for name in header) or len(header) > MAX_GRAMMAR_COLUMNS:
        return None
    countries = gazetteer().names_pattern.pattern
    parts = []
    for position, name in enumerate(header):
        if _is_country_column(name):
            parts.append(rf"\s*({countries})\s*")
        elif position == len(header) - 1:
            parts.append(r"(.*)")
        else:
            parts.append(r"(.+?)")
    return re.compile("".join(parts))


def _split_row(line: str, header: list[str], pattern: re.Pattern[str] | None) -> list[str] | None:
    if "|" in line:
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        return cells if len(cells) == len(header) else None
    match = pattern.fullmatch(line) if pattern is not None and len(line) <= MAX_RUN_TOGETHER_ROW else None
    if match:
        return [cell.strip() for cell in match.groups()]
    cells = [cell.strip() for cell in _CAMEL_BOUNDARY.split(line)]
    if len(cells) != len(header) or any(len(cell) < 2 or _SENTENCE.search(cell) for cell in cells):
        return None
    return cells


def _a_row_of_data(cells: list[str]) -> bool:
    """A figure in a cell ('up to 19,999 inhabitants', 'EUR 1,200'): a row of data, not of column names
    (which may be years: 'Indicator | 2023 | 2024')."""
    return any(re.search(r"\d", re.sub(r"\b(?:19|20)\d\d\b", "", cell)) for cell in cells)


def parse_table(lines: list[str], *, quiet: bool = False) -> Table | None:
    """Parse a header line and the row lines under it; None when fewer than two rows parse. Rows that do
    not parse stay in the text; one log line says how many (none when ``quiet``). A table whose first
    line is a row of data like the others ('Full member | up to 19,999 | EUR 1,200') has no header: its
    columns go unnamed rather than named after that row's cells."""
    if not lines:
        return None
    header = _split_header(lines[0])
    if len(header) < 2:
        return None
    body = lines[1:]
    if "|" in lines[0] and _a_row_of_data(header):
        body, header = lines, [""] * len(header)
    pattern = _row_pattern(header)
    rows: list[list[str]] = []
    unparsed: list[str] = []
    for line in body:
        if _MARKDOWN_RULE.match(line):
            continue
        cells = _split_row(line, header, pattern)
        if cells is None:
            unparsed.append(line)
            continue
        rows.append(cells)
    if len(rows) < 2:
        return None
    if unparsed and not quiet:
        more = f" (and {len(unparsed) - 1} more)" if len(unparsed) > 1 else ""
        logger.warning("table row not parsed, kept as text: %.80s%s", unparsed[0], more)
    return Table(header, rows)
