"""The LangChain adapter: a ``create_agent`` loop over ``ChatOpenAI`` (any OpenAI-compatible endpoint)
whose tools are the ToolBox's typed functions. LangChain types stay in this module; the answerer sees
plain strings, its own tool list, progress callbacks and ``LlmError``.

A guard around every model call and tool call keeps the loop inside its bounds: the time left before
the answer's deadline is each request's timeout, rounds past the limit are a loop, a call to an
unknown tool or with arguments that fail validation is a malformed reply, and a run whose asker went
away stops at its next step.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Literal, cast

from langchain.agents import create_agent
from langchain.agents.middleware import AgentMiddleware, ModelRequest, ModelResponse
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, SystemMessage, ToolMessage
from langchain_core.runnables import RunnableConfig
from langchain_core.tools import StructuredTool
from langchain_openai import ChatOpenAI
from langgraph.prebuilt.tool_node import ToolCallRequest
from langgraph.types import Command
from pydantic import BaseModel, ValidationError

from assistant.llm.faults import LlmError, classify
from assistant.llm.tools import Tool, compact_schema
from assistant.settings import LlmSettings

logger = logging.getLogger(__name__)

Role = Literal["user", "assistant"]


@dataclass(frozen=True)
class Step:
    """Progress of a run: the model is asked (``tool`` None), or a tool runs."""

    text: str
    tool: str | None = None


@dataclass(frozen=True)
class Run:
    """What one run needs besides the conversation: its tools, deadline, progress sink and stop flag."""

    tools: Sequence[Tool]
    deadline: float  # time.monotonic() by which the whole answer must be ready
    emit: Callable[[Step], None]
    cancelled: Callable[[], bool]
    model_step: str  # what the asker is shown while the model writes


class _Chat(ChatOpenAI):
    """``ChatOpenAI`` sending "" rather than null as the content of an assistant message that carries
    tool calls: some servers (llama-cpp-python's) reject null there."""

    def _get_request_payload(
        self, input_: Any, *, stop: list[str] | None = None, **kwargs: Any
    ) -> dict[str, Any]:
        payload: dict[str, Any] = super()._get_request_payload(input_, stop=stop, **kwargs)
        for message in payload.get("messages", []):
            if message.get("role") == "assistant" and message.get("content") is None:
                message["content"] = ""
        return payload


class ChatAgent:
    """Talks to one endpoint; safe to share between answers (each run builds its own small graph)."""

    def __init__(self, settings: LlmSettings, api_key: str) -> None:
        assert settings.base_url and settings.model, "wiring checks these before building the agent"
        self.settings = settings
        self.model = _Chat(
            model=settings.model,
            base_url=settings.base_url,
            api_key=api_key,
            timeout=settings.timeout_seconds,
            max_retries=0,  # a fault falls back at once; 429 is handled by the answerer
            temperature=settings.temperature,
            max_tokens=settings.max_tokens,
            streaming=settings.stream,
        )

    def run(self, system: str, conversation: Sequence[tuple[Role, str]], run: Run) -> str:
        """The model's final text after its tool rounds; raises LlmError for whatever went wrong."""
        guard = _Guard(run, self.settings.max_tool_rounds)
        agent = create_agent(
            self.model,
            tools=[_structured(tool) for tool in run.tools],
            system_prompt=system,
            middleware=[guard],
        )
        messages: list[BaseMessage] = [
            HumanMessage(text) if role == "user" else AIMessage(text) for role, text in conversation
        ]
        # Each round is a model step and a tool step; the guard ends a loop before this limit.
        limit = 2 * (self.settings.max_tool_rounds + 2) + 2
        try:
            state = agent.invoke(
                cast(Any, {"messages": messages}), config=RunnableConfig(recursion_limit=limit)
            )
        except LlmError:
            raise
        except Exception as error:
            raise classify(error) from error
        return _final_text(state)

    def complete(self, system: str, text: str, deadline: float) -> str:
        """One plain exchange, no tools (a translation); raises LlmError."""
        remaining = deadline - time.monotonic()
        if remaining <= 0.05:
            raise LlmError("timeout", "no time left for the translation")
        try:
            reply = self.model.invoke([SystemMessage(system), HumanMessage(text)], timeout=remaining)
        except Exception as error:
            raise classify(error) from error
        answer = reply.text if isinstance(reply.text, str) else str(reply.content)
        if not answer.strip():
            raise LlmError("malformed", "an empty translation")
        return answer.strip()


def _structured(tool: Tool) -> StructuredTool:
    def call(**arguments: Any) -> str:
        return tool.run(tool.arguments.model_validate(arguments))

    return StructuredTool.from_function(
        func=call, name=tool.name, description=tool.description, args_schema=compact_schema(tool.arguments)
    )


def _final_text(state: dict[str, Any]) -> str:
    messages = state.get("messages") or []
    last = messages[-1] if messages else None
    if not isinstance(last, AIMessage):
        raise LlmError("malformed", "the run ended without an answer from the model")
    text = last.text if isinstance(last.text, str) else str(last.content)
    if not text.strip():
        raise LlmError("malformed", "an empty answer")
    return text


class _Guard(AgentMiddleware):
    """Bounds every step of a run (see the module docstring)."""

    def __init__(self, run: Run, max_rounds: int) -> None:
        super().__init__()
        self._run = run
        self._max_rounds = max_rounds
        self._calls = 0
        self._by_name = {tool.name: tool for tool in run.tools}

    def _remaining(self) -> float:
        if self._run.cancelled():
            raise LlmError("cancelled", "the asker went away")
        remaining = self._run.deadline - time.monotonic()
        if remaining <= 0.05:
            raise LlmError("timeout", "the deadline passed between steps")
        return remaining

    def wrap_model_call(
        self, request: ModelRequest, handler: Callable[[ModelRequest], ModelResponse]
    ) -> ModelResponse:
        remaining = self._remaining()
        self._calls += 1
        self._run.emit(Step(self._run.model_step))
        response = handler(request.override(model_settings={**request.model_settings, "timeout": remaining}))
        for message in response.result:
            if isinstance(message, AIMessage):
                self._check_reply(message)
        return response

    def _check_reply(self, message: AIMessage) -> None:
        if message.invalid_tool_calls:
            bad = message.invalid_tool_calls[0]
            raise LlmError("malformed", f"tool call {bad.get('name')!r} with arguments that are not JSON")
        if message.tool_calls and self._calls > self._max_rounds:
            raise LlmError("loop", f"still calling tools after {self._max_rounds} rounds")

    def wrap_tool_call(
        self, request: ToolCallRequest, handler: Callable[[ToolCallRequest], ToolMessage | Command[Any]]
    ) -> ToolMessage | Command[Any]:
        self._remaining()
        call = request.tool_call
        tool = self._by_name.get(call["name"])
        if tool is None or request.tool is None:
            raise LlmError("malformed", f"a call to an unknown tool {call['name']!r}")
        try:
            arguments: BaseModel = tool.arguments.model_validate(call.get("args") or {})
        except ValidationError as error:
            problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in error.errors()[:3])
            raise LlmError("malformed", f"arguments of {tool.name} fail validation ({problems})") from error
        self._run.emit(Step(tool.progress(arguments), tool.name))
        logger.info("tool %s %s", tool.name, arguments.model_dump(exclude_none=True))
        return handler(request)
