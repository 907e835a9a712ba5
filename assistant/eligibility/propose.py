"""Draft eligibility rules from a new call document, for staff to review.

``propose_rules`` reads the document the way ingestion does, picks the sentences that read like
conditions (figures with units, 'eligible', 'must', 'only if', 'encouraged', deadlines…), guesses a
criterion and condition where it can, and returns a YAML draft with ``status: draft``. It writes nothing
and activates nothing: a draft is only ever used once a person has reviewed it and set it active.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from ingest.classify import classify
from ingest.dates import dates_in
from ingest.loaders import load_document
from ingest.normalize import normalize_text
from ingest.structure import BlockKind, parse_blocks
from ingest.textutil import split_sentences

_CUE = re.compile(
    r"\b(?:eligib\w*|must|shall|only if|only|encouraged|invited to apply|required?|requirements?|at least|"
    r"minimum|maximum|deadline|clos(?:e|es|ed|ing)|no later than|submitted by|inhabitants|population|"
    r"months|cannot apply|can apply|may apply|not be considered|member states?)\b",
    re.I,
)
_FIGURE = r"(?P<num>\d{1,3}(?:[,. ]\d{3})+|\d+)"
_BOUNDS = (
    (r"more than|over|above|exceed(?:s|ing)?|in excess of|greater than", "min", False),
    (r"at least|a minimum of|minimum of|not less than|no fewer than", "min", True),
    (r"fewer than|less than|below|under", "max", False),
    (r"at most|up to|a maximum of|maximum of|no more than", "max", True),
)
_ENCOURAGED = re.compile(
    r"\b(?:encouraged|invited|preferably|priority|welcome|recommended|recommendation)\b", re.I
)
_REQUIRED = re.compile(
    r"\b(?:must|only|required|shall|not eligible|eligible|need to|cannot|will not)\b", re.I
)
_GROUP = re.compile(r"\b(?:groups? of|combined|total population|jointly|together)\b", re.I)
_TYPES = {
    "region": "region",
    "province": "province",
    "count(?:y|ies)": "county",
    "sub-national": "subnational_government",
}
_REGIONS = {
    "Asia": "Asia",
    "Latin America": "Latin America and the Caribbean",
    "Caribbean": "Latin America and the Caribbean",
    "North America": "North America",
    "Africa": "Africa",
}


@dataclass
class _Guess:
    criterion: str | None
    condition: str = ""
    applies_when: str = ""
    strength: str | None = None
    hints: list[str] = field(default_factory=list)


def _number(text: str) -> int:
    return int(re.sub(r"[,. ]", "", text))


def _bound(sentence: str, unit: str) -> tuple[str, int] | None:
    """'min: 30000, inclusive: false' for 'more than 30,000 inhabitants'."""
    for words, side, inclusive in _BOUNDS:
        match = re.search(rf"\b(?:{words})\s+{_FIGURE}\s+(?:\w+\s+)?{unit}", sentence, re.I)
        if match:
            return f"{{{side}: {_number(match.group('num'))}, inclusive: {str(inclusive).lower()}}}", 0
    match = re.search(rf"{_FIGURE}\s+(?:\w+\s+)?{unit}\s+or\s+(more|fewer|less)", sentence, re.I)
    if match:
        side = "min" if match.group(2).lower() == "more" else "max"
        return f"{{{side}: {_number(match.group('num'))}, inclusive: true}}", 0
    return None


def _date(sentence: str, year_hint: int | None) -> tuple[date, bool] | None:
    """The first full date of the sentence, and whether its year was guessed rather than written."""
    found = dates_in(sentence, year_hint or date.today().year)
    return (found[0].on, not found[0].year_given) if found else None


def _guesses(sentence: str, year_hint: int | None) -> list[_Guess]:
    found: list[_Guess] = []
    lower = sentence.lower()
    if re.search(
        r"deadline|clos(?:e|es|ed|ing)|no later than|submitted (?:by|before)|must be (?:submitted|received)",
        lower,
    ):
        when = _date(sentence, year_hint)
        if when is not None:
            guess = _Guess(
                "deadline", f"{{max: {when[0].isoformat()}, inclusive: true}}", strength="required"
            )
            if when[1]:
                guess.hints.append("the sentence gives no year: check the year of the deadline")
            found.append(guess)
    if re.search(r"inhabitants|population|residents", lower) and (
        bound := _bound(sentence, r"(?:inhabitants|residents|people)")
    ):
        group = bool(_GROUP.search(sentence))
        found.append(
            _Guess(
                "population",
                bound[0],
                applies_when=f"{{group: {{equals: {str(group).lower()}}}}}",
                hints=[
                    f"applies_when guessed from the wording ({'a group' if group else 'a single applicant'})"
                ],
            )
        )
    if re.search(r"commit|cooperat|period|duration", lower) and (bound := _bound(sentence, r"months")):
        found.append(_Guess("commitment_months", bound[0]))
    elif re.search(r"commit|cooperat|period|duration", lower) and (bound := _bound(sentence, r"years?")):
        found.append(
            _Guess("commitment_months", bound[0], hints=["the call counts years: convert to months"])
        )
    if re.search(
        r"not (?:be )?(?:considered )?eligible|not eligible|cannot apply|may not apply|are excluded", lower
    ):
        types = [name for pattern, name in _TYPES.items() if re.search(rf"\b{pattern}", lower)]
        if types:
            found.append(_Guess("applicant_type", f"{{none_of: [{', '.join(types)}]}}", strength="required"))
    if re.search(r"\bsign\w*\b.*\bagreement\b", lower):
        found.append(_Guess("partner_agreement", "{equals: true}"))
    if re.search(
        r"lead (?:partner|authority|municipality|urban authority)|contact point|administrative contact", lower
    ):
        found.append(_Guess("lead_contact", "{equals: true}", applies_when="{group: {equals: true}}"))
    if re.search(r"commitment of the others|other (?:members|municipalities)\b.*\bcommit", lower):
        found.append(_Guess("members_committed", "{equals: true}", applies_when="{group: {equals: true}}"))
    if re.search(r"member states? of the european union|eu member states?", lower):
        found.append(
            _Guess(
                "country",
                "{any_of: [European Union]}",
                hints=["before 2020 the United Kingdom (GB) was a member"],
            )
        )
    if "partner" in lower and (
        regions := sorted({name for cue, name in _REGIONS.items() if cue in sentence})
    ):
        found.append(_Guess("partner_region", f"{{any_of: [{', '.join(regions)}]}}"))
    return found


def _strength(sentence: str) -> str | None:
    if _ENCOURAGED.search(sentence):
        return "encouraged"
    return "required" if _REQUIRED.search(sentence) else None


def _candidates(path: Path) -> tuple[list[str], str | None, int | None]:
    loaded = load_document(path)
    pages = [(page.number, normalize_text(page.text)) for page in loaded.pages]
    full_text = "\n\n".join(text for _, text in pages)
    meta = classify(path, full_text, loaded.declared_title)
    sentences: list[str] = []
    for number, text in pages:
        for block in parse_blocks(text, number):
            if block.kind in (BlockKind.HEADING, BlockKind.TABLE):
                continue
            words = block.text
            if block.kind is BlockKind.LIST_ITEM:
                words = re.sub(r"^(?:[-*•]|\(?\w{1,3}[.)])\s+", "", words)  # the quote starts at the words
            for sentence in split_sentences(words):
                if _CUE.search(sentence) and sentence not in sentences:
                    sentences.append(sentence)
    return sentences, meta.programme, meta.edition


def _scalar(text: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def propose_rules(path: Path) -> str:
    """A YAML draft of the rules a call document seems to state, every quote verbatim, ``status: draft``."""
    sentences, programme, edition = _candidates(path)
    lines = [
        f"# Draft eligibility rules proposed from {path.name}. NOTHING HERE IS ACTIVE.",
        "# Review every rule against the document: fix criterion, strength and condition, delete what is not",
        "# a rule, then set 'status: active' and save the file as *.rules.yaml beside the corpus.",
        "rulesets:",
        f"  - programme: {_scalar(programme) if programme else 'null  # review: programme not recognised'}",
        f"    edition: {_scalar(str(edition)) if edition else 'null  # review: edition not recognised'}",
        f"    source: {_scalar(path.name)}",
        "    status: draft",
        "    rules:" if sentences else "    rules: []  # review: no sentence reads like a condition",
    ]
    counts: dict[str, int] = {}
    for sentence in sentences:
        guesses = _guesses(sentence, edition) or [_Guess(None)]
        for guess in guesses:
            name = guess.criterion or "rule"
            counts[name] = counts.get(name, 0) + 1
            strength = guess.strength or _strength(sentence)
            lines.append(f"      - id: {name}-{counts[name]}")
            lines.append(
                f"        criterion: {guess.criterion}"
                if guess.criterion
                else "        criterion: null  # review: no criterion guessed; pick one or delete this rule"
            )
            lines.append(
                f"        strength: {strength}"
                if strength
                else "        strength: null  # review: required or encouraged?"
            )
            lines.append(
                f"        condition: {guess.condition}"
                if guess.condition
                else "        condition: null  # review: write the condition"
            )
            if guess.applies_when:
                lines.append(f"        applies_when: {guess.applies_when}")
            lines.extend(f"        # review: {hint}" for hint in guess.hints)
            label = sentence if len(sentence) <= 100 else sentence[:97].rstrip() + "…"
            lines.append(f"        label: {_scalar(label)}  # review: shorten")
            lines.append(f"        quote: {_scalar(sentence)}")
    return "\n".join(lines) + "\n"
