"""A question typed in small letters, as chat users often type ('who is leipzig's partner in interreg
europe?'), read with the capitals the documents give its words ('Leipzig', 'Interreg Europe'). Names are
told by their capitals: read as typed, such a question names nothing, and its names weigh as common
words."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from ingest.geo import gazetteer
from ingest.textutil import STOPWORDS, fold

_WORD = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*")
_POSSESSIVE = re.compile(r"['’]s$", re.I)
_ACRONYM = re.compile(r"[A-Z][A-Z0-9]{1,5}")  # 'PSC', 'M4EG'; not 'I', not 'Bonn'
# Small words a name may hold between its capitalised ones ('Partnerships for Sustainable Cities').
_CONNECTORS = frozenset({"of", "for", "and", "the", "de", "du", "des", "la", "le"})
_LONGEST = 5  # words of a name read at most
# The share of a word's (or a phrase's) writings in running text that must be capitalised for it to be
# read as a name: 'Split' the city, not 'split' the verb, where the documents write both.
_MOSTLY_CAPITALISED = 0.8


def typed_in_small_letters(question: str) -> bool:
    """Not one capital letter: a question typed as many type in a chat. One that capitalises anything
    ('Does the IUC fund our local action plan?') capitalises its names too, and is read as typed."""
    return question == question.lower()


def _running(sentence: str) -> Iterator[list[str]]:
    """Runs of words in running text: a sentence's opening capital, a label's ('Minimum population:'),
    a table cell's or a list item's says nothing of how a word is written, so each run starts after the
    first word of its sentence, line, cell or bracket and holds the words that follow it without a break.
    An acronym opens its run all the same ('(PSC)', 'EU cities…'): an opening capital does not write the
    rest of a word in capitals. Not in a line written in capitals throughout ('CALL FOR APPLICATIONS')."""
    run: list[str] = []
    previous_end = -1
    shouting = sentence.upper() == sentence
    for match in _WORD.finditer(sentence):
        gap = sentence[previous_end : match.start()] if previous_end >= 0 else None
        if gap is None or gap.strip() not in ("", ","):
            if run:
                yield run
            run = [match.group(0)] if not shouting and _ACRONYM.fullmatch(match.group(0)) else []
        else:
            run.append(match.group(0))
        previous_end = match.end()
    if run:
        yield run


def _capitalised(word: str) -> bool:
    return word[0].isupper()


def _country_word(word: str) -> str | None:
    """A country or its people's word ('portugal', 'mexican'), capitalised: a page may name it only in a
    list or a title, yet it is a name."""
    if word in STOPWORDS or gazetteer().code_of(word) is None:
        return None
    return word.capitalize()


@dataclass(frozen=True)
class Casing:
    """How the documents write the words and phrases they capitalise in running text, by folded form."""

    words: dict[str, str]
    phrases: dict[tuple[str, ...], tuple[str, ...]]

    @classmethod
    def of(cls, sentences: Iterable[str]) -> Casing:
        runs = [run for sentence in sentences for run in _running(sentence)]
        folded_words: dict[str, str] = {}  # most words are written many times

        def fold_word(word: str) -> str:
            folded = folded_words.get(word)
            if folded is None:
                folded = folded_words[word] = fold(word)
            return folded

        forms: dict[str, Counter[str]] = defaultdict(Counter)
        written: dict[tuple[str, ...], Counter[tuple[str, ...]]] = defaultdict(Counter)
        for run in runs:
            for start, word in enumerate(run):
                forms[fold_word(word)][word] += 1
                if not _capitalised(word):
                    continue
                for end in range(start + 2, min(start + _LONGEST, len(run)) + 1):
                    span = run[start:end]
                    if not all(_capitalised(w) or w.lower() in _CONNECTORS for w in span):
                        break
                    if _capitalised(span[-1]):
                        written[tuple(fold_word(w) for w in span)][tuple(span)] += 1
        # How often each capitalised phrase is written at all, in small letters too.
        total: Counter[tuple[str, ...]] = Counter()
        openings = {phrase[0] for phrase in written}
        for run in runs:
            folded = [fold_word(word) for word in run]
            for start in range(len(folded)):
                if folded[start] not in openings:
                    continue
                for end in range(start + 2, min(start + _LONGEST, len(folded)) + 1):
                    if tuple(folded[start:end]) in written:
                        total[tuple(folded[start:end])] += 1
        words = {
            folded: capitalised.most_common(1)[0][0]
            for folded, counted in forms.items()
            if folded not in STOPWORDS
            and (capitalised := Counter({w: n for w, n in counted.items() if _capitalised(w)}))
            and capitalised.total() >= _MOSTLY_CAPITALISED * counted.total()
        }
        phrases = {
            folded: counted.most_common(1)[0][0]
            for folded, counted in written.items()
            if counted.total() >= _MOSTLY_CAPITALISED * total[folded]
        }
        return cls(words, phrases)

    def restored(self, question: str) -> str:
        """The question with each phrase and word the documents mostly capitalise written as they write it
        ('interreg europe' → 'Interreg Europe'), the longest phrase first."""
        tokens = list(_WORD.finditer(question))
        bare = [_POSSESSIVE.sub("", token.group(0)) for token in tokens]
        folded = [fold(word) for word in bare]
        replaced: dict[int, str] = {}
        index = 0
        while index < len(tokens):
            for length in range(min(_LONGEST, len(tokens) - index), 1, -1):
                phrase = self.phrases.get(tuple(folded[index : index + length]))
                if phrase is not None and all(word.islower() for word in bare[index : index + length]):
                    replaced.update(zip(range(index, index + length), phrase, strict=True))
                    index += length
                    break
            else:
                word = self.words.get(folded[index]) or _country_word(folded[index])
                if word is not None and bare[index].islower():
                    replaced[index] = word
                index += 1
        out, last = [], 0
        for position, token in enumerate(tokens):
            if position in replaced:
                out.append(
                    question[last : token.start()]
                    + replaced[position]
                    + token.group(0)[len(bare[position]) :]
                )
                last = token.end()
        return "".join(out) + question[last:]
