"""The bot, as `assistant bot` runs it (``run_bot``), in a thread with its own event loop, for a test."""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from assistant.faces.discord.runner import run_bot
from assistant.service import AssistantService
from assistant.settings import Settings


class BotThread:
    def __init__(self, settings: Settings, service: AssistantService) -> None:
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="discord-bot", daemon=True)
        self._settings = settings
        self._service = service
        self.task: asyncio.Task[None] | None = None

    def failure(self) -> BaseException | None:
        """Why the bot stopped, if it did."""
        task = self.task
        if task is None or not task.done() or task.cancelled():
            return None
        return task.exception()

    @contextmanager
    def running(self) -> Iterator[BotThread]:
        self._thread.start()

        async def start() -> asyncio.Task[None]:
            return asyncio.ensure_future(run_bot(self._settings, lambda: self._service))

        self.task = asyncio.run_coroutine_threadsafe(start(), self._loop).result(10)
        try:
            yield self
        finally:
            asyncio.run_coroutine_threadsafe(self._stop(), self._loop).result(15)
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(timeout=10)
            assert not self._thread.is_alive(), "the bot's loop did not stop"
            self._loop.close()

    async def _stop(self) -> None:
        assert self.task is not None
        self.task.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await self.task
        # what discord.py leaves pending when closed (its ready waiter, queue getters)
        others = [task for task in asyncio.all_tasks() if task is not asyncio.current_task()]
        for task in others:
            task.cancel()
        await asyncio.gather(*others, return_exceptions=True)
        await self._loop.shutdown_default_executor()
