"""Prompt and answer-template text, kept as named, versioned files and loaded by name."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

# The sentinel phrase that opens every answer the documents cannot give; tests and faces key on it.
CANNOT_ANSWER_PHRASE = "The documents I have don't answer this"


@lru_cache(maxsize=32)
def load_prompt(name: str, version: int = 1) -> str:
    """The text of ``prompts/<name>.v<version>.txt``."""
    return resources.files("prompts").joinpath(f"{name}.v{version}.txt").read_text("utf-8").strip()
