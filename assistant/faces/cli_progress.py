"""The progress bar of `assistant ingest` on a terminal: files read (and chunks cut), then texts embedded.
Drawn on stderr, so stdout keeps only the report."""

from __future__ import annotations

from types import TracebackType

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeElapsedColumn

from ingest.progress import IngestProgress, Phase


class ProgressBar(IngestProgress):
    """A rich progress display fed by an ingest; use it as a context manager around the ingest."""

    def __init__(self, console: Console | None = None) -> None:
        self._display = Progress(
            TextColumn("{task.description:<9}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[note]}"),
            TimeElapsedColumn(),
            console=console or Console(stderr=True),
        )
        self._files: TaskID = self._display.add_task("files", total=None, note="")
        self._embedding: TaskID = self._display.add_task("embedding", total=None, note="", visible=False)

    def __enter__(self) -> ProgressBar:
        self._display.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self._display.stop()

    def phase(self, phase: Phase) -> None:
        if phase is Phase.EMBEDDING:
            self._display.update(self._embedding, visible=True)
        elif phase is Phase.WRITING:
            self._display.update(self._embedding, note="writing the index")

    def files(self, done: int, total: int) -> None:
        self._display.update(self._files, completed=done, total=total)

    def chunks(self, total: int) -> None:
        self._display.update(self._files, note=f"{total} chunks")

    def embedded(self, done: int, total: int) -> None:
        self._display.update(self._embedding, completed=done, total=total, note="passages and sentences")
