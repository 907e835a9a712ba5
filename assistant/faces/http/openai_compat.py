"""The OpenAI chat-completions dialect: requests read into a question and its history, answers written
back as completions (whole or as chunks), citations as [n] markers, a sources list and an extra field."""

from __future__ import annotations

import re
import time
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool

from assistant.faces.http.plain_text import plain_text
from assistant.faces.http.tokens import TokenCounter
from assistant.models import Answer, Citation, Exchange
from ingest.errors import InvalidRequestError
from prompts import say

MODEL_ID = "city-coop-assistant"

# Languages a system message may ask for, by the names it may use (English, and the language's own).
_LANGUAGES = {
    "Arabic": ("arabic", "العربية"),
    "Bulgarian": ("bulgarian", "български"),
    "Chinese": ("chinese", "mandarin", "中文"),
    "Croatian": ("croatian", "hrvatski"),
    "Czech": ("czech", "čeština", "cestina"),
    "Danish": ("danish", "dansk"),
    "Dutch": ("dutch", "nederlands"),
    "Estonian": ("estonian", "eesti"),
    "Finnish": ("finnish", "suomi"),
    "French": ("french", "français", "francais"),
    "German": ("german", "deutsch"),
    "Greek": ("greek", "ελληνικά"),
    "Hindi": ("hindi", "हिन्दी"),
    "Hungarian": ("hungarian", "magyar"),
    "Irish": ("irish", "gaeilge"),
    "Italian": ("italian", "italiano"),
    "Japanese": ("japanese", "日本語"),
    "Korean": ("korean", "한국어"),
    "Latvian": ("latvian", "latviešu"),
    "Lithuanian": ("lithuanian", "lietuvių"),
    "Maltese": ("maltese", "malti"),
    "Polish": ("polish", "polski", "polsku"),
    "Portuguese": ("portuguese", "português", "portugues"),
    "Romanian": ("romanian", "română", "romana"),
    "Russian": ("russian", "русский"),
    "Slovak": ("slovak", "slovenčina"),
    "Slovenian": ("slovenian", "slovene", "slovenščina"),
    "Spanish": ("spanish", "español", "espanol", "castellano"),
    "Swedish": ("swedish", "svenska"),
    "Turkish": ("turkish", "türkçe", "turkce"),
    "Ukrainian": ("ukrainian", "українська"),
}
_NAME_OF = {name: language for language, names in _LANGUAGES.items() for name in names}
# "answer in French", "respond only in French", "réponds en français", "auf Deutsch", "language: German".
_ASKED_LANGUAGE = re.compile(
    r"(?:\b(?:in|into|en|auf|em|w|na|po)\s+(?:the\s+)?|\blanguage\s*[:=]\s*|\blanguage\s+(?:is\s+)?)"
    r"(" + "|".join(sorted((re.escape(name) for name in _NAME_OF), key=len, reverse=True)) + r")(?!\w)",
    re.I,
)


class ContentPart(BaseModel):
    model_config = ConfigDict(extra="allow")

    type: str
    text: str | None = None


class ChatMessage(BaseModel):
    model_config = ConfigDict(extra="allow")

    role: Literal["system", "developer", "user", "assistant", "tool", "function"]
    content: str | list[ContentPart] | None = None

    def text(self) -> str:
        if isinstance(self.content, list):
            return "\n".join(part.text for part in self.content if part.type == "text" and part.text)
        return self.content or ""


class ChatCompletionRequest(BaseModel):
    """Any ``model`` is accepted; sampling options (temperature, max_tokens…) are accepted and ignored:
    the offline answer is an extract, not a sample."""

    model_config = ConfigDict(
        extra="allow",
        json_schema_extra={
            "examples": [
                {
                    "model": MODEL_ID,
                    "messages": [{"role": "user", "content": "Who can apply to the IUC programme?"}],
                }
            ]
        },
    )

    model: str = MODEL_ID
    messages: list[ChatMessage] = Field(min_length=1)
    stream: StrictBool = False
    stream_options: StreamOptions | None = None


class StreamOptions(BaseModel):
    model_config = ConfigDict(extra="allow")

    include_usage: StrictBool = Field(default=False, description="A last chunk with the token counts")


def question_and_history(request: ChatCompletionRequest) -> tuple[str, list[Exchange]]:
    """The last user message is the question; earlier user messages, each with the assistant reply
    that followed it, are the history."""
    spoken = [message for message in request.messages if message.role in ("user", "assistant")]
    if not spoken or spoken[-1].role != "user" or not spoken[-1].text().strip():
        raise InvalidRequestError("The last message must be a user message with text.", field="messages")
    history: list[Exchange] = []
    for message in spoken[:-1]:
        if message.role == "user":
            history.append(Exchange(question=message.text()))
        elif history and not history[-1].answer:
            history[-1].answer = message.text()
    return spoken[-1].text(), [exchange for exchange in history if exchange.question.strip()]


def requested_language(request: ChatCompletionRequest) -> str | None:
    """The language a system (or developer) message asks the answers to be in, when not English."""
    for message in request.messages:
        if message.role not in ("system", "developer"):
            continue
        match = _ASKED_LANGUAGE.search(message.text())
        if match:
            return _NAME_OF[match.group(1).lower()]
    return None


def language_note(language: str) -> str:
    """Said before an offline answer when another language was asked for: it answers in English."""
    return say("languages.english_only", language=language) + "\n\n"


def sources_text(citations: list[Citation]) -> str:
    """The numbered sources under the answer, as plain text (titles can carry a document's markup)."""
    if not citations:
        return ""
    lines = []
    for citation in citations:
        where = f" — {citation.section}" if citation.section else ""
        page = f", p. {citation.page}" if citation.page else ""
        lines.append(plain_text(f"[{citation.id}] {citation.title}{where}{page} ({citation.source})"))
    return "\n\nSources:\n" + "\n".join(lines)


def usage(request: ChatCompletionRequest, content: str, counter: TokenCounter) -> dict[str, int]:
    """Token counts of the messages asked and of the content given, with the project's tokenizer."""
    prompt = sum(counter.count(message.text()) for message in request.messages)
    completion = counter.count(content)
    return {"prompt_tokens": prompt, "completion_tokens": completion, "total_tokens": prompt + completion}


def _citations_field(answer: Answer) -> list[dict[str, Any]]:
    return [citation.model_dump() for citation in answer.citations]


def completion(answer: Answer, model: str, content: str, token_usage: dict[str, int]) -> dict[str, Any]:
    """The whole completion; ``content`` is the answer as the client reads it (plain text, sources)."""
    return {
        "id": f"chatcmpl-{answer.answer_id}",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": model,
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": content},
                "finish_reason": "stop",
                "logprobs": None,
            }
        ],
        "usage": token_usage,
        "citations": _citations_field(answer),
        "abstained": answer.abstained,
        "session_id": answer.session_id,
    }


def chunk(
    answer_id: str,
    model: str,
    delta: dict[str, str],
    finish_reason: str | None = None,
    answer: Answer | None = None,
    *,
    token_usage: dict[str, int] | None = None,
) -> dict[str, Any]:
    """A chunk of a streamed completion; with ``token_usage`` the last one, which has no choices."""
    choices = [{"index": 0, "delta": delta, "finish_reason": finish_reason, "logprobs": None}]
    body: dict[str, Any] = {
        "id": f"chatcmpl-{answer_id}",
        "object": "chat.completion.chunk",
        "created": int(time.time()),
        "model": model,
        "choices": [] if token_usage is not None else choices,
    }
    if token_usage is not None:
        body["usage"] = token_usage
    if answer is not None:
        body["citations"] = _citations_field(answer)
        body["abstained"] = answer.abstained
    return body


def models_list() -> dict[str, Any]:
    return {
        "object": "list",
        "data": [{"id": MODEL_ID, "object": "model", "created": 0, "owned_by": "city-coop-assistant"}],
    }
