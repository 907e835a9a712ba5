"""Relaying an answer stream to an HTTP client as it is produced."""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator, Callable, Generator, Iterator

from fastapi import Request
from fastapi.concurrency import run_in_threadpool

from assistant.models import AnswerEvent

logger = logging.getLogger(__name__)


def sse(data: object, event: str | None = None) -> str:
    head = f"event: {event}\n" if event else ""
    return f"{head}data: {json.dumps(data, ensure_ascii=False)}\n\n"


async def first_event(events: Iterator[AnswerEvent]) -> AnswerEvent:
    """The first event, pulled before the response starts so bad input still gets a JSON error."""
    return await run_in_threadpool(next, events)


async def relay(
    request: Request,
    events: Generator[AnswerEvent, None, None],
    first: AnswerEvent,
    render: Callable[[AnswerEvent], list[str]],
    closing: list[str],
) -> AsyncIterator[str]:
    """Render events as they come; a client gone away stops the work (the generator is closed, so the
    answer is never finished nor recorded)."""
    finished = False
    try:
        for text in render(first):
            yield text
        while True:
            if await request.is_disconnected():
                logger.info("client went away; stopping the answer")
                return
            event = await run_in_threadpool(next, events, None)
            if event is None:
                finished = True
                break
            for text in render(event):
                yield text
        for text in closing:
            yield text
    finally:
        if not finished:
            try:
                events.close()
            except ValueError:  # still running in its thread: it ends at its next step, unrecorded
                logger.debug("answer generator busy while closing")
