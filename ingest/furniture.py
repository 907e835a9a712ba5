"""Page furniture in text saved from a web page: breadcrumb trails, cookie banners, menus, share buttons
and navigation links. An HTML page's <nav>, <header> and <footer> are left out by its loader; a page saved
as text, or a banner in a plain <div>, keeps the rest as lines of their own, which would otherwise be read
as the page's title or its first sentences. Only whole lines that are nothing but furniture go; a line
with anything more is kept as it is."""

from __future__ import annotations

import re

# 'Home › News › Calls', 'EUROCITIES » About us » Membership', 'Home / News & Events / Calls'.
_TRAIL_SEPARATOR = re.compile(r"\s+(›|»|>|/|\|)\s+")
_TRAIL_START = re.compile(r"^(?:you are here:?\s*)?home\b", re.I)
_TRAIL_STEPS = 3  # a trail of fewer steps ('EU / Japan') is as likely a phrase
_TRAIL_STEP_WORDS = 8
_COOKIES = re.compile(r"\bcookies?\b", re.I)
_ABOUT_COOKIES = re.compile(
    r"\b(?:accept|consent|browse|browsing|continu\w*|polic(?:y|ies)|preferences|privacy|settings|necessary|"
    r"essential|reject|use)\b",
    re.I,
)
_BANNER_WORDS = 60
# Links that can be nothing else ('Back to top'), and those that may as well head a section of the page
# ('Register', 'Contact us', 'Share').
_UNMISTAKABLE_LINK = (
    r"(?:back to top|to top|top of page|print this page|skip to (?:main )?content|"
    r"share this (?:page|article|post)|follow us(?: on)?|main menu)"
)
_LINK = (
    rf"(?:{_UNMISTAKABLE_LINK}|next|previous|prev|back|print|menu|search|close|log ?in|sign ?in|log ?out|"
    r"register|subscribe|share|share this|facebook|twitter|x|linkedin|instagram|youtube|whatsapp|e-?mail|rss|"
    r"accessibility|sitemap|contact us)"
)
# A line of navigation links only: 'next > < previous', 'Back to top', 'Print this page | Share'.
_NAVIGATION = re.compile(rf"^(?:\s*[<>«»‹›←→|·]*\s*{_LINK}\b:?\s*[<>«»‹›←→|·]*\s*)+$", re.I)
# One link alone is furniture at the page's top or foot only, unless it can be nothing else.
_LONE_LINK = re.compile(rf"^{_LINK}$", re.I)
_ONLY_LINK = re.compile(rf"^{_UNMISTAKABLE_LINK}$", re.I)


# A site menu: 'URBACT | Programme | Networks | Events | News | Contact   Login   EN | FR'. Short items
# without figures, parted by bars or wide gaps; only at the top or the foot of the page, where a row of
# names ('Austria | Belgium | France | Italy | Spain') is not the page's content.
_MENU_SEPARATOR = re.compile(r"\s+\|\s+|\s{3,}")
_MENU_ITEMS = 5
_MENU_ITEM_WORDS = 3
_EDGE_LINES = 5  # lines at either end of a page (blank lines aside) where a menu may stand


def is_furniture(line: str, *, at_edge: bool = False) -> bool:
    """Whether a line of a saved web page is only page furniture (``at_edge``: among its first or last
    lines)."""
    text = line.strip().lstrip("#").strip()
    if not text:
        return False
    if _NAVIGATION.match(text):
        return at_edge or not _LONE_LINK.match(text) or _ONLY_LINK.match(text) is not None
    if at_edge and _is_menu(text):
        return True
    if _COOKIES.search(text) and _ABOUT_COOKIES.search(text) and len(text.split()) <= _BANNER_WORDS:
        return True
    return _is_trail(text)


def _is_trail(text: str) -> bool:
    parts = _TRAIL_SEPARATOR.split(text)
    steps, separators = parts[::2], set(parts[1::2])
    if len(steps) < _TRAIL_STEPS or len(separators) != 1 or text.endswith((".", "!", "?", ":", ";")):
        return False
    if any(len(step.split()) > _TRAIL_STEP_WORDS for step in steps):
        return False
    # '/' and '|' also part the cells of a table row ('Austria | Belgium | France'): a trail of those
    # starts at the home page.
    return separators <= {"›", "»", ">"} or _TRAIL_START.match(text) is not None


def _is_menu(text: str) -> bool:
    items = [item for item in _MENU_SEPARATOR.split(text) if item.strip()]
    return (
        len(items) >= _MENU_ITEMS
        and all(len(item.split()) <= _MENU_ITEM_WORDS for item in items)
        and not any(character.isdigit() for character in text)
        and not text.startswith("|")  # a Markdown table's row
        and not any(mark in text for mark in ".,;:")
    )


def without_furniture(text: str) -> str:
    """The text with its furniture lines taken out (the lines around them as they were)."""
    lines = text.split("\n")
    filled = [index for index, line in enumerate(lines) if line.strip()]
    if not filled:
        return text
    # A menu stands alone; a row of bars next to another is a table's (its header above its rows).
    neighbours = zip([None, *filled[:-1]], filled, [*filled[1:], None], strict=True)
    tabled = {
        index
        for before, index, after in neighbours
        if any(other is not None and "|" in lines[other] for other in (before, after))
    }
    edges = set(filled[:_EDGE_LINES] + filled[-_EDGE_LINES:]) - tabled
    kept = [line for index, line in enumerate(lines) if not is_furniture(line, at_edge=index in edges)]
    return text if len(kept) == len(lines) else "\n".join(kept)
