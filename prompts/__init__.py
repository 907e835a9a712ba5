"""Prompt and answer text, kept as named, versioned files and loaded by name: prompts as
``<name>.v<N>.txt``, the sentences answers are made of in ``answer_sentences.v<N>.toml``."""

from __future__ import annotations

import string
import tomllib
from functools import lru_cache
from importlib import resources

# The sentinel phrase that opens every answer the documents cannot give; tests and faces key on it.
CANNOT_ANSWER_PHRASE = "The documents I have don't answer this"
# What an LLM replies, alone, when the passages it found do not answer (prompts/llm_system.v1.txt).
LLM_NO_ANSWER = "NO ANSWER"
SENTENCES_VERSION = 1


@lru_cache(maxsize=32)
def load_prompt(name: str, version: int = 1) -> str:
    """The text of ``prompts/<name>.v<version>.txt``."""
    return resources.files("prompts").joinpath(f"{name}.v{version}.txt").read_text("utf-8").strip()


@lru_cache(maxsize=4)
def sentences(version: int = SENTENCES_VERSION) -> dict[str, dict[str, str]]:
    """Every answer sentence template, by section and name."""
    text = resources.files("prompts").joinpath(f"answer_sentences.v{version}.toml").read_text("utf-8")
    return tomllib.loads(text)


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def say(key: str, **values: object) -> str:
    """The template ``section.name`` filled with ``values``. ``{Name}`` (capitalised) takes the value of
    ``name`` with its first letter raised, for templates that open with a value."""
    section, name = key.split(".", 1)
    template = sentences()[section][name]
    for wanted in placeholders(template):
        if wanted not in values and wanted[:1].isupper() and wanted.lower() in values:
            text = str(values[wanted.lower()])
            values[wanted] = text[:1].upper() + text[1:]
    return template.format(**values)
