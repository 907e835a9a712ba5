"""Find a reviewer's quote in a chunk although spacing, compatibility characters or typographic quotes
differ, and return the text as the chunk has it, so a citation stays verbatim."""

from __future__ import annotations

import unicodedata

# Typographic variants a reviewer may type plainly; only used for matching, never stored.
_FOLD = str.maketrans({"‘": "'", "’": "'", "‚": "'", "“": '"', "”": '"', "„": '"', "–": "-", "—": "-"})


def _normalised_with_positions(text: str) -> tuple[str, list[int]]:
    """``text`` in NFKC with folded quotes and single spaces, and for each character the index in
    ``text`` it came from."""
    out: list[str] = []
    positions: list[int] = []
    index = 0
    while index < len(text):
        end = index + 1
        while end < len(text) and unicodedata.combining(text[end]):
            end += 1  # a base letter and its combining marks normalise together ('e' + '◌́' → 'é')
        for char in unicodedata.normalize("NFKC", text[index:end]).translate(_FOLD):
            if char.isspace() and (not out or out[-1] == " "):
                continue
            out.append(" " if char.isspace() else char)
            positions.append(index)
        index = end
    while out and out[-1] == " ":
        out.pop()
        positions.pop()
    return "".join(out), positions


def normalise_quote(text: str) -> str:
    return _normalised_with_positions(text)[0]


def find_verbatim(quote: str, text: str) -> str | None:
    """The span of ``text`` that matches ``quote`` after normalisation, as ``text`` writes it."""
    wanted = normalise_quote(quote)
    if not wanted:
        return None
    haystack, positions = _normalised_with_positions(text)
    start = haystack.find(wanted)
    if start < 0:
        return None
    first, last = positions[start], positions[start + len(wanted) - 1]
    end = last + 1
    while end < len(text) and unicodedata.combining(text[end]):
        end += 1
    return text[first:end]
