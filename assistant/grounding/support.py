"""Whether passage sentences support a sentence: the run of passage sentences that best carries it, its
numbers, dates, names and links found there, its polarity and modality matched clause by clause against
the whole passage, and enough of what it says there (content words, names, figures)."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from assistant.grounding.claims import Claim, Modality, read_claim
from ingest.textutil import fold, split_sentences

__all__ = ["Passage", "Problem", "ProblemKind", "Support", "best_passage", "check_sentence"]

ProblemKind = Literal[
    "unknown_marker",  # every marker names something no tool returned
    "uncited",  # no marker, and no returned passage supports it
    "unrelated",  # the cited passages speak of something else
    "empty",  # nothing to check: no content words
    "number",
    "date",
    "name",
    "link",
    "negation",
    "modality",
    "coverage",
]

_CLAUSE_CUT = re.compile(
    r";|:\s|\s[-–—]\s|,\s+and\b|,?\s+(?:but|whereas|while|although|though|however|except|unless)\b", re.I
)
_WINDOW = 3  # consecutive passage sentences one marker may draw on
_NEAR = 0.6  # a negated clause matching this share of the best match conflicts with an affirmation
_NEAR_NEGATION = 0.8  # a negative sentence needs a negated clause matching this share of the best
_CONTEXT_WEIGHT = 0.4  # what a pronoun's antecedent adds to a clause's match


_MOVE_MIN_TERMS = 3  # content words a sentence needs before a marker may be moved to a passage


@dataclass(frozen=True)
class Passage:
    """What one marker may point to: the citable pieces (sentences, table rows, rule quotes) a tool
    returned, in their order, and what the passage is from (its document's title and section), whose
    names and figures a sentence may use ('the TTCE call…') but which supports no claim by itself."""

    units: tuple[str, ...]
    about: str = ""


@dataclass(frozen=True)
class Problem:
    kind: ProblemKind
    detail: str


@dataclass(frozen=True)
class Support:
    """The passage ``ref`` supports a sentence with its units ``first``..``last`` (inclusive)."""

    ref: int
    first: int
    last: int


@dataclass(frozen=True)
class _Facts:
    """Numbers, dates and words of a set of passage units, pooled."""

    numbers: frozenset[Decimal]
    dates: frozenset[tuple[int, int, int]]
    day_months: frozenset[tuple[int, int]]
    month_years: frozenset[tuple[int, int]]
    months: frozenset[int]
    words: frozenset[str]
    initials: frozenset[str]
    acronyms: frozenset[str]
    content: frozenset[str]
    text: str

    @classmethod
    def of(cls, claims: Sequence[Claim]) -> _Facts:
        dates = frozenset(d for c in claims for d in c.dates)
        day_months = frozenset(d for c in claims for d in c.day_months)
        month_years = frozenset(m for c in claims for m in c.month_years) | {(y, m) for y, m, _ in dates}
        numbers = frozenset(n for c in claims for n in c.numbers)
        numbers |= {Decimal(part) for y, m, d in dates for part in (y, d)}
        numbers |= {Decimal(d) for _, d in day_months} | {Decimal(y) for y, _ in month_years}
        return cls(
            numbers=numbers,
            dates=dates,
            day_months=day_months,
            month_years=month_years,
            months=frozenset(m for c in claims for m in c.months)
            | {m for m, _ in day_months}
            | {m for _, m in month_years},
            words=frozenset(w for c in claims for w in c.words),
            initials=frozenset(i for c in claims for i in c.initials()),
            acronyms=frozenset(a for c in claims for a in c.acronyms),
            content=frozenset(t for c in claims for t in c.content),
            text=fold(" ".join(c.text for c in claims)),
        )


def _covers(term: str, content: frozenset[str]) -> bool:
    """A stem, or one sharing its first five letters ('applic' / 'appli'): derivations meet."""
    return term in content or (len(term) >= 5 and any(other[:5] == term[:5] for other in content))


def _score(claim: Claim, unit: Claim) -> int:
    return (
        sum(_covers(term, unit.content) for term in claim.content)
        + 2 * len(claim.numbers & unit.numbers)
        + 2 * len(claim.names & unit.words)
        + 3 * len(claim.dates & unit.dates)
        + 2 * len(claim.day_months & unit.day_months)
    )


def _window(claim: Claim, units: Sequence[Claim]) -> tuple[int, int] | None:
    """The run of at most three consecutive units around the best one, grown (over one unit at most)
    while that adds something the sentence asserts; None when no unit shares anything with it."""
    scores = [_score(claim, unit) for unit in units]
    if not scores or max(scores) <= 0:
        return None
    first = last = scores.index(max(scores))
    while last - first + 1 < _WINDOW:
        pooled = _Facts.of(units[first : last + 1])
        spans = [
            (low, high)
            for low, high in ((first - 1, last), (first - 2, last), (first, last + 1), (first, last + 2))
            if low >= 0 and high < len(units) and high - low + 1 <= _WINDOW
        ]
        gains = {span: _gain(claim, pooled, _Facts.of(units[span[0] : span[1] + 1])) for span in spans}
        best = max(gains, key=lambda span: (gains[span], -(span[1] - span[0])), default=None)
        if best is None or gains[best] <= 0:
            break
        first, last = best
    return first, last


def _gain(claim: Claim, pooled: _Facts, grown: _Facts) -> int:
    """What growing the window from ``pooled`` to ``grown`` adds of what the sentence asserts."""
    needed_numbers = claim.numbers - pooled.numbers
    needed_names = claim.names - pooled.words
    needed_terms = {t for t in claim.content if not _covers(t, pooled.content)}
    return (
        2 * len(needed_numbers & grown.numbers)
        + 2 * len(needed_names & grown.words)
        + 3 * len((claim.dates - pooled.dates) & grown.dates)
        + sum(_covers(t, grown.content) for t in needed_terms)
    )


_ANAPHORA = re.compile(
    r"^\W*(?:but\s+|and\s+|while\s+|whereas\s+)?(?:they|it|these|those|such|this|which|who|he|she)\b", re.I
)


@dataclass(frozen=True)
class _Clause:
    own: Claim
    context: Claim | None = None  # read with the clause before it, when it opens on a pronoun

    def score(self, claim: Claim) -> float:
        """What the clause shares with ``claim``; what only its context shares counts less."""
        own = _score(claim, self.own)
        return own if self.context is None else own + _CONTEXT_WEIGHT * (_score(claim, self.context) - own)


def _clauses(text: str) -> list[_Clause]:
    """The clauses of a text (its lines and sentences, cut at ';', ':', dashes and 'but'-like words),
    those with content words. A clause opening on a pronoun ('but they are not eligible') is read
    with the clause before it, which names what the pronoun stands for."""
    clauses: list[_Clause] = []
    for line in text.splitlines():
        for sentence in split_sentences(line):
            previous = ""
            for raw in _CLAUSE_CUT.split(sentence):
                piece = raw.strip(" ,")
                if not piece:
                    continue
                own = read_claim(piece)
                context = read_claim(f"{previous} {piece}") if previous and _ANAPHORA.match(piece) else None
                if own.content or (context is not None and context.content):
                    clauses.append(_Clause(own, context))
                previous = piece
    return clauses


def _stance_problems(claim: Claim, units: Sequence[Claim]) -> list[Problem]:
    """Negation and modality, clause by clause: each clause of the sentence against the passage
    clauses that best match it. For an affirmative clause, a negated passage clause that matches
    nearly as well is a conflict too: the passage cannot safely be read as saying what it says."""
    problems: list[Problem] = []
    candidates = [clause for unit in units for clause in _clauses(unit.text)]
    for mine in _clauses(claim.text) or [_Clause(claim)]:
        clause = mine.own if mine.context is None else mine.context
        scored = [(candidate.score(clause), candidate.own) for candidate in candidates]
        best = max((score for score, _ in scored), default=0.0)
        if best <= 0:
            continue
        # An affirmative sentence must not sit near a negation of the same thing; a negative one needs
        # a negation (nearly) as good as its best match.
        top = [c for score, c in scored if score == best]
        if mine.own.negated:
            near = [] if any(score >= _NEAR_NEGATION * best and c.negated for score, c in scored) else top
        else:
            near = [c for score, c in scored if score >= _NEAR * best and c.negated and _score(clause, c) > 0]
        if near:
            said, found = ("negative", "affirmative") if mine.own.negated else ("affirmative", "negative")
            problems.append(Problem("negation", f"{said} where the passage is {found}: {near[0].text!r}"))
            continue
        readings = [_modality_problems(mine.own, candidate) for candidate in top]
        if all(readings):
            problems.extend(readings[0])
    return problems


def _modality_problems(clause: Claim, match: Claim) -> list[Problem]:
    said, found = clause.modalities, match.modalities
    problems = []
    if Modality.REQUIRED in said and Modality.REQUIRED not in found:
        problems.append(Problem("modality", f"states a requirement the passage does not: {match.text!r}"))
    if Modality.ENCOURAGED in said and Modality.ENCOURAGED not in found:
        problems.append(Problem("modality", f"says 'encouraged' where the passage does not: {match.text!r}"))
    if Modality.ONLY in said and Modality.ONLY not in found:
        problems.append(Problem("modality", f"restricts ('only') where the passage does not: {match.text!r}"))
    return problems


def _fact_problems(claim: Claim, pooled: _Facts, best: Claim, given: Claim | None) -> list[Problem]:
    problems: list[Problem] = []
    # The asker's own figures ('a town of 60,000') may be restated, unless the passage sentence gives
    # a different figure the answer does not mention (then the figure would be put in its mouth).
    own = given.numbers if given is not None and best.numbers <= claim.numbers else frozenset()
    missing_numbers = claim.numbers - pooled.numbers - own
    if missing_numbers:
        problems.append(Problem("number", f"{_listed(missing_numbers)} not in the passage"))
    missing_dates = [f"{d:02}/{m:02}/{y}" for y, m, d in sorted(claim.dates - pooled.dates)]
    missing_dates += [f"{d:02}/{m:02}" for m, d in sorted(claim.day_months - pooled.day_months)]
    missing_dates += [f"{m:02}/{y}" for y, m in sorted(claim.month_years - pooled.month_years)]
    missing_dates += [f"month {m}" for m in sorted(claim.months - pooled.months)]
    if missing_dates:
        problems.append(Problem("date", f"{', '.join(dict.fromkeys(missing_dates))} not in the passage"))
    missing_names = sorted(name for name in claim.names if name not in pooled.words)
    missing_names += sorted(
        acronym
        for acronym in claim.acronyms
        if acronym not in pooled.words and acronym not in pooled.initials and acronym not in pooled.acronyms
    )
    if missing_names:
        problems.append(Problem("name", f"{', '.join(missing_names)} not in the passage"))
    missing_links = sorted(link for link in claim.links if link not in pooled.text)
    if missing_links:
        problems.append(Problem("link", f"{', '.join(missing_links)} not in the passage"))
    return problems


def _listed(numbers: frozenset[Decimal]) -> str:
    return ", ".join(sorted(format(n, "f") for n in numbers))


def _items(claim: Claim, units: Sequence[Claim]) -> set[str]:
    """What of ``claim`` these units hold: its content words, numbers, names and dates."""
    facts = _Facts.of(units)
    return (
        {f"t:{term}" for term in claim.content if _covers(term, facts.content)}
        | {f"n:{number}" for number in claim.numbers & facts.numbers}
        | {f"w:{name}" for name in claim.names & facts.words}
        | {f"d:{day}" for day in claim.dates & facts.dates}
    )


def _without_redundant(claim: Claim, windows: dict[Support, list[Claim]]) -> dict[Support, list[Claim]]:
    """Leave out a cited passage that adds nothing the others do not already give the sentence."""
    kept = dict(windows)
    for support in sorted(windows, key=lambda s: len(_items(claim, windows[s]))):
        others = [unit for other, units in kept.items() if other != support for unit in units]
        if others and _items(claim, kept[support]) <= _items(claim, others):
            del kept[support]
    return kept


def check_sentence(
    sentence: str,
    passages: Mapping[int, Passage],
    *,
    given: str = "",
    min_coverage: float = 0.66,
) -> tuple[tuple[Support, ...], tuple[Problem, ...]]:
    """Whether the passages (by marker) support ``sentence`` (without markers): the supports kept (a
    cited passage that shares nothing with the sentence is left out) and the problems found."""
    claim = read_claim(sentence)
    if not claim.content and not claim.numbers and not claim.names:
        return (), (Problem("empty", "nothing to check"),)
    windows: dict[Support, list[Claim]] = {}
    context: list[Claim] = []  # every unit of the passages it draws on: no clause may contradict it
    for ref, passage in passages.items():
        units = [read_claim(unit) for unit in passage.units]
        window = _window(claim, units)
        if window is not None:
            windows[Support(ref, *window)] = units[window[0] : window[1] + 1]
            context.extend(units)
    if not windows:
        return (), (Problem("unrelated", "the cited passages speak of something else"),)
    windows = _without_redundant(claim, windows)
    supports = list(windows)
    chosen = [unit for units in windows.values() for unit in units]  # its facts and words must be there
    about = [read_claim(passages[support.ref].about) for support in supports if passages[support.ref].about]
    pooled = _Facts.of(chosen)
    best = max(chosen, key=lambda unit: _score(claim, unit))
    problems = _fact_problems(claim, _Facts.of(chosen + about), best, read_claim(given) if given else None)
    problems += _stance_problems(claim, context)
    if claim.content:
        # What the sentence says, word by word: its content words, and the names and figures it holds
        # (checked above: each one there counts as said).
        facts = _Facts.of(chosen + about)
        found = [n for n in claim.names if n in facts.words] + [
            n for n in claim.numbers if n in facts.numbers
        ]
        covered = sum(_covers(term, pooled.content) for term in claim.content) + len(found)
        total = len(claim.content) + len(claim.names) + len(claim.numbers)
        if covered / total < min_coverage:
            missing = sorted(term for term in claim.content if not _covers(term, pooled.content))
            problems.append(
                Problem("coverage", f"{covered}/{total} words and figures; missing {', '.join(missing)}")
            )
    return tuple(supports), tuple(problems)


def best_passage(
    text: str, passages: Mapping[int, Passage], given: str, min_coverage: float
) -> Support | None:
    """The returned passage that supports ``text`` on its own, best first by what it shares with it.
    The writer did not cite it, so the bar is higher: one of its sentences holds every content word,
    and there are at least three of them (two words are found together too easily)."""
    claim = read_claim(text)
    if len(claim.content) < _MOVE_MIN_TERMS:
        return None
    found: list[tuple[int, Support]] = []
    for ref, passage in passages.items():
        supports, problems = check_sentence(text, {ref: passage}, given=given, min_coverage=1.0)
        if not supports or problems:
            continue
        units = [read_claim(unit) for unit in passage.units[supports[0].first : supports[0].last + 1]]
        if any(all(_covers(term, unit.content) for term in claim.content) for unit in units):
            found.append((sum(_score(claim, unit) for unit in units), supports[0]))
    return max(found, key=lambda item: item[0])[1] if found else None
