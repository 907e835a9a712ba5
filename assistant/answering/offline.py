"""The offline answerer, no LLM. A question is read (with the conversation it belongs to), passages are
retrieved and their sentences ranked; structured knowledge answers only what it covers (a call's
eligibility rules when the question is about that call and carries the applicant's facts, a pairings
table for the pairings it lists); every other question gets the best passage, read in context. Whether
that passage answers is estimated by a calibrated model: below its threshold the answer says plainly
that the documents don't answer, shows the closest passage and whom to contact."""

from __future__ import annotations

import re
import threading
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from functools import lru_cache, partial

import numpy as np
from pydantic import ValidationError

from assistant.answering.acronyms import Acronyms
from assistant.answering.answer_types import LIMIT_WORDS, AnswerCheck, answer_checks, is_polar, states_limit
from assistant.answering.base import AnswerRequest
from assistant.answering.casing import Casing, typed_in_small_letters
from assistant.answering.compose import Writer
from assistant.answering.dated import ANY_YEAR, bound_crossed, years_apart
from assistant.answering.editions import Editions, programmes_named
from assistant.answering.events import (
    dates_something,
    deed_asked,
    event_asked,
    event_subject,
    event_timed,
    related_verbs,
    speaks_of,
    tells_event,
)
from assistant.answering.evidence import (
    ORDINAL_WORDS,
    Candidate,
    QuestionTerms,
    as_written,
    gather,
    members_written,
    ordinal_phrases,
)
from assistant.answering.extremes import Extreme, extreme_left_open
from assistant.answering.language import ENGLISH, asked_in_english, language_of
from assistant.answering.multilingual import CrossLingual
from assistant.answering.opposites import asks_not, denied, opposites, says_not, turned_around
from assistant.answering.pairings import PairingCriteria, PairingTables, extract_criteria, find_pairings
from assistant.answering.passages import (
    NUMBER_KINDS,
    Passage,
    around,
    complete,
    coverage_of,
    extended,
    kinds_left_open,
    measure_left_open,
    number_left_open,
    passed_only_where,
    told_of_names,
    with_asked_kind,
    with_every_step,
    with_neighbours,
    with_rows_alike,
    with_whole_enumeration,
)
from assistant.answering.pending import left_pending
from assistant.answering.places import documents_writing, place_names
from assistant.answering.query import (
    FIRST_PERSON,
    QueryAnalysis,
    analyse,
    lexicon,
    names_a_place,
    question_parts,
    small_talk,
    without_courtesy,
)
from assistant.answering.ranges import NUMBERING
from assistant.answering.ranker import ANSWERABILITY, probability, rank, weights
from assistant.answering.retrieval import CorpusStats, embed_query, retrieve
from assistant.answering.spelling import SHORTEST_SLIPPED, corrected, is_lemma, slips
from assistant.answering.swapped import swapped
from assistant.conversation import Turn
from assistant.eligibility.check import check_eligibility
from assistant.eligibility.profile import ApplicantProfile, Qualifier
from assistant.eligibility.reading import call_in_question, is_eligibility_question, profile_from_question
from assistant.eligibility.wording import answer_text, closed_notice
from assistant.models import Composed, Filters, Notice
from assistant.settings import AnswerSettings
from ingest.classify import PROGRAMMES
from ingest.embedder import Embedder
from ingest.geo import gazetteer, language_names
from ingest.models import DocumentKind, DocumentMeta, PairingRow
from ingest.store import IndexSnapshot
from ingest.textutil import fold, terms, words
from prompts import load_prompt, say

RETRIEVED = 20  # chunks read per question
# Kinds of thing one sentence gives alike: a deadline is a date.
_KIND_FAMILY = {"deadline": "date"}
_PART_REACH = 4  # best-ranked lines searched for a part's own answer when its best is the lead
# Documents under which no word is common to most of them: two documents share many words by chance.
_FEW_DOCUMENTS = 4
# For a question in another language, the closest sentences of the best document come along until the
# passage is about as long as an English answer (median 690–880 characters over the sets): the model's
# choice of one sentence is a narrow guess without the question's own words. Measured: other-language
# sets 16/24, 28/35 with two sentences along (median answer 455 characters); 19/24, 34/35 from 700 to
# 1,000 characters alike; 18/24, 31–33/35 at 500–600.
ABROAD_CHARS = 800
_SECOND_SOURCE = 1.0  # ranker score gap within which another document's differing figure is shown too


@lru_cache(maxsize=1)
def _out_of_scope_patterns() -> list[re.Pattern[str]]:
    return [re.compile(line, re.I) for line in load_prompt("out_of_scope_patterns").splitlines() if line]


def _out_of_scope(question: str, stats: CorpusStats) -> bool:
    """The question asks for something assistants like this are asked and programme documents do not
    hold (a restaurant, the weather…), and these documents never use its words either: a corpus that
    speaks of temperatures (how a cheese is made) answers 'at what temperature…?' from its text."""
    for pattern in _out_of_scope_patterns():
        for match in pattern.finditer(question):
            if not any(stats.document_frequency.get(term) for term in terms(match.group(0))):
                return True
    return False


@dataclass
class Generation:
    """What answering needs of an index generation beyond the snapshot, built once per generation."""

    stats: CorpusStats
    editions: Editions
    tables: PairingTables
    programmes: set[str]
    vocabulary: frozenset[str]
    years: frozenset[int]  # the years the documents speak of
    # Pairing rows a filter admits, by filter: few filters are ever used, and filtering 100k rows per
    # question would cost more than answering it.
    _rows_by_filter: dict[tuple[str, ...], list[PairingRow]] = field(default_factory=dict)
    _acronyms: Acronyms | None = None  # built on the first question using an acronym
    _casing: Casing | None = None  # built on the first question typed in small letters
    _common_names: frozenset[str] | None = None  # built at warm-up (``OfflineAnswerer.warm_up``)
    _documents_writing: Callable[[str], int] | None = None  # built on the first question naming a place

    def spelled_out(self, snapshot: IndexSnapshot, question: str) -> str:
        """The question with the acronyms the documents never write read as the phrases they spell out."""
        if not Acronyms.used_in(question):
            return question
        return self.acronyms(snapshot).spelled_out(question)

    def places_as_written(self, snapshot: IndexSnapshot, question: str) -> str:
        """The question with the places it names by names no document writes read as the documents name
        them ('Gand' → 'Ghent'); in another language, with the documents' name beside one some of them
        write too ('Sevilla (Seville)')."""
        # In English, a name the documents write is read as written: beside it, another would weigh as a
        # second name the answer must hold.
        beside = language_of(question) != ENGLISH
        return place_names().as_written(question, self.documents_writing(snapshot), beside=beside)

    def cities_as_countries(
        self, snapshot: IndexSnapshot, question: str, *, any_country: bool = False
    ) -> tuple[str, list[tuple[str, str]]]:
        """The question with the cities no document names read as cities of their countries, when the
        documents name the country ('can partners from Kaliningrad take part?' → 'from Russia') or
        ``any_country`` (a call's rules will check the asker's country), and the (city, country code)
        pairs so read."""
        written = self.documents_writing(snapshot)
        return place_names().in_countries(
            question,
            unknown=lambda name: not written(name),
            country_written=lambda code: any_country or bool(written(gazetteer().name_of(code))),
        )

    def documents_writing(self, snapshot: IndexSnapshot) -> Callable[[str], int]:
        """How many documents write a name, read once per generation (on the first question naming a
        place no document writes, or at warm-up: a pass over every sentence)."""
        if self._documents_writing is None:
            self._documents_writing = documents_writing(
                self.stats.document_words.values(), self.vocabulary, _texts_and_titles(snapshot)
            )
        return self._documents_writing

    def acronyms(self, snapshot: IndexSnapshot) -> Acronyms:
        """The acronyms the documents spell out, read once per generation (on the first question that
        needs them)."""
        if self._acronyms is None:
            self._acronyms = Acronyms.of(_texts_and_titles(snapshot))
        return self._acronyms

    def as_meant(self, snapshot: IndexSnapshot, question: str) -> str:
        """The question as its asker meant it: its typing slips read as the words the documents use
        ('deadilne'), and, typed in small letters, with the capitals the documents give its words. In
        English only, the language of the documents' words and capitals ('est' in French is no slip
        and no time zone)."""
        if language_of(question) != ENGLISH:
            return question
        question = corrected(question, self.stats.document_frequency)
        if not typed_in_small_letters(question):
            return question
        return self._acronyms_in_capitals(snapshot, self.casing(snapshot).restored(question))

    def _acronyms_in_capitals(self, snapshot: IndexSnapshot, question: str) -> str:
        """A word typed in small letters that no document writes and WordNet does not list, but that the
        documents spell out as an acronym ('eed' for 'Energy Efficiency Directive'), written in capitals:
        read so, the question is read again with it spelled out (``OfflineAnswerer.read``)."""
        unknown = {
            word
            for word in _SHORT_WORD.findall(question)
            if word.islower() and word not in self.vocabulary and not is_lemma(word)
        }
        if not unknown:
            return question
        known = {word for word in unknown if word in self.acronyms(snapshot).expansions}
        if not known:
            return question
        return _SHORT_WORD.sub(
            lambda match: match.group(0).upper() if match.group(0) in known else match.group(0), question
        )

    def casing(self, snapshot: IndexSnapshot) -> Casing:
        """How the documents capitalise their words, read once per generation."""
        if self._casing is None:
            self._casing = Casing.of(sentence.text for sentence in snapshot.sentences)
        return self._casing

    def common_names(self) -> frozenset[str]:
        """Words at least half of the documents use, when there are enough documents to tell ('eu'):
        a question naming one turns a conversation to nothing new."""
        if self._common_names is None:
            documents = self.stats.document_words
            counts: Counter[str] = Counter()
            if len(documents) >= _FEW_DOCUMENTS:
                for vocabulary in documents.values():
                    counts.update(vocabulary)
            self._common_names = frozenset(
                word for word, count in counts.items() if count * 2 >= len(documents)
            )
        return self._common_names

    def analyse(self, question: str, history: Sequence[Turn]) -> QueryAnalysis:
        """What the question asks, in its conversation."""
        return analyse(question, list(history), self.common_names() if history else ())

    def pairing_rows(self, snapshot: IndexSnapshot, filters: Filters) -> list[PairingRow]:
        where = filters.as_where()
        if not where:
            return self.tables.rows
        key = tuple(f"{name}={value}" for name, value in sorted(where.items()))
        rows = self._rows_by_filter.get(key)
        if rows is None:
            rows = [row for row in self.tables.rows if filters.admits(snapshot.chunks[row.chunk_id])]
            self._rows_by_filter[key] = rows
        return rows

    @classmethod
    def of(cls, snapshot: IndexSnapshot) -> Generation:
        stats = CorpusStats(snapshot)
        return cls(
            stats,
            Editions.of(snapshot.documents.values()),
            PairingTables(snapshot.pairings),
            {meta.programme for meta in snapshot.documents.values() if meta.programme},
            frozenset().union(*stats.document_words.values()) if stats.document_words else frozenset(),
            frozenset(year for meta in snapshot.documents.values() for year in meta.years),
        )


def _texts_and_titles(snapshot: IndexSnapshot) -> Iterator[str]:
    """Everything the documents write: titles and section headings are not among their sentences."""
    yield from (meta.title for meta in snapshot.documents.values())
    yield from {chunk.section for chunk in snapshot.chunks.values() if chunk.section}
    yield from (sentence.text for sentence in snapshot.sentences)


@dataclass
class Draft:
    """A text answer before the abstention decision: what the training tool scores and calibrates."""

    composed: Composed | None  # the answer if it is given
    features: dict[str, float]
    ranked: list[Candidate]
    abstention: Composed  # the answer if the documents are said not to answer
    probability: float = 0.0
    passages: list[Passage] = field(default_factory=list)
    # The question's words the best sentence turns around ('shortest' asked, 'longest' written), denies
    # ('not help' asked, 'helps' written) or swaps for another thing ('sociology', 'systematic').
    turned_around: list[tuple[str, str]] = field(default_factory=list)
    # The years asked of that the passage never writes, and those its lead speaks of instead.
    years_apart: tuple[list[int], list[int]] = ([], [])
    # The bound on the time asked of ('before 1742') when the lead speaks of the other side of it, and what
    # it speaks of ('the time since 1742').
    time_apart: tuple[str, str] | None = None
    # The lead, or the best-scored sentence, saying that what is asked is yet to be announced.
    pending: Candidate | None = None
    # The question asks for a number ('how many…?', 'how much…?', 'how tall is the mast?') the passage
    # shown does not give (of the thing asked about, for a measurement).
    without_number: bool = False
    # The kind asked for ('agent' for 'who founded…?') of which no sentence of the chosen passage holds
    # anything, however much else it shares with the question.
    without_kind: str | None = None
    # A member of a series the question asks of ('Lot 5') that the answer's document never writes, and the
    # members it writes instead ('Lot 1, Lot 2').
    other_member: tuple[str, str] | None = None
    # The extreme the question asks for ('the quietest year', 'the minimum population') when the passage
    # shown gives none: no bound, no superlative like it.
    without_extreme: Extreme | None = None


_WARM_UP_QUESTION = "Who can apply, and by when?"
# A word short enough to be an acronym typed in small letters ('eed', 'nzc').
_SHORT_WORD = re.compile(r"\b[a-z]{2,5}\b")


class OfflineAnswerer:
    def __init__(
        self,
        settings: AnswerSettings,
        embedder: Embedder,
        today: Callable[[], date],
        multilingual: CrossLingual | None = None,
    ) -> None:
        self.settings = settings
        self.embedder = embedder
        self.today = today
        self.multilingual = multilingual
        self._generation: tuple[str, Generation] | None = None
        self._lock = threading.Lock()

    @property
    def mode(self) -> str:
        return "offline"

    def warm_up(self, snapshot: IndexSnapshot) -> None:
        """One question answered end to end: the model loads and the per-generation tables are built
        now, not by a user's first question. The passages' multilingual vectors follow in the
        background: they take seconds per hundred chunks on a corpus's first load."""
        self.answer(AnswerRequest(_WARM_UP_QUESTION, snapshot))
        # The capitals of the documents' words, read for a question typed in small letters (seconds on a
        # corpus of a hundred thousand chunks).
        self.generation(snapshot).casing(snapshot)
        # The words most documents use, read for a question in a conversation (a count over every
        # document's words: a second or more on a corpus of thousands of documents).
        self.generation(snapshot).common_names()
        # Other languages' names of places (a quarter of a second to read), and the names the documents
        # write, read for a question naming a place no document writes.
        place_names()
        self.generation(snapshot).documents_writing(snapshot)
        # The languages a 'where…?' question reads past ('held in English'): 80 ms to read from pycountry.
        language_names()
        # WordNet's words related to each verb, read for a question asking the date or the duration of an
        # event (an 850 kB table).
        related_verbs()
        if self.multilingual is not None:
            self.multilingual.prepare(snapshot)

    def close(self) -> None:
        if self.multilingual is not None:
            self.multilingual.close()

    def generation(self, snapshot: IndexSnapshot) -> Generation:
        cached = self._generation
        if cached is None or cached[0] != snapshot.generation:
            with self._lock:
                cached = self._generation
                if cached is None or cached[0] != snapshot.generation:
                    cached = (snapshot.generation, Generation.of(snapshot))
                    self._generation = cached
        return cached[1]

    def read(self, request: AnswerRequest) -> tuple[AnswerRequest, QueryAnalysis]:
        """``_read`` without the cities it read as their countries."""
        request, analysis, _ = self._read(request)
        return request, analysis

    def _read(self, request: AnswerRequest) -> tuple[AnswerRequest, QueryAnalysis, list[tuple[str, str]]]:
        """The request as answering reads it, what its question asks, and the cities no document names
        that it reads as their countries (city, country code: ``Generation.cities_as_countries``). Its
        question is first read as
        its asker meant it (typing slips, capitals left out: ``Generation.as_meant``). A question whose
        names no document uses is read again with its acronyms spelled out as the documents write them ('CoM':
        'Covenant of Mayors'). Only then: spelled out, an acronym that other words of the question already
        place adds common words ('Sustainable Cities') that draw the ranking away (own sets −2)."""
        generation = self.generation(request.snapshot)
        meant = generation.as_meant(request.snapshot, request.question)
        if meant != request.question:
            request = replace(request, question=meant)
        analysis = generation.analyse(request.question, request.history)
        cities: list[tuple[str, str]] = []
        if _names_unwritten(analysis, generation):
            question = generation.places_as_written(request.snapshot, request.question)
            if _TAKING_PART.search(question) and language_of(question) == ENGLISH:
                # a call's rules tell by the country whether the asker may apply, named by a page or not
                checked = _checked_facts(request.snapshot, question, question, request.history) is not None
                question, cities = generation.cities_as_countries(
                    request.snapshot, question, any_country=checked
                )
            if question != request.question:
                request = replace(request, question=question)
                analysis = generation.analyse(question, request.history)
        if _names_the_unknown(analysis, generation):
            question = generation.spelled_out(request.snapshot, request.question)
            if question != request.question:
                request = replace(request, question=question)
                analysis = generation.analyse(question, request.history)
        return request, analysis, cities

    def answer(self, request: AnswerRequest) -> Composed:
        if self.multilingual is not None:
            self.multilingual.note_question()
        request, analysis, cities = self._read(request)
        composed = self._answer(request, analysis)
        composed.subject = analysis.subject
        if cities:  # the asker is told which country the answer is for
            notes = " ".join(
                say("offline.city_in_country", city=city, country=gazetteer().name_of(country))
                for city, country in cities
            )
            composed.text = f"{notes} {composed.text}"
        return composed

    def _answer(self, request: AnswerRequest, analysis: QueryAnalysis) -> Composed:
        snapshot, generation = request.snapshot, self.generation(request.snapshot)
        writer = self._writer(snapshot, generation)
        if small_talk(request.question):
            return Composed(say("offline.small_talk"), [], abstained=False)
        if _out_of_scope(analysis.question, generation.stats):
            # Declined, with the contact of the documents nearest the request.
            query_vector = embed_query(self.embedder, analysis.subject)
            nearest = retrieve(snapshot, query_vector, analysis.subject, RETRIEVED, request.filters)
            near = nearest[0].chunk if nearest else None
            return writer.finish(
                writer.decline(near, list(dict.fromkeys(hit.chunk.source for hit in nearest))), abstained=True
            )
        language = language_of(request.question)
        if language != ENGLISH and self.multilingual is not None:
            return self._in_another_language(request, analysis, language)
        draft = self.draft(request, analysis)
        if draft.composed is None or self.declines(request, analysis, draft):
            return draft.abstention
        if draft.probability >= weights().threshold or settled_by_names(analysis, draft.ranked):
            return draft.composed
        return draft.abstention

    def declines(self, request: AnswerRequest, analysis: QueryAnalysis, draft: Draft) -> bool:
        """Whether the draft is declined whatever the estimate says: the question asks of something the
        documents never name, or the answer would speak of another thing than the one asked."""
        snapshot, generation = request.snapshot, self.generation(request.snapshot)
        if _asks_the_unknown(analysis, generation.stats) or _names_the_unknown(analysis, generation):
            # 'the mayor of…', 'the registration fee…', 'the capital of Mars': no document uses the word
            return True
        if draft.composed is not None and draft.composed.citations:
            lead = draft.composed.citations[0].source
            if _about_another_programme(analysis, lead, snapshot, generation):
                # asked of one programme, answered from a document that never mentions it
                return True
            if _of_another_acronym(analysis, lead, snapshot, generation):
                # 'Lot 4 of the ATCE call' answered from a call that never writes ATCE nor spells it out
                return True
            if draft.probability < 1.0 and _of_another_edition(analysis, snapshot.documents[lead]):
                # 'the 2027 round' answered from a text that never speaks of 2027 (structured knowledge
                # weighs editions itself): what it says is of another edition
                return True
        # 'What was the shortest delay?' of a sentence on the longest one, 'the population in 1950' of one
        # on 1990, 'which city hosts?' of 'the host will be confirmed in April', 'how many volunteers?' of
        # a passage counting only participants, 'Lot 5' of a call with four lots: quoting it would answer
        # something other than what was asked.
        return bool(
            draft.turned_around
            or draft.years_apart[0]
            or draft.time_apart is not None
            or draft.pending is not None
            or draft.without_number
            or draft.without_kind is not None
            or draft.other_member is not None
            or draft.without_extreme is not None
        )

    def _in_another_language(
        self, request: AnswerRequest, analysis: QueryAnalysis, language: str
    ) -> Composed:
        """The best passage by the multilingual model, quoted in English, opened by a note in the asker's
        language. Applicant facts and terms cannot be read from the question here: no rule check."""
        assert self.multilingual is not None
        snapshot, generation = request.snapshot, self.generation(request.snapshot)
        query_vector = embed_query(self.embedder, analysis.subject)
        retrieved = retrieve(snapshot, query_vector, analysis.subject, RETRIEVED, request.filters)
        names = [name for name in analysis.names if name in generation.vocabulary]
        ranked = self.multilingual.rank(snapshot, generation.stats, analysis.subject, retrieved, names)
        checks = answer_checks(asked_in_english(request.question, language))
        if (
            checks
            and ranked
            and not any(check.test(snapshot.sentences[ranked[0].index].text) for check in checks)
        ):
            # of the best document first; else of another of the best-ranked that names what the question
            # names (a count of another programme's call would answer of another thing)
            holding = min(
                (
                    c
                    for c in ranked[1:KIND_WITHIN]
                    if (c.source == ranked[0].source or _names_in_document(names, c.source, generation))
                    and any(check.test(snapshot.sentences[c.index].text) for check in checks)
                ),
                key=lambda c: c.source != ranked[0].source,
                default=None,
            )
            if holding is not None:
                ranked = [holding, *(c for c in ranked if c is not holding)]
        if not ranked:
            return self._abstention(snapshot, generation, analysis, ranked)
        budget = self.settings.max_answer_chars - 300
        passage = around(snapshot, generation.stats, ranked[0], budget, whole_lists=True)
        # The closest sentences of the same document come along (``ABROAD_CHARS``).
        for candidate in [c for c in ranked[1:] if c.source == passage.source]:
            used = sum(len(snapshot.sentences[i].text) for i in passage.indices(generation.stats))
            if used >= ABROAD_CHARS:
                break
            extra = around(snapshot, generation.stats, candidate, budget - used)
            if used + sum(len(snapshot.sentences[i].text) for i in extra.indices(generation.stats)) <= budget:
                passage.positions += extra.positions
        composed = self._compose(
            snapshot, generation=generation, analysis=analysis, ranked=ranked, passage=passage, second=None
        )
        composed.text = f"{say(f'languages.{language}')} {composed.text}"
        return composed

    def _writer(self, snapshot: IndexSnapshot, generation: Generation) -> Writer:
        return Writer(
            snapshot, generation.stats, generation.editions, self.today(), self.settings.max_answer_chars
        )

    def draft(self, request: AnswerRequest, analysis: QueryAnalysis | None = None) -> Draft:
        """The best answer the documents give, its measurements and its estimated chance of being right,
        and the abstention that would replace it."""
        snapshot, generation = request.snapshot, self.generation(request.snapshot)
        analysis = analysis or generation.analyse(request.question, request.history)
        stats = generation.stats
        question, ranked = self._ranked(request, generation, analysis)
        abstention = self._abstention(snapshot, generation, analysis, ranked)
        features = dict.fromkeys(ANSWERABILITY, 0.0)
        if not ranked:
            return Draft(None, features, ranked, abstention)
        structured = self._from_rules(snapshot, generation, request, analysis, ranked) or self._from_table(
            snapshot, generation, analysis, ranked, request.filters
        )
        if structured is not None:
            # What structured knowledge answers, it answers with certainty; its own abstention (a pairing
            # the table does not list) stands too.
            return Draft(
                None if structured.abstained else structured,
                features,
                ranked,
                structured if structured.abstained else abstention,
                1.0,
            )
        ranked, companion = _editions(ranked, question, analysis, snapshot, generation.editions)
        best = ranked[0]
        if (
            question.asks_change
            and analysis.years
            and not _compares(snapshot, best, companion, analysis.years)
        ):
            companion = self._in_edition_asked(request, generation, analysis, best) or companion
        budget = self.settings.max_answer_chars - 250
        passage = complete(
            snapshot,
            stats,
            question=question,
            ranked=ranked,
            first=around(
                snapshot,
                stats,
                best,
                budget,
                whole_lists=question.takes_whole_lists,
                asked_of=question.narrowing,
            ),
            budget=budget,
        )
        passage = self._with_each_part(request, analysis, generation, passage, budget)
        if question.asks_procedure:
            passage = with_every_step(snapshot, stats, passage, budget=budget)
        if question.wants_list:
            passage = with_whole_enumeration(snapshot, stats, passage, budget=budget)
            passage = with_rows_alike(
                snapshot, stats, passage, keeping_tests=question.keeping_tests, budget=budget
            )
        # Answerability is measured on the passage as the ranking chose it; a sentence holding the
        # asked-for kind brought in from further down is shown, but is no evidence that the lead answers.
        chosen = passage
        passage = with_asked_kind(
            snapshot, stats, question=question, ranked=ranked, passage=passage, budget=budget
        )
        # The lines around the lead come along (a label's value, the reason after a figure), but may not
        # crowd the companion's paragraph out of the answer.
        room = budget - (self._companion_budget() + _LABEL_ROOM if companion is not None else 0)
        passage = with_neighbours(
            snapshot,
            stats,
            passage,
            window=NEIGHBOURS_WINDOW,
            budget=room,
            keeping_tests=question.keeping_tests,
        )
        # Measured on the passage shown: the number may stand in a neighbour of the lead.
        without_number = number_left_open(
            snapshot, stats, question, analysis.question, passage
        ) or measure_left_open(snapshot, stats, analysis.question, passage)
        # The kinds asked for that no sentence of the chosen passage holds.
        open_kinds = kinds_left_open(snapshot, stats, question.checks, chosen, question)
        # The decline reads them only where the page tells of a thing the question names and the page
        # mentions in passing (the same checks, read again, only when there is such a thing).
        told = told_of_names(snapshot, stats, analysis.question, chosen, question.checks)
        open_where_told = (
            open_kinds
            if told is question.checks
            else kinds_left_open(snapshot, stats, told, chosen, question)
        )
        without_kind = (
            _decisive_kind_left_open(question.checks, open_where_told)
            or _event_left_untold(snapshot, stats, analysis.question, question, passage)
            or _members_from_elsewhere(snapshot, stats, analysis, question, chosen)
        )
        apart = _dated_apart(snapshot, stats, analysis, chosen)
        time_apart = bound_crossed(
            analysis.question,
            snapshot.sentences[best.index].text,
            asks_year=any(check.kind == "date" for check in question.checks),
        )
        pending = _pending_in(snapshot, analysis, ranked, chosen)
        lead = snapshot.sentences[best.index].text
        # The question's words the lead turns around, denies or swaps for another thing.
        turned = [
            *turned_around(analysis.question, lead),
            *denied(analysis.question, lead),
            *swapped(analysis.question, lead),
        ]
        other_member = _other_member(snapshot, stats, analysis, question, chosen)
        composed = self._compose(
            snapshot,
            generation=generation,
            analysis=analysis,
            ranked=ranked,
            passage=passage,
            second=companion,
        )
        # Read on all the answer shows: a companion passage from another edition may give the bound.
        asked_terms = {form for term in analysis.focus for form in analysis.expanded(term)}
        without_extreme = extreme_left_open(
            analysis.question,
            composed.text,
            lambda sentence: bool(asked_terms & set(terms(sentence))),
        )
        if (
            without_extreme is not None
            or apart[0]
            or time_apart is not None
            or pending is not None
            or without_number
            or without_kind is not None
            or turned
            or other_member is not None
        ):
            abstention = self._abstention(
                snapshot,
                generation,
                analysis,
                ranked,
                apart=apart,
                time_apart=time_apart,
                pending=pending,
                without_number=without_number,
                without_kind=without_kind,
                turned=turned,
                other_member=other_member,
                without_extreme=without_extreme,
            )
        scores = np.array([c.score for c in ranked])
        shares = np.exp(scores - scores.max())
        features = {
            "top": strongest_evidence(question, ranked),
            # How far the ranker prefers the best sentence over the others (its softmax share).
            "confidence": float(shares[0] / shares.sum()),
            "dense": best.values["dense"],
            "coverage": coverage_of(snapshot, stats, question, [chosen]),
            "coverage_best": best.values["coverage_context"],
            "names": best.values["document_names"],
            "unknown_terms": best.values["unknown_terms"],
            "document_years": best.values["document_years"],
            "unknown_years": float(len(set().union(*_unknown_years(analysis, generation)))),
            "programme": best.values["programme"],
            **_mismatches(analysis, " ".join(snapshot.sentences[i].text for i in chosen.indices(stats))),
            # The question asks for a kind of thing (a date, an amount, names…) that no sentence given holds.
            "kind_missing": float(bool(question.checks) and len(open_kinds) == len(question.checks)),
            "numbers": _numbers_missing(analysis, stats.document_words.get(best.source, frozenset())),
            **_missing(snapshot, question, stats, chosen),
        }
        draft = Draft(
            composed,
            features,
            ranked,
            abstention,
            passages=[passage],
            turned_around=turned,
            years_apart=apart,
            time_apart=time_apart,
            pending=pending,
            without_number=without_number,
            without_kind=without_kind,
            other_member=other_member,
            without_extreme=without_extreme,
        )
        draft.probability = probability(features)
        return draft

    def _companion_budget(self) -> int:
        """Characters of the passage shown beside the lead from another edition or source."""
        return (self.settings.max_answer_chars - 200) // 3

    def _with_each_part(
        self,
        request: AnswerRequest,
        analysis: QueryAnalysis,
        generation: Generation,
        passage: Passage,
        budget: int,
    ) -> Passage:
        """A compound question ('Who can apply, and by when?') asks two things: the best sentence for
        each part, from the answer's document, joins the passage when it is not there yet. Two parts asking
        the same kind of thing are not both answered by the lead: a part whose best line is the lead takes
        the next line holding what it asks for, as does a part whose best line does not hold it."""
        parts = question_parts(analysis.question)
        if len(parts) < 2:
            return passage
        snapshot, stats = request.snapshot, generation.stats
        asked = [answer_checks(part) for part in parts]
        # Both parts ask the same kind of thing ('the deadline, and when do we hear back?'): one date in
        # the passage answers one of them.
        same = bool(
            set.intersection(*({_KIND_FAMILY.get(c.kind, c.kind) for c in checks} for checks in asked))
        )
        for part, checks in zip(parts, asked, strict=True):
            if not same and checks and not kinds_left_open(snapshot, stats, checks, passage):
                continue  # the passage already holds what this part asks for ('…and when?': a date)
            part_analysis = generation.analyse(part, request.history)
            _, ranked = self._ranked(request, generation, part_analysis, only=passage.source)
            best = next(iter(ranked), None)

            def holds(candidate: Candidate, checks: list[AnswerCheck] = checks) -> bool:
                return all(check.test(snapshot.sentences[candidate.index].text) for check in checks)

            if (
                checks
                and best is not None
                and (
                    # the lead is there for the other part; this part's own is the next line holding the kind
                    (same and passage.lead is not None and best.position == passage.lead.position)
                    # the part's best line does not hold what it asks for ('how many core cities…?'), one
                    # close behind does ('Core cities (64)')
                    or not holds(best)
                )
            ):
                best = next(
                    (
                        candidate
                        for candidate in ranked[:_PART_REACH]
                        if candidate.position not in passage.positions and holds(candidate)
                    ),
                    best,
                )
            if best is None or best.position in passage.positions:
                continue
            passage = extended(snapshot, stats, passage, best, budget) or passage
        return passage

    def _in_edition_asked(
        self, request: AnswerRequest, generation: Generation, analysis: QueryAnalysis, best: Candidate
    ) -> Candidate | None:
        """Asked what changed since a year ('…between the 2020 and the 2024 calls?'), the best sentence
        holding what is asked in that year's edition of the lead's kind of document (and programme), which
        retrieval, drawn to the lead's edition, may not have found."""
        snapshot = request.snapshot
        lead = snapshot.documents[best.source]
        editions = [
            source
            for source, meta in snapshot.documents.items()
            if source != best.source
            and meta.edition in analysis.years
            and meta.edition != lead.edition
            and meta.kind == lead.kind
            and not (meta.programme and lead.programme and meta.programme != lead.programme)
        ]
        found = []
        for source in editions:
            question, ranked = self._ranked(request, generation, analysis, only=source)
            holding = [c for c in ranked[:_EDITION_REACH] if c.values["kind"] == 1.0 or not question.checks]
            found += [_most_alike(snapshot, best, holding)] if holding else []
        return max(found, key=lambda c: c.score, default=None)

    def _ranked(
        self,
        request: AnswerRequest,
        generation: Generation,
        analysis: QueryAnalysis,
        only: str | None = None,
    ) -> tuple[QuestionTerms, list[Candidate]]:
        """The question's terms, and the candidate sentences of what retrieval finds for it, best first
        (with ``only``, those of that document)."""
        snapshot = request.snapshot
        query_vector = embed_query(self.embedder, analysis.subject)
        retrieved = retrieve(snapshot, query_vector, analysis.subject, RETRIEVED, request.filters)
        question = QuestionTerms.of(analysis, generation.stats, generation.programmes, generation.vocabulary)
        candidates = gather(
            snapshot,
            stats=generation.stats,
            editions=generation.editions,
            question=question,
            query_vector=query_vector,
            retrieved=retrieved,
            only=only,
        )
        return question, _meeting_demands(rank(candidates), question)

    # --- text answers ---------------------------------------------------------------------------------
    def _compose(
        self,
        snapshot: IndexSnapshot,
        *,
        generation: Generation,
        analysis: QueryAnalysis,
        ranked: list[Candidate],
        passage: Passage,
        second: Candidate | None,
    ) -> Composed:
        writer = self._writer(snapshot, generation)
        stats, editions = generation.stats, generation.editions
        lead_source = passage.source
        paragraphs: list[tuple[str, Passage]] = [(lead_source, passage)]
        lead_meta = snapshot.documents[lead_source]
        if second is not None:
            other = around(snapshot, stats, second, self._companion_budget())
            paragraphs.append((other.source, other))
        # The edition in force leads; an older one follows under its own label.
        asked_years = set(analysis.years)

        def behind(source: str) -> bool:
            meta = snapshot.documents[source]
            return editions.is_superseded(meta) and meta.edition not in asked_years

        paragraphs.sort(key=lambda item: behind(item[0]))
        texts = []
        for source, part in paragraphs:
            body = writer.passage(part)
            if len(paragraphs) > 1:
                body = f"{writer.label(source)}: {body}"
            if behind(source):
                writer.older_edition(source)
            texts.append(" ".join([body, *writer.deadline_notes(part)]))
        lead = ""
        if (
            len(generation.programmes) > 1
            and len(paragraphs) == 1
            and not programmes_named(analysis.subject, generation.programmes)
        ):
            lead = writer.programme_lead(lead_meta.programme)
        return writer.finish(lead + "\n\n".join(texts), abstained=False)

    def _abstention(
        self,
        snapshot: IndexSnapshot,
        generation: Generation,
        analysis: QueryAnalysis,
        ranked: list[Candidate],
        *,
        apart: tuple[list[int], list[int]] = ([], []),
        time_apart: tuple[str, str] | None = None,
        pending: Candidate | None = None,
        without_number: bool = False,
        without_kind: str | None = None,
        turned: Sequence[tuple[str, str]] = (),
        other_member: tuple[str, str] | None = None,
        without_extreme: Extreme | None = None,
    ) -> Composed:
        writer = self._writer(snapshot, generation)
        about = ""
        unknown_years, unwritten = _unknown_years(analysis, generation)
        asked_apart, dated = apart
        if unknown_years and generation.years:
            about = say(
                "offline.unknown_years",
                years=", ".join(map(str, unknown_years)),
                covered=_years_spoken_of(generation.years),
            )
        elif unwritten:
            about = say("offline.unwritten_years", years=", ".join(map(str, unwritten)))
        elif asked_apart:
            about = say(
                "offline.other_years",
                years=", ".join(map(str, asked_apart)),
                dated=", ".join(map(str, dated)),
            )
        elif time_apart is not None:
            about = say("offline.other_time", asked=time_apart[0], dated=time_apart[1])
        elif pending is not None:
            about = say("offline.pending")
        elif other_member is not None:
            asked, written = other_member
            about = say("offline.other_member", asked=asked, written=written)
        elif without_kind == "agent":
            about = say("offline.without_agent")
        elif without_kind == "members":
            about = say("offline.without_members")
        elif without_kind == "colour":
            about = say("offline.without_colour")
        elif without_number or without_kind not in (None, "date", "duration"):  # a count or an amount
            about = say("offline.without_number")
        elif without_extreme is not None:
            about = say("offline.without_extreme", asked=without_extreme.asked)
        elif turned:
            asked, written = turned[0]
            about = say("offline.other_word", asked=asked, written=written)
        elif without_kind == "date":  # after the word turned around: 'opened' where 'closed' is asked
            about = say("offline.without_date")
        elif without_kind == "duration":
            about = say("offline.without_duration")
        relevant = list(dict.fromkeys(candidate.source for candidate in ranked))
        closest = pending or (ranked[0] if ranked else None)
        return writer.finish(writer.abstention(about, closest, relevant), abstained=True)

    # --- structured knowledge -------------------------------------------------------------------------
    def _from_rules(
        self,
        snapshot: IndexSnapshot,
        generation: Generation,
        request: AnswerRequest,
        analysis: QueryAnalysis,
        ranked: list[Candidate],
    ) -> Composed | None:
        """'We are a town of 60,000 — can we apply?': the rule-by-rule check of a call, when the question
        carries the applicant's facts (here or earlier in the conversation), asks for a verdict, and is
        about that call: it names the call's programme, or names none and the passage that best answers
        it comes from the call's own programme. A rule set never speaks for another programme."""
        # A message that only gives facts ('we can commit 2 years') gives them for the earlier question; one
        # giving new facts after an eligibility question ('what if we apply together with two cities?')
        # asks it again with them.
        asking = analysis.asking
        if (
            analysis.follow_up
            and profile_from_question(request.question) is not None
            and not is_eligibility_question(without_courtesy(asking))
        ):
            asking = next(
                (
                    turn.question
                    for turn in reversed(request.history)
                    if is_eligibility_question(without_courtesy(turn.question))
                ),
                asking,
            )
        profile = _checked_facts(snapshot, asking, request.question, request.history)
        if profile is None:
            return None
        programme, edition = call_in_question(f"{request.question} {asking}", snapshot.rules)
        programme = programme or request.filters.programme
        if programme is None:
            if programmes_named(analysis.subject, generation.programmes):
                return None  # it names a programme with no reviewed rules: the text answers
            lead = snapshot.documents[ranked[0].source]
            ruled = {rule.programme for rule in snapshot.rules}
            if lead.programme not in ruled:
                return None
            programme = lead.programme
        sources = {rule.source for rule in snapshot.rules if rule.programme == programme}
        if not any(_names_in(analysis, generation.stats.document_words.get(s, frozenset())) for s in sources):
            return None  # it names something the call never mentions ('the Warm Neighbours scheme')
        report = check_eligibility(
            snapshot.rules, profile, programme, edition, chunks=snapshot.chunks, today=self.today()
        )
        if report.verdict == "no_rules":
            return None
        ruleset = [
            r for r in snapshot.rules if (r.programme, r.edition) == (report.programme, report.edition)
        ]
        text, citations = answer_text(report, ruleset)
        notices = (
            [Notice(kind="deadline_passed", text=closed_notice(report), source=report.source)]
            if report.open is False and report.deadline is not None
            else []
        )
        return Composed(text, citations, abstained=False, notices=notices)

    def _from_table(
        self,
        snapshot: IndexSnapshot,
        generation: Generation,
        analysis: QueryAnalysis,
        ranked: list[Candidate],
        filters: Filters,
    ) -> Composed | None:
        """An answer from a pairings table, for the pairings it holds: the question names a city of the
        table, or asks about pairings (by country or topic) of the table's programme while the table is
        the best evidence. None when the table does not speak to the question."""
        tables = generation.tables
        rows = generation.pairing_rows(snapshot, filters)
        if not rows:
            return None
        named = programmes_named(analysis.subject, generation.programmes)
        criteria = extract_criteria(analysis, tables)
        # Askers who describe themselves ('we're a municipality in France twinned with a town in Serbia —
        # does that work?') ask about their own case, not about the pairings a table lists; their country
        # is no pairing asked about either.
        own = profile_from_question(analysis.question)
        if own is not None and not criteria.cities and FIRST_PERSON.search(analysis.question):
            return None
        best = ranked[0]
        asked_of_table = all(term in tables.vocabulary for term in analysis.attribute)
        if best.chunk.is_table:
            # The best evidence is a table: a pairings table answers for the pairings it lists (and only
            # it), and only what it lists (a partner, a topic; not 'the mayor of…'); another table (a
            # budget, a list of projects) is read as text.
            rows = [row for row in rows if row.source == best.source]
            if not rows or not asked_of_table or not _mostly_of_table(analysis, tables):
                return None
        else:
            # The best evidence is text: a table answers only a question about pairings that names one
            # of its places — and not when the text has a section about the place ('3.1 Hamburg').
            # A country the asker lives in is not a pairing asked about ('we are a town in Slovenia').
            criteria.countries = [code for code in criteria.countries if not own or code != own.country]
            if not analysis.pairing_cue or best.values["heading"] >= 1.0 or best.values["names_all"] == 1.0:
                return None  # …or when the best passage itself speaks of what the question names
            # By country alone the table speaks only when it lists no pairing there at all: which of its
            # pairings are meant is for the text to say.
            if not criteria.cities and (
                not criteria.countries or find_pairings(rows, PairingCriteria(countries=criteria.countries))
            ):
                return None
            if named and not set(named) & tables.programmes:
                return None  # pairings of another programme: the table cannot answer for them
            named_cities = {word for city in criteria.cities for word in words(city)}
            sources = {row.source for row in rows}
            covering = {
                source
                for source in sources
                if _names_in(analysis, generation.stats.document_words.get(source, frozenset()), named_cities)
            }
            rows = [row for row in rows if row.source in covering]
            if not rows:
                return None  # it names something the tables' documents never mention ('the CERV selection')
        if criteria.empty and not analysis.pairing_cue:
            return None
        matches = find_pairings(rows, criteria)
        writer = self._writer(snapshot, generation)
        if not matches:
            if not analysis.pairing_cue:
                return None  # the table is near, but the question is not about its pairings
            located = find_pairings(rows, PairingCriteria(cities=criteria.cities)) if criteria.cities else []
            if located or not (criteria.countries or criteria.cities):
                return None  # the places are in the table; what is asked of them is not
            asked = ", ".join([gazetteer().name_of(code) for code in criteria.countries] + criteria.cities)
            parts = [
                load_prompt("offline_abstain").format(about=""),
                writer.no_such_pairing(asked, rows),
                *writer.contact(
                    snapshot.chunks[rows[0].chunk_id], list(dict.fromkeys(c.source for c in ranked))
                ),
            ]
            return writer.finish(" ".join(parts), abstained=True)
        return writer.finish(
            writer.rows(matches, criteria.topics), abstained=False, pairing_ids=[row.id for row in matches]
        )


KIND_MARGIN = 2.0  # ranker score a sentence holding the asked-for kind may lose and still lead
KIND_WITHIN = 12  # …if it is among the best-ranked this many (of the best document: at any score)
NAMED_MARGIN = 1.5 * KIND_MARGIN  # …and a sentence of the one document that uses the question's names


NEIGHBOURS_WINDOW = 450  # characters of the lines around the lead shown with it (measured: 300–800)
_LABEL_ROOM = 100  # characters a companion paragraph's label and notes take beside its passage

_EDITION_REACH = 30  # best-ranked sentences searched for the same answer in another edition
# What supersedes an older call is the newer call or FAQ, and only with a sentence nearly as good: a news
# item of the same programme, or a far weaker line of the newer call, does not answer in its place.
_BINDING = (DocumentKind.CALL, DocumentKind.FAQ)
_NEWER_MARGIN = 2 * KIND_MARGIN


def _editions(
    ranked: list[Candidate],
    question: QuestionTerms,
    analysis: QueryAnalysis,
    snapshot: IndexSnapshot,
    editions: Editions,
) -> tuple[list[Candidate], Candidate | None]:
    """The sentence to lead with and, when another document gives a differing figure for the same
    question, the sentence to show beside it under its own label. The edition in force leads: when
    the best sentence comes from an older edition of a programme (and the question does not ask for
    that year), the newest edition's sentence meeting the same demands leads instead, and the older
    one follows if it holds what is asked ('31 March 2023 has passed')."""

    def meta(candidate: Candidate) -> DocumentMeta:
        return snapshot.documents[candidate.source]

    def behind(candidate: Candidate) -> bool:
        return editions.is_superseded(meta(candidate)) and meta(candidate).edition not in analysis.years

    best = ranked[0]
    reach = ranked[1:_EDITION_REACH]
    if behind(best):
        newer = next(
            (
                c
                for c in reach
                if meta(c).programme == meta(best).programme
                and meta(c).kind in _BINDING
                and not behind(c)
                and _met(c, question, best) >= _met(best, question, best)
                and best.score - c.score <= _NEWER_MARGIN
            ),
            None,
        )
        if newer is not None:
            reordered = [newer, *(c for c in ranked if c is not newer)]
            return reordered, best if best.values["kind"] == 1.0 else None
    if question.asks_change:
        # Asked what changed, the same answer from another edition is half of the answer, however far
        # below the lead retrieval ranked it: from the edition the question names, and the same kind of
        # document (the other call, not a project's report), where one has it.
        comparable = [
            c
            for c in reach
            if c.source != best.source
            and meta(c).edition != meta(best).edition
            and (c.values["kind"] == 1.0 or not question.checks)
            and _met(c, question, best) >= _met(best, question, best)
        ]
        if comparable:
            # the edition the question names first, then the same kind of document, then the best ranked
            source = min(
                comparable,
                key=lambda c: (meta(c).edition not in analysis.years, meta(c).kind != meta(best).kind),
            ).source
            return ranked, _most_alike(snapshot, best, [c for c in comparable if c.source == source])
    if best.values["kind"] != 1.0 or not question.checks:
        return ranked, None
    other_edition = next(
        (
            c
            for c in reach
            if c.source != best.source
            and meta(c).programme
            and meta(c).programme == meta(best).programme
            and meta(c).edition != meta(best).edition
            and c.values["kind"] == 1.0
        ),
        None,
    )
    if other_edition is not None:
        return ranked, other_edition
    other_source = next((c for c in ranked[1:] if c.source != best.source), None)
    if (
        other_source is not None
        and best.score - other_source.score <= _SECOND_SOURCE
        and other_source.values["kind"] == 1.0
        # a document using none of the names the question does (the call it names) gives a figure of
        # something else, not a differing one
        and (not question.names or other_source.values["document_names"] > 0.0)
    ):
        return ranked, other_source
    return ranked, None


# The names a yes/no question must use (a programme's among them) for its lead naming them all to settle it.
_NAMES_SETTLING = 3


def _most_alike(snapshot: IndexSnapshot, lead: Candidate, candidates: list[Candidate]) -> Candidate:
    """Of another edition's candidates (best first), the one nearly as good as the first that says most
    of what the lead says: 'maximum amount: EUR 4,000,000' beside 'Maximum EU contribution: EUR
    3,000,000', not the call's introduction ranked above it."""
    said = set(terms(snapshot.sentences[lead.index].text))
    near = [c for c in candidates if candidates[0].score - c.score <= KIND_MARGIN]
    return max(near, key=lambda c: len(said & set(terms(snapshot.sentences[c.index].text))))


def _compares(
    snapshot: IndexSnapshot, lead: Candidate, companion: Candidate | None, years: Sequence[int]
) -> bool:
    """The companion is the lead's kind of document in an edition the question names."""
    if companion is None:
        return False
    shown, led = snapshot.documents[companion.source], snapshot.documents[lead.source]
    return shown.edition in years and shown.kind == led.kind


def settled_by_names(analysis: QueryAnalysis, ranked: list[Candidate]) -> bool:
    """A yes/no question naming several things ('Are Iceland and Norway covered by the pilots?') whose
    lead sentence names every one of them (itself or under its heading): strong evidence, whatever else
    the estimate weighs."""
    return (
        bool(ranked)
        and is_polar(analysis.question)
        and len(set(analysis.names)) >= _NAMES_SETTLING
        and ranked[0].values["names_all"] == 1.0
    )


def _asks_the_unknown(analysis: QueryAnalysis, stats: CorpusStats) -> bool:
    """What is asked for is a word no document uses, nor any synonym of it ('who is the mayor of…',
    'how much is the registration fee…'): the documents cannot hold the answer."""
    frequency = stats.document_frequency
    # 'the smallest and the largest contribution': a grading word grades the thing asked for, names none
    named = [term for term in analysis.attribute if not opposites().is_graded(term)]
    if not named:
        return False
    head = named[-1]  # 'the registration fee': a fee, whatever else the words say
    if head in lexicon().value_names:
        return False  # 'the (greatest) depth of…' names a kind of value, which a text states without the noun
    if head in analysis.names:
        return False  # 'what did the ABC/XYZ cities decide?': a name (_names_the_unknown weighs those)
    if any(frequency.get(synonym) for synonym in analysis.expanded(head)):
        return False
    return not _misspells_a_known_word(head, frequency)


def _unknown_years(analysis: QueryAnalysis, generation: Generation) -> tuple[list[int], list[int]]:
    """The years a question asks about that the documents have nothing on: the programme years no
    edition and no document speaks of, and, apart from those, the years no document writes at all ('the
    flood of 1799' when the history speaks only of 1742). An applicant's own facts ('we joined back in
    1998') ask of no year."""
    of_no_edition = [year for year in analysis.years if year not in generation.years]
    if FIRST_PERSON.search(analysis.question):
        return of_no_edition, []
    unwritten = {
        int(year) for year in ANY_YEAR.findall(analysis.question) if year not in generation.vocabulary
    }
    return of_no_edition, sorted(unwritten - set(of_no_edition))


# The question's words a sentence not leading the answer must share to say that what is asked is pending.
_PENDING_SHARED_OFF_LEAD = 2


def _pending_in(
    snapshot: IndexSnapshot, analysis: QueryAnalysis, ranked: list[Candidate], passage: Passage
) -> Candidate | None:
    """The lead, or else the best-scored sentence, or else the best naming every name the question tells
    sentences apart by, when it says what the question asks is yet to be announced or confirmed ('the
    host … is yet to be decided'). The best-scored sentence may stand behind a lead chosen for holding the
    kind of thing asked (a town's name); not leading, it must share more of the question's words to speak
    of what is asked."""
    best = max(ranked, key=lambda candidate: candidate.score, default=None)
    # the best sentence naming every name the question does that tells sentences apart ('Linz … with
    # Córdoba … are pending the confirmation of'): it speaks of what is asked, wherever it ranks
    naming = next((candidate for candidate in ranked if candidate.values["names_all"] == 1.0), None)
    for candidate, shared in (
        (passage.lead, 1),
        (best, _PENDING_SHARED_OFF_LEAD),
        (naming, _PENDING_SHARED_OFF_LEAD),
    ):
        if candidate is not None and left_pending(
            analysis.question, snapshot.sentences[candidate.index].text, shared=shared
        ):
            return candidate
    return None


def _other_member(
    snapshot: IndexSnapshot,
    stats: CorpusStats,
    analysis: QueryAnalysis,
    question: QuestionTerms,
    passage: Passage,
) -> tuple[str, str] | None:
    """A member of a numbered series the question asks of ('Lot 5', 'call 5', 'the fourth forum') that the
    passage's document never writes, where it writes others of the series ('Lot 2', 'Call 4', 'the third
    forum'): the asked member and the others, as the answer names them."""
    if not question.asks_of_a_series:
        return None  # most questions: the document's sentences are not gathered for nothing
    document = snapshot.documents[passage.source]
    texts = [document.title, *(snapshot.sentences[i].text for i in stats.document_sentences[passage.source])]
    phrases = ordinal_phrases(analysis.question)
    for name in [*question.designations, *question.ordinals]:
        written = set().union(*(members_written(name, text) for text in texts))
        if not written or name in written:
            continue
        others = sorted(written, key=lambda member: (len(member), member))
        if name in phrases:  # 'the fourth Baltic Harbour' … 'the third'
            return phrases[name], ", ".join(f"the {_ordinal_word(other)}" for other in others)
        return _member(name), ", ".join(_member(other) for other in others)
    return None


# Asked who, which ones, how many or how much, a passage holding no name or figure does not answer, however
# much else it shares with the question ('Who founded the sailing club?' of 'The club was founded in
# 1921'). Measured on all sets: declining on these kinds loses no right answer; on a date, a duration, a
# place, a deadline or a reason it does (they are written in more ways than their checks read).
_DECISIVE_KINDS = ("agent", "members", "colour", *NUMBER_KINDS)


def _decisive_kind_left_open(checks: list[AnswerCheck], open_kinds: list[AnswerCheck]) -> str | None:
    """The decisive kind asked for, when no sentence of the passage holds any kind asked for."""
    if not checks or len(open_kinds) < len(checks):
        return None
    return next((check.kind for check in checks if check.kind in _DECISIVE_KINDS), None)


def _event_left_untold(
    snapshot: IndexSnapshot, stats: CorpusStats, asked: str, question: QuestionTerms, passage: Passage
) -> str | None:
    """The kind asked ('date', 'duration') when the question asks it of an event it names by a verb ('When
    did the depot close?', 'How long did it take to build the foundations?') and no sentence of the
    passage shown both tells of that event and gives it: a passage dating or timing other events of the
    thing answers another question. Any date will do here, a year alone too. Likewise 'agent' when the
    question asks who made a thing ('Who designed the canal?') and the passage never tells of that making:
    its people did other deeds."""
    for check in question.checks:
        if check.kind == "date":
            event, gives = event_asked(asked), replace(check, test=dates_something)
        elif check.kind == "duration":
            event, gives = event_timed(asked), check
        elif check.kind == "agent":
            # The maker may be named a sentence away from the making ('The tower was designed in 1850. Its
            # architect, …'): the passage must tell of the making somewhere.
            deed = deed_asked(asked)
            done_to = event_subject(asked)
            if deed is not None and not any(
                _tells_event_of(snapshot.sentences[index].text, event=deed, subject=done_to)
                for index in passage.indices(stats)
            ):
                return check.kind
            continue
        else:
            continue
        if event is None:
            continue
        subject = event_subject(asked) if check.kind == "date" else None
        told = passed_only_where([gives], partial(_tells_event_of, event=event, subject=subject))
        if kinds_left_open(snapshot, stats, told, passage, question):
            return check.kind
    return None


def _tells_event_of(text: str, *, event: frozenset[str], subject: re.Pattern[str] | None) -> bool:
    """Whether the text tells of the event as it happened to what the question names (``subject``): not
    the trout introduced before the pike asked about, nor the quay walls designed beside the canal."""
    return tells_event(text, event) and (subject is None or speaks_of(text, subject))


def _members_from_elsewhere(
    snapshot: IndexSnapshot,
    stats: CorpusStats,
    analysis: QueryAnalysis,
    question: QuestionTerms,
    passage: Passage,
) -> str | None:
    """'members' when the question asks which ones of a country or a world region ('Which Asian cities
    are mentors?') and the lines of the passage naming members place them only in other countries
    ('Manizales (Colombia) · Mendoza (Argentina)'): the page lists no such ones."""
    members = next((check for check in question.checks if check.kind == "members"), None)
    if members is None:
        return None
    asked = set(analysis.countries) | _regions_asked(analysis.question)
    if not asked:
        return None
    listing = [
        set(gazetteer().mentioned(_BRACKETS.sub(" ", text)))
        for text in (snapshot.sentences[index].text for index in passage.indices(stats))
        if members.test(text)
    ]
    # a line placing its members one by one names two countries or more; 'Japan: Sapporo, Toyama' under a
    # list headed 'Europe: …' places none of the European ones
    placed = [codes for codes in listing if len(codes) >= _PLACED_ONE_BY_ONE]
    if not placed or any(codes & asked for codes in listing):
        return None
    return "members"


_BRACKETS = re.compile(r"[()\[\]·|;:]")
_PLACED_ONE_BY_ONE = 2


def _regions_asked(question: str) -> set[str]:
    """The countries of the world regions a question names or describes ('Asian cities', 'in Africa'),
    the European Union aside: 'European' also describes countries outside it."""
    folded = f" {fold(question)} "
    codes: set[str] = set()
    for region, members in gazetteer().regions.items():
        if region == "European Union":
            continue
        for name in {fold(region), fold(region).split(" and ")[0]}:  # 'Latin America (and the Caribbean)'
            *first, last = name.split()
            adjective = f"{last}n" if last.endswith("a") else f"{last}an" if last.endswith("e") else last
            if f" {name} " in folded or f" {' '.join([*first, adjective])} " in folded:
                codes |= members
    return codes


def _ordinal_word(member: str) -> str:
    """'forum 3' → 'third', 'call 21' → '21st'."""
    number = int(member.rsplit(" ", 1)[1])
    if 0 < number <= len(ORDINAL_WORDS):
        return ORDINAL_WORDS[number - 1]
    return next(written for written in _writings(number) if not written.isdigit())


def _member(name: str) -> str:
    """'lot 5' → 'Lot 5', 'kalix-3' → 'KALIX-3'."""
    return name.capitalize() if " " in name else name.upper()


def _dated_apart(
    snapshot: IndexSnapshot, stats: CorpusStats, analysis: QueryAnalysis, passage: Passage
) -> tuple[list[int], list[int]]:
    """The years the question asks of that the passage answering it never writes (its sentences, the
    lead's neighbours, its heading, the document's title and edition), where the lead dates its fact to
    other years. An applicant's own facts ('we joined back in 2018') ask of no year."""
    if passage.lead is None or FIRST_PERSON.search(analysis.question):
        return [], []
    asked = [int(year) for year in ANY_YEAR.findall(analysis.question)]
    if not asked:
        return [], []
    lead = passage.lead
    order = stats.document_sentences[passage.source]
    nearby = {lead.position - 1, lead.position + 1, *passage.positions} - {lead.position}
    meta = snapshot.documents[passage.source]
    around = [snapshot.sentences[order[p]].text for p in sorted(nearby) if 0 <= p < len(order)]
    around += [lead.chunk.section, meta.title, str(meta.edition or "")]
    return years_apart(asked, snapshot.sentences[lead.index].text, around)


_LISTED_YEARS = 6


def _years_spoken_of(years: frozenset[int]) -> str:
    """The years the documents speak of, as a list when few ('2025, 2026'), else as their span."""
    ordered = sorted(years)
    if len(ordered) <= _LISTED_YEARS:
        return ", ".join(map(str, ordered))
    return f"{ordered[0]}–{ordered[-1]}"


def _misspells_a_known_word(term: str, frequency: Mapping[str, int]) -> bool:
    """Whether the documents use a word one typing slip away ('deadine' for 'deadline'): a letter left
    out or added, or two letters swapped. Asked in a hurry, an unknown word is most often that. (A
    changed letter is left out: 'frequenc' of 'frequency' is one from 'frequent'.)"""
    if len(term) < SHORTEST_SLIPPED:
        return False
    return any(frequency.get(variant) for variant in slips(term) if variant != term)


def _of_another_edition(analysis: QueryAnalysis, meta: DocumentMeta) -> bool:
    """The question names an edition by its year ('the 2027 round') that the document never speaks of:
    what it says is of another edition."""
    if not analysis.edition_years:
        return False
    titled = _CALL_OF_YEAR.search(meta.title)
    if titled is not None and not FIRST_PERSON.search(analysis.question):
        # a call is of the year its title gives it ('Town Twinning call 2025'), whatever later years it
        # speaks of (when its projects run)
        return int(titled.group("year")) not in analysis.edition_years
    return not {*meta.years, *([meta.edition] if meta.edition else [])} & set(analysis.edition_years)


_CALL_OF_YEAR = re.compile(r"\bcall\b[^.:;|]{0,40}?\(?(?P<year>(?:19|20)\d\d)\)?\s*$", re.I)


# A question asking whether someone may take part: of a city no document names, the country's rules answer.
_TAKING_PART = re.compile(
    r"\b(?:apply|applying|applicants?|eligib\w*|take part|taking part|participat\w*|join|joining|"
    r"qualify|qualifies)\b",
    re.I,
)


def _names_in_document(names: Sequence[str], source: str, generation: Generation) -> bool:
    """The question names something, and the document writes every name it uses."""
    words = generation.stats.document_words.get(source, frozenset())
    return bool(names) and all(name in words for name in names)


def _names_written(analysis: QueryAnalysis, generation: Generation) -> list[bool]:
    """Whether a document writes it, for each name the question uses (countries aside)."""
    return [
        as_written(name, generation.vocabulary) in generation.vocabulary
        for name in analysis.names
        if gazetteer().code_of(name) is None
    ]


def _names_unwritten(analysis: QueryAnalysis, generation: Generation) -> bool:
    """Some name the question uses (countries aside) is one no document writes."""
    return not all(_names_written(analysis, generation))


def _names_the_unknown(analysis: QueryAnalysis, generation: Generation) -> bool:
    """Every name the question uses (countries aside) is one no document mentions: whatever it asks of
    that thing, the documents cannot say."""
    written = _names_written(analysis, generation)
    return bool(written) and not any(written)


def _about_another_programme(
    analysis: QueryAnalysis, source: str, snapshot: IndexSnapshot, generation: Generation
) -> bool:
    """The question names a programme, and the answer's document is neither that programme's nor
    mentions it: whatever it says, it says of another programme ('the deadline' of another call)."""
    named = programmes_named(analysis.subject, generation.programmes)
    if not named:
        return False
    meta = snapshot.documents[source]
    if meta.programme in named:
        return False
    document = generation.stats.document_words.get(source, frozenset())
    for programme in named:
        for name in PROGRAMMES.get(programme, (programme,)):
            if all(word in document for word in words(name)):
                return False
    return True


# An acronym written by this many documents at most names one thing (a programme, a network, a call), not a
# word of the field ('EU', 'ERDF'), and the documents not writing it speak of other things.
_RARE_ACRONYM_DOCUMENTS = 3
_QUESTION_ACRONYM = re.compile(r"\b(?![IVXLC]+\b)[A-Z][A-Z0-9]{1,7}\b")  # not a Roman numeral ('URBACT III')


def _of_another_acronym(
    analysis: QueryAnalysis, source: str, snapshot: IndexSnapshot, generation: Generation
) -> bool:
    """The question names a thing by an acronym a few documents write, and the answer's document neither
    writes it, nor the words it stands for, nor is labelled with it: what it says is of another thing."""
    stats = generation.stats
    own = stats.document_words.get(source, frozenset()) | stats.document_label_words.get(source, frozenset())
    for match in _QUESTION_ACRONYM.finditer(analysis.question):
        acronym = match.group(0).lower()
        if acronym in own or gazetteer().code_of(acronym) is not None or acronym in lexicon().synonyms:
            continue
        writing = [name for name, written in stats.document_words.items() if acronym in written]
        if not 0 < len(writing) <= _RARE_ACRONYM_DOCUMENTS:
            continue
        phrase = generation.acronyms(snapshot).expansions.get(acronym)
        if phrase is not None and all(word in own for word in words(phrase)):
            continue
        return True
    return False


TABLE_SHARE = 0.5  # of a question's terms a pairings table must know for the question to be about it


def _mostly_of_table(analysis: QueryAnalysis, tables: PairingTables) -> bool:
    """Whether what the question says beside the countries it names is in the table's terms (its cities,
    topics, and words for pairings): a question that names a country of the table but asks of something
    else (its coastline, the languages spoken in its cities) is for the text to answer."""
    countries = {term for name in analysis.names if names_a_place(name) for term in terms(name)}
    said = [term for term in analysis.focus if term not in countries]
    return not said or sum(term in tables.vocabulary for term in said) >= TABLE_SHARE * len(said)


def _names_in(analysis: QueryAnalysis, document_words: frozenset[str], also: set[str] | None = None) -> bool:
    """Whether a document mentions every name the question (and the conversation) uses, countries and
    ``also`` aside: structured knowledge from it can only answer a question about what it covers."""
    return all(
        name in document_words or name in (also or set()) or gazetteer().code_of(name) is not None
        for name in analysis.names
    )


def strongest_evidence(question: QuestionTerms, ranked: list[Candidate]) -> float:
    """The ranker's score of the lead, as evidence that the documents answer. Asked for the steps, a
    page's steps are as strong as its best-ranked sentence that led before them: they rarely use the
    question's words."""
    return max(c.score for c in ranked) if question.asks_procedure else ranked[0].score


def _met(candidate: Candidate, question: QuestionTerms, best: Candidate) -> tuple[bool, bool, int]:
    """The question's hard demands a sentence meets: first, whether its document uses every name the
    question does, countries aside ('Interreg Europe': a sentence of another programme's call is not
    about it; 'cities in Germany' is met by naming the country, counted next); then, asked how a thing
    is done, what to hand in or what comes next, whether it stands among the page's steps ('How to
    apply', 'Step by step') rather than in its introduction, which names more of what is asked; then how
    many of these it meets: it holds each kind of thing asked for ('when is the deadline?': a date that
    is a deadline), every name that tells this document's sentences apart ('Kuopio'), every country asked
    about ('Canadian cities': Canada), for a yes/no question a plain 'no' about what it asks ('No direct
    funding…' for 'is there funding?'; not 'No minimum population' for 'is there a minimum number of
    organisations?' when the best-ranked sentence speaks of twice as much of the question), and no
    other of a series than the one asked for ('KALIX-3' for 'KALIX-2')."""
    values = candidate.values
    return (
        bool(question.names_besides_countries) and values["document_names_all"] == 1.0,
        question.asks_procedure and values["procedure"] == 1.0,
        (values["kind_every"] == 1.0 if question.checks else 0)
        + (values["names_all"] == 1.0 if question.names else 0)
        + (values["countries"] == 1.0 if question.countries else 0)
        + (_settles(candidate, best) if question.polar else 0)
        + (int(values["designation"] + 1) if question.asks_of_a_series else 0)
        # a band holding the asker's figure picks among lines giving what is asked ('5,000 to 40,000
        # inhabitants' tells who may apply; asked how much, the fee row for that band answers)
        + (
            values["band"] == 1.0 and (not question.checks or values["kind_every"] == 1.0)
            if question.figures
            else 0
        ),
    )


def _settles(candidate: Candidate, best: Candidate) -> bool:
    coverage = candidate.values["coverage"]
    return candidate.values["settles"] == 1.0 and coverage > 0.0 and coverage >= best.values["coverage"] / 2


def _meeting_demands(ranked: list[Candidate], question: QuestionTerms) -> list[Candidate]:
    """The ranker weighs everything softly; what a question demands outright is decisive among close
    sentences: when the best-ranked one meets fewer of the question's demands than one ranked close
    behind it (or anywhere near the top in the same document, where retrieval found it), that one leads.
    A sentence whose document uses the names the question does, where the best one's does not, may be
    ranked further behind."""
    if not ranked:
        return ranked
    best = ranked[0]
    wanted = _met(best, question, best)

    def within_reach(candidate: Candidate, met: tuple[bool, bool, int]) -> bool:
        reach = NAMED_MARGIN if met[0] > wanted[0] else KIND_MARGIN
        return best.score - candidate.score <= reach or (
            candidate.source == best.source
            # the page's steps, wherever they stand: their words are rarely the question's
            and (candidate.values["retrieved"] == 1.0 or met[1] > wanted[1])
        )

    met = [(c, _met(c, question, best)) for c in ranked[1:KIND_WITHIN]]
    better = [(c, demands) for c, demands in met if demands > wanted and within_reach(c, demands)]
    if not better:
        return ranked
    lead, _ = max(better, key=lambda item: (item[1], item[0].score))
    return [lead, *(c for c in ranked if c is not lead)]


def _mismatches(analysis: QueryAnalysis, passage: str) -> dict[str, float]:
    """Whether the question says 'not' where the passage does not, or a word whose opposite the passage
    writes ('the earliest' of 'the latest…'): marks of a question that only looks like the one it answers."""
    asked = analysis.question
    negated = asks_not(asked) and not says_not(passage)
    return {"negation": float(negated), "polarity": float(bool(turned_around(asked, passage)))}


def _missing(
    snapshot: IndexSnapshot, question: QuestionTerms, stats: CorpusStats, passage: Passage
) -> dict[str, float]:
    """The question's terms the passage does not speak of (itself, through a synonym, or in the heading it
    stands under): how many, and the largest share of the question's weight one of them carries. A
    look-alike question keeps most of the passage's words and swaps one."""
    indices = passage.indices(stats)
    own = frozenset().union(*(stats.sentence_terms[i] for i in indices)) if indices else frozenset()
    whole = frozenset().union(*(stats.sentence_own_terms[i] for i in indices)) if indices else frozenset()
    context = frozenset(
        term for i in indices for term in stats.chunk_context_terms.get(snapshot.sentences[i].chunk_id, ())
    )
    # The word naming the kind of thing asked ('which country', 'how tall') is answered by an instance of
    # it ('in southern Romania', '38 metres'), not by the word: in the lead sentence, which the passage is
    # about ('how tall is the hut?' is not answered by the mast's height two sentences on).
    lead = snapshot.sentences[passage.lead.index].text if passage.lead is not None else ""
    kind_words = {
        term for check in question.checks if check.test(lead) for term in terms(" ".join(check.type_words))
    }
    # 'the minimum number of partners' is answered by 'at least three partners'
    limits = {term for word in LIMIT_WORDS for term in terms(word)} if states_limit(lead) else set()
    document = (snapshot.sentences[i].text for i in stats.document_sentences[passage.source])
    asked_for = kind_words | lexicon().value_names | limits | question.named_with(document)
    total = sum(question.rest.values()) or 1.0
    missing = [
        w
        for term, w in question.rest.items()
        if term not in asked_for and question.credit(term, own, whole, context) < 0.5
    ]
    return {"missing": float(len(missing)), "missing_weight": max(missing, default=0.0) / total}


def _numbers_missing(analysis: QueryAnalysis, document_words: frozenset[str]) -> float:
    """How many of the question's small figures its best document never writes: the number of a call, a
    lot or a round ('call 5'), not the applicant's own facts ('8,000 residents') nor years."""
    figures = [number for number in analysis.numbers if number not in analysis.years and number <= NUMBERING]
    return float(sum(document_words.isdisjoint(_writings(number)) for number in figures))


_CARDINALS = "one two three four five six seven eight nine ten eleven twelve".split()


def _writings(number: int) -> set[str]:
    """The ways a document may write a call's or round's number: '3', '3rd', 'third', 'three'."""
    suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    written = {str(number), f"{number}{suffix}"}
    if 1 <= number <= len(ORDINAL_WORDS):
        written |= {ORDINAL_WORDS[number - 1], _CARDINALS[number - 1]}
    return written


def _checked_facts(
    snapshot: IndexSnapshot, asking: str, question: str, history: Sequence[Turn]
) -> ApplicantProfile | None:
    """The applicant's facts a call's rules check: there are rules, what is asked (``asking``, read
    without its courteous opening) asks for a verdict, and the conversation gives facts."""
    # 'Could you tell me: which Greek cities take part…?' asks which cities, not whether the asker may
    # take part.
    if not snapshot.rules or not is_eligibility_question(without_courtesy(asking)):
        return None
    return _profile(question, history)


def _profile(question: str, history: Sequence[Turn]) -> ApplicantProfile | None:
    """The applicant's facts: those the question gives, over those given earlier in the conversation. An
    earlier fact the newer ones contradict is dropped, the others kept ('a town of 60,000 in Italy', then
    'what if we apply together with two towns?': a group in Italy, no longer a town)."""
    given = [profile_from_question(turn.question) for turn in history] + [profile_from_question(question)]
    facts: dict[str, object] = {}
    for profile in reversed([profile for profile in given if profile is not None]):  # the newest first
        stated = profile.model_dump(exclude_unset=True)
        if (
            facts.get("group") is True
            and stated.get("group") is not True
            and stated.get("population_qualifier") is Qualifier.EXACT
        ):
            # one member's population, given before the group was: the group totals at least that
            stated["population_qualifier"] = Qualifier.AT_LEAST
        for name, value in stated.items():
            if name in facts:
                continue
            try:
                ApplicantProfile.model_validate({**facts, name: value})
            except ValidationError:
                continue
            facts[name] = value
    # each fact was kept only if valid with those kept before it: together they are valid
    return ApplicantProfile.model_validate(facts) if facts else None
