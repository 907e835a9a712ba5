"""Every face in LLM mode, over a uvicorn server on loopback and the scripted endpoint: the answer stream
shows the tool rounds before the text (/v1/ask/stream, /v1/chat/completions with the real `openai`
client), faults are answers (200) with notices, a system message's language request is honoured with
the verified answer translated, and the CLI shows progress and notes."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import httpx
import openai
import pytest
from typer.testing import CliRunner

from assistant.faces.cli import app as cli
from assistant.faces.http.app import create_app
from tests.llm.conftest import LlmService, llm_env
from tests.support.http import ANSWER_KEYS
from tests.support.scripted_llm import Calls, ScriptedLLM, Status, Text, answer_citing, tool_results
from tests.support.servers import free_port, serve

pytestmark = pytest.mark.slow  # real servers on loopback

ENCOURAGED = "Cities with more than 100,000 inhabitants are encouraged to apply"
QUESTION = "Who can apply to the IUC programme?"


def grounded_script(*then: Text) -> ScriptedLLM:
    return ScriptedLLM(
        Calls.one("search_documents", query="cities with more than 100,000 inhabitants encouraged to apply"),
        answer_citing(f"{ENCOURAGED} [{{p}}].", p="100,000 inhabitants"),
        *then,
    )


def sse_events(reply: httpx.Response) -> Iterator[tuple[str, str]]:
    name = "message"
    for line in reply.iter_lines():
        if line.startswith("event: "):
            name = line.removeprefix("event: ")
        elif line.startswith("data: "):
            yield name, line.removeprefix("data: ")
            name = "message"


def test_the_answer_stream_shows_tool_rounds_before_the_text(llm_service: LlmService) -> None:
    with (
        llm_service(grounded_script()) as service,
        serve(create_app(service.settings, service)) as base,
        httpx.Client(base_url=base, timeout=30) as client,
        client.stream("POST", "/v1/ask/stream", json={"question": QUESTION}) as reply,
    ):
        assert reply.status_code == 200
        events = list(sse_events(reply))
    names = [name for name, _ in events]
    assert names[0] == "start" and json.loads(events[0][1])["mode"] == "llm"
    progress = [json.loads(data) for name, data in events if name == "progress"]
    assert {"step": "tool", "tool": "search_documents"}.items() <= progress[1].items()
    assert progress[1]["text"].startswith("Searching the documents for “cities with more")
    assert names.index("message") > max(i for i, name in enumerate(names) if name == "progress")
    text = "".join(json.loads(data)["text"] for name, data in events if name == "message")
    done = json.loads(events[-1][1])
    assert names[-1] == "done" and set(done) == ANSWER_KEYS
    assert text == done["answer"] == f"{ENCOURAGED} [1]."


@pytest.fixture
def live(llm_service: LlmService, request: pytest.FixtureRequest) -> Iterator[tuple[str, ScriptedLLM]]:
    script: ScriptedLLM = request.param
    with llm_service(script) as service, serve(create_app(service.settings, service)) as base:
        yield base, script


@pytest.mark.parametrize("live", [grounded_script()], indirect=True)
def test_the_openai_stream_carries_progress_then_the_verified_answer(live: tuple[str, ScriptedLLM]) -> None:
    base, _ = live
    with openai.OpenAI(base_url=f"{base}/v1", api_key="x", max_retries=0, timeout=30) as client:
        chunks = list(
            client.chat.completions.create(
                model="m", messages=[{"role": "user", "content": QUESTION}], stream=True
            )
        )
    progress = [
        chunk.model_extra["progress"] for chunk in chunks if (chunk.model_extra or {}).get("progress")
    ]
    assert [p["tool"] for p in progress if p["step"] == "tool"] == ["search_documents"]
    first_text = next(i for i, chunk in enumerate(chunks) if chunk.choices[0].delta.content)
    assert all(not chunk.choices[0].delta.content for chunk in chunks[:first_text])
    content = "".join(chunk.choices[0].delta.content or "" for chunk in chunks)
    assert content.startswith(f"{ENCOURAGED} [1].\n\nSources:\n[1] ")
    assert chunks[-1].model_extra and chunks[-1].model_extra["citations"][0]["quote"] == f"{ENCOURAGED}."


@pytest.mark.parametrize(
    "live", [ScriptedLLM(Status(429, headers={"Retry-After": "20"}), Text("never asked"))], indirect=True
)
def test_a_fault_is_a_200_answer_with_its_notice_on_every_route(live: tuple[str, ScriptedLLM]) -> None:
    base, _ = live
    with httpx.Client(base_url=base, timeout=30) as client:
        asked = client.post("/v1/ask", json={"question": QUESTION})
        completed = client.post(
            "/v1/chat/completions", json={"messages": [{"role": "user", "content": QUESTION}]}
        )
    assert asked.status_code == completed.status_code == 200
    assert asked.json()["mode"] == "llm" and asked.json()["citations"]
    for notices in (asked.json()["notices"], completed.json()["notices"]):
        assert [n["kind"] for n in notices][:1] == ["llm_fallback"] and "try again in" in notices[0]["text"]


FRENCH = "Les villes de plus de 100 000 habitants sont encouragées à poser leur candidature [1]."


@pytest.mark.parametrize("live", [grounded_script(Text(FRENCH))], indirect=True)
def test_a_system_message_asking_for_a_language_gets_the_verified_answer_translated(
    live: tuple[str, ScriptedLLM],
) -> None:
    base, script = live
    with openai.OpenAI(base_url=f"{base}/v1", api_key="x", max_retries=0, timeout=30) as client:
        reply = client.chat.completions.create(
            model="m",
            messages=[
                {"role": "system", "content": "You are helpful. Always answer in French."},
                {"role": "user", "content": QUESTION},
            ],
        )
    assert (reply.choices[0].message.content or "").startswith(f"{FRENCH}\n\nSources:\n[1] ")
    # The agent worked in English; the verified English answer alone was sent for translation.
    translation = script.requests[-1]
    assert "French" in translation["messages"][0]["content"] and "tools" not in translation
    assert translation["messages"][1] == {"role": "user", "content": f"{ENCOURAGED} [1]."}
    assert "French" not in script.requests[0]["messages"][0]["content"]


@pytest.mark.parametrize(
    "live",
    [grounded_script(Text("Les villes de plus de 250 000 habitants sont encouragées [1]."))],
    indirect=True,
)
def test_a_translation_that_changes_a_figure_is_refused(live: tuple[str, ScriptedLLM]) -> None:
    base, _ = live
    with httpx.Client(base_url=base, timeout=30) as client:
        body = client.post(
            "/v1/chat/completions",
            json={
                "messages": [
                    {"role": "system", "content": "Réponds en français."},
                    {"role": "user", "content": QUESTION},
                ]
            },
        ).json()
    assert body["choices"][0]["message"]["content"].startswith(f"{ENCOURAGED} [1].")
    assert [n["kind"] for n in body["notices"]] == ["llm_language"]


def test_the_cli_shows_progress_and_notes(
    real_index: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copytree(real_index, tmp_path / "cli-data")
    monkeypatch.setenv("ASSISTANT_DATA_DIR", str(tmp_path / "cli-data"))
    llm_env(monkeypatch, f"http://127.0.0.1:{free_port()}/v1", timeout_seconds=5)
    result = CliRunner().invoke(cli, ["ask", QUESTION])
    assert result.exit_code == 0, result.output
    assert "… The language model could not be reached" in result.stderr
    assert "Note: The language model could not be reached" in result.stdout


def test_a_follow_up_in_the_openai_dialect_reaches_the_model_as_a_conversation(
    llm_service: LlmService,
) -> None:
    script = grounded_script()
    with (
        llm_service(script) as service,
        serve(create_app(service.settings, service)) as base,
        httpx.Client(base_url=base, timeout=30) as client,
    ):
        client.post(
            "/v1/chat/completions",
            json={
                "messages": [
                    {"role": "user", "content": "What does the IUC programme do?"},
                    {"role": "assistant", "content": "It pairs cities [1]."},
                    {"role": "user", "content": QUESTION},
                ]
            },
        )
    sent = [(m["role"], m["content"]) for m in script.requests[0]["messages"][1:]]
    assert sent == [
        ("user", "What does the IUC programme do?"),
        ("assistant", "It pairs cities."),
        ("user", QUESTION),
    ]
    assert tool_results(script.requests[1])[0]["passages"]
