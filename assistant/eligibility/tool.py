"""The eligibility check as an agent tool: the same schema the HTTP route accepts."""

from __future__ import annotations

from typing import Any

from assistant.eligibility.models import EligibilityRequest


def tool_definition() -> dict[str, Any]:
    """An OpenAI-style function tool for an agent: the same schema the HTTP route accepts."""
    return {
        "type": "function",
        "function": {
            "name": "check_eligibility",
            "description": (
                "Check an applicant (city, town, group of municipalities, region…) against the reviewed "
                "eligibility rules of a programme's call. Give only facts the user stated."
            ),
            "parameters": EligibilityRequest.model_json_schema(),
        },
    }
