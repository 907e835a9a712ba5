"""BM25 keyword search over chunk texts (bm25s), with the project's own terms (stems, folded accents)."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import numpy as np

from ingest.textutil import terms

logger = logging.getLogger(__name__)


_TERMS = "terms.tsv"  # each chunk's terms, keyed by its content: the next generation reuses them


class KeywordIndex:
    def __init__(
        self, retriever: Any, ids: list[str], keyed_terms: dict[str, list[str]] | None = None
    ) -> None:
        self._retriever = retriever
        self._ids = ids
        self._vocabulary: dict[str, int] = dict(getattr(retriever, "vocab_dict", {}) or {})
        self._keyed_terms = keyed_terms or {}

    @classmethod
    def build(
        cls,
        ids: list[str],
        texts: list[str],
        keys: list[str] | None = None,
        known: dict[str, list[str]] | None = None,
    ) -> KeywordIndex:
        """The index of ``texts``; a text whose content key (``keys``) is in ``known`` (an earlier
        generation's ``known_terms``) is not tokenised again."""
        import bm25s

        if not ids:
            return cls(None, [])  # an emptied corpus: an index that finds nothing
        known = known or {}
        keys = keys or []
        token_lists = [
            known[keys[position]] if keys and keys[position] in known else terms(text) or ["_empty_"]
            for position, text in enumerate(texts)
        ]
        retriever = bm25s.BM25()
        retriever.index(token_lists, show_progress=False)
        return cls(retriever, ids, dict(zip(keys, token_lists, strict=True)) if keys else None)

    def save(self, directory: Path, version: str = "") -> None:
        """Save the index; ``version`` names the tokeniser the kept terms came from."""
        if self._retriever is not None:
            self._retriever.save(str(directory), show_progress=False)
        (directory / "ids.txt").write_text("\n".join(self._ids), encoding="utf-8")
        lines = "".join(f"{key}\t{' '.join(found)}\n" for key, found in self._keyed_terms.items())
        (directory / _TERMS).write_text(f"#version\t{version}\n{lines}", encoding="utf-8")

    @staticmethod
    def known_terms(directory: Path, version: str = "") -> dict[str, list[str]]:
        """The terms a saved index holds by content key, if the same tokeniser ``version`` made them."""
        path = directory / _TERMS
        if not path.exists():
            return {}
        header, _, body = path.read_text(encoding="utf-8").partition("\n")
        if header != f"#version\t{version}":
            return {}
        pairs = (line.split("\t", 1) for line in body.splitlines() if line)
        return {key: found.split(" ") for key, found in pairs}

    @classmethod
    def load(cls, directory: Path) -> KeywordIndex:
        import bm25s

        ids = [line for line in (directory / "ids.txt").read_text(encoding="utf-8").split("\n") if line]
        if not ids:
            return cls(None, [])
        retriever = bm25s.BM25.load(str(directory), show_progress=False)
        return cls(retriever, ids)

    def query(self, text: str, k: int) -> list[tuple[str, float]]:
        query_terms = [term for term in terms(text) if term in self._vocabulary]
        if not query_terms or not self._ids:
            return []
        documents, scores = self._retriever.retrieve(
            [query_terms], k=min(k, len(self._ids)), show_progress=False, n_threads=1
        )
        return [
            (self._ids[int(index)], float(score))
            for index, score in zip(documents[0], scores[0], strict=True)
            if float(score) > 0 and np.isfinite(score)
        ]
