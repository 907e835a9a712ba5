"""An answer, sentence by sentence, against the passages its [n] markers point to: which sentences hold
(see ``support``), which markers name nothing returned, which sentences had no marker or the wrong one
(moved to the passage that supports them, on strong evidence); then the answer rendered again with only
what holds, lines and bullets kept, markers renumbered by the caller. Nothing here knows of LLMs."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from assistant.grounding.support import Passage, Problem, Support, best_passage, check_sentence
from ingest.textutil import split_sentences

__all__ = ["MARKER", "CheckedSentence", "Verification", "normalise_markers", "verify"]

MARKER = re.compile(r"\[(\d{1,3})\]")
_MARKER_LIST = re.compile(r"[\[【]\s*(\d{1,3}(?:\s*(?:,|;|-|–|and)\s*\d{1,3})+)\s*[\]】]")
_FULLWIDTH = re.compile(r"【\s*(\d{1,3})\s*】")
_AFTER_STOP = re.compile(r"([.!?])((?:\s*\[\d{1,3}\])+)")
_BULLET = re.compile(r"^\s*(?:[-*•–]|\d{1,2}[.)])\s+")
_SOURCES_HEADING = re.compile(r"^\s*\**\s*(?:sources?|references?|citations?)\s*\**\s*:?\s*\**\s*$", re.I)
_SOURCE_LINE = re.compile(r"^\s*(?:[-*•]\s*)?\[\d{1,3}\]")


@dataclass
class CheckedSentence:
    text: str  # the sentence without its markers
    block: int  # the line of the answer it stands on
    cited: tuple[int, ...]  # the markers as written
    supports: tuple[Support, ...] = ()
    problems: tuple[Problem, ...] = ()
    moved: bool = False  # its markers were missing or wrong; another returned passage supports it

    @property
    def supported(self) -> bool:
        return not self.problems and bool(self.supports)


@dataclass
class Verification:
    sentences: list[CheckedSentence]
    blocks: list[tuple[str, bool]] = field(default_factory=list)  # (bullet prefix, blank line before)
    source_lines: int = 0  # lines of a sources list the writer added itself, always left out
    repeats: int = 0  # sentences written again word for word, left out

    @property
    def kept(self) -> list[CheckedSentence]:
        return [sentence for sentence in self.sentences if sentence.supported]

    @property
    def dropped(self) -> list[CheckedSentence]:
        return [sentence for sentence in self.sentences if not sentence.supported]

    def render(self, number: Callable[[Support], int]) -> str:
        """The supported sentences only, each with its markers numbered by ``number`` (in order of
        use), lines and bullets kept."""
        lines: list[str] = []
        for index, (prefix, blank_before) in enumerate(self.blocks):
            kept = [sentence for sentence in self.kept if sentence.block == index]
            if not kept:
                continue
            body = " ".join(
                _with_markers(sentence.text, [number(s) for s in sentence.supports]) for sentence in kept
            )
            if blank_before and lines:
                lines.append("")
            lines.append(prefix + body)
        return "\n".join(lines).strip()


def _with_markers(text: str, numbers: list[int]) -> str:
    unique = list(dict.fromkeys(numbers))
    markers = "".join(f"[{n}]" for n in unique)
    stripped = text.rstrip()
    if stripped and stripped[-1] in ".!?:":
        return f"{stripped[:-1].rstrip()} {markers}{stripped[-1]}"
    return f"{stripped} {markers}"


# --- reading an answer -----------------------------------------------------------------------------


def normalise_markers(text: str) -> str:
    """'[1, 2]' and '[1-3]' as '[1][2]' and '[1][2][3]'; markers after a full stop moved before it."""

    def expand(match: re.Match[str]) -> str:
        numbers: list[int] = []
        for part in re.split(r"\s*(?:,|;|and)\s*", match.group(1)):
            bounds = re.split(r"\s*[-–]\s*", part)
            if len(bounds) == 2 and bounds[0].isdigit() and bounds[1].isdigit():
                low, high = int(bounds[0]), int(bounds[1])
                numbers.extend(range(low, min(high, low + 20) + 1))
            elif part.strip().isdigit():
                numbers.append(int(part))
        return "".join(f"[{n}]" for n in numbers)

    text = _FULLWIDTH.sub(r"[\1]", _MARKER_LIST.sub(expand, text))
    return _AFTER_STOP.sub(lambda m: f"{m.group(2)}{m.group(1)}", text)


def _segments(answer: str) -> tuple[list[tuple[int, str]], list[tuple[str, bool]], int]:
    """Sentences with the line they stand on; each line's bullet and whether a blank line precedes it;
    and how many lines of a writer's own sources list were left out."""
    sentences: list[tuple[int, str]] = []
    blocks: list[tuple[str, bool]] = []
    source_lines = 0
    in_sources = False
    blank = False
    for line in normalise_markers(answer).splitlines():
        if not line.strip():
            blank = True
            continue
        if _SOURCES_HEADING.match(line):
            in_sources = True
        if in_sources or _SOURCE_LINE.match(line):
            source_lines += 1
            continue
        bullet = _BULLET.match(line)
        prefix = "- " if bullet else ""
        body = line[bullet.end() :] if bullet else line
        blocks.append((prefix, blank))
        blank = False
        sentences.extend((len(blocks) - 1, piece) for piece in split_sentences(body.strip()))
    return sentences, blocks, source_lines


def _plain(sentence: str) -> str:
    text = MARKER.sub("", sentence)
    text = re.sub(r"\s+([.,;:!?])", r"\1", text)
    return re.sub(r"\s{2,}", " ", text).strip()


def verify(
    answer: str,
    passages: Mapping[int, Passage],
    *,
    given: str = "",
    min_coverage: float = 0.66,
    move_markers: bool = True,
) -> Verification:
    """Check every sentence of ``answer`` against the passages its markers name. ``given`` is what the
    asker said (their own figures may be restated). With ``move_markers``, a sentence without a marker,
    or whose markers do not support it, is kept when one returned passage supports it on its own, and
    then cites that passage."""
    segments, blocks, source_lines = _segments(answer)
    checked: list[CheckedSentence] = []
    seen: set[str] = set()
    repeats = 0
    for block, raw in segments:
        text = _plain(raw)
        if text.casefold() in seen:  # a sentence said again (a model looping) is said once
            repeats += 1
            continue
        seen.add(text.casefold())
        cited = tuple(int(n) for n in MARKER.findall(raw))
        sentence = CheckedSentence(text, block, cited)
        known = {ref: passages[ref] for ref in dict.fromkeys(cited) if ref in passages}
        if cited and not known:
            sentence.problems = (Problem("unknown_marker", f"{_refs(cited)} name no returned passage"),)
        elif known:
            sentence.supports, sentence.problems = check_sentence(
                text, known, given=given, min_coverage=min_coverage
            )
        else:
            sentence.problems = (Problem("uncited", "no marker"),)
        if sentence.problems and move_markers:
            moved = best_passage(text, passages, given, min_coverage)
            if moved is not None:
                sentence.supports, sentence.problems, sentence.moved = (moved,), (), True
        checked.append(sentence)
    return Verification(checked, blocks, source_lines, repeats)


def _refs(refs: Sequence[int]) -> str:
    return ", ".join(f"[{ref}]" for ref in refs)
