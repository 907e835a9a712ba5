"""The OpenAI chat-completions dialect: requests read into a question and its history, answers written
back as completions (whole or as chunks), citations as [n] markers, a sources list and an extra field."""

from __future__ import annotations

import time
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool

from assistant.models import Answer, Citation, Exchange
from ingest.errors import InvalidRequestError

MODEL_ID = "city-coop-assistant"


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


def sources_text(citations: list[Citation]) -> str:
    if not citations:
        return ""
    lines = []
    for citation in citations:
        where = f" — {citation.section}" if citation.section else ""
        page = f", p. {citation.page}" if citation.page else ""
        lines.append(f"[{citation.id}] {citation.title}{where}{page} ({citation.source})")
    return "\n\nSources:\n" + "\n".join(lines)


def _citations_field(answer: Answer) -> list[dict[str, Any]]:
    return [citation.model_dump() for citation in answer.citations]


def completion(answer: Answer, model: str) -> dict[str, Any]:
    return {
        "id": f"chatcmpl-{answer.answer_id}",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": model,
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": answer.answer + sources_text(answer.citations)},
                "finish_reason": "stop",
                "logprobs": None,
            }
        ],
        "usage": {"prompt_tokens": 0, "completion_tokens": 0, "total_tokens": 0},
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
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "id": f"chatcmpl-{answer_id}",
        "object": "chat.completion.chunk",
        "created": int(time.time()),
        "model": model,
        "choices": [{"index": 0, "delta": delta, "finish_reason": finish_reason, "logprobs": None}],
    }
    if answer is not None:
        body["citations"] = _citations_field(answer)
        body["abstained"] = answer.abstained
    return body


def models_list() -> dict[str, Any]:
    return {
        "object": "list",
        "data": [{"id": MODEL_ID, "object": "model", "created": 0, "owned_by": "city-coop-assistant"}],
    }
