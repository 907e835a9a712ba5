"""The pure formatting of the bot: splitting under Discord's limit, footnotes from the citations list,
mention scrubbing, notices apart, eligibility in words, thread names and session labels."""

from __future__ import annotations

import random
import re
from datetime import date

import pytest

from assistant.eligibility.models import CriterionResult, EligibilityReport
from assistant.eligibility.profile import ApplicantProfile
from assistant.faces.discord.formatting import (
    MESSAGE_LIMIT,
    PART_LIMIT,
    answer_parts,
    eligibility_parts,
    footnote_lines,
    marker_runs,
    protected_spans,
    question_from_mention,
    scrub_mentions,
    session_label,
    sources_parts,
    split_message,
    thread_name,
)
from assistant.models import Answer, Citation, Notice

ZWSP = "\u200b"


def citation(
    number: int, title: str = "Call for cities", section: str = "", page: int | None = None
) -> Citation:
    return Citation(
        id=number,
        source="call.txt",
        title=title,
        section=section,
        page=page,
        quote=f"Quoted passage number {number}.",
        chunk_id=f"call-txt:{number:04d}",
    )


def words(text: str) -> list[str]:
    return text.split()


# --- splitting ------------------------------------------------------------------------------------------
def test_a_short_text_is_one_part() -> None:
    assert split_message("  One short answer [1].  ", markers=["[1]"]) == ["One short answer [1]."]


def test_parts_break_at_a_paragraph_in_the_second_half_of_the_window() -> None:
    first = "A" * 70 + "."
    text = f"{first}\n\n{'B' * 50}. {'C' * 40}."
    assert split_message(text, limit=100) == [first, f"{'B' * 50}. {'C' * 40}."]


def test_without_a_late_paragraph_break_parts_end_at_a_sentence() -> None:
    text = "Short.\n\n" + "First sentence is here. " * 3 + "Second sentence goes on and on."
    parts = split_message(text, limit=60)
    assert all(part.endswith(".") for part in parts), parts
    assert words(" ".join(parts)) == words(text)


def test_a_marker_url_or_quote_is_never_cut() -> None:
    # The window of 60 characters ends inside each of them.
    for protected in (
        "[12]",
        "https://example.org/a/very/long/path?with=query",
        "“a quoted passage. Really.”",
    ):
        text = "x " * ((57 - len(protected) // 2) // 2) + protected + " tail of the text. More."
        parts = split_message(text, limit=60, markers=["[12]"])
        assert any(protected in part for part in parts), (protected, parts)
        assert words(" ".join(parts)) == words(text)


def test_a_marker_stays_with_the_sentence_it_closes() -> None:
    text = "Cities of 100,000 may apply [1]. " * 3 + "Groups may apply too [2]."
    parts = split_message(text, limit=70, markers=["[1]", "[2]"])
    assert parts[0] == "Cities of 100,000 may apply [1]. Cities of 100,000 may apply [1]."


def test_a_quote_longer_than_a_part_is_cut_at_a_space_and_text_without_spaces_where_full() -> None:
    quote = "“" + " ".join(["word"] * 40) + "”"
    parts = split_message(quote, limit=50)
    assert all(len(part) <= 50 for part in parts)
    assert words(" ".join(parts)) == words(quote)
    assert split_message("x" * 120, limit=50) == ["x" * 50, "x" * 50, "x" * 20]


def test_random_texts_keep_every_word_in_order_and_no_protected_span_is_cut() -> None:
    pieces = [
        "Cities apply.",
        "[3]",
        "[14]",
        "https://ec.europa.eu/x?y=1",
        "“a quote. with stops.”",
        "word",
        "\n\n",
        "\n- ",
        "again!",
        "e.g.",
        "“short”",
        "`code span`",
        "Why?",
    ]
    generator = random.Random(20261201)
    for _ in range(300):
        text = " ".join(generator.choice(pieces) for _ in range(generator.randint(5, 120)))
        limit = generator.randint(40, 160)
        parts = split_message(text, limit=limit, markers=["[3]", "[14]"])
        assert all(0 < len(part) <= limit for part in parts), (limit, parts)
        assert words(" ".join(parts)) == words(text)
        # Rebuild where each cut fell and check none lies inside a marker, URL or quote.
        stripped, offset = text.strip(), 0
        spans = protected_spans(stripped, ["[3]", "[14]"])
        for part in parts[:-1]:
            offset = stripped.index(part, offset) + len(part)
            assert not any(start < offset < end for start, end in spans if end - start <= limit), stripped[
                max(0, offset - 20) : offset + 20
            ]


# --- footnotes, notices, mentions -------------------------------------------------------------------
def test_footnotes_come_from_the_citations_list_grouped_by_place() -> None:
    citations = [
        citation(1, section="Who can apply?"),
        citation(2, section="Pairings"),
        citation(3, section="Pairings"),
        citation(4, section="Pairings"),
        citation(5, title="Factsheet", page=3),
        citation(6, section="Who can apply?"),
    ]
    assert footnote_lines(citations) == [
        "[1], [6] Call for cities — Who can apply?",
        "[2]–[4] Call for cities — Pairings",
        "[5] Factsheet, p. 3",
    ]


def test_marker_runs() -> None:
    assert marker_runs([5, 1, 2, 3, 7, 8]) == "[1]–[3], [5], [7], [8]"


def test_an_answer_has_its_notices_apart_first_and_its_footnotes_last() -> None:
    answer = Answer(
        answer="Cities of more than 100,000 are encouraged to apply [1]. Ask [2] for details [9].",
        citations=[citation(1, section="Who can apply?"), citation(2, title="FAQ", page=2)],
        notices=[Notice(kind="deadline_passed", text="The 2018 call is closed: its deadline has passed.")],
    )
    [part] = answer_parts(answer)
    notice, text, footnotes = part.split("\n\n")
    assert notice == "> ⚠️ The 2018 call is closed: its deadline has passed."
    assert text == answer.answer
    # only cited places are footnoted: '[9]' in the text is not a citation and gets none
    assert footnotes == "**Sources**\n[1] Call for cities — Who can apply?\n[2] FAQ, p. 2"


def test_a_long_answer_is_split_under_the_limit_keeping_markers_whole() -> None:
    sentences = [f"Sentence {n} states a fact about the programme [{n % 9 + 1}]." for n in range(150)]
    answer = Answer(answer=" ".join(sentences), citations=[citation(n) for n in range(1, 10)])
    parts = answer_parts(answer)
    assert len(parts) > 2
    assert all(len(part) <= PART_LIMIT < MESSAGE_LIMIT for part in parts)
    assert all(re.search(r"\[\d+\]\.$", part) for part in parts[:-1]), [part[-30:] for part in parts]
    assert parts[-1].endswith("[1]–[9] Call for cities")


def test_mentions_from_documents_or_users_never_become_pings() -> None:
    text = "Hello @everyone and @here, ask <@123>, <@!456> or <@&789>; write to team@iuc-europe.eu"
    scrubbed = scrub_mentions(text)
    assert "@everyone" not in scrubbed and "@here" not in scrubbed
    assert not re.search(r"<@[!&]?\d+>", scrubbed)
    assert scrubbed.replace(ZWSP, "") == text
    assert "team@iuc-europe.eu" in scrubbed
    answer = Answer(answer="Tell @everyone [1].", citations=[citation(1, title="Notes for @here")])
    assert "@everyone" not in answer_parts(answer)[0] and "@here" not in answer_parts(answer)[0]


def test_sources_quote_each_passage_under_its_footnote() -> None:
    [part] = sources_parts([citation(2, section="Pairings"), citation(1, page=4)])
    assert part == (
        "**[1]** Call for cities, p. 4\n> Quoted passage number 1.\n\n"
        "**[2]** Call for cities — Pairings\n> Quoted passage number 2."
    )
    assert sources_parts([]) == ["This answer quotes no passages."]


# --- eligibility in words --------------------------------------------------------------------------
def test_an_eligibility_report_is_worded_per_criterion_with_the_calls_words_once() -> None:
    rule = citation(1, section="Who can apply?")
    rule.quote = "Groups of municipalities will also be eligible if they exceed 100,000 inhabitants."
    report = EligibilityReport(
        programme="IUC",
        edition="2018",
        verdict="does_not_meet",
        summary="A group of 3 municipalities with 80,000 inhabitants does not meet a requirement [1].",
        results=[
            CriterionResult(
                criterion="population",
                label="Groups total more than 100,000",
                status="does_not_meet",
                strength="required",
                explanation="80,000 is below 100,000.",
                quote=rule.quote,
                citation=rule,
            ),
            CriterionResult(
                criterion="lead_contact",
                label="A lead contact",
                status="unknown",
                strength="required",
                explanation="The facts given do not say.",
                quote=rule.quote,
                citation=rule,
            ),
            CriterionResult(
                criterion="members",
                label="Members",
                status="not_stated",
                explanation="The call states no condition on the number of members.",
            ),
        ],
        citations=[rule],
        deadline=date(2018, 3, 19),
        open=False,
        checked_on=date(2026, 11, 21),
        profile=ApplicantProfile(applicant_type="group_of_municipalities", population=80000, members=3),
    )
    [part] = eligibility_parts(report)
    assert part.startswith("> ⚠️ The IUC call (2018 edition) is closed")
    assert "❌ **Does not meet** (required): 80,000 is below 100,000. [1]" in part
    assert "❔ **Cannot tell from the facts given** (required): The facts given do not say. [1]" in part
    assert (
        "➖ **The call states no condition**: The call states no condition on the number of members." in part
    )
    assert part.count(rule.quote) == 1
    assert "does_not_meet" not in part and "not_stated" not in part
    assert part.endswith("**Sources**\n[1] Call for cities — Who can apply?")


# --- names and labels -------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("question", "name"),
    [
        ("Who can\napply?", "Who can apply?"),
        ("Can @everyone apply?", f"Can @{ZWSP}everyone apply?"),
        ("   ", "Question"),
    ],
)
def test_thread_names(question: str, name: str) -> None:
    assert thread_name(question) == name


def test_a_long_question_names_its_thread_within_100_characters_cut_at_a_word() -> None:
    name = thread_name("We are a group of municipalities " * 10)
    assert len(name) <= 100 and name.endswith("…") and not name.endswith(" …")
    assert ("We are a group of municipalities " * 10).startswith(name[:-1])


def test_a_mention_of_the_bot_is_not_part_of_the_question() -> None:
    assert question_from_mention("<@42> Who can apply? <@!42>", 42) == "Who can apply?"
    assert question_from_mention("<@43> hi", 42) == "<@43> hi"


def test_a_thread_is_one_session() -> None:
    assert session_label(1234) == session_label(1234) == "discord-1234"
    assert session_label(1234) != session_label(1235)
