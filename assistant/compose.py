"""Offline answers, no LLM: the best supporting sentences and table rows, each with its citation, or
an honest "the documents don't answer this" with the closest they cover and whom to contact."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

from assistant.citations import CitationBuilder
from assistant.models import Citation
from assistant.pairings import extract_criteria, find_pairings
from assistant.query import QueryAnalysis
from assistant.retrieval import CorpusStats, RetrievedChunk
from ingest.embedder import Vectors
from ingest.geo import gazetteer
from ingest.models import Chunk, PairingRow, Sentence
from ingest.store import IndexSnapshot
from ingest.textutil import fold, terms, words
from prompts import load_prompt

_LIST_ITEM = re.compile(r"^(?:[-•*]\s+|\(?\d{1,2}[.)]\s+|- \d{1,2}\)\s+)")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_MAX_SENTENCES = 5
# How a candidate sentence is weighed: meaning (dense) against the question's own terms (coverage).
_DENSE_WEIGHT = 0.5
_MIN_COVERAGE = 0.45
_MIN_DENSE = 0.3


@dataclass
class Composed:
    text: str
    citations: list[Citation]
    abstained: bool
    pairing_ids: list[str] = field(default_factory=list)


@dataclass
class _Candidate:
    index: int
    sentence: Sentence
    chunk: Chunk
    dense: float
    coverage: float
    names_ok: bool
    score: float = 0.0


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


class OfflineComposer:
    def __init__(self, snapshot: IndexSnapshot, stats: CorpusStats, max_chars: int) -> None:
        self.snapshot = snapshot
        self.stats = stats
        self.max_chars = max_chars

    # --- entry ----------------------------------------------------------------------------------
    def compose(self, analysis: QueryAnalysis, query_vector: Vectors,
                retrieved: list[RetrievedChunk]) -> Composed:
        if any(pattern.search(analysis.question) for pattern in _out_of_scope_patterns()):
            return self._decline(retrieved)
        unknown_years = [year for year in analysis.years if not self._year_known(year)]
        if unknown_years:
            covered = sorted({year for meta in self.snapshot.documents.values() for year in meta.years})
            about = (f" for {', '.join(map(str, unknown_years))}: the documents speak of "
                     f"{', '.join(map(str, covered))}" if covered else "")
            return self._abstain(retrieved, query_vector, analysis, about=about)
        pairing = self._pairings(analysis, retrieved)
        if pairing is not None:
            return pairing
        return self._from_text(analysis, query_vector, retrieved)

    def _year_known(self, year: int) -> bool:
        return any(year in meta.years for meta in self.snapshot.documents.values())

    # --- pairings ---------------------------------------------------------------------------------
    def _pairings(self, analysis: QueryAnalysis, retrieved: list[RetrievedChunk]) -> Composed | None:
        rows = self.snapshot.pairings
        if not rows:
            return None
        table_on_top = bool(retrieved) and retrieved[0].chunk.is_table
        if not (analysis.pairing_cue or table_on_top):
            return None
        criteria = extract_criteria(analysis, rows)
        if criteria.empty:
            return None
        matches = find_pairings(rows, criteria)
        builder = CitationBuilder(self.snapshot)
        if not matches:
            if not (criteria.countries or criteria.cities):
                return None
            asked = ", ".join([gazetteer().name_of(code) for code in criteria.countries] + criteria.cities)
            listed = sorted({row.partner_country for row in rows} | {row.eu_country for row in rows})
            table_chunk = self.snapshot.chunks[rows[0].chunk_id]
            header = table_chunk.text.split("\n", 1)[0]
            marker = builder.cite_text(table_chunk, header)
            text = (f"{load_prompt('offline_abstain').format(about='')} The pairings table lists no pairing "
                    f"with {asked} [{marker}]. Its cities are in: {', '.join(listed)}.")
            return Composed(self._fit(text), builder.citations, abstained=True)
        return Composed(self._render_rows(matches, criteria.topics, builder), builder.citations, False,
                        [row.id for row in matches])

    def _render_rows(self, rows: list[PairingRow], topics: list[str], builder: CitationBuilder) -> str:
        source = self.snapshot.documents.get(rows[0].source)
        edition = f" ({source.title})" if source else ""
        lead = ("This pairing is listed" if len(rows) == 1 else f"{len(rows)} pairings are listed")
        lead += f" in the city-to-city pairings table{edition}"
        lead += f", on {' / '.join(sorted(set(topics)))}:" if topics else ":"
        lines = []
        for row in rows:
            marker = builder.cite_text(self.snapshot.chunks[row.chunk_id], row.quote)
            lines.append(f"- {row.eu_city} ({row.eu_country}) – {row.partner_city} ({row.partner_country}): "
                         f"{row.topics} [{marker}]")
        text = "\n".join([lead, *lines])
        if len(text) > self.max_chars:  # many rows: names only, so the list stays complete
            lines = [f"{row.eu_city}–{row.partner_city} [{builder.marker_of(row.quote)}]" for row in rows]
            text = lead + " " + "; ".join(lines) + "."
        return self._fit(text)

    # --- text -------------------------------------------------------------------------------------
    def _candidates(self, analysis: QueryAnalysis, query_vector: Vectors,
                    retrieved: list[RetrievedChunk]) -> list[_Candidate]:
        focus = analysis.focus or [term for term in terms(analysis.subject)]
        weights = {term: self.stats.idf(term) for term in focus}
        total_weight = sum(weights.values()) or 1.0
        candidates: list[_Candidate] = []
        for rank, hit in enumerate(retrieved):
            chunk = hit.chunk
            meta = self.snapshot.documents.get(chunk.source)
            context_text = f"{chunk.section} {chunk.title} {chunk.programme or ''} {meta.source if meta else ''}"
            context_terms = set(terms(context_text))
            context_words = set(words(context_text))
            for index in self.snapshot.sentences_by_chunk.get(chunk.id, []):
                sentence = self.snapshot.sentences[index]
                own = self.stats.sentence_terms[index]
                covered = 0.0
                for term, weight in weights.items():
                    if term in own:
                        covered += weight
                    elif analysis.expanded(term) & own:
                        covered += 0.8 * weight
                    elif term in context_terms:
                        covered += 0.6 * weight
                present = set(words(sentence.text)) | context_words
                names_ok = all(name in present or any(name in fold(word) for word in present if len(name) >= 4)
                               for name in analysis.names)
                dense = float(np.dot(self.snapshot.sentence_vectors[index], query_vector))
                candidate = _Candidate(index, sentence, chunk, dense, covered / total_weight, names_ok)
                candidate.score = (_DENSE_WEIGHT * dense + (1 - _DENSE_WEIGHT) * candidate.coverage
                                   + 0.02 * (len(retrieved) - rank) / len(retrieved))
                if not names_ok:
                    candidate.score -= 0.25
                candidates.append(candidate)
        candidates.sort(key=lambda candidate: candidate.score, reverse=True)
        return candidates

    def _answerable(self, best: _Candidate) -> bool:
        return best.names_ok and best.coverage >= _MIN_COVERAGE and best.dense >= _MIN_DENSE

    def _from_text(self, analysis: QueryAnalysis, query_vector: Vectors,
                   retrieved: list[RetrievedChunk]) -> Composed:
        candidates = self._candidates(analysis, query_vector, retrieved)
        if not candidates or not self._answerable(candidates[0]):
            return self._abstain(retrieved, query_vector, analysis, candidates=candidates)
        chosen = self._select(candidates)
        builder = CitationBuilder(self.snapshot)
        groups: dict[str, list[_Candidate]] = {}
        for candidate in chosen:
            groups.setdefault(candidate.chunk.source, []).append(candidate)
        paragraphs = []
        for source, members in groups.items():
            members.sort(key=lambda candidate: candidate.index)
            body = " ".join(_with_marker(member.sentence.text, builder.cite(member.chunk, member.sentence))
                            for member in members)
            if len(groups) > 1:
                body = f"{self._label(source)}: {body}"
            paragraphs.append(body)
        return Composed(self._fit("\n\n".join(paragraphs)), builder.citations, abstained=False)

    def _label(self, source: str) -> str:
        meta = self.snapshot.documents[source]
        parts = [meta.kind.value]
        if meta.programme:
            parts.insert(0, meta.programme)
        if meta.edition:
            parts.append(str(meta.edition))
        return f"{meta.title} ({', '.join(parts)})"

    def _select(self, candidates: list[_Candidate]) -> list[_Candidate]:
        best = candidates[0]
        chosen = [best]
        budget = self.max_chars - len(best.sentence.text) - 120
        seen_terms = [self.stats.sentence_terms[best.index]]
        for candidate in candidates[1:]:
            if len(chosen) >= _MAX_SENTENCES or candidate.score < 0.8 * best.score or not candidate.names_ok:
                continue
            own = self.stats.sentence_terms[candidate.index]
            if any(len(own & other) / max(1, len(own | other)) > 0.6 for other in seen_terms):
                continue
            if len(candidate.sentence.text) + 80 > budget:
                continue
            chosen.append(candidate)
            seen_terms.append(own)
            budget -= len(candidate.sentence.text) + 40
        return self._with_list_items(chosen, budget)

    def _with_list_items(self, chosen: list[_Candidate], budget: int) -> list[_Candidate]:
        """A sentence that introduces a list ('…four main objectives:') brings its items along."""
        extra: list[_Candidate] = []
        taken = {candidate.index for candidate in chosen}
        for candidate in chosen:
            if not candidate.sentence.text.rstrip().endswith(":"):
                continue
            siblings = self.snapshot.sentences_by_chunk.get(candidate.chunk.id, [])
            for index in siblings:
                sentence = self.snapshot.sentences[index]
                if index <= candidate.index or index in taken:
                    continue
                if not _LIST_ITEM.match(sentence.text) or len(sentence.text) + 20 > budget:
                    break
                extra.append(_Candidate(index, sentence, candidate.chunk, candidate.dense, candidate.coverage,
                                        True, candidate.score))
                taken.add(index)
                budget -= len(sentence.text) + 20
        return chosen + extra

    # --- abstention -------------------------------------------------------------------------------
    def _abstain(self, retrieved: list[RetrievedChunk], query_vector: Vectors, analysis: QueryAnalysis,
                 about: str = "", candidates: list[_Candidate] | None = None) -> Composed:
        builder = CitationBuilder(self.snapshot)
        parts = [load_prompt("offline_abstain").format(about=about)]
        closest = candidates[0] if candidates else None
        if closest is None and retrieved:
            found = self._candidates(analysis, query_vector, retrieved[:3])
            closest = found[0] if found else None
        if closest is not None:
            marker = builder.cite(closest.chunk, closest.sentence)
            parts.append(f"The closest they cover, in {closest.chunk.title}: “{_clean(closest.sentence.text)}” "
                         f"[{marker}]")
        parts.extend(self._contact(builder, closest.chunk if closest else None))
        return Composed(self._fit(" ".join(parts)), builder.citations, abstained=True)

    def _decline(self, retrieved: list[RetrievedChunk]) -> Composed:
        builder = CitationBuilder(self.snapshot)
        parts = [load_prompt("offline_decline")]
        parts.extend(self._contact(builder, retrieved[0].chunk if retrieved else None))
        return Composed(self._fit(" ".join(parts)), builder.citations, abstained=True)

    def _contact(self, builder: CitationBuilder, near: Chunk | None) -> list[str]:
        """The sentence naming a contact address, from the programme closest to the question."""
        options: list[tuple[int, Sentence]] = []
        for index, sentence in enumerate(self.snapshot.sentences):
            if _EMAIL.search(sentence.text) and re.search(r"contact|information|question", sentence.text, re.I):
                chunk = self.snapshot.chunks[sentence.chunk_id]
                same_programme = near is not None and chunk.programme == near.programme
                options.append((0 if same_programme else 1, sentence))
                del index
        if not options:
            return []
        options.sort(key=lambda option: option[0])
        sentence = options[0][1]
        email = _EMAIL.search(sentence.text)
        assert email is not None
        marker = builder.cite(self.snapshot.chunks[sentence.chunk_id], sentence)
        return [f"For more information, contact {email.group(0).rstrip('.')} [{marker}]."]

    def _fit(self, text: str) -> str:
        if len(text) <= self.max_chars:
            return text
        cut = text[: self.max_chars - 1]
        return cut[: cut.rfind(" ")] + "…"
