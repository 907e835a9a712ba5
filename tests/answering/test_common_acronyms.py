"""An acronym for a kind of thing ('NGO') is a common noun, not a name: a question using it is answered by
the line that spells the kind out ('non-profit organisations…'), not by the page that happens to write the
acronym. Read from a real index of an invented programme's call and project sheet beside the shipped
corpus."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from assistant.answering.query import analyse
from assistant.service import AssistantService
from tests.support.corpora import serving

CALL = """Call for proposals: Lake Towns Climate Partnerships 2025

The Lake Towns Climate Partnerships programme funds three-year partnerships between towns around
European lakes that work on shoreline protection and water quality.

Who may apply
The lead applicant must be a municipality or an association of municipalities located in an EU Member
State. Non-profit organisations and research institutes may take part as co-applicants but cannot lead a
partnership. Each partnership has at least three towns from two countries.
"""

PROJECT = """Project sheet: Clean Shores (Lake Towns Climate Partnerships, 2025 call)

Lead applicant: Town of Annecy (France)
Co-applicants: Town of Bregenz (Austria); Lake Research Institute; Friends of the Shore (NGO, Annecy)
Duration: 36 months
EU contribution: EUR 1,200,000
"""


@pytest.fixture(scope="module")
def lake_towns(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AssistantService]:
    yield from serving(
        tmp_path_factory,
        {"lake-towns-climate-call-2025.txt": CALL, "lake-towns-clean-shores-project-sheet.txt": PROJECT},
    )


def test_an_acronym_for_a_kind_of_thing_is_no_name() -> None:
    assert "ngo" not in analyse("Can an NGO lead a Lake Towns partnership?", []).names
    assert "lake" in analyse("Can an NGO lead a Lake Towns partnership?", []).names


def test_a_question_using_such_an_acronym_is_answered_by_the_rule_spelling_it_out(
    lake_towns: AssistantService,
) -> None:
    answer = lake_towns.ask(
        "Is an NGO allowed to be the lead applicant in the Lake Towns Climate Partnerships?"
    )
    assert not answer.abstained
    assert "cannot lead" in answer.answer
    assert [citation.source for citation in answer.citations][:1] == ["lake-towns-climate-call-2025.txt"]
