"""What the OpenAI-compatible route writes: real token counts in `usage` (the MiniLM tokenizer the project
ships), a first sentence saying the answer is in English when a system message asks for another
language (offline mode), and plain text, always — markup in a document's text or title (or entities a
loader decoded into markup) never reaches a client as a live tag, whole or streamed."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import openai
import pytest
from fastapi.testclient import TestClient

from assistant.faces.http.plain_text import PlainTextStream, plain_text
from assistant.faces.http.tokens import TokenCounter
from prompts import say
from tests.faces.http.conftest import Api
from tests.support.servers import serve

LIVE_TAG = re.compile(r"<[A-Za-z!/?]")  # what HTML reads as the start of a tag or comment
COUNTER = TokenCounter()


def _ask(client: TestClient, *messages: tuple[str, str], **extra: object) -> dict[str, object]:
    payload = {"messages": [{"role": role, "content": content} for role, content in messages], **extra}
    response = client.post("/v1/chat/completions", json=payload)
    assert response.status_code == 200, response.text
    body: dict[str, object] = response.json()
    return body


def _content(body: dict[str, object]) -> str:
    choices = body["choices"]
    assert isinstance(choices, list)
    content: str = choices[0]["message"]["content"]
    return content


# --- usage ------------------------------------------------------------------------------------------------
def test_usage_counts_tokens_with_the_shipped_tokenizer(client: TestClient) -> None:
    system, question = "Answer briefly.", "Which cities are encouraged to apply to the IUC call?"
    body = _ask(client, ("system", system), ("user", question))
    usage = body["usage"]
    assert isinstance(usage, dict)
    assert usage["prompt_tokens"] == COUNTER.count(system) + COUNTER.count(question) > 0
    assert usage["completion_tokens"] == COUNTER.count(_content(body)) > 20
    assert usage["total_tokens"] == usage["prompt_tokens"] + usage["completion_tokens"]


def test_the_counter_is_the_minilm_wordpiece_tokenizer() -> None:
    assert COUNTER.count("") == 0
    assert COUNTER.count("city") == 1
    assert COUNTER.count("Who can apply?") == 4  # who / can / apply / ?
    assert COUNTER.count("city " * 300) == 300  # not cut at the model's 256 tokens


@pytest.mark.slow  # a real server on loopback
def test_a_streamed_completion_reports_usage_when_asked(api: Api) -> None:
    with serve(api.app) as base, openai.OpenAI(base_url=f"{base}/v1", api_key="x", max_retries=0) as client:
        question = "Which cities are encouraged to apply to the IUC call?"
        chunks = list(
            client.chat.completions.create(
                model="m",
                messages=[{"role": "user", "content": question}],
                stream=True,
                stream_options={"include_usage": True},
            )
        )
    content = "".join(chunk.choices[0].delta.content or "" for chunk in chunks if chunk.choices)
    [last] = [chunk for chunk in chunks if chunk.usage is not None]
    assert last is chunks[-1] and last.choices == []
    assert last.usage is not None
    assert last.usage.prompt_tokens == COUNTER.count(question)
    assert last.usage.completion_tokens == COUNTER.count(content)


# --- language ----------------------------------------------------------------------------------------------
ENCOURAGED = "Which cities are encouraged to apply to the IUC call?"


@pytest.mark.parametrize(
    ("system", "language"),
    [
        ("You are a helpful assistant. Always answer in French.", "French"),
        ("Réponds toujours en français, s'il te plaît.", "French"),
        ("Antworte bitte nur auf Deutsch.", "German"),
        ("Language: Spanish", "Spanish"),
        ("Respond in the Polish language.", "Polish"),
    ],
)
def test_a_request_for_another_language_is_answered_in_english_saying_so(
    client: TestClient, system: str, language: str
) -> None:
    content = _content(_ask(client, ("system", system), ("user", ENCOURAGED)))
    assert content.startswith(say("languages.english_only", language=language))
    assert "100,000 inhabitants" in content


@pytest.mark.parametrize(
    "system", ["You are a helpful assistant.", "Answer in English.", "Be brief, in plain words."]
)
def test_no_note_without_a_request_for_another_language(client: TestClient, system: str) -> None:
    content = _content(_ask(client, ("system", system), ("user", ENCOURAGED)))
    assert not content.startswith("I answer in English only")


def test_a_language_asked_by_the_user_message_is_not_a_system_request(client: TestClient) -> None:
    content = _content(_ask(client, ("user", "Who can apply to the IUC programme? Answer in French.")))
    assert "I answer in English only" not in content


# --- plain text --------------------------------------------------------------------------------------------
HOSTILE = (
    "Lighthouse keepers log every passing ship <img src=x onerror=alert(1)> in the harbour register, "
    "and the <b>keeper</b> signs <script>alert(2)</script> each page <!-- hidden --> at dawn."
)


@pytest.fixture
def hostile_api(make_api: Callable[..., Api], corpus_copy: Path, tmp_path: Path) -> Iterator[Api]:
    (corpus_copy / "lighthouse-register.txt").write_text(f"Harbour register\n\n{HOSTILE}\n", encoding="utf-8")
    (corpus_copy / "lighthouse-register.txt.meta.json").write_text(
        json.dumps({"title": "Register <b>of</b> &lt;script&gt;alert(3)&lt;/script&gt; ships"}),
        encoding="utf-8",
    )
    (corpus_copy / "lighthouse-log.html").write_text(
        "<html><head><title>Log &lt;img src=y onerror=alert(4)&gt;</title></head><body>"
        "<p>Lighthouse keepers write &lt;iframe src=javascript:alert(5)&gt; into the harbour log "
        "every night.</p></body></html>",
        encoding="utf-8",
    )
    api = make_api(indexed=False, CORPUS_DIR=str(corpus_copy))
    report = api.service.ingest()
    assert not report.files_failed, report.files_failed
    yield api


def test_markup_from_documents_never_reaches_the_completion(hostile_api: Api) -> None:
    question = "What do lighthouse keepers log in the harbour register and the harbour log?"
    with hostile_api.client() as client:
        body = _ask(client, ("user", question))
        citations = body["citations"]
        assert isinstance(citations, list)
        assert {c["source"] for c in citations} & {"lighthouse-register.txt", "lighthouse-log.html"}
        content = _content(body)
        assert not LIVE_TAG.search(content), content
        assert "Lighthouse keepers" in content and "Sources:" in content
        stream = client.post(
            "/v1/chat/completions", json={"messages": [{"role": "user", "content": question}], "stream": True}
        )
    chunks = [json.loads(line[6:]) for line in stream.text.splitlines() if line.startswith("data: {")]
    pieces = [chunk["choices"][0]["delta"].get("content") or "" for chunk in chunks if chunk["choices"]]
    streamed = "".join(pieces)
    assert not LIVE_TAG.search(streamed), streamed
    assert streamed == content  # the same plain text, whole or in pieces


@pytest.mark.parametrize(
    "text",
    [
        HOSTILE,
        "a &lt;script&gt;alert(1)&lt;/script&gt; b",
        "x &amp;lt;img src=1&amp;gt; y",
        "an open <img src=x onerror=alert(1) tag at the end",
        "population < 100,000 and <3 and a<b",
        "<<script>script>alert(1)<</script>/script>",
    ],
)
def test_plain_text_leaves_no_tag_however_the_stream_is_cut(text: str) -> None:
    whole = plain_text(text)
    assert not LIVE_TAG.search(whole), whole
    for cut in range(1, len(text)):
        stream = PlainTextStream()
        joined = stream.feed(text[:cut]) + stream.feed(text[cut:]) + stream.flush()
        assert not LIVE_TAG.search(joined), (cut, joined)
    pieces = PlainTextStream()
    one_by_one = "".join(pieces.feed(character) for character in text) + pieces.flush()
    assert not LIVE_TAG.search(one_by_one), one_by_one


def test_plain_text_keeps_ordinary_text() -> None:
    text = "Cities with more than 100,000 inhabitants [1] — AT&T, 5 < 7, R&D [2]."
    assert plain_text(text) == text
