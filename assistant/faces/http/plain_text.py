"""Plain text out, always: what leaves through the OpenAI-compatible route is shown by clients that
render Markdown and HTML, so markup copied from a document (or entities a loader decoded into markup)
must not arrive there as live tags. Tags and comments are dropped, entities decoded, and a ``<`` that
could still open a tag is parted from what follows it. ``PlainTextStream`` does the same to a stream of
pieces, holding back only an unfinished tag or entity, so no tag can form across two pieces."""

from __future__ import annotations

import html
import re

_COMMENT = re.compile(r"<!--.*?(?:-->|$)", re.S)
_TAG = re.compile(r"<\s*/?\s*[A-Za-z!?][^<>]*>")
_OPENER = re.compile(r"<(?=\s*[A-Za-z/!?]|$)")  # at the end: the next piece could go on with a letter
_PARTIAL_ENTITY = re.compile(r"&#?[A-Za-z0-9]{0,12}$")
_HOLD_CHARS = 1024  # an unfinished tag longer than this is text, not a tag to wait for


def _strip(text: str) -> str:
    while True:  # removing one tag can join its neighbours into another: '<<b>script>'
        stripped = _TAG.sub("", _COMMENT.sub("", text))
        if stripped == text:
            break
        text = stripped
    return _OPENER.sub("< ", text)


def plain_text(text: str) -> str:
    """``text`` with no markup: entities decoded, tags and comments removed, no ``<`` left to open one."""
    return _strip(html.unescape(text))


class PlainTextStream:
    """``plain_text`` over a stream of pieces: ``feed`` each piece, ``flush`` at the end."""

    def __init__(self) -> None:
        self._raw = ""  # an entity not finished yet
        self._decoded = ""  # a tag not finished yet

    def feed(self, piece: str) -> str:
        raw = self._raw + piece
        partial = _PARTIAL_ENTITY.search(raw)
        cut = partial.start() if partial else len(raw)
        self._raw = raw[cut:]
        decoded = self._decoded + html.unescape(raw[:cut])
        opened = decoded.find("<", decoded.rfind(">") + 1)  # the first '<' no '>' closes yet
        if opened != -1 and len(decoded) - opened <= _HOLD_CHARS:
            decoded, self._decoded = decoded[:opened], decoded[opened:]
        else:
            self._decoded = ""
        return _strip(decoded)

    def flush(self) -> str:
        rest = self._decoded + html.unescape(self._raw)
        self._raw = self._decoded = ""
        return _strip(rest)
