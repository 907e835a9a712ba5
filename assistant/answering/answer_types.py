"""What kind of thing a question asks for (a date, a number, a duration, a place, an address), and
whether a sentence holds one: a sentence that holds the asked-for kind of thing is a likelier answer."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache

from assistant.answering.editions import is_deadline
from assistant.answering.people import people
from assistant.answering.query import lexicon
from assistant.answering.spelling import is_lemma
from assistant.answering.swapped import names_a_thing
from ingest.dates import MONTH_NAMES, MONTHS
from ingest.geo import gazetteer, language_names
from ingest.textutil import CAPITALS, EMAIL, STOPWORDS, fold, stem, terms, words

# A season opening a name ('the Summer University', 'Winter Olympics') dates nothing.
_NOT_A_NAME = r"(?!\s+(?-i:[A-Z]))"
_DATE = re.compile(
    rf"\b({MONTH_NAMES}|jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec)\b\.?|\b\d{{1,2}}[/.]\d{{1,2}}[/.]\d{{2,4}}\b|"
    rf"\b\d{{1,2}}/\d{{4}}\b|\b(19|20)\d\d\b|\b(spring|summer|autumn|fall|winter|quarter|Q[1-4])\b{_NOT_A_NAME}",
    re.I,
)
# An amount: a figure with a currency or a percentage, or a number with a scale.
_AMOUNT = re.compile(
    r"(€|\$|£|\beur\b|\beuros?\b|\busd\b|\bmeur\b)\s*\d|\d[\d,. ]*\s*(€|%|percent|per ?cent|eur\b|euros?\b|"
    r"meur\b|million|billion|thousand|\bm\b|\bk\b)",
    re.I,
)
# Money in a currency named by its word ('40,000 crowns', '2 million dollars'), or nothing to pay.
_MONEY = re.compile(
    r"\d[\d,. ]*\s*(?:(?:million|billion|thousand|hundred)\s+)?(?:dollars?|pounds?|francs?|marks?|crowns?|"
    r"kron(?:or|er|a|e)|lir[ae]|guilders?|florins?|shillings?|pence|roubles?|rubles?|yen|yuan|rupees?|pesos?|"
    r"ducats?|thalers?|z[lł]oty|forints?|korun[ay]?|lei|dinars?|gbp|chf|sek|nok|dkk|pln|czk|huf)\b|"
    r"\bfree(?:\s+of\s+charge)?\b|\bno\s+(?:fee|charge|cost)s?\b|\bat no cost\b",
    re.I,
)
# A question about money paid: what something cost, its price, a fee, a salary. A count of things does
# not answer it ('How much did the printer cost?' is not answered by '36 bits').
_PRICE_ASKED = re.compile(
    r"\b(?:cost(?:s|ing)?|price[sd]?|fees?|paid|pay(?:s|ing)?|spen[dt]|spends|charged?|charges|worth|"
    # 'how much could we get?', 'how much does each town receive?': a sum received
    r"salar(?:y|ies)|wages?|budgets?|money|get|gets|receive[sd]?|receiving|obtain(?:s|ed)?|earn(?:s|ed)?)\b",
    re.I,
)
# Someone or some body: a run of capitalised words, an acronym, or a word naming an organisation.
_AGENT = re.compile(
    rf"\b[{CAPITALS}][\w&-]+(?:\s+(?:of|for|and|de|la)?\s*[{CAPITALS}][\w&-]+)+\b|\b[A-Z]{{2,}}[\w-]*\b|"
    r"\b(GmbH|Ltd|agency|office|secretariat|commission|ministry|consortium|association|network|"
    r"committee|council|mayor|university|foundation)\b"
)
# A count: a number before a word ('144 seats', '57 city-to-city partnerships'), not a year or a day.
_COUNT = re.compile(r"\b(?!(?:19|20)\d\d\b)\d[\d,.]*\s+[a-z]")
_NUMBER_WORDS = (
    r"(?:two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|"
    r"hundreds?|dozens?)"
)
# What a question counts: 'how many visits', 'the minimum number of countries'.
_COUNTED = re.compile(
    r"\b(?:how many|number of)\s+(?P<noun>(?:(?-i:[A-Z]{2})\s+)?[a-z]{3,}(?:\s+[a-z][\w-]*){0,2})", re.I
)
_DURATION = re.compile(
    r"\b(\d[\d.,]*|one|two|three|four|five|six|seven|eight|nine|ten|twelve|eighteen|several|a few)"
    r"(?:\s+(?:million|thousand|hundred))?[ -]"
    r"(months?|years?|weeks?|days?|hours?|minutes?|decades?|centuries)\b",
    re.I,
)

# A measurement: a figure (or a range of figures) with a unit of length, weight, area, speed, temperature
# or storage; each family answers its own questions ('how deep…?': metres, not kilograms).
_UNITS = {
    "length": r"(?:kilo|centi|milli)?met(?:re|er)s?|km|cm|mm|m|(?:nautical\s+)?miles?|feet|foot|ft|"
    r"inch(?:es)?|yards?|light[- ]years?",
    "weight": r"(?:kilo)?grams?|kg|g|tonnes?|tons?|t|pounds?|lbs?|ounces?|oz",
    "area": r"hectares?|ha|acres?|square\s+(?:kilo)?met(?:re|er)s?|square\s+(?:miles?|feet)|km²|km2|m²|m2",
    "speed": r"km/h|mph|m/s|knots?|revolutions|rpm|(?:[\w-]+\s+){1,2}(?:per|a|an|each)\s+"
    r"(?:second|minute|hour|day|week|month|year)",
    "temperature": r"°\s*[CF]|degrees?(?:\s+(?:celsius|fahrenheit|centigrade))?",
    "storage": r"bits?|bytes?|kilobytes?|megabytes?|words|digits",
}
_UNIT_WORD = re.compile("|".join(f"(?:{units})" for units in _UNITS.values()), re.I)
_FIGURE = (
    r"(?<![\w.])(?:\d[\d,.]*|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|"
    r"forty|fifty|hundred|a few|several)"
    r"(?:\s*(?:–|-|to|and)\s*\d[\d,.]*)?(?:\s+(?:thousand|million|billion|hundred))?"
)


@lru_cache(maxsize=16)
def _measure_pattern(families: tuple[str, ...]) -> re.Pattern[str]:
    units = "|".join(_UNITS[family] for family in families)
    # '38-metre tower' as well as '38 metres'; a unit written as a word or a symbol.
    return re.compile(rf"{_FIGURE}\s*-?\s*(?:{units})(?![\w/])", re.I)


# The question's word for what is measured, and the unit families that answer it.
_MEASURED = {
    "far": ("length",),
    "tall": ("length",),
    "high": ("length",),
    "deep": ("length",),
    "wide": ("length",),
    "thick": ("length",),
    "long": ("length",),
    "distance": ("length",),
    "height": ("length",),
    "length": ("length", "storage"),
    "depth": ("length",),
    "width": ("length",),
    "thickness": ("length",),
    "diameter": ("length",),
    "elevation": ("length",),
    "altitude": ("length",),
    "heavy": ("weight",),
    "weight": ("weight",),
    "mass": ("weight",),
    "area": ("area",),
    "fast": ("speed",),
    "speed": ("speed",),
    "temperature": ("temperature",),
    "hot": ("temperature",),
    "cold": ("temperature",),
    "warm": ("temperature",),
    # 'how big do the trout grow?': a size, of length or of weight
    "big": ("length", "weight"),
    "large": ("length", "weight"),
}


# 'How tall…?' and 'the height of…' ask for a measurement ('long' only in 'how long is the…?', which may
# also ask for a duration; 'area' only as 'the surface area of…', not 'the thematic area of the call').
_MEASURE_ADJECTIVES = "far|tall|high|deep|wide|thick|heavy|fast|hot|cold|warm"
_MEASURE_NOUNS = (
    "distance|height|length|depth|width|thickness|diameter|elevation|altitude|weight|mass|speed|temperature"
)
# 'do the trout grow', 'does a male get': what a size is grown to, asked of the thing named between.
_ASKING = r"(?:do|does|did|can|could|will|would)"
_GROWN = r"\b(?:grow|get|become|reach)\b"
_GROWS_TO = rf"{_ASKING} [^?]*?{_GROWN}"
_MEASURE_ASKED = re.compile(
    rf"\bhow (?P<what>{_MEASURE_ADJECTIVES})\b|"
    # 'how long is the line?' measures a length (or a duration: 'how long is the programme?').
    r"\bhow (?P<what2>long) (?:is|are|was|were) (?:the |a |an |its |their |each )|"
    # 'how big do the trout grow?': a size grown to (not 'how large is the grant?', which asks a sum)
    rf"\bhow (?P<what4>big|large) {_GROWS_TO}|"
    r"\b(?:what|which) (?:(?:is|are|was|were|'s) )?(?:the |its |their )?(?:[\w-]+ ){0,2}?"
    rf"(?P<what3>{_MEASURE_NOUNS}|(?:surface|land|floor|total) area)\b",
    re.I,
)


@lru_cache(maxsize=256)
def _asked_measure(question: str) -> tuple[re.Pattern[str], bool] | None:
    """The question's measurement, read once (the check reads every candidate sentence with it): the
    pattern of a figure with a unit of what is measured, and whether a duration answers too (the length
    of a project is its duration, and how fast a thing is done is how soon)."""
    word = _measure_word(question)
    if word is None:
        return None
    return _measure_pattern(_MEASURED[word]), word in ("length", "fast")


def _measure_word(question: str) -> str | None:
    """The question's word for what it measures ('tall', 'depth'), a key of ``_MEASURED``."""
    asked = _MEASURE_ASKED.search(question)
    if asked is None:
        return None
    word = next(value for key, value in asked.groupdict().items() if value and key.startswith("what"))
    return str(word.lower().split()[-1])


def _singular_stem(word: str) -> str:
    """A noun without its plural ending, to match both forms: 'warehouses' → 'warehous', 'cities' → 'cit'."""
    return re.sub(r"(?:ies|es|s)$", "", word)


# What a measurement is of: 'how tall is the signal mast at…?', 'what is the depth of the lake?'.
_MEASURED_THING = re.compile(
    rf"\bhow (?:{_MEASURE_ADJECTIVES}|long) (?:is|are|was|were) |\b(?:{_MEASURE_NOUNS}|area) of |"
    rf"\bhow (?:big|large|long|{_MEASURE_ADJECTIVES}) {_ASKING} (?=[^?]*?{_GROWN})",
    re.I,
)
_PHRASE_END = re.compile(
    r"\s(?:of|at|in|on|around|under|near|from|between|during|after|before|by|to|with|used|that|which|when|"
    r"where|who|and|or|today|now|above|below|across|along|over|grow|get|become|reach)\b|[?,;:.!]|$",
    re.I,
)
# A sentence about what the one before named ('It is 38 metres tall', 'In August it reaches 17 °C').
_PRONOUN_SUBJECT = re.compile(r"\W*(?:[\w-]+\s+){0,3}?(?:it|its|they|their)\b", re.I)
# A measurement is bound to its thing clause by clause: in 'The blocks weigh 4 tonnes; they were lifted by
# steam cranes' the weight is not the cranes'.
_CLAUSES = re.compile(r"\s*;\s*")
_ARTICLE = re.compile(r"^(?:the|a|an|its|their|each|this|these|that|those)\s+", re.I)


# The letters a word shares with its derivations: 'incub' of 'incubation' and 'incubated'.
_DERIVED_PREFIX = 5


@lru_cache(maxsize=256)
def _measured_thing(question: str, *, derived: bool = False) -> re.Pattern[str] | None:
    """The words naming what is measured ('signal mast', 'adult ashwing warbler'), one of which the
    sentence giving the figure must use ('Adults are 13 centimetres long'), unless it speaks of it by a
    pronoun ('It is 38 metres tall'). ``derived``: a word's derivations count too ('incubated' for
    'incubation'), by its first five letters."""
    asked = _MEASURED_THING.search(question)
    if asked is None:
        return None
    return _naming(question[asked.end() :], derived=derived)


def _noun_phrase(phrase: str) -> list[str]:
    """The words of a noun phrase after its article, up to its first preposition, clause or mark, without
    a possessive's ending ('signal mast' of 'the signal mast at the shore station?')."""
    rest = _ARTICLE.sub("", phrase.strip())
    end = _PHRASE_END.search(rest)
    return [re.sub(r"(?:'s|’s)$", "", word) for word in rest[: end.start() if end else len(rest)].split()]


def _naming(phrase: str, *, derived: bool = False) -> re.Pattern[str] | None:
    """A pattern of the words of a noun phrase (``_noun_phrase``: 'signal mast' of 'signal mast at the
    shore station?'): a sentence using one of them speaks of the thing."""
    stems = [re.escape(_singular_stem(word.lower())) for word in _noun_phrase(phrase)]
    stems = [stem[:_DERIVED_PREFIX] if derived else stem for stem in stems if len(stem) >= 3]
    if not stems:
        return None
    return re.compile(rf"\b(?:{'|'.join(stems)})", re.I)


# Measurements a passage must give of the very thing asked about: not a length ('how long is the
# programme?' may ask a duration) nor a speed ('how fast' may ask how soon).
_BOUND_FAMILIES = frozenset({"length", "weight", "area"})
_UNBOUND_WORDS = frozenset({"long", "length", "fast", "speed"})


@lru_cache(maxsize=256)
def measure_asked_of(question: str) -> tuple[re.Pattern[str], re.Pattern[str]] | None:
    """For 'how tall is the signal mast…?', 'what is the depth of the lake?': the pattern of a figure with
    a unit of what is measured, and the pattern of the thing measured. None for other questions."""
    word = _measure_word(question)
    if word is None or word in _UNBOUND_WORDS or not set(_MEASURED[word]) <= _BOUND_FAMILIES:
        return None
    thing = _measured_thing(question)
    if thing is None:
        return None
    return _measure_pattern(_MEASURED[word]), thing


def length_left_open(question: str, read: Iterable[tuple[str, str]]) -> bool:
    """For 'how long is the railway line?', which asks a length or a duration: whether the passage's
    sentences (each with the one before it) give lengths, but no length or duration of the thing asked
    about ('the canal is 112 kilometres long' does not measure the line). False for other questions."""
    if _measure_word(question) != "long" or measure_asked_of(question) is not None:
        return False
    thing = _measured_thing(question, derived=True)
    if thing is None:
        return False
    lengths = _measure_pattern(("length",))
    gives_a_length = False
    for sentence, previous in read:
        for clause, before in _clauses(sentence, previous):
            length = _holds(lengths, clause)
            if (length or _DURATION.search(clause)) and _speaks_of(thing, clause, before):
                return False
            gives_a_length = gives_a_length or length
    return gives_a_length


def _clauses(sentence: str, previous: str) -> Iterator[tuple[str, str]]:
    """The sentence's clauses, each with the text before it (the previous sentence for the first)."""
    for clause in _CLAUSES.split(sentence):
        yield clause, previous
        previous = clause


def _speaks_of(thing: re.Pattern[str], sentence: str, previous: str) -> bool:
    """Whether the sentence names the thing, or speaks of it by a pronoun when the one before names it."""
    return thing.search(sentence) is not None or (
        _PRONOUN_SUBJECT.match(sentence) is not None and thing.search(previous) is not None
    )


def measures_thing(question: str, sentence: str, previous: str) -> bool:
    """Whether the sentence gives the measurement the question asks, of the thing it asks about: naming
    it ('the mast is 12 metres tall'), or by a pronoun when the sentence before names it ('It is 12 metres
    tall'). 'The tower is 38 metres tall' does not measure the mast."""
    asked = measure_asked_of(question)
    if asked is None:
        return True
    figure, thing = asked
    return any(
        _holds(figure, clause) and _speaks_of(thing, clause, before)
        for clause, before in _clauses(sentence, previous)
    )


# 'How much did the lighthouse cost?', 'How much does a lorry pay…?', 'How much is the travel lump sum…?',
# 'What is the value of the mentoring package?': the price of a thing, or what one pays.
_PRICE_OF = re.compile(
    r"\bhow much (?:does|did|do|will|would|should|can|could) (?P<thing>.+?) (?:cost|pay|charge)s?\b|"
    r"\bhow much (?:is|are|was|were) (?P<thing2>(?:the|a|an|each|its|their) .+)|"
    r"\bwhat (?:is|are|was|were) the (?:value|price|cost)s? of (?P<thing3>.+)",
    re.I,
)
# Words for a sum of money: 'the grant' is the sum asked for, not a thing it is the price of.
_MONEY_NOUNS = re.compile(
    r"\b(?:grants?|fees?|budgets?|sums?|lump|amounts?|funding|contributions?|allowances?|prizes?|costs?|"
    r"prices?|money|payments?|subsid(?:y|ies))\b",
    re.I,
)
_PRONOUN = re.compile(r"(?:it|we|i|you|they|he|she|one|this|that)$", re.I)
_PAID_FOR = re.compile(r"\s+(?:for|per)\s+", re.I)


@lru_cache(maxsize=256)
def price_asked_of(question: str) -> re.Pattern[str] | None:
    """The words naming what a price is asked of ('lorry' in 'how much does a lorry pay for a crossing?'),
    one of which the sentence giving the sum must use; None for other questions, and for a price asked of
    what a pronoun stands for ('how much did it cost?')."""
    asked = _PRICE_OF.search(question)
    if asked is None:
        return None
    thing = next(value for key, value in asked.groupdict().items() if value and key.startswith("thing"))
    if _PRONOUN.match(thing):
        return None
    # 'the registration fee for the meeting': the thing is the registration, not the meeting it is paid for
    named = _PAID_FOR.split(_ARTICLE.sub("", thing.strip()), maxsplit=1)[0]
    return _naming(_MONEY_NOUNS.sub(" ", named))


def prices_thing(question: str, sentence: str, previous: str) -> bool:
    """Whether the sentence gives a sum of the thing a price is asked of: 'A car pays 96 kroner' does not
    price a lorry's crossing. True when the question asks no price of a thing."""
    thing = price_asked_of(question)
    if thing is None:
        return True
    return any(
        _has_money(clause) and _speaks_of(thing, clause, before)
        for clause, before in _clauses(sentence, previous)
    )


# 'What colour are the eggs?', 'what color is its roof?': asked of a thing, answered by a colour word in a
# clause that speaks of that very thing ('the legs are grey' does not colour the eggs).
_COLOUR_ASKED = re.compile(
    r"\b(?:what|which)\s+colou?rs?\s+(?:is|are|was|were|do|does|did)\s+(?P<thing>.+)", re.I
)
_COLOUR = re.compile(
    r"\b(?:red|green|blue|white|black|gr[ae]y|brown|yellow|orange|pink|purple|violet|cream|buff|olive|"
    r"golden|gold|silver|bronze|crimson|scarlet|ochre|beige|ivory|turquoise|maroon|lilac|russet|chestnut|"
    r"fawn|tawny|rufous|colou?rless|reddish|greenish|bluish|whitish|blackish|greyish|grayish|brownish|"
    r"yellowish|pinkish)(?:-\w+)?\b",
    re.I,
)


@lru_cache(maxsize=256)
def _coloured_thing(question: str) -> re.Pattern[str] | None:
    """The head noun of what a colour is asked of ('eggs' of 'what colour are the ashwing warbler eggs?',
    'legs' of '…the warbler's legs?', 'roof' of '…is the roof of the hall?'): the words before it may name
    the whole of which it is a part, which a sentence colouring another part names too."""
    asked = _COLOUR_ASKED.search(question)
    if asked is None:
        return None
    phrase = _noun_phrase(asked.group("thing"))
    return _naming(phrase[-1]) if phrase else None


def _has_colour(sentence: str, question: str) -> bool:
    """A colour word, in a clause of the sentence that names the thing asked about (a pronoun for it is
    not read: the check sees the sentence alone); any colour word when the question names no thing
    ('what colour is it?')."""
    thing = _coloured_thing(question)
    if thing is None:
        return _holds(_COLOUR, sentence)
    return any(
        _holds(_COLOUR, clause) and thing.search(clause) is not None for clause in _CLAUSES.split(sentence)
    )


# 'What is the scientific name of…?': a genus and species, written in brackets after the common name ('The
# ashwing warbler (Acrocephalus cinerealis) is…') or after 'known (scientifically) as'.
_SCIENTIFIC_NAME_ASKED = re.compile(
    r"\b(?P<what>scientific|latin|binomial|botanical|zoological|taxonomic)\s+names?\b", re.I
)
_BINOMIAL = re.compile(
    r"\(\s*(?-i:[A-Z][a-z]+\s+[a-z]{3,}(?:\s+[a-z]{3,})?)\s*[,;)]|"
    r"\b(?:known|described|classified)\s+(?:scientifically\s+)?as\s+(?-i:[A-Z][a-z]+\s+[a-z]{3,})\b",
    re.I,
)


# Dimensions a length alone does not give: '800 metres' is as often how far a thing moved or how long it is
# as how deep it is, so the sentence names the dimension ('112 metres deep', 'a depth of', '3 km across').
# A height or a distance it gives by the figure alone: 'a 38-metre tower', '11 kilometres north of'.
_DIMENSION_NAMED = {
    word: re.compile(rf"\b(?:{named})", re.I)
    for words, named in (
        (("deep", "depth"), "deep|depth|below|beneath|down to"),
        (("wide", "width"), "wide|width|broad|breadth|across|span|diamet"),
        (("thick", "thickness"), "thick"),
        (("diameter",), "diamet|across|wide"),
    )
    for word in words
}


def _has_measure(sentence: str, question: str) -> bool:
    """A figure with a unit of what the question measures: '11 kilometres' for 'how far…?', in a sentence
    naming what is measured ('the tower is 38 metres tall' does not answer 'how tall is the mast?') and,
    for a depth, a width or a thickness, the dimension ('the channel shifted 800 metres' gives no depth)."""
    asked = _asked_measure(question)
    if asked is None:
        return False
    thing = _measured_thing(question)
    if thing is not None and thing.search(sentence) is None and _PRONOUN_SUBJECT.match(sentence) is None:
        return False
    dimension = _DIMENSION_NAMED.get(_measure_word(question) or "")
    if dimension is not None and dimension.search(sentence) is None:
        return False
    pattern, or_duration = asked
    return _holds(pattern, sentence) or (or_duration and _DURATION.search(sentence) is not None)


@lru_cache(maxsize=256)
def _asks_price(question: str) -> bool:
    """'How much did the bridge cost?', 'What is the fee?'; not 'How many days do they spend…?', which
    counts days. Read once per question, not for each candidate sentence the checks read."""
    return _PRICE_ASKED.search(question) is not None and _COUNTED.search(question) is None


def _has_money(sentence: str) -> bool:
    return _AMOUNT.search(sentence) is not None or _MONEY.search(sentence) is not None


def _has_count(sentence: str, question: str) -> bool:
    """A number of things; of money, when the question asks what something cost."""
    if _asks_price(question):
        return _has_money(sentence)
    if _counted_figure(question) is not None:
        return counts_asked(sentence, question)
    return (
        _COUNT.search(sentence) is not None
        or _counted_in_words(sentence, question)
        # 'how much did the partnerships lose?': 'up to 15% of their budgets' says how much
        or (_HOW_MUCH.search(question) is not None and _PERCENTAGE.search(sentence) is not None)
    )


_HOW_MUCH = re.compile(r"\bhow much\b", re.I)
_PERCENT = r"\d\s*(?:%|per ?cent\b|percent\b)"
_PERCENTAGE = re.compile(_PERCENT, re.I)


# A figure that may count things: not a year ('in 1742'), which dates them.
_COUNTING_FIGURE = (
    rf"(?:\b(?!(?:1[5-9]|20)\d\d\b)\d[\d,.]*|\b{_NUMBER_WORDS}\b|\bone\b|\ba single\b|\ba dozen\b|"
    r"\ba hundred\b)"
)
_FIGURE_IN_TEXT = re.compile(_COUNTING_FIGURE, re.I)


@lru_cache(maxsize=256)
def _counted_noun(question: str) -> tuple[str, str] | None:
    """The noun a 'how many…?' or 'the number of…' question counts, and its stem ('warehouse')."""
    compound = _counted_compound(question)
    if not compound:
        return None
    noun = compound[-1]
    return noun, _singular_stem(noun)


@lru_cache(maxsize=256)
def _counted_compound(question: str) -> tuple[str, ...]:
    """The nouns a 'how many…?' question counts, the last of them the head: 'windows' in 'how many
    semicircular windows does…' (a word describing them is passed over), 'vacuum tubes' in 'how many
    vacuum tubes did…', 'people' in 'how many people died…'."""
    asked = _COUNTED.search(question)
    if asked is None:
        return ()
    phrase = asked.group("noun").lower().split()
    start = 0
    while (
        start + 1 < len(phrase)
        and not names_a_thing(phrase[start])
        and phrase[start + 1] not in STOPWORDS
        and names_a_thing(phrase[start + 1])
    ):
        start += 1
    return tuple(phrase[start : _noun_run_end(phrase, start)])


def _noun_run_end(phrase: list[str], start: int) -> int:
    """Where the run of nouns from ``start`` ends: at a small word or a verb ('live'); a plural is read as
    a noun ('beetles', a verb to WordNet)."""
    end = start + 1
    while (
        end < len(phrase)
        and phrase[end] not in STOPWORDS
        and (names_a_thing(phrase[end]) or phrase[end].endswith("s"))
    ):
        end += 1
    return end


@lru_cache(maxsize=256)
def _counted_figure(question: str) -> re.Pattern[str] | None:
    """A figure counting what the question counts: '300 warehouses', 'a crew of six workers', 'city
    pairings: 96', 'Core cities (64)', 'expressions of interest … received 112 applications'. '300
    houses' does not answer 'how many warehouses…?'. Units and periods ('how many kilometres', 'how many
    months') are left to the measurement and duration checks: any figure counts them, in whatever
    spelling."""
    counted = _counted_noun(question)
    if counted is None:
        return None
    noun, stem = counted
    if len(stem) < 3 or _UNIT_WORD.fullmatch(noun) or _DURATION.search(f"2 {noun}"):
        return None
    return _figure_counting(stem)


@lru_cache(maxsize=256)
def _figure_counting(stem: str) -> re.Pattern[str]:
    figure, named = _COUNTING_FIGURE, rf"\b{re.escape(stem)}[\w-]*"
    return re.compile(
        # the figure before the noun, no preposition between them: '25 with cities' counts pairings
        rf"{figure}\s+(?:(?!{_RELATING}\b)[\w-]+\s+){{0,3}}?{re.escape(stem)}|"
        rf"{named}(?:\s+[\w-]+){{0,2}}?:\s*{figure}|"  # a label and its figure
        rf"{named}(?:\s+[\w-]+){{0,2}}?\s*\(\s*{figure}\s*\)|"  # a heading's count: 'CORE CITIES (64)'
        # the noun, then a figure counting something (not a score out of a total, a share, nor a day of a
        # month: 'concept notes is 12 June')
        rf"{named}[^.;:!?]{{0,50}}?(?<!out of ){figure}\s+(?!points?\b|per ?cent\b|(?:{MONTH_NAMES})\b)"
        r"(?P<after>[a-z][\w-]*)(?:\s+(?P<next>[a-z][\w-]*))?",
        re.I,
    )


# Prepositions that tie a figure to a noun it does not count ('25 with cities', '40 per city').
_RELATING = r"(?:with|in|for|to|by|at|on|than|per)"
_RELATING_WORD = re.compile(_RELATING, re.I)


def _counts_with(pattern: re.Pattern[str], stem: str, sentence: str) -> bool:
    """Whether a figure of ``pattern`` counts the noun of ``stem``. After the noun, a threshold on another
    noun counts none of it ('cities with more than 30,000 inhabitants'), nor does a figure tied to
    what is left unsaid ('cities and 25 with…'); 'expressions of interest received 112 applications'
    and 'of the warehouses, 12 were destroyed' count the noun before the figure."""
    for match in pattern.finditer(sentence):
        after = match.group("after")
        if after is None:
            return True
        if _RELATING_WORD.fullmatch(after):
            continue  # 'cities and 25 with…'
        if _THRESHOLD_BEFORE.search(sentence, 0, match.start("after")) and _names_another(
            (after, match.group("next")), stem
        ):
            continue
        return True
    return False


def _names_another(words: tuple[str, str | None], stem: str) -> bool:
    """Whether the words after a figure name a noun other than the one of ``stem``: 'inhabitants', or
    'eligible countries' past a describing word."""
    first, second = (word.lower() if word else None for word in words)
    if first is None or first in STOPWORDS or first.startswith(stem):
        return False
    if names_a_thing(first):
        return True
    return (
        second is not None
        and second not in STOPWORDS
        and not second.startswith(stem)
        and names_a_thing(second)
    )


# A threshold and its figure, just before the noun it bounds: 'more than 30,000 ', 'under 5 '.
_THRESHOLD_BEFORE = re.compile(
    r"\b(?:(?:more|fewer|less) than|over|under|above|below|at (?:least|most)|up to)\s+[\d,.]+\s+$", re.I
)


@lru_cache(maxsize=256)
def _modifiers_counted(question: str) -> tuple[tuple[re.Pattern[str], str], ...]:
    """Figures counting each noun before the head ('vacuum' of 'vacuum tubes'): '7,000 species' does not
    count 'stygobite species' unless the stygobites are counted too."""
    nouns = [*_counted_compound(question)[:-1], *_kind_counted(question)]
    stems = (_singular_stem(noun) for noun in nouns)
    return tuple((_figure_counting(stem), stem) for stem in stems if len(stem) >= 3)


# 'How many species of cave beetles…?' counts kinds of beetles: '7,000 species of troglobites' does not.
_KINDS_OF = re.compile(
    r"\b(?:how many|number of)\s+(?:species|kinds|types|sorts|varieties|breeds)\s+of\s+(?:the\s+)?"
    r"(?P<of>[a-z][\w-]*(?:\s+[a-z][\w-]*){0,2})",
    re.I,
)


def _kind_counted(question: str) -> tuple[str, ...]:
    """The noun whose kinds a question counts: 'beetles' in 'how many species of cave beetles…?'."""
    asked = _KINDS_OF.search(question)
    if asked is None:
        return ()
    phrase = asked.group("of").lower().split()
    return (phrase[_noun_run_end(phrase, 0) - 1],)


def counts_asked(sentence: str, question: str) -> bool:
    """Whether a sentence gives the number a 'how many…?' question asks for: a figure counting its noun;
    when the noun is one for anyone ('people', 'persons'), a figure counting any kind of person ('640
    participants', '4,000 inhabitants': WordNet's nouns of persons). True when the question counts
    nothing, or a unit or a period, which other checks read."""
    counted = _counted_noun(question)
    pattern = _counted_figure(question)
    if counted is None or pattern is None:
        return True
    if _ASKS_A_FACT.search(question) and _LIMIT_ASKED.search(question) is None and _RULED.search(sentence):
        return False  # asked how many came in, 'may submit no more than one' sets a rule, counts nothing
    modifiers = _modifiers_counted(question)
    if all(_counts_with(modifier, stem, sentence) for modifier, stem in modifiers) and (
        # 'a crew of five' counts the crew members: persons named after what they belong to
        _counts_with(pattern, counted[1], sentence) or (modifiers and people().names_a_person(counted[0]))
    ):
        return True
    if not people().names_anyone(counted[0]):
        return False
    asks_limit = _LIMIT_ASKED.search(question) is not None
    for figure in _FIGURE_IN_TEXT.finditer(sentence):
        if not asks_limit and _LIMIT_BEFORE.search(sentence, max(0, figure.start() - 40), figure.start()):
            continue  # 'up to three participants: two members…' limits a number; it does not give one
        after = _CLAUSE_END.split(sentence[figure.end() : figure.end() + 40], maxsplit=1)[0]
        following = _FOLLOWING_WORDS.findall(after)[:_COUNTED_WITHIN]
        one = _ONE.fullmatch(figure.group(0)) is not None
        if any(people().names_a_person(w) if one else people().names_persons(w) for w in following):
            return True
    return False


# A limit or threshold before a figure, in the same clause ('up to three participants', 'up to three
# participants: two members of…', 'cities under 50,000 inhabitants'); 'more than 640 participants' gives a
# number, roughly.
# The words a limit on a figure is written with ('at least', 'a maximum of', 'no more than'), read before
# the figure by the checks below and by ``states_limit``.
_LIMITING = r"at (?:least|most)|(?:a )?(?:minimum|maximum)(?: of)?|up to|(?:no|not) (?:more|fewer|less) than"
_LIMIT_BEFORE = re.compile(
    rf"\b(?:{_LIMITING}|under|below|fewer than|less than)\s+[^.;()]*$",
    re.I,
)
_LIMIT_ASKED = re.compile(r"\b(?:minimum|maximum|min|max|at (?:least|most)|up to|limit)\b", re.I)
# 'How many notes were received?', 'how many cities took part?': a number that came about, not a rule.
_ASKS_A_FACT = re.compile(r"\bhow many\b[^?]*?\b(?:were|was|did|had)\b", re.I)
# A rule on a number: 'may submit no more than one concept note', 'must include at least three partners'.
_RULED = re.compile(
    rf"\b(?:may|must|can|cannot|shall|should)\b[^.;]{{0,60}}?\b(?:{_LIMITING})\s+{_COUNTING_FIGURE}",
    re.I,
)


_ONE = re.compile(r"1|one|a single", re.I)
_CLAUSE_END = re.compile(r"[.;:,()/\n]")
_FOLLOWING_WORDS = re.compile(r"[A-Za-z][\w-]*")
# The words after a figure that may name what it counts ('78 mayors', '640 local participants').
_COUNTED_WITHIN = 4


def counted_noun(question: str) -> str | None:
    """The noun a question asks the number of ('how many applications…?', 'what was the total number of
    visitors?'); None for a unit or a period ('how many kilometres', 'how many months'), which the
    measurement and duration checks read, and for a number the question only speaks of ('what limits the
    number of animals?')."""
    counted = _counted_noun(question)
    if counted is None or _counted_figure(question) is None or not _ASKS_A_NUMBER.search(question):
        return None
    return counted[0]


_ASKS_A_NUMBER = re.compile(
    r"\bhow many\b|^\W*(?:what(?:'s|\s+(?:is|was|are|were|will be))?\s+)?(?:the\s+)?(?:[a-z]+\s+)?"
    r"number of\b",
    re.I,
)


# 'What (is) (the) …': the opening of a question asking for a thing by its noun.
_WHAT_THE = r"\bwhat\s+(?:(?:is|are|was|were|'s)\s+)?(?:the\s+)?"
# Up to two words before the noun a 'what …' question asks for ('what ERDF co-financing rate'), none of
# them the auxiliary of a question's verb ('what do cities share?' asks for no share).
# The verbs that end the whole a share is of ('the costs' of 'what share of the costs does the town pay?').
_AUXILIARY = r"(?:do|does|did|can|could|will|would|should|may|must|is|are|was|were|has|have|had|goes|go|went)"
_NOUN_WORDS = r"(?:(?!(?:do|does|did|can|could|will|would|should|may|must)\b)[\w-]+\s+){0,2}?"
# A question asking for a share or a rate ('what co-financing rate…?', 'what share of…'): a ratio answers
# it ('80%', 'half', 'EUR 450 per day'), not a sum ('EUR 750,000'). The word before it and the whole after
# 'of', up to the question's verb ('what share of the eligible costs does…'), say what it is of.
_SHARE_NOUNS = r"(?:rate|share|percentage|proportion)s?\b"
_SHARE_ASKED = re.compile(
    rf"{_WHAT_THE}(?P<kind>{_NOUN_WORDS}){_SHARE_NOUNS}"
    rf"(?:\s+of\s+(?P<of>(?:(?!{_AUXILIARY}\b)[\w'’-]+\s*){{1,4}}))?",
    re.I,
)
_SHARE_WORD = re.compile(rf"\b{_SHARE_NOUNS}", re.I)
_RATIO = re.compile(
    rf"{_PERCENT}|\b(?:half|a third|two thirds|a quarter|three quarters)\b|"
    r"\b(?:per|a|an|each)\s+(?:day|hour|week|month|year|person|participant|night|head)\b|"
    r"\b(?:daily|hourly|weekly|monthly|annual|yearly)\b",
    re.I,
)


def _has_amount(sentence: str, question: str) -> bool:
    """An amount of money or a share; or a number of things, unless the question asks what something
    cost. A limit on something other than money is answered by a figure of that thing; a share or a
    rate by a ratio."""
    limited = _limited_thing(question)
    if limited is not None:
        return _figure_of(sentence, limited)
    share = _share_named(question)
    if share is not None:
        kind, whole = share
        return (
            _RATIO.search(sentence) is not None
            and (kind is None or kind.search(sentence) is not None)
            # a line labelled as a rate ('Funding rate 80 %') gives the share asked without its whole
            and (
                whole is None
                or whole.search(sentence) is not None
                or _SHARE_WORD.search(sentence) is not None
            )
        )
    return _has_money(sentence) or (
        not _asks_price(question)
        and (_COUNT.search(sentence) is not None or _counted_in_words(sentence, question))
    )


# Nouns that say when a rate holds, not what it is of ('the current rate', 'the present share').
_WHEN_NOT_WHAT = frozenset({"current", "present"})


@lru_cache(maxsize=256)
def _share_named(question: str) -> tuple[re.Pattern[str] | None, re.Pattern[str] | None] | None:
    """What the sentence giving a share or a rate must name: the rate's kind ('interest'), and the whole it
    is a share of ('the eligible costs' of 'what share of the eligible costs…?': '70 per cent of the
    cheese is sold in Italy' is no share of the oil exported); None when no share or rate is asked. Read
    once per question, not for each candidate sentence."""
    share = _SHARE_ASKED.search(question)
    if share is None:
        return None
    whole = share.group("of")
    return _kind_of_rate(share.group("kind")), _naming(whole) if whole else None


@lru_cache(maxsize=256)
def _kind_of_rate(words: str) -> re.Pattern[str] | None:
    """The noun saying what a rate is of ('interest' of 'what interest rate…?', 'survival' of 'what survival
    rate…?'), whose stem the sentence giving the ratio must use ('surviving'): 'the grant covers
    80% of the costs' gives no interest rate. None where the word before the rate says nothing of the kind
    ('what maximum share', 'the highest share', 'the current rate'), names money ('co-financing', which a
    share of costs is) or is a name ('ERDF')."""
    last = (words.split() or [""])[-1]
    if (
        not last.isalpha()
        or not last.islower()
        or last in STOPWORDS
        or last in LIMIT_WORDS
        or last in _WHEN_NOT_WHAT
        or stem(last) in _MONEY_WORDS
        or not (names_a_thing(last) and is_lemma(last))  # 'highest' is no lemma: it grades, not names
    ):
        return None
    return re.compile(rf"\b{re.escape(stem(last))}", re.I)


# 'What is the minimum population…?' asks for a figure of a population: a budget's euros do not answer it.
_LIMIT = re.compile(r"\b(?:minimum|maximum|min|max)\.?\s+(?P<thing>[a-z][\w-]*(?:\s+[a-z][\w-]*)?)", re.I)
# A limit as a sentence states it: 'at least three countries', 'up to EUR 2 million', 'no more than 40 pages'.
_LIMIT_STATED = re.compile(
    rf"\b(?:{_LIMITING}|min\.|max\.|or (?:more|fewer|less)|(?:must|may) not exceed)\b",
    re.I,
)
LIMIT_WORDS = frozenset(("minimum", "maximum"))  # the question's words for a limit


def states_limit(sentence: str) -> bool:
    """Whether a sentence states a limit ('at least three countries'): it answers the limit a question asks
    for ('the minimum number of countries') without writing the question's word."""
    return _LIMIT_STATED.search(sentence) is not None


# Limits any amount answers: of money and shares.
_MONEY_WORDS = frozenset(
    stem(word)
    for word in (
        "budget grant funding financing co-financing cofinancing contribution fee cost price amount sum lump "
        "allowance prize award salary share rate percentage subsidy money fund investment payment "
        "expenditure spending value"
    ).split()
)
# Limits other checks read: counts ('the minimum number of…'), periods and sizes.
_READ_ELSEWHERE = frozenset(stem(word) for word in "number period duration time length size".split())
_FIGURE_REACH = 60  # characters between a figure and the word saying what it is of


@lru_cache(maxsize=256)
def _limited_thing(question: str) -> frozenset[str] | None:
    """The stems of what a 'minimum…'/'maximum…' question limits, with their synonyms ('population',
    'inhabitants'); None when it limits money, a share, a unit or a period, which other checks read."""
    asked = _LIMIT.search(question)
    if asked is None:
        return None
    words: list[str] = []
    for word in asked.group("thing").lower().split():
        if word in STOPWORDS:
            break
        words.append(word)
    stems = {stem(word) for word in words}
    if not stems or stems & _MONEY_WORDS:
        return None  # any amount answers
    if stems & _READ_ELSEWHERE or any(
        _UNIT_WORD.fullmatch(word) or word in _MEASURED or _DURATION.search(f"2 {word}") for word in words
    ):
        return None  # another check reads it
    synonyms = lexicon().synonyms
    return frozenset(stems.union(*(synonyms.get(term, frozenset()) for term in stems)))


def _figure_of(sentence: str, thing: frozenset[str]) -> bool:
    """A figure within reach of a word naming ``thing`` ('at least 50,000 inhabitants', 'population:
    50,000')."""
    for figure in _FIGURE_IN_TEXT.finditer(sentence):
        around = sentence[max(0, figure.start() - _FIGURE_REACH) : figure.end() + _FIGURE_REACH]
        if thing.intersection(terms(around)):
            return True
    return False


def _counted_in_words(sentence: str, question: str) -> bool:
    """'How many study visits…?' (or 'the number of study visits') is also answered by 'two study visits':
    a number written in words counts the thing asked about. (A number word before any word would count
    'ten years later'.)"""
    counted = _counted_pattern(question)
    return counted is not None and counted.search(sentence) is not None


@lru_cache(maxsize=256)
def _counted_pattern(question: str) -> re.Pattern[str] | None:
    """The question's 'two … visits', built once: the check reads every candidate sentence with it."""
    counted = _counted_noun(question)
    if counted is None:
        return None
    return re.compile(rf"\b{_NUMBER_WORDS}\s+(?:[\w-]+\s+){{0,2}}{re.escape(counted[1])}", re.I)


@lru_cache(maxsize=1)
def _place_names() -> frozenset[str]:
    places = {fold(region) for region in gazetteer().regions}
    places |= {"asia", "latin america", "north america", "africa", "caribbean", "europe", "oceania"}
    places |= {fold(name) for name in gazetteer().display.values()}
    return frozenset(places)


@lru_cache(maxsize=1)
def _longest_place() -> int:
    return max(len(place.split()) for place in _place_names())


@lru_cache(maxsize=20_000)
def places_in(text: str) -> frozenset[str]:
    """The gazetteer's places the text names, looked up by runs of words (every sentence of the evidence
    is read for them, so this must not walk the gazetteer)."""
    tokens = re.sub(r"[^a-z ]", " ", fold(text)).split()
    places, longest = _place_names(), _longest_place()
    found = {
        run
        for size in range(1, longest + 1)
        for start in range(len(tokens) - size + 1)
        if (run := " ".join(tokens[start : start + size])) in places
    }
    if "eu" in tokens:
        found |= {"european union", "europe"}
    return frozenset(found)


# 'at the Maritime Records Office', 'in Tarrow': a name where something is or happens
# A name of capitalised words, small linking words between them ('Museum of Lake Life', 'Puerto de la Cruz').
_NAME_RUN = rf"[{CAPITALS}][\w'’-]+(?:\s+(?:of|for|and|de|la|del|di)?\s*[{CAPITALS}][\w'’-]+)*"
_NAMED_PLACE = re.compile(rf"\b(?:in|at|on|inside)\s+(?:the\s+)?(?P<name>{_NAME_RUN})")


def _has_new_known_place(sentence: str, question: str) -> bool:
    """A place of the gazetteer the question did not already name."""
    return bool(places_in(sentence) - places_in(question))


# 'in May', 'on Monday': when, not where
_WEEKDAYS = ("mon", "tues", "wednes", "thurs", "fri", "satur", "sun")
_TIMES = frozenset(MONTHS) | {f"{day}day" for day in _WEEKDAYS}
# 'Where…?', '… and where do we send it?': asked where, not which countries ('a problem where…' asks nothing)
_ASKS_WHERE = re.compile(r"(?:^\W*|\b(?:and|or)\s+|[,;:—–]\s*)where\b", re.I)


# 'housed in a temporary camp of wooden huts on the eastern slope', 'kept in the university archives': where
# a thing is, said by a common noun for a place.
_PLACE_NOUNS = (
    r"camps?|huts?|villages?|towns?|cit(?:y|ies)|museums?|buildings?|houses?|halls?|slopes?|valleys?|"
    r"islands?|coasts?|shores?|banks?|harbou?rs?|ports?|stations?|churche?s?|schools?|universit(?:y|ies)|"
    r"archives?|librar(?:y|ies)|centres?|centers?|sites?|quarr(?:y|ies)|farms?|fields?|forests?|woods?|"
    r"hills?|mountains?|rivers?|lakes?|caves?|tunnels?|cellars?|basements?|rooms?|offices?|headquarters|"
    r"squares?|streets?|parks?|gardens?|yards?|docks?|piers?|quays?|towers?|castles?|palaces?|ruins?|"
    r"cemeter(?:y|ies)|monaster(?:y|ies)|abbeys?|estates?|districts?|provinces?|count(?:y|ies)|borders?|"
    r"deltas?|marsh(?:es)?|reedbeds?|wetlands?|lagoons?|plateaus?|peninsulas?|capital|countryside|"
    r"suburbs?|outskirts|neighbourhoods?|neighborhoods?|shipyards?|factor(?:y|ies)|workshops?|depots?"
)
_PLACED_BY_NOUN = re.compile(
    rf"\b(?:in|at|on|inside|near|beside|along|within|outside)\s+(?:a|an|the|its|their|his|her)\s+"
    rf"(?:[\w'’-]+\s+){{0,3}}?(?:{_PLACE_NOUNS})\b",
    re.I,
)


def _has_new_place(sentence: str, question: str) -> bool:
    """A place the question did not already name: asked 'which regions can EU cities pair with?',
    'the European Union' is not an answer. Asked where, a name something is at or in answers too ('on
    display at the Maritime Records Office'), but not a language ('held in English') nor a day ('on
    Monday'); and so does a common noun for a place ('in a camp on the eastern slope')."""
    if _has_new_known_place(sentence, question):
        return True
    if not _ASKS_WHERE.search(question):
        return False
    asked = set(words(question))
    if any(not set(words(match.group(0))[1:]) <= asked for match in _PLACED_BY_NOUN.finditer(sentence)):
        return True
    for match in _NAMED_PLACE.finditer(sentence):
        name = words(match.group("name"))
        if (
            fold(match.group("name")) not in language_names()
            and name[0] not in _TIMES
            and not set(name) <= asked
        ):
            return True
    return False


# 'In which sound…?', 'which river…?', 'near which village…?': a kind of place, answered by a name of that
# kind ('the Sound of Marrach', 'the River Callan', 'the fishing village of Ostrel', 'the Ardenza river').
# Countries, regions and towns are the gazetteer's, read as places above.
_FEATURES = (
    r"rivers?|lakes?|sounds?|seas?|bays?|gulfs?|straits?|islands?|isles?|peninsulas?|capes?|mountains?|"
    r"hills?|valleys?|glaciers?|forests?|villages?|harbou?rs?|ports?|count(?:y|ies)|provinces?|districts?|"
    r"parish(?:es)?|streets?|squares?|parks?|museums?|churche?s?|cathedrals?|abbeys?|castles?|palaces?|"
    r"universit(?:y|ies)|colleges?|hospitals?|stations?|airports?|bridges?|canals?|shipyards?"
)
_FEATURE_ASKED = re.compile(rf"\b(?:which|what)\s+(?P<what>{_FEATURES})\b", re.I)
_DETERMINER = r"(?!(?:The|A|An|This|That|These|Those|Its|Their|Each|Every|Our|In|On|At)\b)"


@lru_cache(maxsize=64)
def _feature_named(feature: str) -> re.Pattern[str]:
    """A name of the kind of place asked for: the word before a name, with 'of' or not ('village of
    Ostrel', 'River Callan'), or after one ('Ardenza river', 'Marrach Sound')."""
    kind = re.escape(_singular_stem(feature.lower()))
    return re.compile(
        rf"\b(?i:{kind}\w*)\s+(?:of\s+)?(?:the\s+)?[{CAPITALS}][\w'’-]+|"
        # (not a sentence's first word, capitalised whatever it is)
        rf"(?<!^)(?<![.!?]\s)\b{_DETERMINER}[{CAPITALS}][\w'’-]+\s+(?i:{kind}\w*)\b"
    )


# '…on the lower course of the Varn': a river, a mountain or an island is often named bare, after a word
# placing something by it.
_PLACED_BY_NAME = re.compile(
    rf"\b(?:in|at|on|of|near|along|into|from|inside|beside)\s+(?:the\s+)?(?P<name>{_NAME_RUN})"
)


def _names_feature(sentence: str, question: str) -> bool:
    """A name of the kind of place the question asks for, or a bare name placing something, that the
    question does not already use (not a month: 'in May')."""
    asked = _FEATURE_ASKED.search(question)
    if asked is None:
        return False
    used = set(words(question))
    named = [match.group(0) for match in _feature_named(asked.group("what")).finditer(sentence)]
    named += [
        match.group("name")
        for match in _PLACED_BY_NAME.finditer(sentence)
        if words(match.group("name"))[0] not in _TIMES
    ]
    return any(not set(words(name)) <= used for name in named)


_ASKS_YEAR = re.compile(r"\b(?:what|which|in which)\s+year\b|\bwhat year\b", re.I)
_MONTH = rf"(?:{MONTH_NAMES}|jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec)\.?"
# A date more precise than a year: a day and month, a month and year, a season or quarter and year.
_PRECISE_DATE = re.compile(
    rf"\b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH}\b|\b{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?\b|"
    rf"\b{_MONTH}\s+(?:19|20)\d\d\b|\b\d{{1,2}}[/.]\d{{1,2}}[/.]\d{{2,4}}\b|\b\d{{1,2}}/(?:19|20)\d\d\b|\b(?:19|20)\d\d-\d\d-\d\d\b|"
    rf"\b(?:spring|summer|autumn|fall|winter|Q[1-4]|(?:first|second|third|fourth) quarter)\b{_NOT_A_NAME}",
    re.I,
)


# 'By when…?', 'how soon…?': a time limit, which a period from an event sets as well as a date ('within six
# months of the end of the assistance', 'no later than 30 days after the visit').
_BY_WHEN = re.compile(r"\bby when\b|\bhow soon\b|\buntil when\b", re.I)
_TIME_LIMIT = re.compile(
    r"\b(?:within|no later than|not later than|at the latest|at most)\s+(?:the\s+)?(?:first\s+)?"
    r"(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|eighteen|twenty|thirty|a)"
    r"[ -](?:working\s+)?(?:days?|weeks?|months?|years?)\b",
    re.I,
)


def _has_date(sentence: str, question: str) -> bool:
    """A date as precise as asked: a year for 'what year…?', a day or month for 'when…?'; asked by when, a
    time limit counted from an event too."""
    if _ASKS_YEAR.search(question):
        return _holds(_DATE, sentence)
    if _BY_WHEN.search(question) and _holds(_TIME_LIMIT, sentence):
        return True
    return _holds(_PRECISE_DATE, sentence)


@lru_cache(maxsize=50_000)
def _holds(pattern: re.Pattern[str], text: str) -> bool:
    """Whether ``text`` holds a match of ``pattern``: the evidence's sentences are read with the same
    patterns question after question, and these patterns are long."""
    return pattern.search(text) is not None


# The deed a 'who…?' question asks the doer of: 'Who designed…?', 'Which company built…?'.
_DEED = re.compile(
    r"\b(?:who|(?:which|what)\s+(?:[\w-]+\s+)?(?:organi[sz]ations?|bodies|body|agency|company|firm|person))\s+"
    r"(?:first\s+|originally\s+|later\s+)?(?P<deed>[a-z]+ed|built|led|won|made|wrote|drew|began|sold|bought|"
    r"took|gave|found|ran|paid|held|set|brought|caught|chose|shot|sang|fought|taught|threw|dug|wove|spun|"
    r"rebuilt|overthrew|undertook|oversaw)\b",
    re.I,
)
# Past forms whose stem is not the verb's own ('built' of 'build').
_IRREGULAR = {
    "built": "buil",
    "rebuilt": "rebuil",
    "led": "lead|led",
    "won": "win|won",
    "made": "mak|made",
    "wrote": "writ|wrote",
    "drew": "draw|drew",
    "began": "begin|began|beginn",
    "sold": "sell|sold|sale",
    "bought": "buy|bought|purchas",
    "took": "tak|took",
    "gave": "giv|gave",
    "ran": "run|ran",
    "paid": "pay|paid",
    "held": "hold|held",
    "chose": "choos|chose|choice",
    "oversaw": "overs",
}


# A doer told in the passive, whatever the deed's word ('run by a committee chaired by Ines Moreau').
_BY_AGENT = re.compile(
    rf"\bby\s+(?:(?:a|an|the|its|their)\s+)?(?:[a-z-]+\s+){{0,2}}?(?:[{CAPITALS}][\w&-]+|consortium|company|agency|"
    r"office|secretariat|commission|ministry|association|network|committee|council|municipality|university|"
    r"foundation|government|team|engineer|architect)"
)


@lru_cache(maxsize=256)
def _deed_pattern(question: str) -> re.Pattern[str] | None:
    """The deed's word in any form ('designed', 'designer', 'design'), to be found beside the doer."""
    asked = _DEED.search(question)
    if asked is None:
        return None
    deed = asked.group("deed").lower()
    stems = _IRREGULAR.get(deed) or re.escape(re.sub(r"(?:ed|d)$", "", deed)[: max(4, len(deed) - 3)])
    return re.compile(rf"\b(?:{stems})", re.I)


def _has_new_agent(sentence: str, question: str) -> bool:
    """A person or body the question does not already name: 'run by Harbour Link Ltd' for 'who…?'; for
    'who designed…?', named where the designing is told ('designed by Thomas Ure', 'its designer')."""
    deed = _deed_pattern(question)
    if deed is not None and deed.search(sentence) is None and _BY_AGENT.search(sentence) is None:
        return False
    asked = _agents_named(question)
    return any(match.group(0).lower() not in asked for match in _AGENT.finditer(sentence[1:]))


@lru_cache(maxsize=256)
def _agents_named(question: str) -> frozenset[str]:
    """The persons and bodies the question names, read once per question."""
    return frozenset(match.group(0).lower() for match in _AGENT.finditer(question))


# A proper name: capitalised words, possibly joined by a hyphen or a space ('Nagano-Obuse', 'San Sebastián').
_PROPER_NAME = re.compile(rf"\b[{CAPITALS}][\w'’]+(?:[- ][{CAPITALS}][\w'’]+)*")
_MEMBERS_NEEDED = 2
_ENUMERATION_SEPARATOR = re.compile(r"\s*(?:[,;|:·•]|\band\b|&)\s*")


def _names_members(sentence: str, question: str) -> bool:
    """An enumeration of names the question does not already use, places of the gazetteer aside: 'which
    cities were selected?' is answered by 'Lyon, Porto and Graz', not by '23 cities in Europe'. Each
    item of the enumeration (between commas, semicolons, bars or 'and') opens with a proper name."""
    asked = set(fold(question).replace("-", " ").split())
    places = _place_names()
    found = set()
    for item in _ENUMERATION_SEPARATOR.split(sentence):
        match = _PROPER_NAME.match(item.strip(" -–•*(\"'“”"))
        if match is None:
            continue
        name = fold(match.group(0))
        if name not in places and not all(part in asked for part in name.replace("-", " ").split()):
            found.add(name)
    return len(found) >= _MEMBERS_NEEDED


# 'Why…?' is answered by a sentence that gives a cause or a purpose.
_REASON = re.compile(
    r"\b(?:because|due to|due the|owing to|as a result|thanks to|in order to|so that|so as to|since|"
    r"given that|reasons?|caused|led to|leads to)\b",
    re.I,
)
# 'Who can apply?' is answered by a sentence saying which kind of body may apply or is eligible.
_APPLYING = re.compile(
    r"\b(?:eligible|eligibility|apply|applying|applicants?|participate|take part|open to|invited to)\b", re.I
)
_APPLICANTS = re.compile(
    r"\b(?:cit(?:y|ies)|municipalit(?:y|ies)|local authorit(?:y|ies)|regions?|towns?|organi[sz]ations?|"
    r"bodies|entities|inhabitants|NGOs?|universit(?:y|ies)|associations?|authorit(?:y|ies)|governments?)\b",
    re.I,
)

# 'How are hosts chosen?' is answered by what the choice goes by: criteria, a basis, a procedure.
_CHOOSING_VERBS = (
    r"decided?|chosen|choose|selected|select|picked|pick|matched|match|paired|pair|assessed|assess|"
    r"evaluated|evaluate|scored|score|ranked|rank|allocated|allocate|judged|judge|awarded|award|"
    r"determined|determine"
)
_GOES_BY = re.compile(
    r"\b(?:according to|based on|on the basis of|criteri(?:a|on)|depending on|in line with|"
    r"(?:selected|chosen|matched|paired|assessed|evaluated|scored|ranked|judged|awarded|allocated)\s+"
    r"(?:on|by|against|according)|two-step|points\b|panel|jury|committee)\b",
    re.I,
)

# What 'which …?' asks to be named one by one.
_MEMBER_NOUNS = (
    r"cities|towns|municipalities|partners|members|participants|signatories|"
    r"organi[sz]ations|networks|projects"
)

_SHARE_OF_TIME = re.compile(r"\d\s*%|\bper ?cent\b|\b(?:half|full|part)[- ]time\b", re.I)
# 'How much (staff) time…?' asks for time given, not an amount of money or a count.
_NOT_TIME = r"(?!\s+(?:[\w-]+\s+)?time\b)"

_ASKS: list[tuple[str, re.Pattern[str], Callable[[str, str], bool]]] = [
    (
        "duration",
        re.compile(
            # 'How long did the agreement run?': the verb asks for the duration too ('last', 'run', 'take').
            r"\bhow (?P<what>long)\b(?:[^?]*?\b(?P<what4>last(?:s|ed)?|run|ran|runs|take|took|takes)\b)?|"
            r"\b(?P<what2>duration)\b|\bhow many (?P<what3>months|years|weeks)\b",
            re.I,
        ),
        lambda text, _: _DURATION.search(text) is not None,
    ),
    (
        # Time given is a duration ('two days a month') or a share of someone's time ('20%', 'half-time').
        "duration",
        re.compile(r"\bhow much (?:[\w-]+\s+)?(?P<what>time)\b", re.I),
        lambda text, _: _DURATION.search(text) is not None or _SHARE_OF_TIME.search(text) is not None,
    ),
    (
        "measure",
        _MEASURE_ASKED,
        # ('How long is the programme?' asks for a duration too: the duration check above holds that.)
        _has_measure,
    ),
    ("colour", _COLOUR_ASKED, _has_colour),
    ("scientific name", _SCIENTIFIC_NAME_ASKED, lambda text, _: _holds(_BINOMIAL, text)),
    (
        "date",
        re.compile(
            r"(?:^|[.?!;,:–—-]\s*|\b(?:and|or|but|by|until|till|since|from)\s+)when\b|"
            r"\b(?:what|which)\s+(?:\w+\s+){0,2}?(?:dates?|years?|days?|months?|time)\b|\bin which year\b|"
            r"\b(?P<what>deadlines?)\b|\b(?:opening|closing|start|end|starting)\s+dates?\b|\bhow soon\b",
            re.I,
        ),
        _has_date,
    ),
    (
        "amount",
        re.compile(
            rf"\bhow much\b{_NOT_TIME}|"
            r"\bhow (?:big|large|high)\s+(?:is|was|are|were)\s+(?:the|a|an|each|its|their)\s+"
            r"(?:\w+\s+)?(?:grant|budget|lump sum|sum|contribution|fee|amount|funding|allowance|prize)s?\b|"
            rf"{_WHAT_THE}(?:[\w-]+\s+){{0,2}}?"
            r"(?:amount|budget|percentage|rate|cap|maximum|minimum|funding|grant|fee|cost|contribution|"
            r"lump sum)s?\b|"
            # 'share' is a verb as often ('what do cities share?')
            rf"{_WHAT_THE}{_NOUN_WORDS}shares?\b|"
            # 'What does membership cost?': the verb asks a price
            r"\bwhat\s+(?:do|does|did|will|would)\s+(?:[\w'’-]+\s+){1,7}?(?P<what_price>cost)\b",
            re.I,
        ),
        _has_amount,
    ),
    (
        "agent",
        re.compile(
            r"(?:^|[.?!;,]\s*)who\b"
            r"(?!\s+(?:can|may|could|should|is eligible|are eligible|is allowed|are allowed))|"
            r"\b(?:which|what) (?:organi[sz]ations?|bodies|body|agency|company)\b",
            re.I,
        ),
        _has_new_agent,
    ),
    (
        "deadline",
        # 'Can we still apply?', 'Is the call open?': a deadline with its full date answers.
        re.compile(
            r"\b(?:still|now)\s+(?P<what>apply)\b|\btoo late to (?P<what2>apply)\b|"
            r"\b(?:is|are) (?:the |a |this )?(?:\w+ )?calls? (?:still )?(?P<what3>open)\b|"
            r"\b(?P<what4>deadline)s?\b",
            re.I,
        ),
        lambda text, _: is_deadline(text),
    ),
    (
        "count",
        re.compile(
            rf"\bhow (many|much{_NOT_TIME})( (?!{_AUXILIARY}\b)(?P<what>[a-z]+))?\b|"
            r"\bwhat (number|amount|share|percentage)\b",
            re.I,
        ),
        _has_count,
    ),
    (
        "contact",
        # 'our contact person left' tells the asker's own case; it asks for no address
        re.compile(
            r"(?<!\bour )(?<!\bmy )(?<!\btheir )\b(?P<what>contact|e-?mail)\b|\bwho should i (ask|write)\b",
            re.I,
        ),
        lambda text, _: EMAIL.search(text) is not None,
    ),
    (
        "members",
        re.compile(
            r"\bwhich\s+(?:(?!(?:can|could|may|must|should|will|would|do|does|did|is|are|was|were|has|have)\b)"
            rf"[\w-]+\s+){{0,2}}?(?P<what>{_MEMBER_NOUNS})\b|\bwhat\s+(?P<what2>{_MEMBER_NOUNS})\b|"
            # 'Did any Dutch towns take part?' is answered by the towns that did.
            r"\b(?:are|were|is|was|did|do|does|has|have)\s+(?:there\s+)?any\s+(?:[\w-]+\s+){0,2}?"
            rf"(?P<what3>{_MEMBER_NOUNS})\b",
            re.I,
        ),
        _names_members,
    ),
    (
        "place",
        re.compile(r"\bwhich (?P<what>(world )?(regions?|countr(?:y|ies)|continents?))\b|\bwhere\b", re.I),
        _has_new_place,
    ),
    ("feature", _FEATURE_ASKED, _names_feature),
    (
        "reason",
        re.compile(r"\bwhy\b|\bfor what reason\b|\bwhat (?:was|is|were|are) the reasons?\b", re.I),
        lambda text, _: _REASON.search(text) is not None,
    ),
    (
        "manner",
        re.compile(
            r"\bhow\s+(?:is|are|was|were|do|does|did|will|would|should|can)\s+(?:[\w-]+\s+){0,6}?"
            rf"(?:{_CHOOSING_VERBS})\b|\b(?:what|which)\s+(?:are\s+the\s+)?(?:selection\s+|award\s+)?criteria\b|"
            r"\bon what basis\b",
            re.I,
        ),
        lambda text, _: _GOES_BY.search(text) is not None,
    ),
    (
        "applicant",
        re.compile(
            r"\bwho\s+(?:can|may|could|is allowed to|are allowed to)\s+"
            r"(?:apply|participate|take part|join)\b|\bwho\s+(?:is|are)\s+eligible\b|"
            r"\bwho\s+(?:can|may)\s+be\s+(?:a|an|the)\s+(?:\w+\s+)?applicants?\b",
            re.I,
        ),
        lambda text, _: _APPLYING.search(text) is not None and _APPLICANTS.search(text) is not None,
    ),
]


# The ranker's kind features were fitted on places the gazetteer knows. A name after 'at' or 'in' says
# that a passage gives a place, enough to answer 'where…?', but is weak evidence that its sentence is the
# one asked about: 'Sessions take place at the Kampus centre' would outrank 'Poznań (Poland), 26–29
# August', the line that answers 'where and when?'.
_RANKED_BY: dict[str, Callable[[str, str], bool]] = {"place": _has_new_known_place}


@dataclass(frozen=True)
class AnswerCheck:
    """A test a sentence must pass to hold what the question asks for, and the question's words that
    name that kind of thing ('regions' in 'which regions…'), which a passing sentence answers."""

    test: Callable[[str], bool]
    type_words: tuple[str, ...]
    # duration, measure, colour, scientific name, date, amount, agent, deadline, count, contact, members,
    # place, feature, reason, manner or applicant
    kind: str = ""
    # The test the ranker's kind features read, when stricter than ``test``: see ``_RANKED_BY``.
    ranking_test: Callable[[str], bool] | None = None

    def ranks(self, sentence: str) -> bool:
        return (self.ranking_test or self.test)(sentence)


def answer_checks(question: str) -> list[AnswerCheck]:
    checks = []
    for kind, pattern, check in _ASKS:
        match = pattern.search(question)
        if match:
            named = " ".join(
                value for key, value in match.groupdict().items() if value and key.startswith("what")
            )
            ranking = _RANKED_BY.get(kind)
            checks.append(
                AnswerCheck(
                    _bind(check, question),
                    tuple(named.split()),
                    kind,
                    None if ranking is None else _bind(ranking, question),
                )
            )
    return checks


# The marker of a list item ('1. ', '- '): its number counts nothing and names no one.
LIST_MARKER = re.compile(r"^\s*(?:[-•*▸►]\s+|\(?\d{1,2}[.)]\s+|\(?[a-z][.)]\s+)")


def _bind(check: Callable[[str, str], bool], question: str) -> Callable[[str], bool]:
    return lambda sentence: check(LIST_MARKER.sub("", sentence, count=1), question)


_POLAR = re.compile(
    r"^\s*(does|do|did|is|are|was|were|can|could|will|would|may|must|should|has|have)\b", re.I
)
_NEGATION = re.compile(r"\b(no|not|never|cannot|can['’]t|neither|nor|none|without)\b", re.I)


def is_polar(question: str) -> bool:
    """A yes/no question: 'Does the programme fund…?', 'Can a region apply?'."""
    return _POLAR.match(question) is not None


def settles(sentence: str) -> bool:
    """A sentence that says what is not so settles a yes/no question more plainly than one that doesn't."""
    return _NEGATION.search(sentence) is not None
