"""The project's one base exception and its typed subclasses.

Every layer raises these; the faces (CLI, HTTP, bot) translate them at the edge.
"""

from __future__ import annotations


class AssistantError(Exception):
    """Base of every error this project raises on purpose."""

    code = "assistant_error"

    def __init__(self, message: str, **context: object) -> None:
        super().__init__(message)
        self.message = message
        self.context = context


class DocumentError(AssistantError):
    """A document could not be read: empty, corrupt, encrypted, mislabelled or binary."""

    code = "bad_document"


class IndexLockedError(AssistantError):
    """Another process is writing the index."""

    code = "index_locked"


class SyncRefusedError(AssistantError):
    """A sync would remove too much of the index (an empty or wrong folder); nothing was changed."""

    code = "sync_refused"


class IndexMissingError(AssistantError):
    """No index has been built yet."""

    code = "index_missing"


class ConfigurationError(AssistantError):
    """A setting is missing or invalid."""

    code = "configuration"


class InvalidRequestError(AssistantError):
    """A request is malformed or outside the limits."""

    code = "invalid_request"


class UpstreamError(AssistantError):
    """An outside service (LLM endpoint, Chroma server) failed."""

    code = "upstream"


class StateUnavailableError(AssistantError):
    """The state database (conversations, feedback) cannot be read or written; the message says why and
    what to do."""

    code = "state_unavailable"


class NotFoundError(AssistantError):
    """A thing asked for by id (an answer, a session) does not exist."""

    code = "not_found"


class AuthenticationError(AssistantError):
    """A protected route was called without the right credentials."""

    code = "unauthorized"


class FeatureDisabledError(AssistantError):
    """A feature is switched off by configuration (admin routes without a key)."""

    code = "disabled"


class ConflictError(AssistantError):
    """What a request asks for clashes with what exists (an upload over a document of the same name)."""

    code = "conflict"


class TooLargeError(AssistantError):
    """Something sent is over a configured size limit (an uploaded file)."""

    code = "payload_too_large"
