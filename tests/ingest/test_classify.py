"""Tests of ``ingest.classify``: kind, programme, edition and title of documents, and the sidecar file."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from ingest.classify import classify, infer_edition, infer_kind, infer_programme, infer_years, sidecar_path
from ingest.errors import DocumentError
from ingest.models import DocumentKind
from ingest.pipeline import parse_file
from tests.support.paths import CORPUS


@pytest.mark.parametrize(
    ("name", "kind", "programme", "edition", "title"),
    [
        (
            "iuc-call-starting-city-to-city-cooperation.txt",
            DocumentKind.CALL,
            "IUC",
            2018,
            "Starting a city-to-city cooperation",
        ),
        (
            "iuc-city-to-city-initiative-factsheet.txt",
            DocumentKind.FACTSHEET,
            "IUC",
            2017,
            "Fostering City-to-city cooperation for effective implementation",
        ),
        (
            "partnerships-sustainable-cities-barcelona-2024-concept-note.txt",
            DocumentKind.CONCEPT_NOTE,
            "Partnerships for Sustainable Cities",
            2024,
            "SECOND GLOBAL MEETING OF THE PARTNERSHIPS FOR SUSTAINABLE CITIES",
        ),
        (
            "regions-week-2023-curious-minds-takeaways.txt",
            DocumentKind.TAKEAWAYS,
            "IURC",
            2023,
            "Takeaways: “CURIOUS MINDS FOR A STRONGER EUROPE THROUGH INTERNATIONAL URBAN AND REGIONAL "
            "COOPERATION”",
        ),
        (
            "eurocities-espoo-2022-takeaways.txt",
            DocumentKind.TAKEAWAYS,
            "IURC",
            2022,
            "Brainstorming on International Urban Cooperation with Eurocities",
        ),
    ],
)
def test_corpus_documents_are_classified(
    name: str, kind: DocumentKind, programme: str, edition: int, title: str
) -> None:
    parsed = parse_file(CORPUS / name, "sha", None)
    meta = parsed.meta
    assert (meta.source, meta.kind, meta.programme, meta.edition, meta.title) == (
        name,
        kind,
        programme,
        edition,
        title,
    )
    assert edition in meta.years
    # every chunk carries the document's classification, for filtering and citing
    for chunk in parsed.chunks:
        assert (chunk.source, chunk.title, chunk.kind, chunk.programme, chunk.edition) == (
            name,
            title,
            kind.value,
            programme,
            edition,
        )


def test_corpus_contacts_are_collected() -> None:
    meta = parse_file(CORPUS / "iuc-call-starting-city-to-city-cooperation.txt", "sha", None).meta
    assert meta.contacts == ["coordination-unit@iuc-europe.eu", "support@iuc-europe.eu"]


def test_agenda_2030_is_not_an_edition() -> None:
    text = "The UN 2030 Agenda and the Horizon 2020 programme. The meeting takes place in 2019."
    assert infer_years(text) == [2019]
    assert infer_edition(text, "Annual meeting", infer_years(text)) == 2019


def test_the_title_names_the_edition_before_the_body() -> None:
    assert infer_edition("Cities met in 2021 and in 2021 again.", "Conference 2023", [2021]) == 2023


def test_kind_from_file_name_wins_over_body_cues() -> None:
    body = "Frequently asked questions about the takeaways will be published later."
    assert infer_kind(body, "Notes", "iurc-call-for-cities.txt") is DocumentKind.CALL
    assert infer_kind(body, "Notes", "notes.txt") is DocumentKind.FAQ
    assert infer_kind("Nothing telling here.", "Notes", "notes.txt") is DocumentKind.OTHER


def test_programme_named_in_full_and_abbreviated_counts_once() -> None:
    # URBACT: 1 mention + 3 for being named first = 4; IUC: 3 mentions, each written in full with its
    # abbreviation after it. Counting '(IUC)' again would give IUC 6 and the wrong answer.
    text = "URBACT is named first. " + " ".join(
        f"The International Urban Cooperation (IUC) round {n}." for n in range(3)
    )
    assert infer_programme(text, "") == "URBACT"
    assert infer_programme(text + " Then came the IUC. Later the IUC was extended.", "") == "IUC"
    assert infer_programme("No programme here.", "") is None


def test_programme_named_first_and_most_wins() -> None:
    text = "The International Urban and Regional Cooperation (IURC) pairs regions. The IUC did before. IUC."
    assert infer_programme(text, "") == "IURC"
    assert infer_programme("Partnerships for Sustainable Cities are funded. IURC. IURC.", "") == (
        "Partnerships for Sustainable Cities"
    )


def test_a_programme_named_once_in_passing_is_not_the_documents() -> None:
    opening = "The Harbour Towns Challenge selects forty towns to test data tools for their ports. " * 8
    passing = "Some of them had already worked together in the IURC programme."
    assert infer_programme(opening + passing, "Harbour Towns Challenge – selected towns") is None
    # named in the opening, twice, or in the title, it is
    assert infer_programme(passing + opening, "Harbour Towns Challenge") == "IURC"
    twice = f"{opening}{passing} Its lessons are published on the site of the IURC."
    assert infer_programme(twice, "Harbour Towns Challenge") == "IURC"
    assert infer_programme(opening + passing, "Harbour towns after the IURC") == "IURC"


def test_programme_named_only_in_the_title_is_not_counted() -> None:
    title = "URBACT and the IUC"
    assert infer_programme(f"{title}\nThe IURC programme pairs regions.", title) == "IURC"


def test_a_text_naming_no_programme_is_about_the_one_its_title_names() -> None:
    title = "Call for proposals: Local Authorities – Partnerships for Sustainable Cities 2031"
    text = f"{title}\nThe Commission invites local authorities to pair up for integrated urban development."
    assert infer_programme(text, title) == "Partnerships for Sustainable Cities"
    assert infer_programme("Harbour towns pair up.", "Harbour Towns Exchange") is None


# --- the sidecar file ----------------------------------------------------------------------------


@pytest.fixture
def espoo(tmp_path: Path) -> Path:
    path = tmp_path / "eurocities-espoo-2022-takeaways.txt"
    shutil.copy(CORPUS / path.name, path)
    return path


def test_sidecar_path_is_beside_the_file(tmp_path: Path) -> None:
    assert sidecar_path(tmp_path / "a.pdf") == tmp_path / "a.pdf.meta.json"


def test_sidecar_overrides_title_programme_and_edition(espoo: Path) -> None:
    sidecar_path(espoo).write_text(
        json.dumps({"title": "Espoo speed-networking", "programme": "URBACT", "edition": 2021}),
        encoding="utf-8",
    )
    parsed = parse_file(espoo, "sha", None)
    meta = parsed.meta
    assert (meta.title, meta.programme, meta.edition) == ("Espoo speed-networking", "URBACT", 2021)
    assert meta.kind is DocumentKind.TAKEAWAYS  # not in the sidecar: still inferred
    assert meta.years == [2022]
    assert {(chunk.title, chunk.programme, chunk.edition) for chunk in parsed.chunks} == {
        ("Espoo speed-networking", "URBACT", 2021)
    }


def test_sidecar_overrides_kind_and_years(espoo: Path) -> None:
    sidecar_path(espoo).write_text(json.dumps({"kind": "FAQ", "years": [2020, 2019]}), encoding="utf-8")
    meta = classify(espoo, espoo.read_text(encoding="utf-8"), None)
    assert meta.kind is DocumentKind.FAQ
    assert meta.years == [2020, 2019]
    assert (meta.programme, meta.edition) == ("IURC", 2022)


def test_sidecar_with_nulls_changes_nothing(espoo: Path) -> None:
    text = espoo.read_text(encoding="utf-8")
    before = classify(espoo, text, None)
    sidecar_path(espoo).write_text(json.dumps({"title": None, "edition": None}), encoding="utf-8")
    assert classify(espoo, text, None) == before


@pytest.mark.parametrize(
    ("content", "detail"),
    [
        ("{not json", "Expecting property name"),
        ('{"edition": "next year"}', "edition"),
        ('{"kind": "brochure"}', "kind"),
        ('{"titel": "Typo"}', "titel"),
        ("[1, 2]", "Sidecar"),
    ],
    ids=["malformed", "wrong-type", "unknown-kind", "unknown-field", "not-an-object"],
)
def test_invalid_sidecar_is_a_clear_document_error(espoo: Path, content: str, detail: str) -> None:
    sidecar_path(espoo).write_text(content, encoding="utf-8")
    with pytest.raises(DocumentError) as info:
        parse_file(espoo, "sha", None)
    message = info.value.message
    assert message.startswith("invalid metadata file eurocities-espoo-2022-takeaways.txt.meta.json: ")
    assert detail in message
    assert info.value.code == "bad_document"
