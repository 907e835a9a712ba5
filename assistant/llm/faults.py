"""What can go wrong with an LLM endpoint, sorted into a few kinds: each gives the asker a sentence (the
offline answer is sent instead) and the operator a fix-it line naming the setting to change."""

from __future__ import annotations

import email.utils
import json
import time
from collections.abc import Mapping
from typing import Literal

import openai
from pydantic import ValidationError

from ingest.errors import UpstreamError
from prompts import say

FaultKind = Literal[
    "unreachable",  # connection refused, DNS, TLS
    "timeout",  # no complete answer before the deadline
    "rate_limited",  # 429
    "rejected",  # 401/403: the key
    "not_found",  # 404: a wrong model or path
    "server_error",  # 5xx or another status
    "malformed",  # bad JSON, an unknown tool, arguments that fail validation, an empty answer
    "loop",  # tool calls past the allowed rounds
    "unverified",  # an answer none of whose sentences its passages support
    "off_topic",  # a verified answer that does not speak to the question
    "cancelled",  # the asker went away
]

BASE_URL = "ASSISTANT_LLM__BASE_URL"
MODEL = "ASSISTANT_LLM__MODEL"
API_KEY = "ASSISTANT_LLM__API_KEY"
TIMEOUT = "ASSISTANT_LLM__TIMEOUT_SECONDS"
ROUNDS = "ASSISTANT_LLM__MAX_TOOL_ROUNDS"


class LlmError(UpstreamError):
    """The endpoint could not give a usable answer; the offline answer goes out instead."""

    code = "llm_failed"

    def __init__(self, kind: FaultKind, detail: str, retry_after: float | None = None) -> None:
        super().__init__(f"{kind}: {detail}")
        self.kind: FaultKind = kind
        self.detail = detail
        self.retry_after = retry_after

    def for_asker(self) -> str:
        """Why the offline answer was sent, for the asker (a notice)."""
        if self.kind == "rate_limited" and self.retry_after:
            return say("llm.fault_rate_limited_for", seconds=max(1, round(self.retry_after)))
        return say(f"llm.fault_{self.kind}")

    def for_operator(self, base_url: str, model: str) -> str:
        """What to change, naming the setting (logged)."""
        fixes = {
            "unreachable": f"{BASE_URL}={base_url} cannot be reached ({self.detail}). Check the address "
            "(most servers want the /v1 suffix) and that the server runs, or unset "
            f"{BASE_URL} to answer offline.",
            "timeout": f"{BASE_URL}={base_url} gave no complete answer in time ({self.detail}). Raise "
            f"{TIMEOUT}, or use a faster model than {MODEL}={model}.",
            "rate_limited": f"{BASE_URL}={base_url} is rate-limiting this key ({self.detail}).",
            "rejected": f"{BASE_URL}={base_url} refused the key ({self.detail}). Set {API_KEY} "
            "(or OPENAI_API_KEY) to a key it accepts.",
            "not_found": f"{BASE_URL}={base_url} answered 404 ({self.detail}). Check that {MODEL}={model} "
            f"is a model it serves (GET {base_url.rstrip('/')}/models lists them) and that {BASE_URL} "
            "ends where the server expects (usually /v1).",
            "server_error": f"{BASE_URL}={base_url} failed ({self.detail}).",
            "malformed": f"{MODEL}={model} at {BASE_URL}={base_url} sent a reply that cannot be used "
            f"({self.detail}). A model that supports tool calls is needed.",
            "loop": f"{MODEL}={model} kept calling tools without answering ({self.detail}); {ROUNDS} "
            "bounds the rounds.",
            "off_topic": f"the verified part of {MODEL}={model}'s answer does not address the question "
            f"({self.detail}); it was not sent.",
            "unverified": f"no sentence of {MODEL}={model}'s answer is supported by the passages it cited "
            f"({self.detail}); nothing of it was sent.",
            "cancelled": "the asker went away before the answer was ready.",
        }
        return fixes[self.kind]


def retry_after(headers: Mapping[str, str] | None) -> float | None:
    """Seconds from a Retry-After header (a number, or an HTTP date)."""
    value = headers.get("retry-after") if headers is not None else None
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        parsed = email.utils.parsedate_tz(value)
        return max(0.0, email.utils.mktime_tz(parsed) - time.time()) if parsed else None


def classify(error: BaseException) -> LlmError:
    """The fault an exception raised while talking to the endpoint stands for."""
    if isinstance(error, LlmError):
        return error
    if isinstance(error, openai.APITimeoutError | TimeoutError):
        return LlmError("timeout", type(error).__name__)
    if isinstance(error, openai.APIConnectionError | ConnectionError):
        cause = error.__cause__ or error
        return LlmError("unreachable", f"{type(cause).__name__}: {cause}"[:200])
    if isinstance(error, openai.RateLimitError):
        return LlmError("rate_limited", "HTTP 429", retry_after(error.response.headers))
    if isinstance(error, openai.AuthenticationError | openai.PermissionDeniedError):
        return LlmError("rejected", f"HTTP {error.status_code}")
    if isinstance(error, openai.NotFoundError):
        return LlmError("not_found", _status_detail(error))
    if isinstance(error, openai.APIStatusError):
        kind: FaultKind = "server_error" if error.status_code >= 500 else "malformed"
        return LlmError(kind, _status_detail(error))
    if isinstance(
        error, openai.APIResponseValidationError | json.JSONDecodeError | ValidationError | ValueError
    ):
        return LlmError("malformed", f"{type(error).__name__}: {error}"[:200])
    return LlmError("malformed", f"{type(error).__name__}: {error}"[:200])


def _status_detail(error: openai.APIStatusError) -> str:
    return f"HTTP {error.status_code}: {str(error.message)[:160]}"


def probe(base_url: str, model: str, api_key: str, timeout: float = 5.0) -> LlmError | None:
    """What is wrong with the endpoint, asked once at start-up (GET /models): unreachable, a refused
    key, or a model it does not list; None when it looks right or cannot tell (no /models route)."""
    try:
        with openai.OpenAI(base_url=base_url, api_key=api_key, timeout=timeout, max_retries=0) as client:
            served = [entry.id for entry in client.models.list()]
    except openai.NotFoundError:
        return None
    except Exception as error:
        return classify(error)
    if served and model not in served:
        return LlmError("not_found", f"it serves {', '.join(served[:8])}{' …' if len(served) > 8 else ''}")
    return None
