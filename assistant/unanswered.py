"""Group the questions the assistant could not answer well, so staff see each gap once, with a count."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from pydantic import BaseModel, Field

from assistant.conversation import UnansweredItem
from ingest.embedder import Embedder

# Two questions whose embeddings are at least this close ask the same thing in other words (MiniLM:
# "can a region apply?" vs "are provinces eligible to apply on their own?" 0.54, "what is the registration
# fee?" vs "how much does it cost to register?" 0.85; unrelated questions 0.02–0.22).
SAME_QUESTION = 0.5


class UnansweredQuestion(BaseModel):
    question: str
    asked: str
    abstained: bool
    down_rated: bool
    comment: str = ""
    answer_id: str


class UnansweredGroup(BaseModel):
    question: str = Field(description="The newest wording of the group's question")
    count: int
    abstained: int = Field(description="How many times the assistant said the documents don't answer")
    down_rated: int = Field(description="How many answers were rated down")
    last_asked: str
    questions: list[UnansweredQuestion]


def group_unanswered(
    items: Sequence[UnansweredItem], embedder: Embedder, threshold: float = SAME_QUESTION
) -> list[UnansweredGroup]:
    """Greedy single pass over newest-first items: each joins the first group whose lead question is
    close enough, so groups come out ordered by their newest question."""
    if not items:
        return []
    vectors = embedder.embed([" ".join(item.question.split()).lower() for item in items])
    leads: list[int] = []
    members: list[list[int]] = []
    for index in range(len(items)):
        similarities = [float(np.dot(vectors[index], vectors[lead])) for lead in leads]
        best = int(np.argmax(similarities)) if similarities else -1
        if best >= 0 and similarities[best] >= threshold:
            members[best].append(index)
        else:
            leads.append(index)
            members.append([index])
    groups = []
    for group in members:
        questions = [
            UnansweredQuestion(
                question=items[i].question,
                asked=items[i].asked,
                abstained=items[i].abstained,
                down_rated=items[i].down_rated,
                comment=items[i].comment,
                answer_id=items[i].answer_id,
            )
            for i in group
        ]
        groups.append(
            UnansweredGroup(
                question=questions[0].question,
                count=len(questions),
                abstained=sum(q.abstained for q in questions),
                down_rated=sum(q.down_rated for q in questions),
                last_asked=questions[0].asked,
                questions=questions,
            )
        )
    return groups
