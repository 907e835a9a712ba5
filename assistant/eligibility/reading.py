"""Reading an applicant's facts, and whether a verdict is asked for, out of a question ("We are a town
of 60,000 in Spain — can we apply?"); and which call a question names among those with rules."""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from assistant.eligibility.profile import ApplicantProfile, Qualifier
from ingest.classify import PROGRAMMES
from ingest.criteria import region_name
from ingest.geo import gazetteer
from ingest.rules import AnchoredRule
from ingest.textutil import fold

__all__ = ["call_in_question", "is_eligibility_question", "profile_from_question"]

_NUMBER = (
    r"(?P<num>\d{1,3}(?:[,.\u00a0\u202f ]\d{3})+(?![\d])|\d+(?:[.,]\d+)?)"
    r"\s*(?P<scale>k\b|thousand\b|m\b|mn\b|mio\b|million\b)?"
)
_QUALIFIERS = {
    "more than": Qualifier.MORE_THAN,
    "over": Qualifier.MORE_THAN,
    "above": Qualifier.MORE_THAN,
    "in excess of": Qualifier.MORE_THAN,
    "at least": Qualifier.AT_LEAST,
    "at most": Qualifier.AT_MOST,
    "up to": Qualifier.AT_MOST,
    "less than": Qualifier.LESS_THAN,
    "fewer than": Qualifier.LESS_THAN,
    "under": Qualifier.LESS_THAN,
    "below": Qualifier.LESS_THAN,
    "about": Qualifier.ABOUT,
    "around": Qualifier.ABOUT,
    "roughly": Qualifier.ABOUT,
    "approximately": Qualifier.ABOUT,
    "approx.": Qualifier.ABOUT,
    "some": Qualifier.ABOUT,
    "circa": Qualifier.ABOUT,
    "nearly": Qualifier.NEARLY,
    "almost": Qualifier.NEARLY,
}
_QUALIFIER = r"(?:(?P<qual>" + "|".join(re.escape(word) for word in _QUALIFIERS) + r")\s+)?"
_PEOPLE = r"(?:inhabitants|residents|people|citizens|souls|persons|inhab\.?|population)\b"
_PLACE = r"(?:town|city|municipality|village|community|region|province|county|group|area|commune)"
# Numbers followed by these count things other than people.
_NOT_PEOPLE = r"(?!\s*(?:municipalit|towns|cities|villages|members|partners|months|years|regions|%|per))"
_POPULATION_PATTERNS = (
    re.compile(_QUALIFIER + _NUMBER + r"\s+(?:\w+\s+){0,1}" + _PEOPLE, re.I),
    re.compile(
        r"\bpopulation\s*(?:of|is|:|=|totals?|totalling|totaling|of\s+just)?\s*" + _QUALIFIER + _NUMBER, re.I
    ),
    re.compile(r"\b" + _PLACE + r"\s+(?:of|with)\s+" + _QUALIFIER + _NUMBER + r"\b" + _NOT_PEOPLE, re.I),
)
_WORD_NUMBERS = {
    word: index
    for index, word in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve".split(), start=0
    )
}
_COUNT = r"(?P<count>\d{1,2}|" + "|".join(list(_WORD_NUMBERS)[2:]) + r")"
_MUNICIPALITIES = (
    r"(?:neighbou?ring\s+|small\s+|rural\s+|local\s+|other\s+)*"
    r"(?:municipalities|towns|cities|villages|communes|councils)"
)
_MEMBERS = re.compile(
    r"\b(?:group|consortium|association|alliance)\s+of\s+" + _COUNT + r"\s+" + _MUNICIPALITIES, re.I
)
_TOGETHER = re.compile(r"\b(?:together|jointly)\s+with\s+" + _COUNT + r"\s+" + _MUNICIPALITIES, re.I)
_AS_GROUP = re.compile(
    r"\b(?:group|consortium|association|alliance|union)\s+of\s+(?:\w+\s+){0,2}"
    r"(?:municipalities|towns|cities|villages)"
    r"|\b(?:as a group|apply jointly|joint application|inter-?municipal|jointly with|"
    r"together with (?:the |our )?(?:neighbou?ring|other|nearby))",
    re.I,
)
_SINGLE = re.compile(r"\b(?:on our own|alone|single (?:city|town|municipality)|by ourselves)\b", re.I)
_TYPE_CUES: tuple[tuple[str, str], ...] = (
    (r"metropolitan\s+(?:area|authority|city|region)|m[ée]tropole", "metropolitan_authority"),
    (r"sub-?national\s+government|federal\s+state|state\s+government", "subnational_government"),
    (r"regions?|regional\s+(?:government|authority|council)", "region"),
    (r"provinces?|provincial\s+(?:government|authority)", "province"),
    (r"county|counties|county\s+council", "county"),
    (r"ministry|national\s+government", "national_government"),
    (r"cities|city", "city"),
    (r"towns?", "town"),
    (r"villages?", "village"),
    (
        r"municipalit(?:y|ies)|communes?|local\s+authorit(?:y|ies)|(?:city|town|municipal)\s+council",
        "municipality",
    ),
    (r"ngo|university|company|chamber\s+of\s+commerce|non-?profit|foundation", "other_organisation"),
)
# Words between 'we are a' and the noun describe it ('small', 'Spanish'); a preposition or a verb there
# means the noun belongs to something else ('are paired with cities').
_DESCRIBING = r"(?:(?!(?:with|in|of|to|for|by|from|at|on|paired|partnered|located|based|looking)\b)\w+\s+)"
_SELF = (
    r"\b(?:(?:we\s+are|we're|i\s+represent|i\s+work\s+(?:for|at|in)|from)\s+(?:a|an|the)?|as\s+(?:a|an)|our|my)"
    rf"\s*{_DESCRIBING}{{0,3}}?"
)
_ASKING = rf"\b(?:can|could|may|might|is|are|do|does)\s+(?:a|an|the)?\s*{_DESCRIBING}{{0,2}}?"
# Without such a frame, a noun counts only when its size follows: 'a city of 60k'.
_SIZED = r"\s+(?:of|with)\s+(?:about\s+|around\s+|some\s+|more than\s+|over\s+|nearly\s+|almost\s+)?\d"
_COMMIT = re.compile(
    r"\b(?:commit\w*|cooperat\w*|engag\w*|dedicate\w*|participat\w*|take part)\b[^.?!]{0,60}?"
    r"(?:for\s+)?(?:at least\s+|up to\s+|only\s+|about\s+)?\b(?P<n>\d+(?:[.,]\d+)?|"
    + "|".join(list(_WORD_NUMBERS)[1:])
    + r"|a|an)\s*(?P<unit>months?|years?)\b",
    re.I,
)
_LEAD_YES = re.compile(
    r"\b(?:have|has|we've)\s+(?:already\s+)?(?:identified|designated|named|appointed|chosen|agreed on)\s+"
    r"(?:a|an|the|our)\s+(?:\w+\s+){0,2}?(?:lead|contact)"
    r"|\blead\s+(?:authority|municipality|partner|city|town)\b[^.?!]{0,60}\b(?:is|has been|was)\s+"
    r"(?:identified|designated|named|appointed|chosen)",
    re.I,
)
_LEAD_NO = re.compile(r"\b(?:no|not yet|haven't|have not|without)\b[^.?!]{0,30}\b(?:lead|contact)", re.I)
_MEMBERS_YES = re.compile(
    r"\b(?:all|the other|other)\s+(?:\w+\s+)?(?:municipalities|members|partners|towns|cities)\b[^.?!]{0,40}"
    r"\b(?:have\s+)?(?:committed|signed up|agreed|on board|confirmed)",
    re.I,
)
_SIGN_YES = re.compile(
    r"\b(?:will|would|can|could|are ready to|are willing to|are happy to|are going to|plan to|agree to)\s+"
    r"sign\s+(?:the|a|an)\s+(?:\w+\s+){0,2}?agreement",
    re.I,
)
_SIGN_NO = re.compile(
    r"\b(?:won't|will not|cannot|can't|would not|wouldn't|not able to|unable to|do not want to|don't want to)"
    r"\s+sign\b",
    re.I,
)
_PARTNER_CUE = re.compile(
    r"\b(?:partner\w*|paired|pair(?:ing)?|twin\w*|counterpart|cooperat\w* with|exchange with|"
    r"with an? (?:city|town|municipality))\b",
    re.I,
)
# A place names the applicant's own country or partner only in a sentence about the asker or applying.
_ABOUT_US = re.compile(r"\b(?:we|we're|our|i|my|apply|applying|eligib\w*|take part|participate|join)\b", re.I)


def _number(text: str, scale: str | None) -> float:
    digits = text.replace("\u00a0", " ").replace("\u202f", " ")
    if re.fullmatch(r"\d{1,3}(?:[,. ]\d{3})+", digits):
        value = float(re.sub(r"[,. ]", "", digits))  # 60,000 / 60.000 / 60 000
    else:
        value = float(digits.replace(",", "."))  # 1.2 / 1,2 (million)
    factor = {"k": 1e3, "thousand": 1e3, "m": 1e6, "mn": 1e6, "mio": 1e6, "million": 1e6}
    return value * factor.get((scale or "").lower(), 1.0)


def _population(text: str) -> tuple[int, Qualifier] | None:
    for pattern in _POPULATION_PATTERNS:
        for match in pattern.finditer(text):
            value = _number(match.group("num"), match.group("scale"))
            if value < 100 and not match.group("scale"):
                continue  # 'a group of 3' or 'a region of 5': not a population
            qualifier = _QUALIFIERS.get((match.group("qual") or "").lower(), Qualifier.EXACT)
            return round(value), qualifier
    return None


def _count(word: str) -> int:
    return int(word) if word.isdigit() else _WORD_NUMBERS[word.lower()]


def _applicant_type(text: str) -> str | None:
    """The body the question speaks for: 'we are a town…', then 'can a province…', then 'a city of
    60,000'. Within a frame the nearest word wins."""
    for before, after in ((_SELF, ""), (_ASKING, ""), (r"\b", _SIZED)):
        found = [
            (match.end(), index, name)
            for index, (cue, name) in enumerate(_TYPE_CUES)
            if (match := re.search(before + r"\b(?:" + cue + r")\b" + after, text, re.I)) is not None
        ]
        if found:
            return min(found)[2]
    return None


@lru_cache(maxsize=1)
def _country_pattern() -> re.Pattern[str]:
    names = set(gazetteer().by_name)
    names.discard("us")  # 'contact us': only the capitalised 'US' names the country (matched apart)
    alternatives = sorted(names, key=len, reverse=True)
    return re.compile(r"(?<![\w])(?:" + "|".join(re.escape(name) for name in alternatives) + r")(?![\w])")


def _countries(text: str) -> tuple[str | None, str | None]:
    """The applicant's own country and the partner's, from names and demonyms in the text."""
    folded = fold(text)  # as long as the text, but for 'ß', 'æ', 'œ' and 'þ' (written with two letters)
    own: str | None = None
    partner: str | None = None
    mentions = [(match.start(), match.end(), match.group(0)) for match in _country_pattern().finditer(folded)]
    mentions += [(match.start(), match.end(), "us") for match in re.finditer(r"\b(?:US|U\.S\.|USA)\b", text)]
    for start, end, name in sorted(mentions):
        code = gazetteer().code_of(name)
        if code is None:
            continue
        clause = re.split(r"[.;!?]", folded[:start])[-1]
        after = folded[end : end + 30]
        if not _ABOUT_US.search(clause + folded[start:].split("?")[0].split(".")[0]):
            continue  # 'Which cities are paired with cities in Canada?' says nothing about the asker
        is_partner = bool(_PARTNER_CUE.search(clause)) or bool(re.match(r"\s+(?:partner|counterpart)", after))
        if is_partner and partner is None:
            partner = code
        elif not is_partner and own is None:
            own = code
    return own, partner


def _partner_region(text: str, partner_country: str | None) -> str | None:
    if partner_country is not None:
        return region_name(partner_country)
    for clause in re.split(r"[.;!?]", text):
        cue = _PARTNER_CUE.search(clause)
        if cue is None or not _ABOUT_US.search(clause):
            continue
        for name in ("Latin America", "Caribbean", "North America", "Asia", "Africa"):
            if re.search(rf"\b{name}\b", clause[cue.start() :]):
                return region_name(name)
    return None


def profile_from_question(text: str) -> ApplicantProfile | None:
    """The facts a question states about the applicant, or None when it states none."""
    facts: dict[str, object] = {}
    members = _MEMBERS.search(text)
    together = _TOGETHER.search(text)
    if members:
        facts |= {"group": True, "members": _count(members.group("count"))}
    elif together:
        facts |= {"group": True, "members": _count(together.group("count")) + 1}
    elif _AS_GROUP.search(text):
        facts["group"] = True
    elif _SINGLE.search(text):
        facts["group"] = False
    if facts.get("group") is not True and (kind := _applicant_type(text)) is not None:
        facts["applicant_type"] = kind
    if (population := _population(text)) is not None:
        facts["population"], facts["population_qualifier"] = population
        if facts.get("group") and not members and population[1] is Qualifier.EXACT:
            # 'our town of 45,000 applies together with two others': the group totals at least that.
            facts["population_qualifier"] = Qualifier.AT_LEAST
    own, partner = _countries(text)
    if own is not None:
        facts["country"] = own
    if (region := _partner_region(text, partner)) is not None:
        facts["partner_region"] = region
    if (commitment := _COMMIT.search(text)) is not None:
        amount = commitment.group("n").lower()
        value = (
            1.0 if amount in ("a", "an") else float(_WORD_NUMBERS.get(amount, 0) or amount.replace(",", "."))
        )
        facts["commitment_months"] = value * (
            12 if commitment.group("unit").lower().startswith("year") else 1
        )
    if _LEAD_YES.search(text):
        facts["lead_contact"] = True
    elif _LEAD_NO.search(text):
        facts["lead_contact"] = False
    if _MEMBERS_YES.search(text):
        facts["members_committed"] = True
    if _SIGN_NO.search(text):
        facts["partner_agreement"] = False
    elif _SIGN_YES.search(text):
        facts["partner_agreement"] = True
    if not facts:
        return None
    return ApplicantProfile.model_validate(facts)


_ELIGIBLE = re.compile(r"\b(?:eligib\w*|ineligible|qualif(?:y|ies|ied)|admissible)\b", re.I)
_CAN_APPLY = re.compile(
    r"\b(?:can|could|may|might|allowed|able|possible)\b[^.?!]{0,80}?"
    r"\b(?:apply|applying|take part|participate|join|enter|be considered|be selected|"
    r"submit an application)\b",
    re.I,
)
_WHO_CAN = re.compile(r"\bwho\s+(?:can|may|could|is allowed to)\s+(?:apply|take part|participate)", re.I)
_NOT_ELIGIBILITY = re.compile(
    r"^\s*(?:when|where|how|why|which|what|until when|by when|what time)\b"
    r"|\bjoin\s+(?:the|our)\s+(?:mailing|newsletter|list)",
    re.I,
)


def is_eligibility_question(text: str) -> bool:
    """'Can we apply?', 'Are we eligible?', 'May a province take part?' — not 'When can we apply?', nor
    'Our region is not eligible. Which programme should it apply to?' (what is asked is the last
    sentence; the ones before it give facts)."""
    asked = _asked_sentence(text)
    if _WHO_CAN.search(asked):
        return True
    if _NOT_ELIGIBILITY.search(asked):
        return False
    return bool(_ELIGIBLE.search(asked) or _CAN_APPLY.search(asked))


def _asked_sentence(text: str) -> str:
    sentences = [part for part in re.split(r"(?<=[.?!])\s+|\s+[—–-]\s+", text.strip()) if part.strip()]
    questions = [sentence for sentence in sentences if sentence.rstrip().endswith("?")]
    return (questions or sentences or [text])[-1]


def call_in_question(text: str, rules: Sequence[AnchoredRule]) -> tuple[str | None, str | None]:
    """The programme and edition a question names among those with rules ('the 2023 TTCE call'), so
    ``ask`` checks the call the user means; (None, None) when it names none."""
    programme = next(
        (
            name
            for name in sorted({rule.programme for rule in rules})
            if any(re.search(rf"\b{re.escape(alias)}\b", text) for alias in (name, *PROGRAMMES.get(name, ())))
        ),
        None,
    )
    editions = {rule.edition for rule in rules if programme is None or rule.programme == programme}
    edition = next((year for year in re.findall(r"\b(?:19|20)\d\d\b", text) if year in editions), None)
    return programme, edition
