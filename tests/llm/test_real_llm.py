"""LLM mode against a real model on a real server, no network: llama.cpp's llama-server with
SmolLM2-135M-Instruct (or, when ASSISTANT_LLM__BASE_URL is set, that endpoint). The model really calls
the tools over the real wire, and what it writes is mostly invented: whatever leaves must still be
verified, sentence by sentence, against the quotes it cites."""

from __future__ import annotations

import json
import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from assistant.citations import verify_citations
from assistant.faces.http.app import create_app
from assistant.grounding import Passage, check_sentence, normalise_markers
from assistant.llm.evidence import about
from assistant.models import Answer, AnswerProgress
from assistant.service import AssistantService, final_answer
from assistant.settings import get_settings
from assistant.wiring import build_service
from ingest.textutil import split_sentences
from tests.llm.conftest import llm_env
from tests.support.llama import EXTERNAL, Endpoint, ServerMissingError, llama_server
from tests.support.servers import serve

pytestmark = pytest.mark.slow

MARKER = re.compile(r"\[(\d+)\]")


@pytest.fixture(scope="session")
def endpoint(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Endpoint]:
    if EXTERNAL is not None:
        yield EXTERNAL
        return
    if os.environ.get("SKIP_LLM_SERVER_TESTS") == "1":
        pytest.skip("SKIP_LLM_SERVER_TESTS=1: the real-model tests are skipped")
    log = tmp_path_factory.mktemp("llama") / "llama-server.log"
    try:
        server = llama_server(log)
        started = server.__enter__()
    except ServerMissingError as error:
        pytest.fail(
            f"The real-model tests need llama-server and SmolLM2: {error}; or set SKIP_LLM_SERVER_TESTS=1."
        )
    try:
        yield started
    finally:
        server.__exit__(None, None, None)


@pytest.fixture
def service(
    endpoint: Endpoint, real_index: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[AssistantService]:
    """LLM mode over a private copy of the real index, pointed at the real endpoint."""
    data = tmp_path / "data"
    shutil.copytree(real_index, data)
    monkeypatch.setenv("ASSISTANT_DATA_DIR", str(data))
    extra: dict[str, object] = {"timeout_seconds": 120, "search_k": 3, "max_tokens": 200}
    if endpoint.api_key:
        extra["api_key"] = endpoint.api_key
    llm_env(monkeypatch, endpoint.base_url, model=endpoint.model, **extra)
    built = build_service(get_settings())
    yield built
    built.close()


def unsupported(answer: Answer, given: str) -> list[str]:
    """Sentences of an answer that its cited quotes do not carry, checked afresh from the JSON."""
    quotes = {c.id: Passage((c.quote,), about(c.title, c.section)) for c in answer.citations}
    problems = []
    for line in normalise_markers(answer.answer).splitlines():
        for sentence in split_sentences(line):
            cited = {int(n) for n in MARKER.findall(sentence)}
            if not cited:
                continue
            passages = {n: quotes[n] for n in cited if n in quotes}
            _, found = check_sentence(MARKER.sub("", sentence), passages, given=given)
            if found or len(passages) != len(cited):
                problems.append(f"{sentence!r}: {[p.detail for p in found]}")
    return problems


def test_a_real_model_calls_the_tools_and_nothing_unverified_leaves(service: AssistantService) -> None:
    caught = 0
    for question in ("How long must cities cooperate?", "Who can apply to the IUC programme?"):
        events = list(service.ask_stream(question))
        answer = final_answer(events)
        steps = [(e.step, e.tool) for e in events if isinstance(e, AnswerProgress)]
        notes = {notice.kind for notice in answer.notices}
        assert answer.mode == "llm" and answer.answer, question
        # The model called a tool, read its result and wrote an answer that was then checked.
        assert any(step == "tool" for step, _ in steps), f"no tool call for {question!r}: {steps}"
        assert ("verify", None) in steps, f"no final answer from the model for {question!r}: {steps}"
        assert verify_citations(service.index.get().chunks, answer.citations) == []
        if "llm_fallback" not in notes:  # the model's answer: every cited sentence holds on its quotes
            assert unsupported(answer, question) == [], answer.answer
        caught += bool(notes & {"llm_fallback", "llm_repaired"})
    if EXTERNAL is None:  # SmolLM2 invents; the verifier must have caught some of it
        assert caught >= 1


def test_a_follow_up_after_a_tool_round_completes_on_the_real_server(service: AssistantService) -> None:
    first = service.ask("Which EU cities were paired with cities in Canada?")
    second = service.ask("What topics do they work on?", first.session_id)
    for answer in (first, second):
        notes = [notice.text for notice in answer.notices if notice.kind == "llm_fallback"]
        # Falling back because the answer did not verify is fine; a reply the server or the client
        # could not handle (the wire) is not.
        assert not [note for note in notes if "could not be used" in note or "failed" in note], notes
        assert answer.mode == "llm" and answer.answer


def test_the_answer_stream_shows_the_tool_rounds_of_a_real_model(service: AssistantService) -> None:
    question = {"question": "How long must cities cooperate?"}
    with (
        serve(create_app(service.settings, service)) as base,
        httpx.Client(base_url=base, timeout=180) as client,
        client.stream("POST", "/v1/ask/stream", json=question) as reply,
    ):
        assert reply.status_code == 200
        events = [line for line in reply.iter_lines() if line.startswith(("event:", "data:"))]
    names = [line.split(": ", 1)[1] for line in events if line.startswith("event:")]
    assert names[0] == "start" and names[-1] == "done" and "progress" in names
    first_text = next(
        i
        for i, line in enumerate(events)
        if line.startswith("data:") and '"text"' in line and i > 0 and not events[i - 1].startswith("event:")
    )
    progress = [i for i, line in enumerate(events) if line == "event: progress"]
    assert max(progress) < first_text
    done = json.loads(events[-1].removeprefix("data: "))
    assert done["mode"] == "llm" and done["answer"]
