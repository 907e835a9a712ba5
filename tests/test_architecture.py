"""The direction of imports the README promises: no circles; ingest knows nothing of assistant; nothing
below the faces imports a face; only wiring (and the faces above it) chooses adapters."""

from __future__ import annotations

import ast

from tests.support.paths import REPO

PACKAGES = ("assistant", "ingest", "prompts")


def _imports() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for package in PACKAGES:
        for path in (REPO / package).rglob("*.py"):
            name = ".".join(path.relative_to(REPO).with_suffix("").parts).removesuffix(".__init__")
            found: set[str] = set()
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                modules = (
                    [node.module]
                    if isinstance(node, ast.ImportFrom) and node.module
                    else [alias.name for alias in node.names]
                    if isinstance(node, ast.Import)
                    else []
                )
                found.update(module for module in modules if module.split(".")[0] in PACKAGES)
            graph[name] = found
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    state: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(module: str) -> None:
        state[module] = 1
        stack.append(module)
        for target in sorted(graph[module] & graph.keys()):
            if state.get(target) == 1:
                found.append([*stack[stack.index(target) :], target])
            elif target not in state:
                visit(target)
        stack.pop()
        state[module] = 2

    for module in sorted(graph):
        if module not in state:
            visit(module)
    return found


def test_no_import_circles() -> None:
    assert _cycles(_imports()) == []


def test_ingest_knows_nothing_of_assistant() -> None:
    graph = _imports()
    assert [
        (m, t) for m, ts in graph.items() if m.startswith("ingest") for t in ts if t.startswith("assistant")
    ] == []


def test_nothing_below_the_faces_imports_a_face() -> None:
    graph = _imports()
    below = [m for m in graph if m.startswith("assistant") and not m.startswith("assistant.faces")]
    assert [(m, t) for m in below for t in graph[m] if t.startswith("assistant.faces")] == []


def test_only_wiring_and_faces_build_the_service() -> None:
    graph = _imports()
    users = {m for m, ts in graph.items() if "assistant.wiring" in ts}
    assert all(m.startswith("assistant.faces") for m in users), users
