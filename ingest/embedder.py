"""The embedding port: what the rest of the code needs from an embedding model."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from typing import Protocol

import numpy as np
import numpy.typing as npt

Vectors = npt.NDArray[np.float32]


class Embedder(Protocol):
    """Turns texts into L2-normalised vectors of a fixed dimension."""

    @property
    def name(self) -> str:
        """A stable identifier of the model; an index built with another name is rebuilt."""
        ...

    @property
    def dimension(self) -> int: ...

    def embed(self, texts: Sequence[str]) -> Vectors:
        """Return an array of shape ``(len(texts), dimension)``, each row of unit length."""
        ...


class LazyEmbedder:
    """An embedder loaded on first use (once, whichever thread asks first): commands that never embed
    never pay for loading the model."""

    def __init__(self, factory: Callable[[], Embedder]) -> None:
        self._factory = factory
        self._loaded: Embedder | None = None
        self._lock = threading.Lock()

    @property
    def model(self) -> Embedder:
        if self._loaded is None:
            with self._lock:
                if self._loaded is None:
                    self._loaded = self._factory()
        return self._loaded

    @property
    def name(self) -> str:
        return self.model.name

    @property
    def dimension(self) -> int:
        return self.model.dimension

    def embed(self, texts: Sequence[str]) -> Vectors:
        return self.model.embed(texts)
