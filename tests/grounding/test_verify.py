"""The grounding check, sentence by sentence: markers must name returned passages; numbers, dates, names
and links must stand in the passage sentences that support the sentence; polarity and modality must
match clause by clause; enough content words must be there. Then the answer is rendered again with only
what holds, bullets kept, markers renumbered. All passages here are invented."""

from __future__ import annotations

import pytest

from assistant.grounding import Passage, Support, check_sentence, normalise_markers, verify

CALL = Passage(
    (
        "The Twin Town Cooperation Exchange (TTCE) pairs towns of the European Union with towns abroad.",
        "Towns with more than 50,000 inhabitants are encouraged to apply.",
        "Applicants must commit to cooperating for at least 24 months.",
        "Regional authorities are invited to support towns applying, but they will not be considered "
        "eligible applicants themselves.",
        "Applications close on 14 May 2031.",
        "Questions go to help@ttce.example.",
    )
)
FAQ = Passage(
    (
        "Only municipalities may lead a partnership.",
        "Travel costs are covered by the programme; meals are not covered.",
        "Each town receives 15,000 euros.",
    )
)
PASSAGES = {1: CALL, 2: FAQ}


def problems(sentence: str, refs: tuple[int, ...] = (1, 2), given: str = "") -> list[str]:
    _, found = check_sentence(sentence, {ref: PASSAGES[ref] for ref in refs}, given=given)
    return [problem.kind for problem in found]


@pytest.mark.parametrize(
    "sentence",
    [
        "Towns with more than 50,000 inhabitants are encouraged to apply.",
        "Applicants must commit to at least 24 months of cooperation.",
        "Applications close on 14 May 2031.",
        "Applications close on May 14th, 2031.",
        "Regional authorities are not eligible applicants.",
        "Regional authorities can support towns that apply.",
        "The TTCE pairs towns of the EU with towns abroad.",
        "Only municipalities may lead a partnership.",
        "Meals are not covered.",
        "Travel costs are covered by the programme.",
        "Each town receives 15,000 euros.",
        "Questions go to help@ttce.example.",
    ],
)
def test_what_the_passages_say_is_supported(sentence: str) -> None:
    assert problems(sentence) == []


@pytest.mark.parametrize(
    ("sentence", "kind"),
    [
        ("Towns with more than 40,000 inhabitants are encouraged to apply.", "number"),
        ("Each town receives 25,000 euros.", "number"),
        ("Applications close on 14 June 2031.", "date"),
        ("Applications close on 14 May 2032.", "date"),
        ("Applications close in June.", "date"),
        ("The TTCE pairs towns of the European Union with towns in Lakeport.", "name"),
        ("The TTCX pairs towns of the European Union with towns abroad.", "name"),
        ("Questions go to info@ttce.example.", "link"),
        ("Regional authorities can apply on their own.", "negation"),
        ("Regional authorities are eligible applicants.", "negation"),
        ("Meals are covered by the programme.", "negation"),
        ("Travel costs are not covered.", "negation"),
        ("Towns must have more than 50,000 inhabitants.", "modality"),
        ("Applicants are encouraged to commit to cooperating for 24 months.", "modality"),
        ("Only towns with more than 50,000 inhabitants may apply.", "modality"),
        ("Towns receive training in sustainable tourism and mobility planning.", "coverage"),
    ],
)
def test_what_the_passages_do_not_say_is_caught(sentence: str, kind: str) -> None:
    assert kind in problems(sentence), problems(sentence)


def test_a_sentence_with_nothing_to_check_is_not_supported() -> None:
    assert problems("Yes.") == ["empty"]


def test_a_passage_on_something_else_supports_nothing() -> None:
    assert problems("Meals are covered.", refs=(1,)) == ["unrelated"]


def test_the_askers_own_figures_may_be_restated_unless_the_passage_gives_another() -> None:
    restated = "A town of 30,000 is below the 50,000 inhabitants the call encourages to apply."
    assert "number" in problems(restated)
    assert "number" not in problems(restated, given="We are a town of 30,000. Can we apply?")
    # the asker's figure put in the passage's mouth, where the passage gives a different one
    assert "number" in problems("Each town receives 12,000 euros.", given="Do towns get 12,000 euros?")


def test_markers_are_read_in_every_form_and_moved_before_the_full_stop() -> None:
    assert (
        normalise_markers("It holds [1, 2]. It ends [2-4]. Also【5】.")
        == "It holds [1][2]. It ends [2][3][4]. Also[5]."
    )
    assert normalise_markers("It holds. [1] Next.") == "It holds [1]. Next."


def test_a_marker_naming_nothing_returned_is_caught_and_a_sentence_without_one_too() -> None:
    checked = verify(
        "Each town receives 15,000 euros [7]. Every town receives 15,000 euros.", PASSAGES, move_markers=False
    )
    assert [[p.kind for p in s.problems] for s in checked.sentences] == [["unknown_marker"], ["uncited"]]


def test_a_sentence_citing_the_wrong_passage_is_pointed_to_the_one_that_supports_it() -> None:
    checked = verify("Each town receives 15,000 euros [1].", PASSAGES)
    [sentence] = checked.sentences
    assert sentence.supported and sentence.moved and [s.ref for s in sentence.supports] == [2]


def test_a_marker_is_not_moved_on_weak_evidence() -> None:
    checked = verify("Meals are covered [1].", PASSAGES)  # two content words: found together too easily
    assert not checked.sentences[0].supported


def test_an_irrelevant_second_marker_is_left_out() -> None:
    [sentence] = verify("Each town receives 15,000 euros [2][1].", PASSAGES).sentences
    assert sentence.supported and [s.ref for s in sentence.supports] == [2]


def test_supports_name_the_passage_sentences_used() -> None:
    supports, found = check_sentence(
        "Applicants must commit to 24 months, and applications close on 14 May 2031.", {1: CALL}
    )
    assert found == () and supports == (Support(1, 2, 4),)  # three consecutive sentences, the window


def test_the_answer_is_rendered_again_with_only_what_holds() -> None:
    answer = (
        "Here is what the documents say:\n"
        "- Each town receives 15,000 euros [2].\n"
        "- Each town receives 90,000 euros [2].\n"
        "\n"
        "Applications close on 14 May 2031 [1]. Regional authorities can apply on their own [1].\n"
        "Sources:\n[1] ttce-call.txt\n[2] faq.txt"
    )
    checked = verify(answer, PASSAGES)
    assert checked.source_lines == 3
    assert [s.text for s in checked.dropped] == [
        "Here is what the documents say:",
        "Each town receives 90,000 euros.",
        "Regional authorities can apply on their own.",
    ]
    numbers: dict[int, int] = {}
    rendered = checked.render(lambda support: numbers.setdefault(support.ref, len(numbers) + 1))
    assert rendered == "- Each town receives 15,000 euros [1].\n\nApplications close on 14 May 2031 [2]."


def test_the_conflict_hidden_behind_a_pronoun_is_found() -> None:
    # 'they' in the passage's second clause stands for the regional authorities of its first.
    assert "negation" in problems("Regional authorities may apply too.", refs=(1,))
    assert problems("Regional authorities may support towns that apply.", refs=(1,)) == []


def test_a_table_row_supports_a_sentence_naming_its_cells() -> None:
    row = Passage(("Hillbury | Ruritania | Lakeport | Freedonia | water, waste",))
    assert check_sentence("Hillbury is paired with Lakeport on water.", {1: row})[1] == ()
    assert check_sentence("Hillbury is paired with Lakeport on housing and energy.", {1: row})[1] != ()


def test_the_document_title_may_supply_names_but_supports_nothing_alone() -> None:
    passage = Passage(("Applications close on 14 May 2031.",), about="Twin Town Cooperation Exchange call")
    assert check_sentence("TTCE applications close on 14 May 2031.", {1: passage})[1] == ()
    assert check_sentence("TTCE applications close on 14 May 2031.", {1: Passage(passage.units)})[1] != ()


def test_a_sentence_said_again_word_for_word_is_said_once() -> None:
    checked = verify("Each town receives 15,000 euros [2]. Each town receives 15,000 euros [2].", PASSAGES)
    assert len(checked.sentences) == 1 and checked.repeats == 1
    assert checked.render(lambda support: 1) == "Each town receives 15,000 euros [1]."


def test_a_hyphenated_acronym_the_passage_writes_the_same_way_is_supported() -> None:
    projects = Passage(("Cities joined two exchange projects, TT-LINK and GuiDe, in 2030.",))
    _, found = check_sentence("Cities joined TT-LINK and GuiDe in 2030.", {1: projects})
    assert not found
    _, invented = check_sentence("Cities joined TT-NET and GuiDe in 2030.", {1: projects})
    assert [problem.kind for problem in invented] == ["name"]
