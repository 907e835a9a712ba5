"""What a piece of text asserts, read explicitly (no NLI model ships offline): its numbers, dates, names,
links, polarity (negated or not), modality (must / encouraged / only) and content terms.

Both sides of a grounding check are read the same way: a sentence of an answer, and the passage
sentences it cites. Everything here is a pure function of the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from enum import Enum
from functools import lru_cache

from ingest.dates import FULL_MONTHS, MONTHS, dates_in
from ingest.textutil import CAPITALS, EMAIL, STOPWORDS, fold, stem, terms

__all__ = ["Claim", "Modality", "read_claim"]


class Modality(Enum):
    """How strongly a clause binds: a requirement, an encouragement, or a restriction to something."""

    REQUIRED = "required"
    ENCOURAGED = "encouraged"
    ONLY = "only"


# --- cues ----------------------------------------------------------------------------------------

# Phrases that look negative or modal but bound a quantity or a time: 'no later than 5 May' is a
# deadline, not a negation; 'not only' adds rather than restricts.
_IDIOMS = re.compile(
    r"\b(?:no|not)\s+(?:later|earlier|sooner|more|less|fewer|greater|higher|lower)\s+than\b"
    r"|\bnot\s+only\b|\bnot\s+exceed(?:ing|s)?\b|\bno\s+matter\b|\bno\.\s*\d",
    re.I,
)
_NEGATION = re.compile(
    r"\b(?:not|no|never|none|nor|neither|cannot|without|nobody|nothing|nowhere|unable|ineligible"
    r"|exclude[ds]?|excluding|non-eligible)\b|n['’]t\b",
    re.I,
)
_MODALITY = {
    Modality.REQUIRED: re.compile(
        r"\b(?:must|shall|required?|requires|requirements?|mandatory|compulsory|obligatory|obliged"
        r"|ha(?:ve|s) to|needs? to|is necessary|are necessary)\b",
        re.I,
    ),
    Modality.ENCOURAGED: re.compile(
        r"\b(?:encourage[ds]?|encouraging|should|recommend(?:s|ed)?|preferabl[ey]|preferred|ideally"
        r"|advised|advisable|invited|welcome[ds]?)\b",
        re.I,
    ),
    Modality.ONLY: re.compile(r"\b(?:only|exclusively|solely|limited to|restricted to)\b", re.I),
}

# Words that frame an answer rather than assert anything about the documents' subject.
_FRAMING = frozenset(
    terms(
        "according document documents state states stated say says said mention mentions mentioned note "
        "notes noted indicate indicates indicated explain explains explained describe describes described "
        "specify specifies specified information passage passages source sources answer yes however also "
        "therefore thus furthermore moreover additionally addition example instance following based please"
    )
)

_NUMBER_WORDS = {
    word: index
    for index, word in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
        "sixteen seventeen eighteen nineteen twenty".split()
    )
} | {"thirty": 30, "forty": 40, "fifty": 50, "hundred": 100, "thousand": 1000, "dozen": 12}
_SCALES = {"thousand": Decimal(1000), "k": Decimal(1000), "million": Decimal(10**6), "m": Decimal(10**6)}
_SCALES |= {"billion": Decimal(10**9), "bn": Decimal(10**9)}
_NUMBER = re.compile(
    r"(?<![\w.])(?P<digits>\d{1,3}(?:[,  ]\d{3})+(?:\.\d+)?|\d+(?:[.,]\d+)?)"
    r"(?:\s*(?P<scale>thousand|million|billion|bn|k|m)\b)?(?:st|nd|rd|th)?(?![\w])",
    re.I,
)
_NUMBER_WORD = re.compile(r"\b(" + "|".join(_NUMBER_WORDS) + r")\b", re.I)
_MONTH_YEAR = re.compile(
    r"\b(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?,?\s+(?P<year>(?:19|20)\d\d)\b",
    re.I,
)
# 'may' is a month only beside a day or a year (above); alone it is the verb.
_MONTH_ALONE = re.compile(r"\b(" + "|".join(name for name in FULL_MONTHS if name != "may") + r")\b", re.I)
_URL = re.compile(r"\bhttps?://[^\s<>()\[\]]+|\bwww\.[^\s<>()\[\]]+", re.I)
# Where a capitalised word may just open a sentence: at the start of a line (after a bullet or a number)
# or after a full stop.
_OPENING = re.compile(r"\s*(?:[-*•–]\s*|\d+[.)]\s*)?[\"“‘(]?")
_AFTER_STOP = re.compile(r"[.!?:;]\s*[\"“‘(]?\s*$")
_CAPITALISED = re.compile(rf"(?<![\w'’])([{CAPITALS}][\w’'.-]*[\w])")
# Capitalised words that are not names: pronouns, weekdays, words any sentence may open or carry.
_NOT_NAMES = frozenset(
    """i monday tuesday wednesday thursday friday saturday sunday yes no note please however also
    sources source""".split()
)


@dataclass(frozen=True)
class Claim:
    """What a text asserts, in comparable form."""

    text: str
    numbers: frozenset[Decimal]
    dates: frozenset[tuple[int, int, int]]  # (year, month, day), the year written
    day_months: frozenset[tuple[int, int]]  # (month, day) of every date, with or without its year
    month_years: frozenset[tuple[int, int]]
    months: frozenset[int]
    names: frozenset[str]  # folded words of names and acronyms
    acronyms: frozenset[str]  # folded all-capital names ('iuc'), which may stand for their initials
    links: frozenset[str]  # URLs and e-mail addresses, folded
    negated: bool
    modalities: frozenset[Modality]
    content: frozenset[str]  # stemmed content terms, framing words left out
    words: frozenset[str]  # every folded word, for finding names

    def initials(self) -> frozenset[str]:
        """Initials of every run of capitalised words ('European Union' → 'eu'), for acronyms."""
        return _initials(self.text)


def _strip_idioms(text: str) -> str:
    return _IDIOMS.sub(" ", text)


def negated(text: str) -> bool:
    return _NEGATION.search(_strip_idioms(text)) is not None


def modalities(text: str) -> frozenset[Modality]:
    plain = _strip_idioms(text)
    return frozenset(kind for kind, pattern in _MODALITY.items() if pattern.search(plain))


def _decimal(digits: str) -> Decimal | None:
    cleaned = re.sub(r"[,  ](?=\d{3}\b)", "", digits)
    if re.fullmatch(r"\d+,\d+", cleaned):  # a decimal comma ('1,5 million')
        cleaned = cleaned.replace(",", ".")
    try:
        return Decimal(cleaned)
    except InvalidOperation:
        return None


def _numbers(text: str, skip: list[tuple[int, int]]) -> set[Decimal]:
    found: set[Decimal] = set()
    for match in _NUMBER.finditer(text):
        if any(start <= match.start() < end for start, end in skip):
            continue
        value = _decimal(match.group("digits"))
        if value is None:
            continue
        scale = (match.group("scale") or "").lower()
        found.add((value * _SCALES[scale]).normalize() if scale else value.normalize())
    for match in _NUMBER_WORD.finditer(text):
        if not any(start <= match.start() < end for start, end in skip):
            found.add(Decimal(_NUMBER_WORDS[match.group(1).lower()]))
    return found


def _initials(text: str) -> frozenset[str]:
    runs = re.findall(rf"(?:\b[{CAPITALS}][\w’'-]*(?:\s+(?:of|for|and|the|de|du|des)\s+|\s+)?)+", text)
    found = set()
    for run in runs:
        words = run.split()
        if words and words[0].lower() in ("the", "a", "an"):
            words = words[1:]
        capitals = [word[0] for word in words if word[:1].isupper()]
        if len(capitals) >= 2:
            found.add(fold("".join(capitals)))
    return frozenset(found)


def _names(text: str) -> tuple[set[str], set[str]]:
    """Folded words of names (capitalised words past the first of a sentence) and of acronyms."""
    names: set[str] = set()
    acronyms: set[str] = set()
    for match in _CAPITALISED.finditer(text):
        word = match.group(1)
        line = text[: match.start()].rsplit("\n", 1)[-1]
        opens = _OPENING.fullmatch(line) is not None or _AFTER_STOP.search(line) is not None
        letters = re.sub(r"[^\w]", "", word)
        is_acronym = len(letters) >= 2 and letters.isupper() and not letters.isdigit()
        folded = fold(word.strip("'’.").removesuffix("'s").removesuffix("’s"))
        if is_acronym:
            acronyms.add(fold(letters))
            continue
        if opens or folded in STOPWORDS or folded in _NOT_NAMES or folded in MONTHS:
            continue
        names.update(part for part in re.split(r"[-'’.]", folded) if len(part) >= 2)
    return names, acronyms


@lru_cache(maxsize=4096)
def read_claim(text: str) -> Claim:
    """What ``text`` asserts. Pure and cached: a passage is read once however often it is cited."""
    links = {
        fold(match.group(0).rstrip(".,;:")) for pattern in (_URL, EMAIL) for match in pattern.finditer(text)
    }
    without_links = EMAIL.sub(" ", _URL.sub(" ", text))
    dated = dates_in(without_links, default_year=2000)  # a leap year: '29 February' stays a date
    spans = [(match.start(), match.end()) for match in _MONTH_YEAR.finditer(without_links)]
    for mention in dated:
        at = without_links.find(mention.text)
        if at >= 0:
            spans.append((at, at + len(mention.text)))
    month_years = {
        (int(match.group("year")), MONTHS[match.group("month").lower()])
        for match in _MONTH_YEAR.finditer(without_links)
    }
    month_years |= {(mention.on.year, mention.on.month) for mention in dated if mention.year_given}
    months = {MONTHS[match.group(1).lower()] for match in _MONTH_ALONE.finditer(without_links)}
    names, acronyms = _names(without_links)
    # Names, months and negations are checked on their own; content words are what is left.
    checked_apart = {form for word in names | acronyms | set(MONTHS) for form in (word, stem(word))}
    content = {
        term
        for term in terms(_NEGATION.sub(" ", without_links))
        if not term.isdigit()
        and term not in _FRAMING
        and term not in _NUMBER_WORDS
        and term not in checked_apart
        and "'" not in term
    }
    return Claim(
        text=text,
        numbers=frozenset(_numbers(without_links, spans)),
        dates=frozenset(
            (mention.on.year, mention.on.month, mention.on.day) for mention in dated if mention.year_given
        ),
        day_months=frozenset((mention.on.month, mention.on.day) for mention in dated),
        month_years=frozenset(month_years),
        months=frozenset(months),
        names=frozenset(names),
        acronyms=frozenset(acronyms),
        links=frozenset(links),
        negated=negated(without_links),
        modalities=modalities(without_links),
        content=frozenset(content),
        words=frozenset(re.findall(r"\w+", fold(without_links))),
    )
