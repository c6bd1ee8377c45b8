"""Errors, grouped by who has to act.

    RecursorError
    ├── UserError            the caller's mistake: bad configuration, missing file, no API key
    │   └── ContextError     the context cannot be loaded or described
    ├── LMError              the model service failed (carries model, status, body)
    │   ├── LMTransientError retrying may help: 429, 5xx, timeouts, resets
    │   │   ├── RateLimitError      (retry_after seconds, when the server said)
    │   │   ├── LMServerError
    │   │   ├── LMTimeoutError
    │   │   └── LMConnectionError
    │   └── LMRequestError   retrying will not help: 4xx, auth, a malformed reply
    ├── SandboxError         the REPL worker could not start or talk to us
    └── BudgetExceeded       a limit of the run's budget was reached (carries the limit)

Errors made by *model-written code* are never raised to the caller: the loop turns them
into observations for the model. Only the library's and the caller's problems surface.
"""

from __future__ import annotations

__all__ = [
    "BudgetExceeded",
    "ContextError",
    "LMConnectionError",
    "LMError",
    "LMRequestError",
    "LMServerError",
    "LMTimeoutError",
    "LMTransientError",
    "RateLimitError",
    "RecursorError",
    "SandboxError",
    "UserError",
]


class RecursorError(Exception):
    """Base of every error recursor raises on purpose."""


class UserError(RecursorError):
    """A usage mistake by the application developer or CLI user; the message says what to fix."""


class ContextError(UserError):
    """The context given to a run cannot be loaded (missing path, unreadable file, bad type)."""


class LMError(RecursorError):
    """A model service failed. `status` and `body` are set when an HTTP reply was received."""

    def __init__(
        self,
        message: str,
        *,
        model: str | None = None,
        status: int | None = None,
        body: str | None = None,
    ) -> None:
        super().__init__(message)
        self.model = model
        self.status = status
        self.body = body


class LMTransientError(LMError):
    """A failure that a later attempt may not meet: the retry wrapper retries these."""


class RateLimitError(LMTransientError):
    """HTTP 429. `retry_after` is the server's requested wait in seconds, when it gave one."""

    def __init__(self, message: str, *, retry_after: float | None = None, **kw: object) -> None:
        super().__init__(message, **kw)  # type: ignore[arg-type]
        self.retry_after = retry_after


class LMServerError(LMTransientError):
    """HTTP 5xx from the model service."""


class LMTimeoutError(LMTransientError):
    """The request took longer than the client's timeout."""


class LMConnectionError(LMTransientError):
    """The connection could not be made or was reset."""


class LMRequestError(LMError):
    """The service refused the request or answered with something unusable; do not retry."""


class SandboxError(RecursorError):
    """The REPL worker could not be started or the pipe to it broke outside a cell."""


class BudgetExceeded(RecursorError):
    """A budget limit was reached. `limit` names it (e.g. "max_usd", "deadline")."""

    def __init__(self, limit: str, detail: str = "") -> None:
        super().__init__(f"budget limit reached: {limit}" + (f" ({detail})" if detail else ""))
        self.limit = limit
        self.detail = detail
