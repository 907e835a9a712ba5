"""Infer a document's title, kind, programme, edition and contacts from its text and file name."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

from pydantic import BaseModel, ConfigDict, ValidationError

from ingest.errors import DocumentError
from ingest.models import DocumentKind, DocumentMeta
from ingest.textutil import EMAIL

PROGRAMMES: dict[str, tuple[str, ...]] = {
    "IURC": ("International Urban and Regional Cooperation", "IURC"),
    "IUC": ("International Urban Cooperation", "IUC"),
    "Partnerships for Sustainable Cities": ("Partnerships for Sustainable Cities",),
    "URBACT": ("URBACT",),
}
_KIND_CUES: list[tuple[DocumentKind, tuple[str, ...]]] = [
    (DocumentKind.FAQ, ("frequently asked questions", "faq")),
    (DocumentKind.CONCEPT_NOTE, ("concept note", "concept-note")),
    (DocumentKind.FACTSHEET, ("factsheet", "fact sheet", "name of the initiative")),
    (DocumentKind.TAKEAWAYS, ("takeaways", "take-aways", "lessons learnt", "key lessons")),
    (DocumentKind.CALL, ("call for", "who can apply", "call-", "eligible applicants", "apply")),
]
_YEAR = re.compile(r"(?<![\d.-])(?<!\d )(19[89]\d|20\d\d)(?![\d])")
_NOT_AN_EDITION = re.compile(r"(agenda|horizon|europe|vision|strategy)\s*$|^\s*(agenda|sustainable)", re.I)


class Sidecar(BaseModel):
    """Optional ``<file>.meta.json`` beside a document; every field overrides what was inferred."""

    model_config = ConfigDict(extra="forbid")
    title: str | None = None
    kind: DocumentKind | None = None
    programme: str | None = None
    edition: int | None = None
    years: list[int] | None = None


def sidecar_path(path: Path) -> Path:
    return path.with_name(path.name + ".meta.json")


def read_sidecar(path: Path) -> Sidecar | None:
    side = sidecar_path(path)
    if not side.exists():
        return None
    try:
        return Sidecar.model_validate(json.loads(side.read_text("utf-8")))
    except (ValueError, ValidationError) as error:
        raise DocumentError(f"invalid metadata file {side.name}: {error}") from error


def infer_title(text: str, declared: str | None) -> str:
    if declared and declared.strip():
        return declared.strip()
    lines = [line.strip().lstrip("#").strip() for line in text.split("\n") if line.strip()]
    for index, line in enumerate(lines):
        if line.endswith(":") and index + 1 < len(lines):
            return lines[index + 1].rstrip(".")
        if len(line) > 3:
            return line.rstrip(".")[:200]
    return ""


def infer_kind(text: str, title: str, file_name: str) -> DocumentKind:
    # The file name and title speak louder than the body, which may mention other kinds in passing.
    for haystack in (f"{file_name} {title}".lower(), text[:1500].lower()):
        for kind, cues in _KIND_CUES:
            if any(cue in haystack for cue in cues):
                return kind
    return DocumentKind.OTHER


# A programme named once, and only this far into the text, is mentioned in passing ('… as the IURC
# programme did'): the document is not about it.
_OPENING = 600


def infer_programme(text: str, title: str) -> str | None:
    """The programme named most (the one named first counts extra), leaving the title aside; not one
    named only once, past the opening, and not in the title. Where the text names none, the title's."""
    body = text.replace(title, " ", 1) if title else text
    scores: Counter[str] = Counter()
    earliest: dict[str, int] = {}
    covered = bytearray(len(body) + 1)  # 1 where a counted name (and the 20 characters after it) stands
    for programme, names in PROGRAMMES.items():
        for name in names:
            for match in re.finditer(rf"\b{re.escape(name)}\b", body):
                if covered[match.start()]:
                    continue  # 'IUC' inside '... Cooperation programme (IUC)' counts once
                end = min(len(body), match.end() + 20)
                covered[match.start() : end] = b"\x01" * (end - match.start())
                scores[programme] += 1
                earliest[programme] = min(earliest.get(programme, match.start()), match.start())
    for programme, count in list(scores.items()):
        named_in_title = any(name.lower() in title.lower() for name in PROGRAMMES[programme])
        if count == 1 and earliest[programme] > _OPENING and not named_in_title:
            del scores[programme]
    if not scores:
        # A document whose text never names a programme is about the one its title names, if any.
        return _named_in(title)
    scores[min(scores, key=lambda programme: earliest[programme])] += 3
    return scores.most_common(1)[0][0]


def _named_in(title: str) -> str | None:
    """The programme the title names first."""
    found = [
        (match.start(), programme)
        for programme, names in PROGRAMMES.items()
        for name in names
        for match in re.finditer(rf"\b{re.escape(name)}\b", title)
    ]
    return min(found)[1] if found else None


def infer_years(text: str) -> list[int]:
    """Years the text speaks of, most mentioned first; 'Agenda 2030'-style names are not editions."""
    counts: Counter[int] = Counter()
    for match in _YEAR.finditer(text):
        before, after = text[max(0, match.start() - 12) : match.start()], text[match.end() : match.end() + 12]
        if _NOT_AN_EDITION.search(before) or _NOT_AN_EDITION.search(after):
            continue
        counts[int(match.group(1))] += 1
    return [year for year, _ in sorted(counts.items(), key=lambda item: (-item[1], -item[0]))]


def infer_edition(text: str, title: str, years: list[int]) -> int | None:
    for source in (title, text[:600]):
        found = infer_years(source)
        if found:
            return found[0]
    return years[0] if years else None


def classify(path: Path, text: str, declared_title: str | None) -> DocumentMeta:
    title = infer_title(text, declared_title)
    years = infer_years(text)
    # A year in the file name ('…-agreement-2015.txt') is a year the document is about, even when its
    # text (an excerpt, say) never writes it.
    years += [
        year for year in infer_years(path.stem.replace("-", " ").replace("_", " ")) if year not in years
    ]
    meta = DocumentMeta(
        source=path.name,
        title=title,
        kind=infer_kind(text, title, path.name),
        programme=infer_programme(text, title),
        years=years,
        edition=infer_edition(text, title, years),
        contacts=sorted(set(EMAIL.findall(text))),
    )
    sidecar = read_sidecar(path)
    if sidecar is not None:
        overrides = sidecar.model_dump(exclude_none=True)
        meta = meta.model_copy(update=overrides)
    return meta
