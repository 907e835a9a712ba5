"""From the best sentence to the passage shown: the sentence read in its context (the line a list item
hangs from, the items a lead-in announces, the sentence a short or continuing one leans on), then the
sentences that answer what the question asks and the passage leaves open ('the deadline and the time
zone', 'the budget and the co-financing rate')."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

from assistant.answering.answer_types import (
    AnswerCheck,
    counted_noun,
    counts_asked,
    length_left_open,
    measure_asked_of,
    measures_thing,
    places_in,
    price_asked_of,
    prices_thing,
)
from assistant.answering.dated import ANY_YEAR, years_written
from assistant.answering.evidence import (
    Candidate,
    QuestionTerms,
    designated_in,
    hanging_line,
    is_list_item,
    lead_in,
    section_of,
)
from assistant.answering.query import FIRST_PERSON
from assistant.answering.retrieval import CorpusStats
from ingest.geo import gazetteer
from ingest.store import IndexSnapshot
from ingest.textutil import CAPITALS, STOPWORDS, fold, words

_CONTINUES = re.compile(
    r"^(it|its|this|these|those|they|their|such|both|several|some|many|each|the latter|in addition|"
    r"additionally|furthermore|moreover|however|also|this includes|including|in particular|for example|"
    r"for instance|among them|of these|of them)\b",
    re.I,
)
_FRAGMENT = 30  # characters: a sentence this short is a fragment that leans on what precedes it
_SHORT_ITEM = 80  # list items up to this long are names or labels, read as one whole list
_MAX_ITEMS = 12
_NEARLY = 3.0  # ranker score gap within which a same-document sentence comes along with the best
_ALONG = 3  # at most this many such sentences
_WEIGHTY = 0.5  # share of the heaviest question term's weight that makes a term worth completing for
_SPOKEN_OF = 0.8  # credit at which a text speaks of a term itself (or through a synonym)
_NEIGHBOURS_REACH = 7  # lines on either side of the lead looked at
_KIND_REACH = 8  # best-ranked sentences of the passage's document searched for the asked-for kind
_WORDS = re.compile(r"[^\W\d_]{3,}")


@dataclass
class Passage:
    """Sentences of one document, in reading order, with the candidate that led to them."""

    source: str
    positions: list[int] = field(default_factory=list)  # places in the document's reading order
    lead: Candidate | None = None

    def indices(self, stats: CorpusStats) -> list[int]:
        order = stats.document_sentences[self.source]
        return [order[position] for position in sorted(set(self.positions))]


def _text(snapshot: IndexSnapshot, stats: CorpusStats, source: str, position: int) -> str:
    return snapshot.sentences[stats.document_sentences[source][position]].text


_ABOUT_THE_LIST = 0.5  # coverage of the question by a list's lead-in at which the whole list answers


def around(
    snapshot: IndexSnapshot,
    stats: CorpusStats,
    candidate: Candidate,
    budget: int,
    *,
    whole_lists: bool = False,
    asked_of: Callable[[str], bool] | None = None,
) -> Passage:
    """The candidate's sentence with what it needs to be read alone: a list item with the line it hangs
    from (and the whole list when its items are short names, or when the question asks for what the
    list enumerates: 'what are the objectives…?'), a lead-in with its items, a fragment with the
    sentence it leans on. ``asked_of``: what the question narrows a list to ('Canadian cities'): of a list
    some of whose items it admits, only those come along."""
    source, position = candidate.source, candidate.position
    order = stats.document_sentences[source]
    passage = Passage(source, [position], candidate)
    text = _text(snapshot, stats, source, position)
    used = len(text)
    if is_list_item(text):
        lead = lead_in(snapshot, order, position)
        if lead is not None:
            passage.positions.append(lead)
            items = _items_after(snapshot, order, lead)
            about_the_list = candidate.values.get("coverage_lead", 0.0)
        else:
            # a list standing right under its heading: the heading is what it enumerates
            start = position
            while start > 0 and _in_list(snapshot, order, start - 1, order[position]):
                start -= 1
            items = _items_after(snapshot, order, start - 1)
            about_the_list = candidate.values.get("heading", 0.0)
        short = all(len(snapshot.sentences[order[item]].text) <= _SHORT_ITEM for item in items)
        if short or whole_lists or about_the_list >= _ABOUT_THE_LIST:
            # a list of short items (names, countries) comes whole
            others = [item for item in items if item != position]
            if asked_of is not None:
                admitted = [item for item in others if asked_of(_text(snapshot, stats, source, item))]
                others = admitted if admitted or asked_of(text) else others
            _take_items(snapshot, stats, passage, others, budget=budget)
        return passage
    if text.rstrip().endswith(":"):
        items = _items_after(snapshot, order, position)[:_MAX_ITEMS]
        _take_items(snapshot, stats, passage, items, budget=budget)
        return passage
    if position > 1 and (_CONTINUES.match(text) or text[:1].islower() or len(text) < _FRAGMENT):
        previous = _text(snapshot, stats, source, position - 1)
        if used + len(previous) <= budget:
            passage.positions.append(position - 1)
            used += len(previous)
    if position + 1 < len(order):
        following = _text(snapshot, stats, source, position + 1)
        if _CONTINUES.match(following) and not is_list_item(following) and used + len(following) <= budget:
            passage.positions.append(position + 1)
    return passage


def _take_items(
    snapshot: IndexSnapshot, stats: CorpusStats, passage: Passage, items: list[int], *, budget: int
) -> None:
    """Add list items to the passage in order, while the passage stays within ``budget`` characters."""
    used = sum(len(_text(snapshot, stats, passage.source, p)) for p in passage.positions)
    for item in items:
        length = len(_text(snapshot, stats, passage.source, item))
        if used + length > budget:
            break
        passage.positions.append(item)
        used += length


def extended(
    snapshot: IndexSnapshot,
    stats: CorpusStats,
    passage: Passage,
    candidate: Candidate,
    budget: int,
    *,
    whole_lists: bool = False,
    asked_of: Callable[[str], bool] | None = None,
) -> Passage | None:
    """The passage with the candidate's own passage (``around`` it) added, from the same document; None
    when that would take it past ``budget`` characters."""
    taken = set(passage.positions)
    used = sum(len(_text(snapshot, stats, passage.source, p)) for p in taken)
    extra = around(snapshot, stats, candidate, budget - used, whole_lists=whole_lists, asked_of=asked_of)
    added = [p for p in dict.fromkeys(extra.positions) if p not in taken]
    if used + sum(len(_text(snapshot, stats, passage.source, p)) for p in added) > budget:
        return None
    return Passage(passage.source, [*passage.positions, *added], passage.lead)


def _is_title_like(snapshot: IndexSnapshot, candidate: Candidate) -> bool:
    """The document's title or a heading repeated as a line: it says what the page is, not an answer."""
    return candidate.values.get("title", 0.0) == 1.0 or snapshot.sentences[candidate.index].text.strip() == (
        candidate.chunk.section.rsplit(" > ", 1)[-1].strip()
    )


def _items_after(snapshot: IndexSnapshot, order: list[int], lead: int) -> list[int]:
    """The list items right after ``lead``, under the same heading as the first of them."""
    items: list[int] = []
    for position in range(lead + 1, len(order)):
        if not _in_list(snapshot, order, position, order[items[0]] if items else order[position]):
            break
        items.append(position)
    return items


def _in_list(snapshot: IndexSnapshot, order: list[int], position: int, item: int) -> bool:
    """Whether the line at ``position`` is a list item under the same heading as the sentence ``item``."""
    index = order[position]
    return is_list_item(snapshot.sentences[index].text) and section_of(snapshot, index) == section_of(
        snapshot, item
    )


def coverage_of(
    snapshot: IndexSnapshot, stats: CorpusStats, question: QuestionTerms, passages: list[Passage]
) -> float:
    indices = [index for passage in passages for index in passage.indices(stats)]
    own = frozenset().union(*(stats.sentence_terms[index] for index in indices)) if indices else frozenset()
    whole = (
        frozenset().union(*(stats.sentence_own_terms[index] for index in indices)) if indices else frozenset()
    )
    context = frozenset(
        term
        for index in indices
        for term in stats.chunk_context_terms.get(snapshot.sentences[index].chunk_id, frozenset())
    )
    return question.coverage(own, whole, context)


def complete(
    snapshot: IndexSnapshot,
    stats: CorpusStats,
    *,
    question: QuestionTerms,
    ranked: list[Candidate],
    first: Passage,
    budget: int,
    limit: int = 2,
) -> Passage:
    """Add to the passage, from the same document, what the question asks that it leaves open: for each
    weighty question term it does not speak of, the best-ranked sentence that does ('the total ERDF
    available and the co-financing rate' wants both lines)."""
    heaviest = max(question.rest.values(), default=0.0)
    same_document = [c for c in ranked[1:] if c.source == first.source and c.position > 0]
    # Sentences of the same document that the ranker holds nearly as good come along: a question often
    # asks two things that two neighbouring lines answer.
    best = ranked[0].score
    # The lead is the row for the asker's figure, or the line of the lot asked about: the rows and lines
    # written alike for other sizes or lots neither come along nor answer what it leaves open.
    apart = sibling_apart(question.keeping_tests, snapshot.sentences[ranked[0].index].text)
    if apart is not None:
        same_document = [c for c in same_document if not apart(snapshot.sentences[c.index].text)]
    for candidate in [c for c in same_document if best - c.score <= _NEARLY][:_ALONG]:
        if candidate.position in first.positions or _is_title_like(snapshot, candidate):
            continue
        first = (
            extended(
                snapshot,
                stats,
                first,
                candidate,
                budget,
                whole_lists=question.takes_whole_lists,
                asked_of=question.narrowing,
            )
            or first
        )
    for _ in range(limit):
        indices = first.indices(stats)
        own = frozenset().union(*(stats.sentence_terms[i] for i in indices))
        whole = frozenset().union(*(stats.sentence_own_terms[i] for i in indices))
        open_terms = {
            term: weight
            for term, weight in question.rest.items()
            if weight >= _WEIGHTY * heaviest and question.credit(term, own, whole, frozenset()) < _SPOKEN_OF
        }
        if not open_terms:
            break
        pick = next(
            (
                c
                for c in same_document
                if c.position not in first.positions
                and any(
                    question.credit(
                        term, stats.sentence_terms[c.index], stats.sentence_own_terms[c.index], frozenset()
                    )
                    >= _SPOKEN_OF
                    for term in open_terms
                )
            ),
            None,
        )
        grown = (
            None
            if pick is None
            else extended(
                snapshot,
                stats,
                first,
                pick,
                budget,
                whole_lists=question.takes_whole_lists,
                asked_of=question.narrowing,
            )
        )
        if grown is None:
            break
        first = grown
    if apart is not None:  # nor as the line another one leans on
        kept = [p for p in first.positions if not apart(_text(snapshot, stats, first.source, p))]
        first = Passage(first.source, kept, first.lead)
    return first


def kinds_left_open(
    snapshot: IndexSnapshot,
    stats: CorpusStats,
    checks: list[AnswerCheck],
    passage: Passage,
    question: QuestionTerms | None = None,
) -> list[AnswerCheck]:
    """The kinds of thing asked for (``checks``: a date for 'when…?', a deadline, an amount for 'how
    much…?') that no sentence of the passage holds, read alone or under the line it hangs from ('The
    winners are:' above 'Best wetland: Zarasai'); a sentence about another of the series
    asked about ('the second call' for 'the third call') holds none of them."""
    order = stats.document_sentences[passage.source]
    read = []  # each sentence, and with the line it hangs from ('The winners are:' above an item)
    for position in sorted(set(passage.positions)):
        text = snapshot.sentences[order[position]].text
        if (
            question is not None
            and question.asks_of_a_series
            and designated_in(question.designations, question.ordinals, text) < 0.0
        ):
            continue  # about another of the series asked of
        read.append(text)
        lead = lead_in(snapshot, order, position) if is_list_item(text) else None
        hung_from = hanging_line(
            snapshot.sentences[order[lead]].text if lead is not None else "",
            snapshot.sentences[order[position - 1]].text if position else "",
            text,
        )
        if hung_from:
            read.append(f"{hung_from} {text}")
    return [check for check in checks if not any(check.test(text) for text in read)]


# The kinds of thing asked for that are numbers: a count ('how many…?'), an amount ('how much…?', 'what
# share…?').
NUMBER_KINDS = frozenset(("count", "amount"))


def number_left_open(
    snapshot: IndexSnapshot, stats: CorpusStats, question: QuestionTerms, asked: str, passage: Passage
) -> bool:
    """Whether the question asks for a number that no sentence of the passage gives: no amount for 'how
    much…?', no figure counting what 'how many applications…?' counts. The passage then answers another
    question ('no more than one concept note' is a limit, not the number received)."""
    numbers = [check for check in question.checks if check.kind in NUMBER_KINDS]
    if counted_noun(asked) is not None:  # 'what was the total number of visitors?' has no count check
        numbers.append(AnswerCheck(lambda text: counts_asked(text, asked), (), "count"))
    years = {int(year) for year in ANY_YEAR.findall(asked)}
    meta = snapshot.documents[passage.source]
    if (
        years
        and not FIRST_PERSON.search(asked)
        and years.isdisjoint(years_written(f"{meta.title} {meta.edition or ''}"))
    ):
        # 'How many warehouses were destroyed in 1742?' is not answered by a count dated 1944 alone (in a
        # document of the year asked, each sentence speaks of that year: 'the most since 2015' dates nothing).
        numbers = passed_only_where(numbers, lambda text: _dated_as_asked(text, years))
    numbers = told_of_names(snapshot, stats, asked, passage, numbers)
    return bool(kinds_left_open(snapshot, stats, numbers, passage, question))


def told_of_names(
    snapshot: IndexSnapshot, stats: CorpusStats, asked: str, passage: Passage, checks: list[AnswerCheck]
) -> list[AnswerCheck]:
    """The checks, passed only where the passage's document tells of the names the question asks about
    and the page mentions only in passing: 'How many people died when the tender Gannet sank?' is not
    answered by a count of a wreck's dead far from where the page speaks of the Gannet. The very list
    given when the question names no such thing."""
    told = _where_names_are_told(snapshot, stats, asked, passage)
    if told is None:
        return checks
    # a list item is read under its lead-in line: the sentence ends the text read
    return passed_only_where(checks, lambda text: any(text.endswith(sentence) for sentence in told))


_QUESTION_NAME = re.compile(rf"(?<!^)\b[{CAPITALS}][\w'’-]*(?:[- ][{CAPITALS}][\w'’-]*)*")


def _where_names_are_told(
    snapshot: IndexSnapshot, stats: CorpusStats, asked: str, passage: Passage
) -> frozenset[str] | None:
    """The sentences that speak of the question's names that the passage's document mentions only in
    passing (each word at most twice), never in its title, edition or the lead's heading: each sentence
    naming one, and the two after it. None when the question has no such name. What a page is about is
    named by few of its sentences; a thing beside it, only where it is told of. Acronyms (a programme's
    short name), places and countries' peoples ('Mexican': often the asker's own) are no such names; a
    designation with a number ('PT-4') is one."""
    meta = snapshot.documents[passage.source]
    heading = passage.lead.chunk.section if passage.lead is not None else ""
    framing = _folded_words(f"{meta.title} {meta.edition or ''} {heading}")
    names = [
        words
        for match in _QUESTION_NAME.finditer(asked)
        # a question word opening a second sentence ('…in Portugal. How much…?') is no name
        if (words := frozenset(w for w in _folded_words(match.group(0)) if len(w) > 2 and w not in STOPWORDS))
        and not words & framing
        and not _ACRONYM.fullmatch(match.group(0))
        and not places_in(match.group(0))
        and not gazetteer().mentioned(match.group(0))
    ]
    if not names:
        return None
    sentences = [snapshot.sentences[i].text for i in stats.document_sentences[passage.source]]
    sentence_words = [_folded_words(text) for text in sentences]
    document = Counter(_WORD.findall(fold(" ".join(sentences))))
    told: set[str] | None = None
    for words in names:
        if not all(0 < document[word] <= _IN_PASSING for word in words):
            continue
        naming = [position for position, written in enumerate(sentence_words) if words & written]
        near = {
            sentences[p]
            for first in naming
            for p in range(first, min(first + 1 + _TOLD_AFTER, len(sentences)))
        }
        told = near if told is None else told & near
    return None if told is None else frozenset(told)


_IN_PASSING = 2
_TOLD_AFTER = 2  # sentences after one naming a thing that may still speak of it ('Its shaft…')
_ACRONYM = re.compile(r"[A-Z]{2,}")


def _folded_words(text: str) -> set[str]:
    return set(_WORD.findall(fold(text)))


_WORD = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


def passed_only_where(checks: list[AnswerCheck], holds: Callable[[str], bool]) -> list[AnswerCheck]:
    """The checks, each passed only by a text it passes that also ``holds``."""
    return [replace(check, test=_both(check.test, holds)) for check in checks]


def _both(test: Callable[[str], bool], holds: Callable[[str], bool]) -> Callable[[str], bool]:
    return lambda text: test(text) and holds(text)


def _dated_as_asked(text: str, years: set[int]) -> bool:
    """Whether a sentence dates nothing, or dates something to a year asked of."""
    written = years_written(text)
    return not written or not written.isdisjoint(years)


def measure_left_open(snapshot: IndexSnapshot, stats: CorpusStats, asked: str, passage: Passage) -> bool:
    """Whether the question asks a measurement of a thing ('how tall is the signal mast?', 'how long is the
    railway line?') that no sentence of the passage gives of it: the passage then measures something else
    (the tower beside it, the canal)."""
    order = stats.document_sentences[passage.source]
    read = [
        (
            snapshot.sentences[index].text,
            snapshot.sentences[order[stats.sentence_position[index] - 1]].text
            if stats.sentence_position[index] > 0
            else "",
        )
        for index in passage.indices(stats)
    ]
    if length_left_open(asked, read):
        return True
    if price_asked_of(asked) is not None and not any(
        prices_thing(asked, sentence, previous) for sentence, previous in read
    ):
        return True
    if measure_asked_of(asked) is None:
        return False
    return not any(measures_thing(asked, sentence, previous) for sentence, previous in read)


def with_asked_kind(
    snapshot: IndexSnapshot,
    stats: CorpusStats,
    *,
    question: QuestionTerms,
    ranked: list[Candidate],
    passage: Passage,
    budget: int,
) -> Passage:
    """When the passage leaves open a kind of thing the question asks for, the best-ranked sentence of its
    document that holds it comes along: asked by when concept notes are due, the line about the lot the
    question names leads and 'Deadline for submission: 23/04/2021' joins it. A bare dateline or label
    (fewer than two words) is page furniture, not an answer."""
    open_kinds = kinds_left_open(snapshot, stats, question.checks, passage, question)
    if not open_kinds:
        return passage
    same_document = [c for c in ranked if c.source == passage.source][:_KIND_REACH]
    for candidate in same_document:
        text = snapshot.sentences[candidate.index].text
        if (
            all(check.test(text) for check in open_kinds)
            and candidate.position not in passage.positions
            and candidate.values["furniture"] == 0.0
            and len(_WORDS.findall(text)) >= 2
            and not _is_title_like(snapshot, candidate)
        ):
            return extended(snapshot, stats, passage, candidate, budget) or passage
    return passage


def _opening(text: str) -> str:
    """How a line is written: its first two words, figures aside; a table's row by its number of cells
    ('Bergamo | IT | Heerlen | NL | …' is written like 'Trieste | IT | Ljutomer | SI | …')."""
    if _is_row(text):
        return f"| {text.count(' | ')}"
    return re.sub(r"\d+", "#", " ".join(words(text)[:2]))


def _is_row(text: str) -> bool:
    """A line of a table, its cells between separators ('Trieste | IT | Ljutomer')."""
    return text.count(" | ") >= _ROW_CELLS


_ROW_CELLS = 2  # separators in a line read as a table's row


def sibling_apart(keeping_tests: Sequence[Callable[[str], bool]], lead: str) -> Callable[[str], bool] | None:
    """The test of a line written like the lead (its first two words the same, figures aside: 'Lot 3 – …'
    beside 'Lot 2 – …', 'Full member | 50,000…' beside 'Full member | 20,000…'; a row of the same table)
    that does not keep to what the question asks of as the lead does (``keeping_tests``: the tests of
    ``QuestionTerms.keeping_tests``; those the lead itself fails decide nothing): a sibling row or item for
    another size, member or country. Lines written otherwise (the prose around, a threshold the asker
    falls below) are not siblings. None when the lead keeps to none of them."""
    held = [test for test in keeping_tests if test(lead)]
    if not held:
        return None
    opening = _opening(lead)
    return lambda text: _opening(text) == opening and not all(test(text) for test in held)


def with_rows_alike(
    snapshot: IndexSnapshot,
    stats: CorpusStats,
    passage: Passage,
    *,
    keeping_tests: Sequence[Callable[[str], bool]],
    budget: int,
) -> Passage:
    """Asked which ones ('Which Italian signatories…?'), a lead that is a table's row keeping to what the
    question asks of (the tests of ``QuestionTerms.keeping_tests``) brings every row of its table that
    keeps to it too, in order ('Bergamo | IT | …' beside 'Trieste | IT | …'), within ``budget``: the
    question asks for all of them."""
    if passage.lead is None or not keeping_tests:
        return passage
    order = stats.document_sentences[passage.source]
    lead = passage.lead.position
    lead_text = _text(snapshot, stats, passage.source, lead)
    if not _is_row(lead_text) or not all(test(lead_text) for test in keeping_tests):
        return passage
    opening, section = _opening(lead_text), section_of(snapshot, order[lead])
    taken = set(passage.positions)
    used = sum(len(_text(snapshot, stats, passage.source, p)) for p in taken)
    positions = list(passage.positions)
    for position in range(len(order)):
        if position in taken or section_of(snapshot, order[position]) != section:
            continue
        text = _text(snapshot, stats, passage.source, position)
        if _opening(text) != opening or not all(test(text) for test in keeping_tests):
            continue
        if used + len(text) > budget:
            break
        positions.append(position)
        used += len(text)
    return Passage(passage.source, positions, passage.lead)


def with_neighbours(
    snapshot: IndexSnapshot,
    stats: CorpusStats,
    passage: Passage,
    *,
    window: int,
    budget: int,
    keeping_tests: Sequence[Callable[[str], bool]] = (),
) -> Passage:
    """The lead sentence read in its place: the lines around it, nearest first (the next, then the one
    before) under the same heading, while they add up to ``window`` characters and the passage stays
    within ``budget``. What a question asks beside the best sentence is most often right next to it: the
    value under a label ('Funding rate' / '80 %'), the reason after a figure, the other date of a pair.
    ``keeping_tests``: what the question keeps to (``QuestionTerms.keeping_tests``); when the lead keeps to it
    (the fee table's row for the asker's population), its siblings that do not (the other rows) stay out."""
    if passage.lead is None or window <= 0:
        return passage
    order = stats.document_sentences[passage.source]
    apart = sibling_apart(keeping_tests, _text(snapshot, stats, passage.source, passage.lead.position))
    taken = set(passage.positions)
    used = sum(len(_text(snapshot, stats, passage.source, p)) for p in taken)
    added = 0
    lead = passage.lead.position
    section = section_of(snapshot, order[lead])
    positions = list(passage.positions)
    for distance in range(1, _NEIGHBOURS_REACH + 1):
        for position in (lead + distance, lead - distance):
            if position <= 0 or position >= len(order) or position in taken:
                continue
            if section_of(snapshot, order[position]) != section:
                continue
            if apart is not None and apart(_text(snapshot, stats, passage.source, position)):
                continue
            length = len(_text(snapshot, stats, passage.source, position))
            if added + length > window or used + length > budget:
                return Passage(passage.source, positions, passage.lead)
            positions.append(position)
            taken.add(position)
            added += length
            used += length
    return Passage(passage.source, positions, passage.lead)


# A sentence counting itself among others in running text: 'First, …', 'Secondly, …', 'Finally, …'.
_ENUMERATED = re.compile(
    r"^\W*(?:first(?:ly)?|second(?:ly)?|third(?:ly)?|fourth(?:ly)?|fifth(?:ly)?|next|finally|lastly)\s*,",
    re.I,
)


def with_whole_enumeration(
    snapshot: IndexSnapshot, stats: CorpusStats, passage: Passage, *, budget: int
) -> Passage:
    """Asked for several things, a passage holding one sentence of an enumeration written in running text
    ('The partners highlight three lessons. First, … Second, … Third, …') holds all of it: the sentences
    of its paragraph counting themselves in, and the one announcing them, in order, within ``budget``."""
    order = stats.document_sentences[passage.source]
    positions = list(passage.positions)
    used = sum(len(_text(snapshot, stats, passage.source, p)) for p in positions)
    for start in sorted(set(passage.positions)):
        if not _ENUMERATED.match(_text(snapshot, stats, passage.source, start)):
            continue
        chunk = snapshot.sentences[order[start]].chunk_id
        same = [p for p in range(len(order)) if snapshot.sentences[order[p]].chunk_id == chunk]
        counted = [p for p in same if _ENUMERATED.match(_text(snapshot, stats, passage.source, p))]
        announcing = [counted[0] - 1] if counted[0] - 1 in same else []
        missing = [p for p in (*announcing, *counted) if p not in positions]
        length = sum(len(_text(snapshot, stats, passage.source, p)) for p in missing)
        if missing and used + length <= budget:
            positions += missing
            used += length
    return Passage(passage.source, positions, passage.lead)


# A heading numbering one of a procedure's steps: 'Step 2', 'Step 3 – Prepare your action plan'.
_STEP_HEADING = re.compile(r"^\W*step\s+\d+\b", re.I)


def with_every_step(snapshot: IndexSnapshot, stats: CorpusStats, passage: Passage, *, budget: int) -> Passage:
    """Asked how a thing is done, a page setting it out as numbered steps, each under its own heading
    ('Step 1 – Get the formal approval', 'Step 2 – …'), answers with every step when the lead stands
    among them or above them (the introduction, 'follows these steps:'): the first line under each
    step's heading, while the passage stays within ``budget``. The best line alone is one step of
    several, and a lead-in without its steps none."""
    if passage.lead is None:
        return passage
    order = stats.document_sentences[passage.source]
    lead_section = section_of(snapshot, order[passage.lead.position])
    # the steps stand beside the lead's section or under it ('How to join' > 'Step 1')
    around_lead = {lead_section, lead_section.rpartition(" > ")[0]}
    # each step's first line, after its heading written as a line, and its list when it is one
    first_lines: dict[str, list[int]] = {}
    for position, index in enumerate(order):
        section = section_of(snapshot, index)
        above, _, heading = section.rpartition(" > ")
        if above not in around_lead or not _STEP_HEADING.match(heading):
            continue
        lines = first_lines.setdefault(section, [])
        last = _text(snapshot, stats, passage.source, lines[-1]).strip() if lines else ""
        if (
            not lines
            or (len(lines) == 1 and last == heading)  # the heading written as a line: its first follows
            or (last != heading and is_list_item(last) and is_list_item(snapshot.sentences[index].text))
        ):
            lines.append(position)  # …and a step made of a list comes whole
    used = sum(len(_text(snapshot, stats, passage.source, position)) for position in passage.positions)
    positions = list(passage.positions)
    for lines in first_lines.values():
        missing = [position for position in lines if position not in positions]
        length = sum(len(_text(snapshot, stats, passage.source, position)) for position in missing)
        if not missing or used + length > budget:
            continue
        positions += missing
        used += length
    return Passage(passage.source, positions, passage.lead)
