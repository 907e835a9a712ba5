"""Text normalisation: turn extracted page text into the clean text that chunks store and citations quote.

The line structure is the contract with the structure parser downstream: one heading, list item, table
row, key/value field or paragraph per line, paragraphs separated by one blank line. Everything here only
removes noise (encoding artefacts, PDF line wrapping, markdown markup) and never reorders or drops words.
"""

from __future__ import annotations

import itertools
import re
import unicodedata

# Line separators other than LF that extractors and old editors produce; a form feed is a PDF page break.
_LINE_BREAKS = re.compile(r"\r\n|[\r\v\f\x85\u2028\u2029]")
# A soft hyphen at a line end marks a word that the typesetter broke: the halves belong together.
_SOFT_HYPHEN_BREAK = re.compile(r"\u00ad[ \t]*\n[ \t]*")
# Invisible characters that would split words for search and break verbatim quoting.
_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff"))
# NFKC already maps these to a space; the explicit table documents the intent and survives refactoring.
_SPACES = dict.fromkeys(map(ord, "\u00a0\u2007\u202f"), " ")

# Markdown images and links keep only their visible text; the URL is noise in a citation.
# A URL may contain one level of balanced parentheses (Wikipedia style). Every span is bounded, so a line
# of unclosed openers costs its length, not its length squared: real link texts, URLs and emphasised
# phrases are far shorter than the bounds.
_URL = r"\((?:[^()\n]|\([^()\n]{0,500}\)){0,2000}\)"
_IMAGE = re.compile(r"!\[([^\]\n]{0,500})\]" + _URL)
_LINK = re.compile(r"\[([^\]\n]{0,500})\]" + _URL)
# Emphasis must hug its text (`**x**`, not `** x **`) and must not touch a word character or another
# marker on the outside, so `2*3*4`, `a ** b` and a leading `* bullet` are left alone.
_EMPHASIS = tuple(
    re.compile(rf"(?<![\w*]){marker}(?=[^\s*])([^\n]{{0,500}}?[^\s*]){marker}(?![\w*])")
    for marker in (r"\*\*\*", r"\*\*", r"\*")
)
_UNDERSCORE_EMPHASIS = re.compile(r"(?<!\w)__(?=[^\s_])([^\n]{0,500}?[^\s_])__(?!\w)")

# Bullet glyphs at the start of a (stripped) line; `*`, `–` and `—` count only when followed by a space,
# so `*emphasis*` and a lone dash rule are not bullets. A glyph alone on its line (PDF extraction puts
# the bullet and its text on separate lines) takes the next line as its text.
_BULLET = re.compile(r"^(?:[•◦▪‣●○■□►▶➢➤∙]|[*–—](?=[ \t]))[ \t]*")
_LONE_BULLET = re.compile(r"^- \n(?=\S)", re.MULTILINE)

# A word broken at a line end: `pro-` + newline + `gramme`. Lines are stripped before this runs.
# Both start only where a word starts: a long word is read once, not once from each of its letters.
_LINE_END_HYPHEN = re.compile(r"(?<!\w)(\w+)-\n(\w+)")
_COMPOUND = re.compile(r"(?<!\w)\w+(?:-\w+)+")

_SENTENCE_END = re.compile(r"[.?!:;][\"'”’)\]]*$")
_MARKDOWN_HEADING = re.compile(r"^#{1,6}\s")
# Columns in PDF or plain-text tables: a tab, a pipe between cells, or a wide gap between words.
_TABLE_GAP = re.compile(r"\t|\s\|\s|\S {3,}\S")
_HORIZONTAL_SPACE = re.compile(r"[ \t]+")
# 'a) …', 'b. …', '(c) …', 'iv) …': a lettered or roman list item starts lower-case but is its own line.
_LETTERED_ITEM = re.compile(r"^\(?(?:[a-z]|[ivx]{1,4})[.)]\s")
_BLANK_RUN = re.compile(r"\n{3,}")
# Halves of UTF-16 pairs on their own (some PDFs' text has them): no UTF-8 writer accepts them.
_SURROGATE = re.compile(r"[\ud800-\udfff]")


def normalize_text(text: str) -> str:
    """Return ``text`` cleaned for storage and quoting, with its line and paragraph structure kept."""
    text = _normalize_characters(text)
    lines = [_clean_markup(_tab_cells(line.strip())) for line in text.split("\n")]
    text = _LONE_BULLET.sub("- ", "\n".join(lines))
    text = _dehyphenate(text)
    lines = _join_wrapped_lines(text.split("\n"))
    text = "\n".join(_HORIZONTAL_SPACE.sub(" ", line).strip() for line in lines)
    return _BLANK_RUN.sub("\n\n", text).strip("\n")


_TAB_CELLS = 3  # tab-separated cells from which a line is a table's row


def _tab_cells(line: str) -> str:
    """A line of tab-separated cells (a table pasted from a spreadsheet or a web page) as a pipe table's
    row: collapsed to spaces, its columns would be lost and the table read as lines of words."""
    cells = line.split("\t")
    if len(cells) < _TAB_CELLS:
        return line
    return " | ".join(cell.strip() for cell in cells)


def replace_surrogates(text: str) -> str:
    """``text`` with every lone surrogate replaced by U+FFFD, so that it can be stored."""
    return _SURROGATE.sub("\ufffd", text)


def _normalize_characters(text: str) -> str:
    """Unify line breaks and compatibility characters; NFKC splits ligatures but keeps accents composed."""
    text = replace_surrogates(_LINE_BREAKS.sub("\n", text))
    text = _SOFT_HYPHEN_BREAK.sub("", text)
    text = text.translate(_SPACES)
    text = unicodedata.normalize("NFKC", text)
    return text.translate(_INVISIBLE)


def _clean_markup(line: str) -> str:
    """Strip markdown images, links and emphasis from one line and turn bullet glyphs into ``- ``."""
    line = _IMAGE.sub(r"\1", line)
    line = _LINK.sub(r"\1", line)
    for pattern in _EMPHASIS:
        line = pattern.sub(r"\1", line)
    line = _UNDERSCORE_EMPHASIS.sub(r"\1", line)
    return _BULLET.sub("- ", line)


def _dehyphenate(text: str) -> str:
    """Rejoin words broken across lines, keeping the hyphen of compounds the document spells with one.

    Without a dictionary `pro-|gramme` and `long-|term` look alike; if the document writes `long-term`
    somewhere on one line, that spelling wins, otherwise the hyphen is taken to be a typesetting break.
    """
    compounds = _hyphenated_pairs(text)

    def rejoin(match: re.Match[str]) -> str:
        left, right = match.group(1), match.group(2)
        if not (left[-1].isalpha() and right[0].islower()):
            return match.group(0)
        if f"{left}-{right}".casefold() in compounds:
            return f"{left}-{right}"
        return left + right

    return _LINE_END_HYPHEN.sub(rejoin, text)


def _hyphenated_pairs(text: str) -> set[str]:
    """Casefolded `a-b` pairs of every hyphenated compound written within a line."""
    pairs: set[str] = set()
    for compound in _COMPOUND.findall(text):
        parts = compound.casefold().split("-")
        pairs.update(f"{a}-{b}" for a, b in itertools.pairwise(parts))
    return pairs


def _join_wrapped_lines(lines: list[str]) -> list[str]:
    """Join a line that continues the previous one (PDF line wrapping) back into it.

    A rebuilt line is kept as its pieces and joined once at the end, and whether another piece may join
    is tracked as pieces arrive: a long run of wrapped lines costs its length, not its length squared.
    """
    joined: list[str] = []
    pieces: list[str] = []
    open_to_more = False  # the line being rebuilt is no heading and no table row
    for line in lines:
        if pieces and open_to_more and _continues(pieces[-1], line):
            # Each piece was checked for a column gap; the space that joins two may complete one.
            open_to_more = not _TABLE_GAP.search(f"{_tail(pieces[-1])} {line[:2]}")
            pieces.append(line)
            continue
        if pieces:
            joined.append(" ".join(pieces))
        pieces = [line]
        open_to_more = not (_is_heading(line) or _TABLE_GAP.search(line))
    if pieces:
        joined.append(" ".join(pieces))
    return joined


def _tail(piece: str) -> str:
    """The end of ``piece`` that a column gap spanning the joining space could start in."""
    trailing = len(piece) - len(piece.rstrip())
    return piece[-(trailing + 2) :]


def _continues(previous: str, line: str) -> bool:
    """True if ``line`` is the wrapped rest of the line whose last piece is ``previous``.

    A continuation starts with a lowercase letter, so it can never be a bullet, a heading or a
    capitalised `Key: value` field. The previous line may be a list item or a field whose value wrapped,
    but not a finished sentence, a heading or a table row (the caller knows those), and table rows are
    never pulled up.
    """
    if not previous or not line or not line[0].islower() or _LETTERED_ITEM.match(line):
        return False
    if _SENTENCE_END.search(previous):
        return False
    return not _TABLE_GAP.search(line)


def _is_heading(line: str) -> bool:
    """A markdown heading or an all-capitals line such as ``TAKEAWAYS``."""
    if _MARKDOWN_HEADING.match(line):
        return True
    letters = [char for char in line if char.isalpha()]
    return len(letters) >= 2 and not any(char.islower() for char in letters)
