"""Offline answers, no LLM: the best supporting sentences and table rows, each with its citation, or
an honest "the documents don't answer this" with the closest they cover and whom to contact."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

import numpy as np

from assistant.answering.answer_types import answer_checks, is_polar, settles
from assistant.answering.editions import (
    DeadlineNote,
    Editions,
    QuestionClass,
    authority,
    classify_question,
    deadline_note,
    full_name,
    programmes_named,
)
from assistant.answering.pairings import PairingCriteria, extract_criteria, find_pairings, table_vocabulary
from assistant.answering.query import QueryAnalysis
from assistant.answering.retrieval import CorpusStats, RetrievedChunk
from assistant.citations import CitationBuilder
from assistant.models import Composed, Filters, Notice
from ingest.embedder import Vectors
from ingest.geo import gazetteer
from ingest.models import Chunk, DocumentMeta, PairingRow, Sentence
from ingest.store import IndexSnapshot
from ingest.structure import without_numbering
from ingest.textutil import EMAIL, stem, terms, words
from prompts import load_prompt, say

_LIST_ITEM = re.compile(r"^(?:[-•*]\s+|\(?\d{1,2}[.)]\s+|- \d{1,2}\)\s+)")
_MAX_SENTENCES = 4
_SHORT_ITEM = 80  # list items up to this long are names or labels, read as one whole list
# Openings of a sentence that carries on from the one before rather than starting a new point.
_CONTINUES = re.compile(
    r"^(several|these|this|they|it|such|both|in addition|additionally|furthermore|"
    r"moreover|notably|in particular|for example|for instance|including)\b",
    re.I,
)
# How a candidate sentence is weighed: meaning (dense) against the question's own terms (coverage).
_DENSE_WEIGHT = 0.5
_MIN_COVERAGE = 0.45
_MIN_DENSE = 0.3
_MIN_REST_COVERAGE = 0.3
_POINTS_ELSEWHERE = re.compile(
    r"\b(below|above-mentioned|as follows|the following|can be found here|see (the )?(table|annex|below))\b",
    re.I,
)
_PAIRING_TALK = re.compile(r"\bpartners?\b|\bworks? on\b|\bcooperat|\bcollaborat|\btopics?\b", re.I)
_FIELD_KEY = re.compile(r"^([A-Z][\w ()/'&-]{1,40}):(?:\s+\S|\s*$)")


@dataclass
class _Candidate:
    index: int
    sentence: Sentence
    chunk: Chunk
    dense: float
    coverage: float
    names_ok: bool
    score: float = 0.0
    rest_coverage: float = 1.0  # coverage of the terms that are not names: what is asked about them
    anchored: bool = False  # a 'Key: value' line whose key the question names
    answers: dict[str, float] = field(default_factory=dict)  # rest terms it speaks to, with their weight
    holds_answer: bool = False  # holds the kind of thing asked for (a date, a count, a duration…)
    about_name: bool = False  # in a section headed by a name the question uses ('3.1 Hamburg')


@lru_cache(maxsize=1)
def _out_of_scope_patterns() -> list[re.Pattern[str]]:
    return [re.compile(line, re.I) for line in load_prompt("out_of_scope_patterns").splitlines() if line]


def _clean(text: str) -> str:
    return _LIST_ITEM.sub("", text).strip()


def _with_marker(text: str, marker: int) -> str:
    text = _clean(text)
    if text and text[-1] in ".!?:":
        return f"{text[:-1]} [{marker}]{text[-1] if text[-1] != ':' else '.'}"
    return f"{text} [{marker}]."


def _list_runs(members: list[_Candidate]) -> list[list[_Candidate]]:
    """Consecutive sentences, with each run of adjacent list items of one chunk kept together."""
    runs: list[list[_Candidate]] = []
    for member in members:
        previous = runs[-1][-1] if runs else None
        if (
            previous is not None
            and _LIST_ITEM.match(member.sentence.text)
            and _LIST_ITEM.match(previous.sentence.text)
            and member.chunk.id == previous.chunk.id
            and member.index == previous.index + 1
        ):
            runs[-1].append(member)
        else:
            runs.append([member])
    return runs


def _render_sentences(members: list[_Candidate], builder: CitationBuilder) -> str:
    """Sentences in document order, each with its marker; a list reads as one line with one citation
    whose quote is the list as it stands in the chunk."""
    parts: list[str] = []
    runs = _list_runs(members)
    for position, run in enumerate(runs):
        first = run[0]
        quote = "\n".join(member.sentence.text for member in run)
        if len(run) > 1 and quote in first.chunk.text:
            items = "; ".join(_clean(member.sentence.text).rstrip(".;") for member in run)
            parts.append(f"{items} [{builder.cite_text(first.chunk, quote)}].")
            continue
        for member in run:
            marker = builder.cite_text(member.chunk, member.sentence.text)
            text = member.sentence.text.rstrip()
            leads_list = position + 1 < len(runs) and _LIST_ITEM.match(runs[position + 1][0].sentence.text)
            if text.endswith(":") and leads_list:
                parts.append(f"{_clean(text)[:-1]} [{marker}]:")
            else:
                parts.append(_with_marker(text, marker))
    return " ".join(parts)


class OfflineComposer:
    def __init__(
        self,
        snapshot: IndexSnapshot,
        stats: CorpusStats,
        max_chars: int,
        today: date | None = None,
        filters: Filters | None = None,
    ) -> None:
        self.snapshot = snapshot
        self.filters = filters or Filters()
        self.stats = stats
        self.max_chars = max_chars
        self.today = today or date.today()
        self.editions = Editions.of(snapshot.documents.values())
        self.programmes = {meta.programme for meta in snapshot.documents.values() if meta.programme}

    # --- entry ----------------------------------------------------------------------------------
    def compose(
        self, analysis: QueryAnalysis, query_vector: Vectors, retrieved: list[RetrievedChunk]
    ) -> Composed:
        if any(pattern.search(analysis.question) for pattern in _out_of_scope_patterns()):
            return self._decline(retrieved)
        unknown_years = [year for year in analysis.years if not self._year_known(year)]
        if unknown_years:
            covered = sorted({year for meta in self.snapshot.documents.values() for year in meta.years})
            about = (
                say(
                    "offline.unknown_years",
                    years=", ".join(map(str, unknown_years)),
                    covered=", ".join(map(str, covered)),
                )
                if covered
                else ""
            )
            return self._abstain(retrieved, query_vector, analysis, about=about)
        candidates = self._candidates(analysis, query_vector, retrieved)
        pairing = self._pairings(analysis, retrieved, candidates)
        if pairing is not None and not pairing.abstained:
            return pairing
        text = self._from_text(analysis, query_vector, retrieved, candidates)
        # The table's own "no such pairing" says more than a general abstention.
        return pairing if pairing is not None and text.abstained else text

    def _year_known(self, year: int) -> bool:
        return any(year in meta.years for meta in self.snapshot.documents.values())

    # --- pairings ---------------------------------------------------------------------------------
    def _pairings(
        self, analysis: QueryAnalysis, retrieved: list[RetrievedChunk], candidates: list[_Candidate]
    ) -> Composed | None:
        """An answer from the pairings table, when the question is about pairings; None otherwise."""
        rows = [
            row for row in self.snapshot.pairings if self.filters.admits(self.snapshot.chunks[row.chunk_id])
        ]
        if not rows:
            return None
        criteria = extract_criteria(analysis, rows)
        if criteria.empty:
            return None
        if candidates and candidates[0].about_name:
            return None  # a section about the city or region named ('3.4 Murcia') answers better
        table_words = table_vocabulary(rows)
        cued = analysis.pairing_cue or (bool(criteria.cities) and _PAIRING_TALK.search(analysis.question))
        table_on_top = bool(retrieved) and retrieved[0].chunk.is_table
        unasked = [
            term for term in analysis.focus if term not in table_words and gazetteer().code_of(term) is None
        ]
        if not (cued or (table_on_top and not unasked)):
            return None
        matches = find_pairings(rows, criteria)
        builder = CitationBuilder(self.snapshot.chunks)
        if not matches:
            located = find_pairings(
                rows, PairingCriteria(cities=criteria.cities, countries=criteria.countries)
            )
            if located or not (criteria.countries or criteria.cities):
                return None  # the places are in the table; what is asked of them is not
            asked = ", ".join([gazetteer().name_of(code) for code in criteria.countries] + criteria.cities)
            listed = sorted({row.partner_country for row in rows} | {row.eu_country for row in rows})
            table_chunk = self.snapshot.chunks[rows[0].chunk_id]
            header = table_chunk.text.split("\n", 1)[0]
            marker = builder.cite_text(table_chunk, header)
            parts = [
                load_prompt("offline_abstain").format(about=""),
                say("offline.no_such_pairing", asked=asked, marker=marker, countries=", ".join(listed)),
                *self._contact(builder, table_chunk),
            ]
            return self._finish(" ".join(parts), builder, abstained=True)
        return self._finish(
            self._render_rows(matches, criteria.topics, builder),
            builder,
            abstained=False,
            pairing_ids=[row.id for row in matches],
        )

    def _render_rows(self, rows: list[PairingRow], topics: list[str], builder: CitationBuilder) -> str:
        source = self.snapshot.documents.get(rows[0].source)
        edition = f" ({source.title})" if source else ""
        lead = (
            say("offline.pairing_one", edition=edition)
            if len(rows) == 1
            else say("offline.pairing_many", count=len(rows), edition=edition)
        )
        lead += say("offline.pairing_topics", topics=" / ".join(sorted(set(topics)))) if topics else ":"
        lines = []
        for row in rows:
            marker = builder.cite_text(self.snapshot.chunks[row.chunk_id], row.quote)
            lines.append(
                f"- {row.eu_city} ({row.eu_country}) – {row.partner_city} ({row.partner_country}): "
                f"{row.topics} [{marker}]"
            )
        text = "\n".join([lead, *lines])
        if len(text) > self.max_chars:  # many rows: names only, so the list stays complete
            lines = [f"{row.eu_city}–{row.partner_city} [{builder.marker_of(row.quote)}]" for row in rows]
            text = lead + " " + "; ".join(lines) + "."
        return self._fit(text)

    # --- text -------------------------------------------------------------------------------------
    def _candidates(
        self, analysis: QueryAnalysis, query_vector: Vectors, retrieved: list[RetrievedChunk]
    ) -> list[_Candidate]:
        focus = analysis.focus or terms(analysis.subject)
        # Squared idf: the rare, specific words of a question decide what answers it.
        weights = {term: self.stats.idf(term) ** 2 for term in focus}
        known = sorted(weight for term, weight in weights.items() if self.stats.document_frequency.get(term))
        for term, weight in weights.items():
            if self.stats.document_frequency.get(term):
                continue
            # A word no document uses weighs as its rarest synonym the documents do use ('money' as
            # 'funding'), or, having none, as an average word: it cannot tell candidates apart.
            used = [
                self.stats.idf(synonym) ** 2
                for synonym in analysis.expanded(term)
                if self.stats.document_frequency.get(synonym)
            ]
            weights[term] = max(used) if used else (known[len(known) // 2] if known else weight)
        for term in analysis.asked:
            if term in weights:
                weights[term] *= 2  # what the question asks for counts more than what it is about
        name_stems = {stem(name) for name in analysis.names}
        rest = {term: weight for term, weight in weights.items() if term not in name_stems}
        checks = answer_checks(analysis.question)
        polar = is_polar(analysis.question)
        question_terms = {expanded for term in focus for expanded in analysis.expanded(term)}
        question_class = classify_question(analysis.question)
        named = programmes_named(analysis.subject, self.programmes)
        candidates: list[_Candidate] = []
        for rank, hit in enumerate(retrieved):
            chunk = hit.chunk
            standing = self._standing(self.snapshot.documents[chunk.source], question_class, named, analysis)
            context_terms = set(terms(f"{chunk.section} {chunk.title} {chunk.programme or ''}"))
            document_words = self.stats.document_words.get(chunk.source, frozenset())
            names_ok = all(name in document_words for name in analysis.names)
            heading = without_numbering(chunk.section.rsplit(" > ", 1)[-1])
            heading_terms = set(terms(heading))
            heading_match = bool(heading_terms) and heading_terms <= question_terms
            heading_words = set(words(heading))
            about_name = heading_match and any(name in heading_words for name in analysis.names)
            for index in self.snapshot.sentences_by_chunk.get(chunk.id, []):
                sentence = self.snapshot.sentences[index]
                own = self.stats.sentence_terms[index]
                whole = self.stats.sentence_own_terms[index]
                credit = {term: self._credit(term, own, whole, context_terms, analysis) for term in weights}
                passed = [check for check in checks if check.test(sentence.text)]
                for check in passed:
                    for word in check.type_words:
                        for term in terms(word):
                            if term in credit:
                                credit[term] = 1.0  # '144 seats' answers 'how many people'
                coverage = sum(weights[term] * credit[term] for term in weights) / (
                    sum(weights.values()) or 1.0
                )
                rest_coverage = (
                    sum(rest[term] * credit[term] for term in rest) / sum(rest.values()) if rest else 1.0
                )
                dense = float(np.dot(self.snapshot.sentence_vectors[index], query_vector))
                candidate = _Candidate(
                    index,
                    sentence,
                    chunk,
                    dense,
                    coverage,
                    names_ok,
                    rest_coverage=rest_coverage,
                    answers={term: rest[term] for term in rest if credit[term] >= 0.8},
                )
                candidate.about_name = about_name
                candidate.score = (
                    _DENSE_WEIGHT * dense
                    + (1 - _DENSE_WEIGHT) * rest_coverage
                    + 0.02 * (len(retrieved) - rank) / len(retrieved)
                )
                if analysis.names:
                    mentioned = set(words(sentence.text)) | set(words(chunk.section))
                    candidate.score += (
                        0.05 * sum(name in mentioned for name in analysis.names) / len(analysis.names)
                    )
                if (field := _FIELD_KEY.match(sentence.text)) and set(
                    terms(field.group(1))
                ) <= question_terms:
                    candidate.anchored = True
                    candidate.score += 0.15  # 'Timeframe: 5 years' answers 'what timeframe ...?'
                if checks:
                    # Asked for a date, a count or an address: a sentence holding one answers.
                    candidate.holds_answer = bool(passed)
                    candidate.score += 0.05 * len(passed) if passed else -0.15
                if heading_match:
                    candidate.score += 0.08
                if _POINTS_ELSEWHERE.search(sentence.text):
                    candidate.score -= 0.1  # 'the outcomes are spelled out below' is not the outcomes
                if polar and settles(sentence.text):
                    candidate.score += 0.08  # 'Does it give money?' is settled by 'No direct funding…'

                if not names_ok:
                    candidate.score -= 0.25
                candidate.score += standing
                candidates.append(candidate)
        candidates.sort(key=lambda candidate: candidate.score, reverse=True)
        return candidates

    def _standing(
        self, meta: DocumentMeta, question: QuestionClass, named: list[str], analysis: QueryAnalysis
    ) -> float:
        """How far a document's kind, programme and edition make it the one to answer from: binding
        text for eligibility, takeaways for lessons, the programme named, the newest edition (or the one
        whose year the question gives)."""
        shift = authority(meta.kind, question)
        if named and meta.programme:
            shift += 0.05 if meta.programme in named else -0.05
        if meta.edition and analysis.years and self.editions.count.get(meta.programme or "", 0) > 1:
            shift += 0.08 if meta.edition in analysis.years else -0.05
        elif self.editions.is_superseded(meta):
            shift -= 0.05
        return shift

    @staticmethod
    def _credit(
        term: str, own: frozenset[str], whole: frozenset[str], context: set[str], analysis: QueryAnalysis
    ) -> float:
        """How far a sentence speaks of a question term: itself, a synonym, or only its surroundings.
        Half as much when the word is only part of a compound ('funded' in 'EU-funded')."""
        synonyms = analysis.expanded(term)
        if term in whole:
            return 1.0
        if synonyms & whole:
            return 0.8
        if term in own:
            return 0.5
        if synonyms & own:
            return 0.4
        return 0.6 if term in context else 0.0

    def _asks_the_unknown(self, analysis: QueryAnalysis) -> bool:
        """What is asked for is a word no document uses, nor any synonym of it ('the mayor of…',
        'the registration fee…'): the documents cannot hold the answer."""
        frequency = self.stats.document_frequency
        return any(
            not any(frequency.get(synonym) for synonym in analysis.expanded(term))
            for term in analysis.attribute
        )

    def _answerable(self, best: _Candidate) -> bool:
        if not best.names_ok:
            return False
        if best.anchored:
            return True  # 'Timeframe: 5 years' for 'what timeframe…': short, so its dense score is low
        # Holding the very kind of thing asked for (the date of a 'when…?') makes up for fewer words.
        if best.rest_coverage < (_MIN_REST_COVERAGE - 0.1 if best.holds_answer else _MIN_REST_COVERAGE):
            return False
        if best.dense < _MIN_DENSE:
            return False
        return best.rest_coverage >= _MIN_COVERAGE or (
            best.dense >= 0.5 and best.rest_coverage >= (0.2 if best.holds_answer else 0.3)
        )

    def _from_text(
        self,
        analysis: QueryAnalysis,
        query_vector: Vectors,
        retrieved: list[RetrievedChunk],
        candidates: list[_Candidate],
    ) -> Composed:
        if self._asks_the_unknown(analysis):
            return self._abstain(retrieved, query_vector, analysis, candidates=candidates)
        if not candidates or not self._answerable(candidates[0]):
            return self._abstain(retrieved, query_vector, analysis, candidates=candidates)
        chosen = self._select(candidates)
        builder = CitationBuilder(self.snapshot.chunks)
        groups: dict[str, list[_Candidate]] = {}
        for candidate in chosen:
            groups.setdefault(candidate.chunk.source, []).append(candidate)
        paragraphs = []
        notices: list[Notice] = []
        # The edition in force leads; an older one follows under its own label.
        ordered = sorted(groups.items(), key=lambda item: self._behind(item[0], analysis))
        for source, members in ordered:
            members.sort(key=lambda candidate: candidate.index)
            body = _render_sentences(members, builder)
            if len(groups) > 1:
                body = f"{self._label(source)}: {body}"
            if self._behind(source, analysis):
                notices.append(
                    Notice(
                        kind="older_edition",
                        text=say("notices.older_edition", label=self._label(source)),
                        source=source,
                    )
                )
            notes = self._deadline_notes(members)
            notices += [
                Notice(kind="deadline_passed", text=note.text, source=source) for note in notes if note.passed
            ]
            paragraphs.append(" ".join([body, *(note.text for note in notes)]))
        lead = self._programme_lead(analysis, [self.snapshot.documents[source] for source in groups])
        composed = self._finish(lead + "\n\n".join(paragraphs), builder, abstained=False)
        composed.notices = notices
        return composed

    def _behind(self, source: str, analysis: QueryAnalysis) -> bool:
        meta = self.snapshot.documents[source]
        return self.editions.is_superseded(meta) and meta.edition not in analysis.years

    def _deadline_notes(self, members: list[_Candidate]) -> list[DeadlineNote]:
        """Each deadline the chosen sentences give, said to be passed or still ahead as of today."""
        notes: list[DeadlineNote] = []
        for member in members:
            meta = self.snapshot.documents[member.chunk.source]
            note = deadline_note(member.sentence.text, meta, self.today)
            if note and note not in notes:
                notes.append(note)
        return notes

    def _programme_lead(self, analysis: QueryAnalysis, sources: list[DocumentMeta]) -> str:
        """When the documents cover several programmes and the question names none, say which one the
        answer speaks of (answers from several sources name each in their labels)."""
        if (
            len(self.programmes) < 2
            or programmes_named(analysis.subject, self.programmes)
            or len(sources) != 1
        ):
            return ""
        programme = sources[0].programme
        return say("offline.programme_lead", programme=full_name(programme)) if programme else ""

    def _label(self, source: str) -> str:
        meta = self.snapshot.documents[source]
        parts = [f"{meta.programme} {meta.kind.value}" if meta.programme else meta.kind.value]
        if meta.edition:
            parts.append(f"{meta.edition} edition")
        return f"{meta.title} ({', '.join(parts)})"

    def _select(self, candidates: list[_Candidate]) -> list[_Candidate]:
        """The best sentence with what it introduces or continues, then strong sentences that add what
        is still unanswered ('what resources and timeframe…' wants both lines), none repeating another."""
        best = candidates[0]
        chosen = [best]
        budget = self.max_chars - len(best.sentence.text) - 160
        chosen, budget = self._extend(chosen, best, budget)
        seen_terms = [self.stats.sentence_terms[candidate.index] for candidate in chosen]
        answered = {term for candidate in chosen for term in candidate.answers}
        weights = {term: weight for candidate in candidates for term, weight in candidate.answers.items()}
        total = sum(weights.values()) or 1.0
        limit = 2 if len(chosen) > 2 else _MAX_SENTENCES
        pool = [
            candidate
            for candidate in candidates[1:]
            if candidate.score >= 0.8 * best.score
            and candidate.names_ok
            and candidate.index not in {chosen_one.index for chosen_one in chosen}
            and (candidate.anchored or not candidate.sentence.text.rstrip().endswith(":"))
        ]
        while pool and len(chosen) < limit:
            pick = max(pool, key=lambda candidate: self._gain(candidate, answered, total))
            pool.remove(pick)
            own = self.stats.sentence_terms[pick.index]
            if any(len(own & other) / max(1, len(own | other)) > 0.6 for other in seen_terms):
                continue
            if len(pick.sentence.text) + 60 > budget:
                continue
            chosen.append(pick)
            if pick.sentence.text.rstrip().endswith(":"):
                chosen, budget = self._extend(chosen, pick, budget)
            seen_terms.append(own)
            answered |= set(pick.answers)
            budget -= len(pick.sentence.text) + 40
        return chosen + self._other_source(candidates, chosen, budget)

    def _other_source(
        self, candidates: list[_Candidate], chosen: list[_Candidate], budget: int
    ) -> list[_Candidate]:
        """When the answer is a date, a count or a duration, another document's figure for the same
        question is shown beside it, labelled with its source ('18 months' in the call, a '12 months'
        process in the factsheet), so differing sources are kept apart rather than one hidden."""
        best = chosen[0]
        if not best.holds_answer:
            return []
        sources = {candidate.chunk.source for candidate in chosen}
        for candidate in candidates:
            if candidate.score < 0.6 * best.score:
                break
            if (
                candidate.chunk.source not in sources
                and candidate.holds_answer
                and candidate.names_ok
                and candidate.answers
                and len(candidate.sentence.text) + 80 <= budget
            ):
                return [candidate]
        return []

    @staticmethod
    def _gain(candidate: _Candidate, answered: set[str], total: float) -> float:
        """Its score, and more for what it answers that the chosen sentences leave open."""
        new = sum(weight for term, weight in candidate.answers.items() if term not in answered)
        return candidate.score + 0.3 * new / total

    def _extend(
        self, chosen: list[_Candidate], best: _Candidate, budget: int
    ) -> tuple[list[_Candidate], int]:
        """A sentence introducing a list ('…four main objectives:') brings its items; one followed by a
        sentence that continues it ('Several options have been proposed, including: (1) …') brings that."""
        siblings = self.snapshot.sentences_by_chunk.get(best.chunk.id, [])
        anchor = best.index
        if _LIST_ITEM.match(best.sentence.text):
            # An item of a list is read with the line leading it in; a list of short items (names,
            # countries) comes whole, while from a list of long items the one that answers is enough.
            lead = self._lead_in(siblings, best.index)
            if lead is not None:
                sentence = self.snapshot.sentences[lead]
                chosen.append(
                    _Candidate(lead, sentence, best.chunk, best.dense, best.coverage, True, best.score)
                )
                budget -= len(sentence.text) + 20
                items = self._items_after(siblings, lead)
                if all(len(self.snapshot.sentences[index].text) <= _SHORT_ITEM for index in items):
                    anchor = lead
                else:
                    return chosen, budget
        taken = {candidate.index for candidate in chosen}
        following = [index for index in siblings if index > anchor]
        introduces_list = self.snapshot.sentences[anchor].text.rstrip().endswith(":")
        for index in following:
            sentence = self.snapshot.sentences[index]
            if introduces_list:
                fits = _LIST_ITEM.match(sentence.text) is not None
            else:
                fits = index == best.index + 1 and _CONTINUES.match(sentence.text) is not None
            if not fits or len(sentence.text) + 20 > budget:
                break
            if index in taken:
                continue
            chosen.append(
                _Candidate(index, sentence, best.chunk, best.dense, best.coverage, True, best.score)
            )
            budget -= len(sentence.text) + 20
            if not introduces_list and not sentence.text.rstrip().endswith(":"):
                break
            introduces_list = True
        return chosen, budget

    def _items_after(self, siblings: list[int], lead: int) -> list[int]:
        items = []
        for index in siblings:
            if index <= lead:
                continue
            if not _LIST_ITEM.match(self.snapshot.sentences[index].text):
                break
            items.append(index)
        return items

    def _lead_in(self, siblings: list[int], item: int) -> int | None:
        """The sentence ending in ':' that a run of list items up to ``item`` hangs from."""
        for index in reversed([index for index in siblings if index < item]):
            text = self.snapshot.sentences[index].text
            if _LIST_ITEM.match(text):
                continue
            return index if text.rstrip().endswith(":") else None
        return None

    # --- abstention -------------------------------------------------------------------------------
    def _abstain(
        self,
        retrieved: list[RetrievedChunk],
        query_vector: Vectors,
        analysis: QueryAnalysis,
        about: str = "",
        candidates: list[_Candidate] | None = None,
    ) -> Composed:
        builder = CitationBuilder(self.snapshot.chunks)
        parts = [load_prompt("offline_abstain").format(about=about)]
        closest = candidates[0] if candidates else None
        if closest is None and retrieved:
            found = self._candidates(analysis, query_vector, retrieved[:3])
            closest = found[0] if found else None
        if closest is not None:
            marker = builder.cite_text(closest.chunk, closest.sentence.text)
            parts.append(
                say(
                    "offline.closest",
                    title=closest.chunk.title,
                    quote=_clean(closest.sentence.text),
                    marker=marker,
                )
            )
        parts.extend(self._contact(builder, closest.chunk if closest else None))
        return self._finish(" ".join(parts), builder, abstained=True)

    def _decline(self, retrieved: list[RetrievedChunk]) -> Composed:
        builder = CitationBuilder(self.snapshot.chunks)
        parts = [load_prompt("offline_decline")]
        parts.extend(self._contact(builder, retrieved[0].chunk if retrieved else None))
        return self._finish(" ".join(parts), builder, abstained=True)

    def _contact(self, builder: CitationBuilder, near: Chunk | None) -> list[str]:
        """The sentence naming a contact address, from the programme closest to the question."""
        options: list[tuple[int, Sentence]] = []
        for sentence in self.snapshot.sentences:
            if EMAIL.search(sentence.text) and re.search(
                r"contact|information|question", sentence.text, re.I
            ):
                chunk = self.snapshot.chunks[sentence.chunk_id]
                same_programme = near is not None and chunk.programme == near.programme
                options.append((0 if same_programme else 1, sentence))
        if not options:
            return []
        options.sort(key=lambda option: option[0])
        sentence = options[0][1]
        email = EMAIL.search(sentence.text)
        assert email is not None
        marker = builder.cite(sentence.chunk_id, sentence.text)
        return [say("offline.contact", email=email.group(0).rstrip("."), marker=marker)]

    def _finish(
        self, text: str, builder: CitationBuilder, *, abstained: bool, pairing_ids: list[str] | None = None
    ) -> Composed:
        """The answer cut to the length limit, with only the citations whose markers it still holds."""
        text = self._fit(text)
        kept = [citation for citation in builder.citations if f"[{citation.id}]" in text]
        return Composed(text, kept, abstained, pairing_ids or [])

    def _fit(self, text: str) -> str:
        if len(text) <= self.max_chars:
            return text
        cut = text[: self.max_chars - 1]
        return cut[: cut.rfind(" ")] + "…"
