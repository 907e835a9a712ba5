"""Which programme, which edition, which kind of document speaks with authority, and whether a date
the documents give is still ahead: the facts that keep an answer from sending a city to a closed call."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from ingest.classify import PROGRAMMES
from ingest.dates import dates_in
from ingest.models import DocumentKind, DocumentMeta
from prompts import say

# Words that make a date a deadline rather than, say, the date of a meeting.
_DEADLINE = re.compile(
    r"\b(deadline|clos(e|es|ed|ing)|until|no later than|submi(t|tted|ssion)|apply|applications?|"
    r"due|by)\b",
    re.I,
)
_SAYS_CLOSED = re.compile(r"\b(has|have|had)\s+(already\s+)?closed\b|\bis closed\b|\bwas closed\b", re.I)


class QuestionClass(StrEnum):
    ELIGIBILITY = "eligibility"  # who can apply, deadlines, how to apply: binding text decides
    LESSONS = "lessons"  # what cities learnt: event takeaways lead
    OTHER = "other"


_ELIGIBILITY = re.compile(
    r"\b(appl(y|ying|ied|icants?|ications?)|eligib\w*|criteria|criterion|requirements?|required|"
    r"deadlines?|who can|can (we|i|a|an|our)|may (we|i)|must|commit\w*|conditions?|submit\w*|"
    r"inhabitants|population|call (is|still) open|still open|join)\b",
    re.I,
)
_LESSONS = re.compile(
    r"\b(learn\w*|lessons?|takeaways?|experiences?|challenges?|recommend\w*|good practices?|"
    r"insights?|what worked|success factors?|discussed|participants)\b",
    re.I,
)
# How much a kind of document is worth beside the others, by the kind of question.
_AUTHORITY: dict[QuestionClass, dict[DocumentKind, float]] = {
    QuestionClass.ELIGIBILITY: {
        DocumentKind.CALL: 0.06,
        DocumentKind.FAQ: 0.06,
        DocumentKind.RULES: 0.06,
        DocumentKind.FACTSHEET: 0.0,
        DocumentKind.CONCEPT_NOTE: -0.03,
        DocumentKind.TAKEAWAYS: -0.06,
    },
    QuestionClass.LESSONS: {
        DocumentKind.TAKEAWAYS: 0.06,
        DocumentKind.CONCEPT_NOTE: 0.02,
        DocumentKind.CALL: -0.03,
        DocumentKind.FAQ: -0.03,
    },
}


def classify_question(question: str) -> QuestionClass:
    if _LESSONS.search(question) and not re.search(r"\b(can|may) (we|i)\b|\beligib", question, re.I):
        return QuestionClass.LESSONS
    if _ELIGIBILITY.search(question):
        return QuestionClass.ELIGIBILITY
    return QuestionClass.OTHER


def authority(kind: DocumentKind, question: QuestionClass) -> float:
    """A small score shift: binding call text and FAQs over factsheets and takeaways for eligibility and
    process; takeaways first for lessons learnt."""
    return _AUTHORITY.get(question, {}).get(kind, 0.0)


def programmes_named(question: str, known: Iterable[str] = ()) -> list[str]:
    """The programmes a question names ('IURC', 'Partnerships for Sustainable Cities'), in order: the
    four this project knows by their full names too, and any other the documents are labelled with."""
    found: list[tuple[int, str]] = []
    names_of = dict(PROGRAMMES) | {
        programme: (programme,) for programme in known if programme not in PROGRAMMES
    }
    for programme, names in names_of.items():
        positions = [
            match.start()
            for name in names
            for match in re.finditer(rf"(?<![\w-]){re.escape(name)}(?![\w-])", question, re.I)
        ]
        if positions:
            found.append((min(positions), programme))
    return [programme for _, programme in sorted(found)]


def full_name(programme: str) -> str:
    names = PROGRAMMES.get(programme, (programme,))
    return programme if names[0] == programme else f"{programme} ({names[0]})"


@dataclass(frozen=True)
class Editions:
    """The editions each programme's documents belong to, so the newest can be preferred."""

    newest: dict[str, int]
    count: dict[str, int]

    @classmethod
    def of(cls, documents: Iterable[DocumentMeta]) -> Editions:
        editions: dict[str, set[int]] = {}
        for meta in documents:
            if meta.programme and meta.edition and meta.kind in (DocumentKind.CALL, DocumentKind.FAQ):
                editions.setdefault(meta.programme, set()).add(meta.edition)
        return cls(
            newest={programme: max(years) for programme, years in editions.items()},
            count={programme: len(years) for programme, years in editions.items()},
        )

    def is_superseded(self, meta: DocumentMeta) -> bool:
        """An older edition's call or FAQ, when the programme has a newer one."""
        if not (meta.programme and meta.edition) or meta.kind not in (DocumentKind.CALL, DocumentKind.FAQ):
            return False
        return self.count.get(meta.programme, 0) > 1 and meta.edition < self.newest[meta.programme]


def is_deadline(sentence: str) -> bool:
    """The sentence gives a deadline: a full date (year included or named nearby) with deadline words."""
    return bool(_DEADLINE.search(sentence)) and bool(dates_in(sentence, None))


@dataclass(frozen=True)
class DeadlineNote:
    text: str
    passed: bool


def deadline_note(sentence: str, meta: DocumentMeta, today: date) -> DeadlineNote | None:
    """A note for a deadline the sentence gives: passed (and the sentence does not already say the call
    closed), or still ahead; None when the sentence gives no deadline."""
    if not _DEADLINE.search(sentence):
        return None
    mentions = dates_in(sentence, meta.edition)
    if not mentions:
        return None
    latest = max(mentions, key=lambda mention: mention.on)
    edition = f"the {meta.edition} edition" if meta.edition else "this document"
    when = _spoken(latest.on)
    if latest.on < today:
        if _SAYS_CLOSED.search(sentence):
            return DeadlineNote(say("deadlines.passed_said_closed", when=when, edition=edition), passed=True)
        return DeadlineNote(say("deadlines.passed", when=when, today=_spoken(today), edition=edition), True)
    days = (latest.on - today).days
    plural = "s" if days != 1 else ""
    text = say("deadlines.ahead", when=when, edition=edition, days=days, plural=plural, today=_spoken(today))
    return DeadlineNote(text, passed=False)


def _spoken(day: date) -> str:
    return f"{day.day} {day.strftime('%B')} {day.year}"
