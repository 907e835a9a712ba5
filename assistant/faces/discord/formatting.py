"""Answers as Discord messages: pure functions, no discord.py.

An answer becomes its notices (set apart as a block quote), its text, and numbered footnotes built from
its structured citations list (title, section, page), cut into parts Discord accepts: under 2,000
characters, at a paragraph, line or sentence boundary, never inside a citation marker, a URL or a quote.
Every text that reaches Discord goes through ``scrub_mentions`` first: document and user text never
turns into a ping, whatever the allowed-mentions setting says.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from enum import IntEnum

from assistant.eligibility.models import EligibilityReport
from assistant.eligibility.wording import closed_notice
from assistant.models import Answer, Citation
from prompts import say

__all__ = [
    "MESSAGE_LIMIT",
    "PART_LIMIT",
    "answer_parts",
    "eligibility_parts",
    "footnote_lines",
    "marker_runs",
    "protected_spans",
    "question_from_mention",
    "scrub_mentions",
    "session_label",
    "sources_parts",
    "split_message",
    "thread_name",
]

MESSAGE_LIMIT = 2000  # Discord refuses a message whose content is longer
# What one part may hold: the rest is room for characters Discord counts twice (UTF-16 surrogate pairs).
PART_LIMIT = 1900
THREAD_NAME_LIMIT = 100  # Discord's limit on a thread's name
ZERO_WIDTH_SPACE = "\u200b"

_EVERYONE = re.compile(r"@(everyone|here)\b", re.IGNORECASE)
_MENTION_TAG = re.compile(r"<(@[!&]?\d+)>")
_URL = re.compile(r"<?https?://[^\s<>]+>?")
# Quotes whose inside is one unit: typographic pairs (which may span lines), straight pairs and code
# spans within a line.
_QUOTE = re.compile(r"“[^“”]*”|«[^«»]*»|\"[^\"\n]*\"|`[^`\n]*`")
_PARAGRAPH = re.compile(r"\n[ \t]*\n\s*")
_LINE = re.compile(r"\n\s*")
# A sentence ends at . ! ? or …, perhaps after a closing quote or bracket and citation markers.
_SENTENCE = re.compile(r"[.!?…][”’\"')\]]*(?:\s?\[\d+\])*\s+")
_SPACE = re.compile(r"\s+")


class _Break(IntEnum):
    """Where a message may be cut, best first."""

    PARAGRAPH = 0
    LINE = 1
    SENTENCE = 2
    WORD = 3


def scrub_mentions(text: str) -> str:
    """``@everyone``, ``@here`` and user or role mention tags shown as written, never as pings: a
    zero-width space breaks each one (the bot also sends every message with no mentions allowed)."""
    text = _EVERYONE.sub(lambda match: f"@{ZERO_WIDTH_SPACE}{match.group(1)}", text)
    return _MENTION_TAG.sub(lambda match: f"<{ZERO_WIDTH_SPACE}{match.group(1)}>", text)


def protected_spans(text: str, markers: Iterable[str] = ()) -> list[tuple[int, int]]:
    """The (start, end) spans a cut must not fall inside: the given citation markers, URLs, quotes."""
    spans = [match.span() for marker in set(markers) for match in re.finditer(re.escape(marker), text)]
    spans += [match.span() for match in _URL.finditer(text)]
    spans += [match.span() for match in _QUOTE.finditer(text)]
    return sorted(spans)


def _inside(position: int, spans: Sequence[tuple[int, int]]) -> bool:
    return any(start < position < end for start, end in spans)


def split_message(text: str, limit: int = PART_LIMIT, markers: Iterable[str] = ()) -> list[str]:
    """``text`` in parts of at most ``limit`` characters, in order, each cut at the best boundary the
    window offers (a paragraph or line break in its second half, else the last sentence end, else the
    last space) and never inside a protected span (``protected_spans``). Only a quote or URL longer than
    a whole part is cut inside, at a space if it has one."""
    text = text.strip()
    spans = protected_spans(text, markers)
    breaks = {
        kind: [match.end() for match in pattern.finditer(text)]
        for kind, pattern in (
            (_Break.PARAGRAPH, _PARAGRAPH),
            (_Break.LINE, _LINE),
            (_Break.SENTENCE, _SENTENCE),
            (_Break.WORD, _SPACE),
        )
    }
    parts: list[str] = []
    start = 0
    while len(text) - start > limit:
        end = start + limit
        cut = _best_cut(breaks, spans, start, end, limit)
        parts.append(text[start:cut].rstrip())
        start = cut
        while start < len(text) and text[start].isspace():
            start += 1
    if start < len(text):
        parts.append(text[start:])
    return [part for part in parts if part]


def _best_cut(
    breaks: dict[_Break, list[int]], spans: Sequence[tuple[int, int]], start: int, end: int, limit: int
) -> int:
    def last(kind: _Break, earliest: int, *, protect: bool = True) -> int | None:
        found = [
            at
            for at in breaks[kind]
            if earliest <= at <= end and at > start and not (protect and _inside(at, spans))
        ]
        return max(found) if found else None

    half = start + limit // 2
    for kind, earliest in (
        (_Break.PARAGRAPH, half),
        (_Break.LINE, half),
        (_Break.SENTENCE, start),
        (_Break.WORD, start),
    ):
        cut = last(kind, earliest)
        if cut is not None:
            return cut
    # A protected span longer than a part: cut it at a space, or, with none, where the part is full.
    cut = last(_Break.WORD, start, protect=False)
    return cut if cut is not None else end


def marker_runs(ids: Sequence[int]) -> str:
    """``[1]–[3], [5]`` for ids 1, 2, 3, 5: consecutive markers as one run."""
    runs: list[list[int]] = []
    for number in sorted(set(ids)):
        if runs and number == runs[-1][-1] + 1:
            runs[-1].append(number)
        else:
            runs.append([number])
    tokens = []
    for run in runs:
        tokens += [f"[{run[0]}]–[{run[-1]}]"] if len(run) > 2 else [f"[{number}]" for number in run]
    return ", ".join(tokens)


def _where(citation: Citation) -> str:
    """'Title — Section, p. 3' (the file name when the document has no title)."""
    text = citation.title or citation.source
    if citation.section and citation.section != citation.title:
        text += f" — {citation.section}"
    if citation.page:
        text += f", p. {citation.page}"
    return scrub_mentions(text)


def footnote_lines(citations: Sequence[Citation]) -> list[str]:
    """One line per place cited, in the order first cited: its markers, then title, section and page.
    Built from the structured citations, never read out of the answer's text."""
    places: dict[str, list[int]] = {}
    for citation in sorted(citations, key=lambda item: item.id):
        places.setdefault(_where(citation), []).append(citation.id)
    return [f"{marker_runs(ids)} {where}" for where, ids in places.items()]


def _footnotes_block(citations: Sequence[Citation]) -> str:
    return f"**{say('discord.sources_heading')}**\n" + "\n".join(footnote_lines(citations))


def _notices_block(texts: Sequence[str]) -> str:
    return "\n".join(f"> ⚠️ {scrub_mentions(text)}" for text in texts)


def _markers(citations: Sequence[Citation]) -> list[str]:
    return [f"[{citation.id}]" for citation in citations]


def answer_parts(answer: Answer, limit: int = PART_LIMIT) -> list[str]:
    """The messages an answer is posted as: notices apart at the top, the text, then the footnotes."""
    blocks = []
    if answer.notices:
        blocks.append(_notices_block([notice.text for notice in answer.notices]))
    blocks.append(scrub_mentions(answer.answer))
    if answer.citations:
        blocks.append(_footnotes_block(answer.citations))
    return split_message("\n\n".join(blocks), limit, _markers(answer.citations))


def _block_quote(text: str) -> str:
    return "\n".join(f"> {line}" if line.strip() else ">" for line in text.splitlines())


def sources_parts(citations: Sequence[Citation], limit: int = PART_LIMIT) -> list[str]:
    """The quoted passages behind an answer's markers, each under its footnote (shown on demand)."""
    if not citations:
        return [say("discord.no_sources")]
    entries = [
        f"**[{citation.id}]** {_where(citation)}\n{_block_quote(scrub_mentions(citation.quote))}"
        for citation in sorted(citations, key=lambda item: item.id)
    ]
    return split_message("\n\n".join(entries), limit, _markers(citations))


_STATUS_MARK = {"meets": "✅", "does_not_meet": "❌", "not_stated": "➖", "unknown": "❔"}


def eligibility_parts(report: EligibilityReport, limit: int = PART_LIMIT) -> list[str]:
    """An eligibility report in words: the summary, each criterion with its status in plain words and the
    call's own words (each passage quoted once), then the footnotes."""
    blocks = []
    if report.open is False and report.deadline is not None and report.programme and report.edition:
        blocks.append(_notices_block([closed_notice(report)]))
    blocks.append(scrub_mentions(report.summary))
    lines = [f"**{say('discord.criteria_heading')}**"]
    quoted: set[int] = set()
    for result in report.results:
        status = say(f"discord.status_{result.status}")
        strength = f" ({say(f'discord.strength_{result.strength}')})" if result.strength else ""
        marker = f" [{result.citation.id}]" if result.citation else ""
        explanation = scrub_mentions(result.explanation)
        lines.append(f"{_STATUS_MARK[result.status]} **{status}**{strength}: {explanation}{marker}")
        if result.quote and result.citation and result.citation.id not in quoted:
            quoted.add(result.citation.id)
            lines.append(_block_quote(f"“{scrub_mentions(result.quote)}” [{result.citation.id}]"))
    if report.results:
        blocks.append("\n".join(lines))
    if report.citations:
        blocks.append(_footnotes_block(report.citations))
    return split_message("\n\n".join(blocks), limit, _markers(report.citations))


def thread_name(question: str) -> str:
    """A thread's name: the question on one line, within Discord's 100 characters, cut at a word."""
    text = scrub_mentions(" ".join(question.split()))
    if len(text) <= THREAD_NAME_LIMIT:
        return text or "Question"
    cut = text[: THREAD_NAME_LIMIT - 1]
    if " " in cut[THREAD_NAME_LIMIT // 2 :]:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,;:") + "…"


def session_label(channel_id: int) -> str:
    """The session of a conversation: every question asked in one thread (or one DM) shares it."""
    return f"discord-{channel_id}"


def question_from_mention(content: str, bot_id: int) -> str:
    """A message's text without the mentions of the bot (``<@id>`` and ``<@!id>``)."""
    return " ".join(re.sub(rf"<@!?{bot_id}>", " ", content).split())
