"""Understand a question: its content terms, named things, years, countries, and what earlier turns
it leans on ("What topics do they cooperate on?")."""

from __future__ import annotations

import json
import re
from collections.abc import Collection
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

from assistant.answering.spelling import is_lemma
from assistant.conversation import Turn
from ingest.geo import gazetteer
from ingest.textutil import CAPITALS, STOPWORDS, fold, stem, terms, words

_YEAR = re.compile(r"\b(19[89]\d|20\d\d)\b")
# A year that names an edition ('the 2023 call', "URBACT's 2027 round", 'the town twinning 2026 call'), not a
# time ('back in 2018').
_EDITION_YEAR = re.compile(
    r"(?:\bthe|['’]s)\s+(19[89]\d|20\d\d)\b|\b(19[89]\d|20\d\d)\s+(?:call|round|edition)s?\b", re.I
)
# A capitalised word, or one of four letters or more with a capital further in ('m4EG', 'eTwinning': a
# name however it begins; 'pH', 'kWh' are units).
_NAME = re.compile(
    rf"\b(?:[{CAPITALS}]|(?=\w{{4}})[a-z][a-z\d]*[{CAPITALS}])[\w'’.-]*(?:[- ][{CAPITALS}][\w'’.-]*)*"
)
_NUMBER = re.compile(r"\b\d[\d,. ]*\d\b|\b\d\b")
# 'What resources and timeframe were planned…': the words between the question word and the verb
# name what is asked for.
_AUXILIARY = r"(?:is|are|was|were|do|does|did|can|could|will|would|should|must|has|have|had|may|might)"
_ASKED = re.compile(
    rf"\b(?:what|which)\s+(?P<asked>(?:(?!{_AUXILIARY}\b)[\w'-]+\s+){{1,4}}){_AUXILIARY}\b", re.I
)
# The words naming the thing asked of, up to a preposition or a relative: 'the registration fee (for…)'.
_THING_ASKED_OF = (
    r"(?P<asked>(?:(?!(?:of|for|in|at|on|per|to|with|from|by|about|that|which|who)\b)[\w'-]+\s*){1,3})"
)
# 'Who is the mayor of…', 'What is the population of…', 'How much is the registration fee for…' (after
# 'did', 'can'… the words are the subject and its verb: 'What did the community pay?').
_ASKED_OF = re.compile(
    rf"\b(?:who|what|how (?:much|many))\s+(?:is|are|was|were)\s+(?:the|a|an)\s+{_THING_ASKED_OF}", re.I
)

# 'Is there a registration fee…?', 'Does the network charge an annual membership fee?': a yes/no question
# whether a thing exists asks of that thing, as 'what is the registration fee?' does.
_ASKED_IF_ANY = re.compile(
    r"^\W*(?:(?:is|are|was|were)\s+there|(?:does|do|did|will|would)\s+[^?,;]*?\b(?:charges?|pays?|"
    rf"requires?|offers?|provides?)\b[^?,;]*?)\s+(?:a|an|any)\s+{_THING_ASKED_OF}",
    re.I,
)


@dataclass(frozen=True)
class Lexicon:
    synonyms: dict[str, frozenset[str]]  # stem → stems of its group
    phrases: dict[str, frozenset[str]]  # folded multi-word entry → stems of its group
    fillers: frozenset[str]
    anaphora: frozenset[str]
    pairing_cues: tuple[str, ...]
    imperatives: frozenset[str]
    value_names: frozenset[str]  # stems of nouns naming a kind of value: 'date', 'height'
    small_talk: frozenset[str]
    languages: dict[str, tuple[str, ...]]  # language code → its most common words
    question_words: dict[str, dict[str, str]]  # language code → its question words, in English


@lru_cache(maxsize=2)
def irregular_verbs(also_nouns: bool = False) -> dict[str, str]:
    """'led' → 'lead': WordNet's irregular verb forms (``irregular_verbs.json``, built by
    ``tools/build_irregular_verbs.py``); with ``also_nouns``, those that are nouns too ('won', 'left')."""
    table = _irregular_table()
    return {**table["forms"], **(table["also_nouns"] if also_nouns else {})}


@lru_cache(maxsize=1)
def _irregular_table() -> dict[str, dict[str, str]]:
    """The file read once, for both readings of ``irregular_verbs``."""
    text = resources.files("assistant.answering").joinpath("irregular_verbs.json").read_text("utf-8")
    table = json.loads(text)
    return {"forms": table["forms"], "also_nouns": table["also_nouns"]}


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    data = json.loads(resources.files("assistant.answering").joinpath("lexicon.json").read_text("utf-8"))
    synonyms: dict[str, set[str]] = {}
    phrases: dict[str, set[str]] = {}
    for group in data["synonyms"]:
        stems = {term for entry in group for term in terms(entry)}
        for entry in group:
            if " " in entry:
                phrases.setdefault(fold(entry), set()).update(stems)
            for term in terms(entry):
                synonyms.setdefault(term, set()).update(stems)
    # A verb asked is met by its irregular forms ('leads' by 'led'); not the other way round: a past form
    # asked ('built') read as its verb would meet every 'building'.
    for form, verb in irregular_verbs().items():
        synonyms.setdefault(stem(verb), {stem(verb)}).add(stem(form))
    return Lexicon(
        synonyms={key: frozenset(value) for key, value in synonyms.items()},
        phrases={key: frozenset(value) for key, value in phrases.items()},
        fillers=frozenset(stem(word) for word in data["question_fillers"])
        | frozenset(data["question_fillers"]),
        anaphora=frozenset(data["anaphora"]),
        pairing_cues=tuple(data["pairing_cues"]),
        imperatives=frozenset(data["imperatives"]),
        value_names=frozenset(term for word in data["value_names"] for term in terms(word)),
        small_talk=frozenset(data["small_talk"]),
        languages={code: tuple(common) for code, common in data["languages"].items()},
        question_words=data["question_words"],
    )


@dataclass
class QueryAnalysis:
    question: str
    subject: str  # the question with what it leans on from earlier turns: what retrieval searches for
    focus: list[str] = field(default_factory=list)  # stemmed content terms that an answer must speak to
    # focus terms that set the scene (they weigh half): the earlier turn's, or, when the message only gives
    # facts for the earlier question, the message's own
    earlier: list[str] = field(default_factory=list)
    asked: list[str] = field(default_factory=list)  # focus terms naming what is asked for
    attribute: list[str] = field(default_factory=list)  # 'the mayor' in 'who is the mayor of X'

    names: list[str] = field(default_factory=list)  # capitalised names in the question, folded
    years: list[int] = field(default_factory=list)
    edition_years: list[int] = field(default_factory=list)  # years naming an edition: 'the 2023 call'
    numbers: list[int] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)
    follow_up: bool = False
    gives_facts: bool = False  # a follow-up that asks nothing: facts for the earlier question
    # of a follow-up, the latest earlier turn's question that asks something: facts may come in several
    # messages, and each gives them for that question
    earlier_question: str = ""
    pairing_cue: bool = False
    previous: Turn | None = None

    def expanded(self, term: str) -> frozenset[str]:
        return lexicon().synonyms.get(term, frozenset()) | {term}

    @property
    def asking(self) -> str:
        """The words that ask: the question's, or for a message that only gives facts ('We're a city of
        700,000 in Portugal.'), the earlier question's, which the facts are for ('What does membership
        cost?' asks an amount)."""
        if self.gives_facts and self.earlier_question:
            return self.earlier_question
        return self.question


_DESIGNATION_OR_PART = re.compile(r"[^\s-]+-\d+\b|[^\s-]+")


def _names(question: str) -> list[str]:
    """Capitalised words that are not just the start of the sentence, nor common words."""
    found: list[str] = []
    for match in _NAME.finditer(question):
        # 'Nagano-Obuse' is two names; 'KALIX-2' is one, told apart from 'KALIX-3' by its number
        for word in _DESIGNATION_OR_PART.findall(match.group(0)):
            token = fold(word.strip("'’.").removesuffix("'s").removesuffix("’s"))
            at_start = match.start() == 0 and word == match.group(0).split()[0]
            if not token or token in STOPWORDS or token in lexicon().fillers or len(token) < 2:
                continue
            # an acronym for a kind of thing ('NGO', 'DG') is a common noun, met by its spelled-out words
            if word.isupper() and stem(token) in lexicon().synonyms:
                continue
            # a capital opening the question may only open the sentence; one further in ('m4EG') may not
            if at_start and not word.isupper() and not word[:1].islower():
                continue
            found.append(token)
    return found


def _numbers(question: str) -> list[int]:
    values = []
    for match in _NUMBER.finditer(question):
        digits = re.sub(r"[,. ]", "", match.group(0))
        if digits.isdigit():
            values.append(int(digits))
    return values


# A pronoun or auxiliary run together with what follows it: 'we're', 'I'm', 'we've', 'don't', 'can't'.
_CONTRACTION = re.compile(r"[a-z]+'(?:re|r|ve|v|m|d|ll|t)")


def focus_terms(text: str) -> list[str]:
    """Content terms of a question, without question fillers, contractions ('we're', 'don't': words no
    document term answers), nor an opening imperative ('Describe…')."""
    fillers = lexicon().fillers
    opening = re.match(r"\s*(\w+)", text)
    if opening and opening.group(1).lower() in lexicon().imperatives:
        text = text[opening.end() :]
    seen: list[str] = []
    for term in terms(text):
        if _CONTRACTION.fullmatch(term):
            continue
        if term not in fillers and term not in seen and not term.isdigit():
            seen.append(term)
    return seen


_ELLIPTIC = re.compile(
    r"\s*(?:and|what about|how about|and what about|same for|and for|and in|also for)\b", re.I
)


def small_talk(question: str) -> bool:
    """'Thanks!', 'ok', 'hello': a message that asks nothing of the documents."""
    return " ".join(words(question)) in lexicon().small_talk


def _leans_on_earlier(
    question: str, names: list[str], earlier_names: list[str], common_names: Collection[str]
) -> bool:
    """In a conversation, a question leans on the earlier one unless it turns to something new: it is
    elliptic ('and Lyon?'), or names nothing the conversation has not named already ('when is the
    deadline?', 'our town has 38,000 people, is that a problem?'). A name most documents use ('EU' among
    EU programmes' documents) turns to nothing new: 'when does the call for EU cities open?'."""
    elliptic = bool(_ELLIPTIC.match(question))
    parts = _parts_designated(question)
    new = [
        name for name in names if name not in earlier_names and name not in common_names and name not in parts
    ]
    return (
        elliptic
        or _refers_back(question)
        or not new
        or _asks_nothing(question)
        # the asker's own places ('we're in Slovakia') say where it is, not what it asks about: 'we're
        # three villages in Slovakia, can we apply together?' asks of the call the conversation is about
        or (FIRST_PERSON.search(question) is not None and all(names_a_place(name) for name in new))
    )


# 'Lot 2', 'Phase 3', 'Annex II': a common noun numbered as one of a series.
_NUMBERED = re.compile(rf"\b([{CAPITALS}][a-z]+)\s+(\d{{1,2}}|[IVX]+|[A-D])\b")


def _parts_designated(question: str) -> set[str]:
    """The common nouns the question numbers ('Lot 2', 'Phase 3'): they designate a part of the call or
    document the conversation is about, not a new subject ('How much money is there for Lot 2?')."""
    parts: set[str] = set()
    for match in _NUMBERED.finditer(question):
        noun = fold(match.group(1))
        if is_lemma(noun) and not names_a_place(noun):
            parts |= {noun, fold(match.group(2))}  # the numeral too: 'III' reads as a name
    return parts


# 'We are…', 'our town…': the asker speaks of itself ('us', not 'US').
FIRST_PERSON = re.compile(r"\b(?:[Ww]e|[Ww]e['’](?:re|ve)|[Oo]urs?|us)\b")


def _asks_nothing(message: str) -> bool:
    """A message that gives facts and asks nothing ('Sorry, should have said: we have 31,000
    inhabitants…'): it answers what the conversation asked of the asker."""
    return _ASKS.search(message) is None


@lru_cache(maxsize=4096)
def names_a_place(name: str) -> bool:
    """'germany', 'german': the gazetteer reads demonyms too, by a walk over its names (cached per word)."""
    return gazetteer().code_of(name) is not None or bool(gazetteer().mentioned(name))


_EXISTENTIAL = re.compile(r"\b(?:is|are|was|were)\s+there\b", re.I)
# 'Is there one in Ghana?', 'Are there any for small towns?': 'one', 'any' or 'some' standing for a noun
# of the earlier question (followed by a preposition or nothing, not by a noun of its own: 'is there any
# minimum?').
_STANDS_FOR_EARLIER = re.compile(
    r"\b(?:is|are|was|were)\s+there\s+(?:one|any|some)"
    r"(?=\s+(?:in|for|from|at|on|with|near|about|outside|inside|that|which|who)\b|\s*[?.!]|\s*$)",
    re.I,
)


def _refers_back(question: str) -> bool:
    """'Was Pune one of them?', 'Which of those is in Ghana?', 'Is there one in Ghana?': a word that
    points at what was said before ('is there…?' alone asks whether something exists, and points at
    nothing)."""
    if _STANDS_FOR_EARLIER.search(question):
        return True
    text = f" {' '.join(words(_EXISTENTIAL.sub(' ', question)))} "
    return any(f" {word} " in text for word in lexicon().anaphora)


def _without_names(text: str) -> str:
    """The text with its names taken out: 'Who is Leipzig's partner?' → 'Who is partner?'. Acronyms stay:
    they name the programme or body the conversation is about ('IURC')."""
    names = set(_names(text))
    kept = []
    for token in text.split():
        bare = token.strip(".,;:!?()'\"’").removesuffix("'s").removesuffix("’s")
        if fold(bare) in names and not bare.isupper():
            continue
        kept.append(token)
    return " ".join(kept)


_WH = r"(?:when|where|who|whom|what|which|how|why)"
# Anything that asks: a question mark, or a sentence opening as a question does, after 'and', 'but',
# 'so'… too ('and how long will they cooperate' typed without its mark).
_ASKS = re.compile(
    rf"\?|(?:^|[.!;:—–-]\s*)\W*(?:(?:and|but|so|or|then|also)\s+)?(?:{_WH}|{_AUXILIARY})\b", re.I
)
# Where a question asks a second thing: ', and by when?', '… and what helped?', '? And who…'.
_SECOND_PART = re.compile(
    rf"(?:\?\s+|,\s*(?:and\s+)?|\s+and\s+)(?=(?:(?:by|until|since|from|in|at|for|on)\s+)?{_WH}\b)",
    re.I,
)
_OPENING_WH = re.compile(rf"^\s*(?:(?:by|until|since|from|in|at|for|on)\s+)?{_WH}\b\S*", re.I)
_MIN_OWN_TERMS = 2  # content terms a part needs to stand on its own


def question_parts(question: str) -> list[str]:
    """The questions a compound question asks, each standing on its own: 'Who can apply to the call,
    and by when?' → 'Who can apply to the call', 'by when can apply to the call'. A part without terms
    of its own borrows the other part's (without its question word). One part when nothing is compound."""
    pieces = [piece.strip(" ,?") for piece in _SECOND_PART.split(question) if piece.strip(" ,?")]
    if len(pieces) == 3 and not _OPENING_WH.match(pieces[0]):
        # 'At the harbour festival, what share…, and what…?': the opening sets the scene of the first part
        pieces = [f"{pieces[0]}, {pieces[1]}", pieces[2]]
    if len(pieces) != 2:
        return [question]
    first, second = pieces
    if not _OPENING_WH.match(second):
        return [question]

    def body(part: str) -> str:
        return _OPENING_WH.sub("", part, count=1).strip()

    if len(focus_terms(first)) < _MIN_OWN_TERMS:
        first = f"{first} {body(second)}"
    if len(focus_terms(second)) < _MIN_OWN_TERMS:
        second = f"{second} {body(first)}"
    if len(focus_terms(first)) < _MIN_OWN_TERMS or len(focus_terms(second)) < _MIN_OWN_TERMS:
        return [question]
    return [first, second]


# 'What's the deadline?' asks what 'What is the deadline?' asks: the question's kind and its asked-for
# words are read from the spelled-out form.
_CONTRACTED = re.compile(r"\b(what|who|where|when|how|which)['’]s\b", re.I)


# A courteous opening before what is asked: 'Hi! Could you tell me: …', 'Hello, I'd like to know …',
# 'Good morning team, quick question: …'. Left on, it hides how the question opens ('Does…?' asks yes or
# no) and draws the model's vector of the question towards greetings.
_GREETING = (
    r"(?:hi|hello|hey|hiya|hallo|greetings|dear\s+[\w-]+|good\s+(?:morning|afternoon|evening|day))"
    r"(?:\s+(?:there|all|everyone|team|folks))?"
)
_REQUEST = (
    r"(?:(?:could|can|would|will)\s+you\s+(?:please\s+|kindly\s+)?(?:tell|let)\s+me(?:\s+know)?|"
    r"please\s+(?:tell|let)\s+me(?:\s+know)?|i(?:'d|\s+would)\s+like\s+to\s+know|i\s+(?:want|need)\s+to\s+know|"
    r"i\s+was\s+wondering|i\s+wonder|i\s+have\s+a\s+(?:quick\s+|short\s+)?question|(?:a\s+)?quick\s+question|"
    r"one\s+question)"
)
_COURTESY = re.compile(
    rf"^\W*(?:{_GREETING}\b[\s,!.;:-]*(?:{_REQUEST}\b)?|{_REQUEST}\b)[\s,!.;:-]*(?=\w)", re.I
)
# The last sentence of a text, if it opens as a question does ('who can apply', 'we are 60,000. can we…').
_ASKING_LAST = re.compile(rf"(?:^|[.!?]\s+)\W*(?:{_WH}|{_AUXILIARY})\b[^.!?]*$", re.I)


def without_courtesy(question: str) -> str:
    """The question without its courteous opening ('Hi! Could you tell me: which towns…?' → 'which
    towns…?')."""
    return _COURTESY.sub("", question)


def spelled_out(question: str) -> str:
    """The question without its courteous opening ('Hi! Could you tell me: …'), with its question
    word's 's written in full ('what's' → 'what is'), its typographic
    apostrophes straight, as most questions are typed ('doesn’t' → "doesn't": phones write the former),
    and its question mark, when a chat message leaves it out ('who can apply' → 'who can apply?'): the
    model's vector of a question reads the mark."""
    question = without_courtesy(question.replace("’", "'"))
    if _ASKING_LAST.search(question.rstrip()):
        question = question.rstrip() + "?"
    return _CONTRACTED.sub(lambda match: f"{match.group(1)} is", question)


def analyse(question: str, history: list[Turn], common_names: Collection[str] = ()) -> QueryAnalysis:
    """What the question asks, leaning on the earlier turns it follows up; ``common_names``: names most
    documents use, which turn a conversation to nothing new."""
    question = spelled_out(question)
    names = _names(question)
    previous = next(
        (turn for turn in reversed(history) if not turn.abstained), history[-1] if history else None
    )
    follow_up = previous is not None and _leans_on_earlier(
        question, names, _names(previous.subject) if previous else [], common_names
    )
    gives_facts = follow_up and _asks_nothing(question)
    subject = question
    carried = ""
    earlier_names: list[str] = []
    if follow_up and previous is not None:
        # Carry the earlier subject along: its names, and for "what about X?" its whole question — with
        # X in place of what the earlier question named ('Who is Leipzig's partner?' … 'and Lyon?').
        replaced = bool(_ELLIPTIC.match(question)) and bool(names)
        carried = _without_names(previous.subject) if replaced else previous.subject
        subject = f"{question} {carried}"
        earlier_names = [] if replaced else _names(previous.subject)
    folded = fold(subject)
    cues = lexicon().pairing_cues
    own_focus = focus_terms(question)
    earlier_focus = focus_terms(carried) if carried else []
    return QueryAnalysis(
        question=question,
        subject=subject,
        # A follow-up asks about the earlier subject: its terms stay in focus ('When did it take place?').
        focus=own_focus + [term for term in earlier_focus if term not in own_focus],
        # …and sets the scene for it; a message asking nothing ('We're a city of 700,000 in Portugal.')
        # gives facts for the earlier question, which is then what is asked: the facts set the scene.
        earlier=(
            [term for term in own_focus if term not in earlier_focus]
            if gives_facts
            else [term for term in earlier_focus if term not in own_focus]
        ),
        asked=[
            term
            for pattern in (_ASKED, _ASKED_OF)
            for match in pattern.finditer(question)
            for term in focus_terms(match.group("asked"))
        ],
        attribute=[
            term
            for pattern in (_ASKED_OF, _ASKED_IF_ANY)
            for match in pattern.finditer(question)
            for term in focus_terms(match.group("asked"))
        ],
        names=names + [name for name in earlier_names if name not in names],
        years=[int(year) for year in _YEAR.findall(question)]
        or ([int(year) for year in _YEAR.findall(carried)] if carried else []),
        edition_years=[int(a or b) for a, b in _EDITION_YEAR.findall(question)],
        numbers=_numbers(question),
        countries=gazetteer().mentioned(subject),
        follow_up=follow_up,
        gives_facts=gives_facts,
        earlier_question=next(
            (turn.question for turn in reversed(history) if not _asks_nothing(turn.question)),
            previous.question if previous is not None else "",
        )
        if follow_up
        else "",
        pairing_cue=any(cue in folded for cue in cues),
        previous=previous if follow_up else None,
    )
