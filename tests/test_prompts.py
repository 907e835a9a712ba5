"""The answer sentences file and the prompts the code loads: every ``say("section.name", …)`` call in the
source names a sentence that exists and fills exactly its placeholders; every ``load_prompt`` name exists.
(What the header of ``prompts/answer_sentences.v1.toml`` promises.)"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass

import pytest

from prompts import CANNOT_ANSWER_PHRASE, load_prompt, placeholders, say, sentences
from tests.support.paths import REPO

SOURCE = sorted(path for package in ("assistant", "ingest") for path in (REPO / package).rglob("*.py"))


@dataclass(frozen=True)
class Call:
    where: str
    function: str
    keys: list[str]  # the sentence keys (or prompt names) the first argument can be
    given: frozenset[str]  # the keyword arguments passed
    literal: bool  # the key is written out, not built (an f-string)


def _keys(node: ast.expr) -> list[str] | None:
    """The keys a literal or an f-string argument can take (an f-string: every key it matches)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.JoinedStr):
        pattern = "".join(
            re.escape(str(part.value)) if isinstance(part, ast.Constant) else r"\w+" for part in node.values
        )
        known = [f"{section}.{name}" for section, names in sentences().items() for name in names]
        return [key for key in known if re.fullmatch(pattern, key)]
    return None


def _calls() -> list[Call]:
    calls = []
    for path in SOURCE:
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)):
                continue
            if node.func.id not in ("say", "load_prompt") or not node.args:
                continue
            keys = _keys(node.args[0])
            where = f"{path.relative_to(REPO)}:{node.lineno}"
            assert keys, f"{where}: {node.func.id}() takes a key this test cannot read"
            given = frozenset(keyword.arg for keyword in node.keywords if keyword.arg)
            literal = isinstance(node.args[0], ast.Constant)
            calls.append(Call(where, node.func.id, keys, given, literal))
    return calls


CALLS = _calls()


def test_the_source_is_scanned() -> None:
    assert {call.function for call in CALLS} == {"say", "load_prompt"}
    assert len([call for call in CALLS if call.function == "say"]) > 20


@pytest.mark.parametrize("call", [call for call in CALLS if call.function == "say"], ids=lambda c: c.where)
def test_every_sentence_asked_for_exists_and_gets_exactly_its_placeholders(call: Call) -> None:
    def wanted(key: str) -> set[str]:
        section, _, name = key.partition(".")
        assert name in sentences().get(section, {}), f"{call.where}: no sentence {key}"
        # '{Scope}' is filled from scope= with its first letter raised
        return {placeholder.lower() for placeholder in placeholders(sentences()[section][name])}

    if call.literal:
        [key] = call.keys
        assert wanted(key) == call.given, (
            f"{call.where}: {key} wants {sorted(wanted(key))}, gets {sorted(call.given)}"
        )
    else:  # a built key: some sentence it can name takes exactly these values
        assert [key for key in call.keys if wanted(key) == call.given], call


@pytest.mark.parametrize(
    "name", sorted({key for c in CALLS if c.function == "load_prompt" for key in c.keys})
)
def test_every_prompt_loaded_exists(name: str) -> None:
    assert load_prompt(name)


def test_say_raises_the_first_letter_of_a_capitalised_placeholder() -> None:
    assert say("eligibility.window", scope="the TTCE call") == "The TTCE call states an application window."


def test_the_abstention_opens_with_the_sentinel_phrase() -> None:
    assert load_prompt("offline_abstain").format(about="").startswith(CANNOT_ANSWER_PHRASE)
    assert load_prompt("offline_decline").startswith(CANNOT_ANSWER_PHRASE)
