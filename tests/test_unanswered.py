"""Grouping the questions staff should look at, with the real embedding model: rewordings of one gap
fall together, other gaps stay apart, newest first."""

from __future__ import annotations

from assistant.conversation import UnansweredItem
from assistant.unanswered import group_unanswered
from assistant.wiring import minilm_embedder


def _item(question: str, asked: str, *, down_rated: bool = False) -> UnansweredItem:
    return UnansweredItem(question, asked, not down_rated, down_rated, "", f"id-{asked}")


def test_rewordings_group_together_and_groups_come_newest_first() -> None:
    items = [  # newest first, as the store gives them
        _item("How much does it cost to register?", "2026-11-21T10:05:00"),
        _item("Can regions apply?", "2026-11-21T10:04:00", down_rated=True),
        _item("What is the registration fee?", "2026-11-21T10:03:00"),
        _item("Are provinces eligible to apply on their own?", "2026-11-21T10:02:00"),
        _item("Who is the mayor of Hamburg?", "2026-11-21T10:01:00"),
    ]
    groups = group_unanswered(items, minilm_embedder())
    assert [group.question for group in groups] == [
        "How much does it cost to register?",
        "Can regions apply?",
        "Who is the mayor of Hamburg?",
    ]
    assert [group.count for group in groups] == [2, 2, 1]
    regions = groups[1]
    assert (regions.abstained, regions.down_rated) == (1, 1)
    assert regions.last_asked == "2026-11-21T10:04:00"
    assert [question.question for question in regions.questions] == [
        "Can regions apply?",
        "Are provinces eligible to apply on their own?",
    ]


def test_nothing_to_group_is_an_empty_list() -> None:
    assert group_unanswered([], minilm_embedder()) == []
