"""A conversation's turns, for whoever holds its (unguessable, server-issued) id: a page reloaded keeps
its conversation."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path
from fastapi.concurrency import run_in_threadpool

from assistant.faces.http.deps import ServiceDep
from assistant.faces.http.schemas import SessionTurn, SessionTurns, errors

router = APIRouter(tags=["answers"])


@router.get(
    "/v1/sessions/{session_id}",
    response_model=SessionTurns,
    summary="The turns of a conversation, oldest first",
    description="The id is the `session_id` an answer carried (128 random bits); a label a client chose "
    "is not an id, and an unknown id is 404.",
    responses=errors(404, 503),
)
async def session(
    service: ServiceDep, session_id: Annotated[str, Path(min_length=1, max_length=128)]
) -> SessionTurns:
    turns = await run_in_threadpool(service.session, session_id)
    return SessionTurns(
        session_id=session_id,
        turns=[
            SessionTurn(
                question=turn.question,
                answer=turn.answer,
                abstained=turn.abstained,
                answer_id=turn.answer_id,
                citations=turn.citations,
                markers=turn.markers,
                notices=turn.notices,
                asked=turn.asked,
            )
            for turn in turns
        ],
    )
