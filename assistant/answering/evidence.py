"""The evidence for an answer: the sentences of the documents retrieval found, each measured against
the question — how close in meaning, how many of the question's words and names it holds (alone, with
its neighbours, with its heading), whether it holds the kind of thing asked for, and how its document
stands (retrieval rank, programme, edition, kind). The ranker weighs these measurements; their weights
are learned on the project's own question sets (``tools/train_answerer.py``)."""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

import numpy as np

from assistant.answering.answer_types import LIST_MARKER, AnswerCheck, answer_checks, is_polar, settles
from assistant.answering.editions import (
    Editions,
    QuestionClass,
    authority,
    classify_question,
    programmes_named,
)
from assistant.answering.query import QueryAnalysis
from assistant.answering.ranges import Figure, askers_figures, band_holds
from assistant.answering.retrieval import CorpusStats, RetrievedChunk
from assistant.answering.swapped import names_a_thing
from ingest.chunking import MAX_CHUNK_CHARS
from ingest.dates import MONTH_NAMES
from ingest.embedder import Vectors
from ingest.geo import gazetteer
from ingest.models import Chunk
from ingest.store import IndexSnapshot
from ingest.textutil import STOPWORDS, fold, terms, words

# How much a sentence is credited for a question term it holds in one way or another.
_EXACT, _SYNONYM, _IN_COMPOUND, _SYNONYM_IN_COMPOUND, _IN_CONTEXT = 1.0, 0.8, 0.5, 0.4, 0.6
DOCUMENTS = 5  # documents whose sentences are candidates
_FOR_NAMES = 2  # documents added for names the best ones do not mention
NEIGHBOUR_CHUNKS = 1  # chunks either side of a retrieved one whose sentences are candidates too
# A document no longer than a retrieved chunk with its neighbours is read whole: which of its few chunks
# retrieval happened to find is chance ('HOW TO APPLY' between two found chunks' neighbours).
WHOLE_DOCUMENT_CHARS = (2 * NEIGHBOUR_CHUNKS + 1) * MAX_CHUNK_CHARS
_LIST_LOOKBACK = 12
# Navigation and page furniture: menus, breadcrumbs, cookie banners, share buttons.
_FURNITURE = re.compile(
    r"\b(cookies?|menu|breadcrumb|share (?:this|on)|subscribe|newsletter sign|skip to content|"
    r"log ?in|sign ?in|privacy policy|all rights reserved)\b|(?:\s[/›»·>]\s.*){2,}",
    re.I,
)

FEATURES = (
    "dense",
    "dense_gap",
    "coverage",
    "coverage_context",
    "coverage_window",
    "coverage_lead",
    "names",
    "kind",
    *(f"kind_{name}" for name in ("date", "amount", "count", "duration", "place", "agent")),
    "years",
    "chunk_rank",
    "chunk_keyword",
    "document_rank",
    "document_names",
    "programme",
    "document_years",
    "authority",
    "edition",
    "superseded",
    "furniture",
    "length",
    "lead_in",
    "title",
    "heading",
    "heading_match",
    "field",
    "countries",
    "names_all",
    "unknown_terms",
)
# A question asking how a thing is done, what to hand in, or what comes after a stage of it: its answer
# is the steps.
_ASKS_PROCEDURE = re.compile(
    r"(?<!\bmany )\b(?:next |practical |first )?steps?\b|"
    r"\bwhat happens (?:next|after|once|then)\b|\bprocedure\b|"
    r"\bhow (?:do|does|can|should|to)\b(?:\s+[\w'’-]+){0,3}?\s+"
    r"(?:apply|submit|join|sign up|register|enter|become|get into|take part)\b|"
    r"\bwhat (?:do|does|must|should|shall)\b(?:\s+[\w'’-]+){1,3}?\s+"
    r"(?:send|submit|include|attach|provide|hand in|upload)\b",
    re.I,
)
# Asks how a thing compares between two editions or times: 'has it changed since 2023?', 'the 2017 call versus
# the current one', 'is it still the same?', 'what is new in the 2024 call?'.
_ASKS_CHANGE = re.compile(
    r"\b(?:chang(?:e|ed|es)\b(?:\s+[\w'’-]+){0,4}?\s+(?:since|from|between)|versus|vs|"
    r"(?:compared?|than)(?: to| with| in| under)? (?:the |its |their )?"
    r"(?:previous|last|earlier|former|current|new|\d{4})|\bhow (?:do|does|did) [\w'’ -]+? compare|"
    r"differ(?:s|ent|ence)? (?:from|between)|still the same|what(?:'s| is) new)\b",
    re.I,
)
# The thing a yes/no question asks about the change of: 'Has the maximum grant changed since 2020?'.
_CHANGED_THING = re.compile(
    r"^\W*(?:has|have|had|did|does|do|is|are|was|were)\s+(.+?)\s+"
    r"(?:(?:been\s+)?chang\w*|differ\w*|(?:still\s+)?the same|still)\b",
    re.I,
)


def _asked_checks(asking: str) -> list[AnswerCheck]:
    """What kind of answer the question asks for; asked whether a thing changed, what the thing's kind is
    ('has the maximum grant changed?' asks an amount, as 'what is the maximum grant?' does)."""
    checks = answer_checks(asking)
    changed = _CHANGED_THING.match(asking)
    if checks or changed is None or not _ASKS_CHANGE.search(asking):
        return checks
    return answer_checks(f"What is {changed.group(1)}?")


# A section telling how a thing is done: 'How to apply', 'Step by step', 'Next steps', 'Procedure'.
_PROCEDURE_HEADING = re.compile(
    r"^\W*(?:\d+(?:\.\d+)*\.?\s+)?(?:how (?:to|do|does|can)\b|(?:the |next |\w+ )?steps?\b|"
    r"step by step|(?:application |selection |submission )?(?:procedure|process)\b|"
    r"what happens (?:next|after))",
    re.I,
)
_WANTS_LIST = re.compile(
    r"\b(?:which|what)\s+(?:(?:are|were)\s+(?:the\s+)?)?(?:\w+\s+)?\w+s\b(?<!\bis)(?<!\bwas)(?<!\bdoes)|"
    r"\b(?:list|name)\s+(?:the|all)\b|\bwho (?:are|were)\b",
    re.I,
)
_CODE = re.compile(r"(?<![A-Za-z])([A-Z]{2})(?![A-Za-z])")
_FIELD_KEY = re.compile(r"^\s*(?:[-•*]\s+)?([A-Z][\w ()/'&-]{1,40}):(?:\s+\S|\s*$)")


def field_named(question: QuestionTerms, text: str) -> float:
    """How far the line is a field whose key the question names: 'Timeframe: 5 years' for 'what
    timeframe…?' (the share of the question its key speaks of). In a page's record line ('Status: open |
    Published: 2 May | Deadline: 9 June') the cell whose key the question names outright ('when is the
    deadline…?', 'closing date…?') is what the line offers for it, though the other cells speak of
    nothing asked."""
    keys = [frozenset(terms(key.group(1))) for key in map(_FIELD_KEY.match, text.split(" | ")) if key]
    return max(
        (
            1.0
            if len(keys) > 1 and all(question.speaks_of(term) for term in key)
            else question.coverage(key, key, frozenset())
            for key in keys
            if key
        ),
        default=0.0,
    )


def as_written(name: str, vocabulary: frozenset[str]) -> str:
    """The name as the documents write it: 'Anger's' read as the possessive of a name ending in s
    ('Angers'), when only that one is written."""
    if name not in vocabulary and f"{name}s" in vocabulary:
        return f"{name}s"
    return name


@dataclass
class QuestionTerms:
    """The question's content terms with their weights: squared idf, so the rare, specific words of a
    question decide what answers it; a word no document uses weighs as its rarest synonym the documents
    use, or, having none, as a middling word (it cannot tell passages apart). Names (capitalised words)
    are weighed apart: they say which thing the question is about."""

    rest: dict[str, float]
    names: dict[str, float]  # name word → weight
    unknown: list[str]  # content terms neither the documents nor their synonyms use
    unknown_names: list[str]  # names no document uses
    checks: list[AnswerCheck]
    question_class: QuestionClass
    programmes: list[str]
    years: list[int]
    wants_list: bool  # asks for several things ('which networks…', 'what are the objectives…')
    polar: bool = False  # a yes/no question ('Does the programme fund…?')
    # names that designate one of a series ('kalix-2'), which a sentence naming only another ('kalix-3') is
    # not about
    designations: list[str] = field(default_factory=list)
    # one of a series counted in order ('call 3' for 'the third call'), which a sentence about another
    # ('the second call') is not about
    ordinals: list[str] = field(default_factory=list)
    countries: dict[str, frozenset[str]] = field(default_factory=dict)  # code → its folded names
    synonyms: dict[str, frozenset[str]] = field(default_factory=dict)
    # each name with the noun the question writes after it ('orsund strait'), which is part of the name
    # wherever a document writes the two together
    named_nouns: list[str] = field(default_factory=list)
    asks_procedure: bool = False  # how a thing is done, what to hand in, or what comes after a stage of it
    asks_change: bool = False  # how a thing compares between editions or times ('changed since 2023?')
    # the asker's own figures ('we're a city of 700,000'), which a band a sentence states may hold
    figures: list[Figure] = field(default_factory=list)

    @classmethod
    def of(
        cls,
        analysis: QueryAnalysis,
        stats: CorpusStats,
        known_programmes: set[str],
        vocabulary: frozenset[str],
    ) -> QuestionTerms:
        focus = analysis.focus or terms(analysis.subject)
        frequency = stats.document_frequency
        weights = {term: stats.idf(term) ** 2 for term in focus}
        known = sorted(weight for term, weight in weights.items() if frequency.get(term))
        unknown: list[str] = []
        for term in list(weights):
            if frequency.get(term):
                continue
            used = [stats.idf(s) ** 2 for s in analysis.expanded(term) if frequency.get(s)]
            if not used:
                unknown.append(term)
            weights[term] = max(used) if used else (known[len(known) // 2] if known else weights[term])
        for term in analysis.asked:
            if term in weights:
                weights[term] *= 2  # what the question asks for counts more than what it is about
        for term in analysis.earlier:
            weights[term] *= 0.5  # what an earlier turn was about sets the scene; this turn asks
        name_words = list(
            dict.fromkeys(
                as_written(name, vocabulary) for name in analysis.names if not _names_a_region(name)
            )
        )
        name_stems = {stem for name in name_words for stem in terms(name)}
        asking = analysis.asking
        return cls(
            rest={term: weight for term, weight in weights.items() if term not in name_stems},
            names={name: stats.idf(next(iter(terms(name)), name)) ** 2 for name in name_words},
            unknown=[term for term in unknown if term not in name_stems],
            unknown_names=[name for name in name_words if name not in vocabulary],
            checks=_asked_checks(asking),
            question_class=classify_question(asking),
            programmes=programmes_named(analysis.subject, known_programmes),
            years=list(analysis.years),
            wants_list=bool(_WANTS_LIST.search(asking)),
            polar=is_polar(asking),
            designations=[name for name in name_words if _DESIGNATION.fullmatch(name)]
            + numbered_designations(analysis.question),
            ordinals=ordinal_designations(analysis.question),
            countries={
                code: frozenset(name for name, named in gazetteer().by_name.items() if named == code)
                | {gazetteer().name_of(code).lower()}
                for code in analysis.countries
            },
            synonyms={term: analysis.expanded(term) for term in weights},
            named_nouns=named_nouns(analysis.question, set(name_words)),
            asks_procedure=_ASKS_PROCEDURE.search(asking) is not None,
            asks_change=_ASKS_CHANGE.search(asking) is not None,
            figures=askers_figures(analysis.question, analysis.years),
        )

    @property
    def asks_of_a_series(self) -> bool:
        """Whether the question names one of a numbered series ('KALIX-2', 'Lot 2', 'the third call')."""
        return bool(self.designations or self.ordinals)

    @property
    def takes_whole_lists(self) -> bool:
        """Whether a list item answers only with its list: the question asks for several things, or for
        no particular kind of thing ('what will we have to do?': every obligation the list names), or how
        a thing is done (every step). Asked for one kind ('how long…?'), the item that holds it answers,
        and its siblings would crowd it."""
        return self.wants_list or not self.checks or self.asks_procedure

    @property
    def narrowing(self) -> Callable[[str], bool] | None:
        """What the question narrows what it asks for to, as a test of a text: the countries it names
        ('Canadian cities' are those a text places in Canada); None when it names none."""
        if not self.countries:
            return None
        return lambda text: self.country_coverage(text) == 1.0

    @cached_property
    def keeping_tests(self) -> list[Callable[[str], bool]]:
        """What the question keeps to, each a test of a line beside the one answering it: not a line
        stating only bands that hold none of the asker's own figures (of a fee table, the row for 'our
        31,000 inhabitants' and the row for any size, not the rows for other sizes), nor one naming only
        another member of the series asked about ('Lot 1 – …: EUR 1.6 million' for 'Lot 2'), nor, asked
        which ones of a country ('Which Italian signatories…?'), one naming none of the countries asked
        about. Empty when the question gives no figure, names no member of a series and asks for no list
        by country."""
        tests: list[Callable[[str], bool]] = []
        if self.figures:
            figures = self.figures
            tests.append(lambda text: band_holds(text, figures) != -1.0)
        if self.asks_of_a_series:
            tests.append(self._names_a_member_asked)
        if self.countries and self.wants_list:
            tests.append(lambda text: self.country_coverage(text) != 0.0)
        return tests

    def _names_a_member_asked(self, text: str) -> bool:
        present, spaced = _word_set(text), _series_words(text)
        # asked of several ('phase 1 and phase 2'), a line naming any of them is kept
        return any(_designated([name], [], present, spaced) != -1.0 for name in self.designations) or any(
            _designated([], [name], present, spaced) != -1.0 for name in self.ordinals
        )

    def named_with(self, texts: Iterable[str]) -> set[str]:
        """The terms of the nouns the question writes after a name that the texts write after it too:
        'the crossing of the Orsund strait' asks of the strait a document calls 'the Orsund strait', and a
        sentence on the crossing need not say 'strait' again."""
        if not self.named_nouns:
            return set()
        read = list(texts)
        return {
            term
            for phrase in self.named_nouns
            if any(f" {phrase} " in _spaced_words(text) for text in read)
            for term in terms(phrase.split()[-1])
        }

    def coverage(self, own: frozenset[str], whole: frozenset[str], context: frozenset[str]) -> float:
        """The weighted share of the question's terms (names aside) a text speaks of: itself, through a
        synonym, inside a compound, or only in its surroundings (its heading and title)."""
        total = sum(self.rest.values())
        if not total:
            return 1.0
        credited = sum(weight * self.credit(term, own, whole, context) for term, weight in self.rest.items())
        return credited / total

    def credit(self, term: str, own: frozenset[str], whole: frozenset[str], context: frozenset[str]) -> float:
        synonyms = self.synonyms.get(term, frozenset({term}))
        if term in whole:
            return _EXACT
        if synonyms & whole:
            return _SYNONYM
        if term in own:
            return _IN_COMPOUND
        if synonyms & own:
            return _SYNONYM_IN_COMPOUND
        return _IN_CONTEXT if term in context or synonyms & context else 0.0

    def speaks_of(self, term: str) -> bool:
        """The question uses this term, or a synonym of it, or names it."""
        return (
            term in self.rest or term in self.names or any(term in group for group in self.synonyms.values())
        )

    def country_coverage(self, text: str) -> float:
        """The share of the countries the question names ('Canadian cities') that a text names, by
        name, demonym or code ('Halifax (Canada)', 'Odense (DK)'); 0.5 when it names none."""
        if not self.countries:
            return 0.5
        folded = _spaced_words(text)
        codes = set(_CODE.findall(text))
        found = sum(
            code in codes or any(f" {name} " in folded for name in names)
            for code, names in self.countries.items()
        )
        return found / len(self.countries)

    def name_coverage(self, present: frozenset[str]) -> float:
        """The weighted share of the question's names among ``present`` words (1 when it names none)."""
        total = sum(self.names.values())
        if not total:
            return 1.0
        return sum(weight for name, weight in self.names.items() if name in present) / total

    @cached_property
    def names_besides_countries(self) -> list[str]:
        """The names that say what the question is about ('Kuopio', 'Interreg Europe'), not where
        ('Germany', 'Canadian': asked of, a country is met by a text naming it, see ``countries``)."""
        country_names = frozenset().union(*self.countries.values())
        return [name for name in self.names if name not in country_names]


@dataclass
class Candidate:
    """A sentence that may answer, with its measurements and, once ranked, its score."""

    index: int  # position in the snapshot's sentences
    source: str
    position: int  # place in its document's reading order
    chunk: Chunk
    values: dict[str, float]
    score: float = 0.0

    def vector(self) -> list[float]:
        return [self.values[name] for name in FEATURES]


@lru_cache(maxsize=1)
def _region_words() -> frozenset[str]:
    """Adjectives of the world regions the gazetteer knows ('European', 'Asian', 'African'): 'a European
    city' places a city, it names nothing a document must use. (A region itself may name a programme's
    component, 'IURC Latin America', which a document does use.)"""
    found = {word for region in gazetteer().regions for word in words(region) if word not in STOPWORDS}
    found |= {"europe", "oceania"}
    adjectives = {f"{word}n" for word in found if word.endswith("a")} | {
        f"{word}an" for word in found if word.endswith("e")
    }
    return frozenset(adjectives)


def named_nouns(question: str, names: set[str]) -> list[str]:
    """'orsund strait' in 'How long is the crossing of the Orsund strait?': each name word with the word
    after it, when that word is a noun (not 'Orsund leaves', 'Lot 2')."""
    said = words(question)
    return [
        f"{name} {noun}"
        for name, noun in itertools.pairwise(said)
        if name in names
        and noun not in names
        and noun not in STOPWORDS
        and noun.isalpha()
        and names_a_thing(noun)
    ]


def _names_a_region(name: str) -> bool:
    return name in _region_words()


_DESIGNATION = re.compile(r"(?P<series>[^\W\d_][\w.]*)-\d+")


# One of a numbered series written apart: 'Lot 2', 'phase 1', 'call 3' — the number closing the phrase
# ('Lot 2?', 'phase 1 and…'), not counting what follows ('for 12 months', 'over 60 applications').
_NUMBERED = re.compile(r"\b(?P<series>[^\W\d_]{3,})\s+(?P<number>\d{1,2})\b(?!\s*[%°.,]\d)(?P<rest>\s*\S*)")
_NOT_A_SERIES = frozenset(MONTH_NAMES.split("|")) | {"top", "aged", "age", "over", "under", "about", "around"}
ORDINAL_WORDS = "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth".split()
# 'the third call', 'its 2nd round', 'the second URBACT call': one of a series counted in order.
_ORDINAL = re.compile(
    rf"\b(?:the|its|their|a|this|that)\s+(?P<ordinal>{'|'.join(ORDINAL_WORDS)}|\d{{1,2}}(?:st|nd|rd|th))\s+"
    r"(?P<skipped>[\w-]+\s+)?(?P<series>[^\W\d_][\w-]{2,})\b",
    re.I,
)


def _ordinal_number(ordinal: str) -> int:
    ordinal = ordinal.lower()
    return ORDINAL_WORDS.index(ordinal) + 1 if ordinal in ORDINAL_WORDS else int(ordinal[:-2])


def _counts_what_follows(match: re.Match[str]) -> bool:
    """'over 60 applications': the number counts the word after it, and names no member of a series."""
    after = match.group("rest").strip().lower()
    return bool(after) and after[0].isalpha() and after.strip("?!.,;:") not in STOPWORDS


def numbered_designations(question: str) -> list[str]:
    """'lot 2' in 'How much was there for Lot 2?': a sentence naming only Lot 3 is not about it, and one
    naming Lot 2 is more about it than one naming no lot."""
    found = []
    for match in _NUMBERED.finditer(question):
        series = match.group("series").lower()
        if series in STOPWORDS or series in _NOT_A_SERIES or _counts_what_follows(match):
            continue
        found.append(f"{fold(series)} {match.group('number')}")
    return list(dict.fromkeys(found))


def ordinal_phrases(question: str) -> dict[str, str]:
    """Each of :func:`ordinal_designations` with the words the question writes it in: 'call 3' → 'the
    third ATCE call'."""
    return {name: match.group(0) for name, match in _ordinals(question)}


def ordinal_designations(question: str) -> list[str]:
    """'call 3' in 'the third ATCE call': a sentence about the second call is not about it. (Only that:
    'the second and final meeting' names the second meeting in words the pattern does not read, so a
    sentence naming no ordinal is not less about it.)"""
    return list(dict.fromkeys(name for name, _ in _ordinals(question)))


def _ordinals(question: str) -> list[tuple[str, re.Match[str]]]:
    found = []
    for match in _ORDINAL.finditer(question):
        skipped = (match.group("skipped") or "").strip()
        # 'the third ATCE call' is the third call, 'the first stored-program computer' the first computer;
        # 'the second phase began' the second phase
        plain = skipped and not (skipped[:1].isupper() or skipped[:1].isdigit() or "-" in skipped)
        series = skipped if plain else match.group("series")
        found.append((f"{fold(series.lower())} {_ordinal_number(match.group('ordinal'))}", match))
    return found


@lru_cache(maxsize=20_000)
def _series_words(text: str) -> str:
    """The text's folded words with each 'the second call' also written as 'call 2' (and, one word
    further on, 'the second ATCE call' as 'atce 2' and 'call 2'), so both spellings of a member of a
    series are found alike."""
    extra = []
    for match in _ORDINAL.finditer(text):
        number = _ordinal_number(match.group("ordinal"))
        if match.group("skipped"):
            extra.append(f"{match.group('skipped').strip()} {number}")
        extra.append(f"{match.group('series')} {number}")
    spaced = _spaced_words(text)
    return spaced if not extra else f"{spaced}{' '.join(words(' , '.join(extra)))} "


def members_written(name: str, text: str) -> set[str]:
    """The members of the series ``name`` belongs to ('lot 5', 'call 3', 'kalix-2') that the text writes,
    in the same spelling: 'Lot 2 – Asia: 9.5 MEUR' writes 'lot 2' of the lots; 'the third call', 'call 3';
    'call 4, 41 proposals' only 'call 4'."""
    if " " not in name:
        prefix = name.rsplit("-", 1)[0] + "-"
        return {word for word in _word_set(text) if word.startswith(prefix) and _DESIGNATION.fullmatch(word)}
    series = name.split(" ", 1)[0]
    found = {
        f"{series} {match.group('number')}"
        for match in _NUMBERED.finditer(text)
        if fold(match.group("series").lower()) == series and not _counts_what_follows(match)
    }
    for match in _ORDINAL.finditer(text):
        named = {fold(match.group("series").lower()), fold((match.group("skipped") or "").strip().lower())}
        if series in named:
            found.add(f"{series} {_ordinal_number(match.group('ordinal'))}")
    return found


def designated_in(designations: Sequence[str], ordinals: Sequence[str], text: str) -> float:
    """:func:`_designated` of one sentence alone."""
    return _designated(designations, ordinals, _word_set(text), _series_words(text))


def _designated(
    designations: Sequence[str], ordinals: Sequence[str], present: frozenset[str], spaced: str
) -> float:
    """1 when the words name every designation asked for, -1 when they name another of a series asked
    about and not the one asked for ('kalix-3' for 'kalix-2', 'lot 3' for 'lot 2', 'the second call'
    for 'the third call'), 0 otherwise."""
    if designations and all(
        (f" {name} " in spaced) if " " in name else (name in present) for name in designations
    ):
        return 1.0
    for name in [*designations, *ordinals]:
        if " " in name:
            series = name.split(" ", 1)[0]
            if f" {name} " not in spaced and re.search(rf" {re.escape(series)} \d{{1,2}} ", spaced):
                return -1.0
            continue
        series = name.rsplit("-", 1)[0] + "-"
        if name not in present and any(
            word.startswith(series) and _DESIGNATION.fullmatch(word) for word in present
        ):
            return -1.0
    return 0.0


# Sentences come back question after question (and part after part of a compound one): their folded
# words are read once. Bounded, so a large corpus does not keep them all.
@lru_cache(maxsize=20_000)
def _word_set(text: str) -> frozenset[str]:
    return frozenset(words(text))


@lru_cache(maxsize=20_000)
def _spaced_words(text: str) -> str:
    return f" {' '.join(words(text))} "


def _documents(
    retrieved: Sequence[RetrievedChunk], stats: CorpusStats, names: Mapping[str, float]
) -> list[str]:
    """The documents of the best-ranked chunks, and, for each name the question uses that none of them
    mentions ('Tallinn'), the best-ranked document that does: a rare name found by the keyword ranking
    alone is outvoted in the fused order by chunks both rankings like, though it tells what is asked."""
    order: list[str] = []
    for hit in retrieved:
        if hit.chunk.source not in order:
            order.append(hit.chunk.source)
    chosen = order[:DOCUMENTS]
    for name in sorted(names, key=lambda n: -names[n]):
        if len(chosen) >= DOCUMENTS + _FOR_NAMES or any(
            name in stats.document_words.get(source, frozenset()) for source in chosen
        ):
            continue
        holder = next(
            (source for source in order if name in stats.document_words.get(source, frozenset())), None
        )
        if holder is not None:
            chosen.append(holder)
    return chosen


def _candidate_positions(
    snapshot: IndexSnapshot, stats: CorpusStats, source: str, retrieved_chunks: set[str]
) -> list[int]:
    """Positions (in the document's reading order) of the sentences of the document's retrieved chunks
    and of their neighbouring chunks: a long document is not read whole."""
    order = stats.document_sentences.get(source, [])
    chunk_ordinals = {snapshot.chunks[chunk_id].ordinal for chunk_id in retrieved_chunks}
    wanted = {
        ordinal + offset
        for ordinal in chunk_ordinals
        for offset in range(-NEIGHBOUR_CHUNKS, NEIGHBOUR_CHUNKS + 1)
    }
    return [
        position
        for position, index in enumerate(order)
        if snapshot.chunks[snapshot.sentences[index].chunk_id].ordinal in wanted
    ]


def is_list_item(text: str) -> bool:
    return LIST_MARKER.match(text) is not None


def lead_in(snapshot: IndexSnapshot, order: list[int], position: int) -> int | None:
    """The position of the line ending in ':' that the list item at ``position`` hangs from, under the
    same heading: a list standing right under its heading has none, and the lead-in of a list under an
    earlier heading is not its."""
    section = section_of(snapshot, order[position])
    for back in range(position - 1, max(-1, position - _LIST_LOOKBACK), -1):
        if section_of(snapshot, order[back]) != section:
            return None
        text = snapshot.sentences[order[back]].text
        if is_list_item(text):
            continue
        return back if text.rstrip().endswith(":") else None
    return None


# A page's label over its value ('Funding rate' above '80 %'): a few words, no closing mark; the value
# opens on a figure.
_LABEL = re.compile(r"^[A-Z][\w’'()/-]*(?:\s+[\w’'()/-]+){0,3}$")
_VALUE = re.compile(r"^\W{0,2}\d")


def hanging_line(lead: str, previous: str, line: str = "") -> str:
    """The line a sentence hangs from: its list's lead-in ('The winners are:'), else the line before it
    when that ends in ':' ('Deadline:' above '29/10/2021') or labels the figure the line is ('Funding
    rate' above '80 %'); empty when none."""
    if lead or previous.rstrip().endswith(":"):
        return lead or previous
    return previous if _VALUE.match(line) and _LABEL.match(previous.strip()) else ""


def section_of(snapshot: IndexSnapshot, index: int) -> str:
    """The heading path the sentence at ``index`` stands under."""
    return snapshot.chunks[snapshot.sentences[index].chunk_id].section


def gather(
    snapshot: IndexSnapshot,
    *,
    stats: CorpusStats,
    editions: Editions,
    question: QuestionTerms,
    query_vector: Vectors,
    retrieved: Sequence[RetrievedChunk],
    only: str | None = None,
) -> list[Candidate]:
    """The candidate sentences of the best documents retrieval found, measured; with ``only``, those of
    that document alone (each document's sentences are measured apart from the others')."""
    chunk_rank = {hit.chunk.id: rank for rank, hit in enumerate(retrieved)}
    top_keyword = max((hit.keyword for hit in retrieved), default=0.0) or 1.0
    chunk_keyword = {hit.chunk.id: hit.keyword / top_keyword for hit in retrieved}
    candidates: list[Candidate] = []
    documents = _documents(retrieved, stats, question.names)
    if only is not None:
        # The document is already chosen: its sentences are read though retrieval found none of them
        # ('when do we hear back?' shares no word with 'Results: early July').
        documents = [only] if only in snapshot.documents else []
    for document_rank, source in enumerate(documents):
        meta = snapshot.documents[source]
        order = stats.document_sentences.get(source, [])
        found = {hit.chunk.id for hit in retrieved if hit.chunk.source == source}
        near = _candidate_positions(snapshot, stats, source, found)
        near_found = set(near)
        read_whole = stats.document_chars.get(source, 0) <= WHOLE_DOCUMENT_CHARS or (
            only is not None and not found
        )
        positions = list(range(len(order))) if read_whole else near
        if not positions:
            continue
        indices = [order[position] for position in positions]
        dense = (snapshot.sentence_vectors[indices] @ query_vector).astype(float).tolist()
        document_words = stats.document_words.get(source, frozenset())
        label_words = stats.document_label_words.get(source, frozenset())
        document = {
            "document_rank": 1.0 / (1 + document_rank),
            "document_names": question.name_coverage(document_words),
            # Not weighed by the ranker: whether it uses every name the question does, countries aside.
            "document_names_all": float(
                all(name in document_words for name in question.names_besides_countries)
            ),
            "programme": (
                0.0
                if not question.programmes or not meta.programme
                else 1.0
                if meta.programme in question.programmes
                else -1.0
            ),
            "document_years": (
                0.0
                if not question.years
                else 1.0
                if set(question.years) & (set(meta.years) | ({meta.edition} if meta.edition else set()))
                else -1.0
            ),
            "authority": authority(meta.kind, question.question_class),
            # The edition the question asks for ('the 2023 call'), or another one.
            "edition": (
                0.0
                if not question.years or not meta.edition
                else 1.0
                if meta.edition in question.years
                else -1.0
            ),
            "superseded": 1.0 if editions.is_superseded(meta) and meta.edition not in question.years else 0.0,
            "unknown_terms": float(len(question.unknown) + len(question.unknown_names)),
        }
        by_position = dict(zip(positions, indices, strict=True))
        coverage_context: dict[int, float] = {}
        contexts: dict[int, frozenset[str]] = {}
        for position, index in by_position.items():
            contexts[position] = stats.chunk_context_terms[snapshot.sentences[index].chunk_id]
            coverage_context[position] = question.coverage(
                stats.sentence_terms[index], stats.sentence_own_terms[index], contexts[position]
            )
        best_dense = max(dense)
        for slot, (position, index) in enumerate(by_position.items()):
            sentence = snapshot.sentences[index]
            chunk = snapshot.chunks[sentence.chunk_id]
            text = sentence.text
            near = [order[p] for p in range(max(0, position - 1), min(len(order), position + 2))]
            own = frozenset().union(*(stats.sentence_terms[i] for i in near))
            whole = frozenset().union(*(stats.sentence_own_terms[i] for i in near))
            lead = lead_in(snapshot, order, position) if is_list_item(text) else None
            lead_text = snapshot.sentences[order[lead]].text if lead is not None else ""
            previous = snapshot.sentences[order[position - 1]].text if position else ""
            present = _word_set(f"{text} {chunk.section}")
            telling = {name: weight for name, weight in question.names.items() if name not in label_words}
            leaf = chunk.section.rsplit(" > ", 1)[-1]
            leaf_terms = frozenset(terms(leaf))
            candidates.append(
                Candidate(
                    index=index,
                    source=source,
                    position=position,
                    chunk=chunk,
                    values={
                        **document,
                        "dense": dense[slot],
                        "dense_gap": dense[slot] - best_dense,
                        # Not weighed by the ranker: whether retrieval found it or a chunk next to it (a
                        # short document's other sentences are read too).
                        "retrieved": 1.0 if position in near_found else 0.0,
                        "coverage": question.coverage(
                            stats.sentence_terms[index], stats.sentence_own_terms[index], frozenset()
                        ),
                        "coverage_context": coverage_context[position],
                        "coverage_window": question.coverage(own, whole, contexts[position]),
                        "coverage_lead": (
                            question.coverage(
                                frozenset(terms(lead_text)),
                                frozenset(terms(lead_text, split_compounds=False)),
                                contexts[position],
                            )
                            if lead_text
                            else 0.0
                        ),
                        # The names that tell this document's sentences apart (not those of its title).
                        "names": (
                            sum(w for name, w in telling.items() if name in present) / sum(telling.values())
                            if telling
                            else 0.5
                        ),
                        **_kinds(
                            question.checks, text, previous=previous, lead=lead_text, section=chunk.section
                        ),
                        # Not weighed by the ranker: a yes/no question's demand for a plain 'no'.
                        "settles": 1.0 if settles(text) else 0.0,
                        # Not weighed either: whether it names the designation asked for ('KALIX-2'), or
                        # only another of its series ('KALIX-3').
                        "designation": (
                            _designated(
                                question.designations,
                                question.ordinals,
                                present,
                                _series_words(f"{text} {chunk.section}"),
                            )
                            if question.asks_of_a_series
                            else 0.0
                        ),
                        "years": (
                            0.0
                            if not question.years
                            else 1.0
                            if any(str(y) in text for y in question.years)
                            else -1.0
                        ),
                        "chunk_rank": 1.0 / (1 + chunk_rank[chunk.id]) if chunk.id in chunk_rank else 0.0,
                        "chunk_keyword": chunk_keyword.get(chunk.id, 0.0),
                        "furniture": 1.0 if _FURNITURE.search(text) else 0.0,
                        "length": min(len(text), 400) / 400,
                        "lead_in": 1.0 if text.rstrip().endswith(":") else 0.0,
                        "title": 1.0 if position == 0 else 0.0,
                        # The section it stands in is about what is asked ('Who can apply?' for 'who can
                        # apply to…'), or names what the question names ('3.1 Hamburg').
                        "heading": max(
                            question.coverage(leaf_terms, leaf_terms, frozenset()) if leaf_terms else 0.0,
                            question.name_coverage(_word_set(leaf)) if question.names and leaf else 0.0,
                        ),
                        # The countries it names, or the title it stands under does (every sentence
                        # of a page titled after a country's project is about that country).
                        "countries": question.country_coverage(f"{meta.title} {chunk.section} {text}"),
                        "names_all": (float(all(name in present for name in telling)) if telling else 0.5),
                        # A heading made only of the question's words ('Who can apply?' for 'who can
                        # apply to…').
                        "heading_match": (
                            1.0
                            if leaf_terms and all(question.speaks_of(term) for term in leaf_terms)
                            else 0.0
                        ),
                        # It stands in a section telling how a thing is done ('How to apply').
                        "procedure": 1.0 if _PROCEDURE_HEADING.match(leaf) else 0.0,
                        # a field whose key the question names ('Timeframe: 5 years' for 'what timeframe…?')
                        "field": field_named(question, text),
                        # Not weighed by the ranker: a band it states holds the asker's figure (1), or
                        # it states bands and none does (-1).
                        "band": band_holds(text, question.figures),
                    },
                )
            )
    return candidates


_KIND_NAMES = ("date", "amount", "count", "duration", "place", "agent")


def _kinds(
    checks: list[AnswerCheck], text: str, *, previous: str, lead: str, section: str
) -> dict[str, float]:
    """Whether the sentence holds the kind of thing asked for (a date for 'when…?'), read with what
    introduces it ('Deadline:' above '29/10/2021 at 17:00 CEST.'): ``kind`` is 1 when it holds one of the
    kinds asked for, 0 when none, 0.5 when nothing particular is asked for; ``kind_every`` the same for
    all of them at once ('when is the deadline?' wants a date that is a deadline, not any date), a demand
    rather than a measurement the ranker weighs; ``kind_<name>`` for each kind apart (0 when not asked).
    Each check runs once: some (a new place) read the whole gazetteer."""
    context = hanging_line(lead, previous, text) or section.rsplit(" > ", 1)[-1]
    held = [check.ranks(text) or check.ranks(f"{context} {text}") for check in checks]

    def of_kind(name: str) -> float:
        asked = [
            h
            for check, h in zip(checks, held, strict=True)
            if check.kind == name or (name == "date" and check.kind == "deadline")
        ]
        return 1.0 if any(asked) else 0.0

    return {
        "kind": (1.0 if any(held) else 0.0) if checks else 0.5,
        "kind_every": (1.0 if all(held) else 0.0) if checks else 0.5,
        **{f"kind_{name}": of_kind(name) for name in _KIND_NAMES},
    }


def dense_of(candidates: Sequence[Candidate]) -> np.ndarray:
    return np.array([candidate.values["dense"] for candidate in candidates], dtype=float)
