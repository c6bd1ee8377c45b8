"""What both servers (`recursor serve`, `recursor mcp`) do alike for each request.

A request may only LOWER the server's limits; each request runs on its own shallow copy of the
served `RLM`; an error shown to a client has its secrets redacted. Defined once here, below
both servers, so the MCP server does not import the HTTP app (and its Starlette-facing code)
for three small functions, and the two can never drift apart on what "lower" or "secret" means.
"""

from __future__ import annotations

import copy
import dataclasses
import os
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from recursor.budget import Limits

if TYPE_CHECKING:
    from recursor.rlm import RLM

__all__ = ["WHOLE_LIMITS", "lowered_limits", "redact", "request_run"]

WHOLE_LIMITS = ("max_iterations", "max_tokens", "max_calls")
"""Limits that count whole things: a requested value is truncated to an int."""
_SECRET_RE = re.compile(r"(?i)(bearer\s+|\bsk-|api[_-]?key[\"'=: ]+)[A-Za-z0-9_\-\.]{6,}")


def lowered_limits(base: Limits, wanted: dict[str, float]) -> Limits:
    """`base` with each requested limit applied only where it is lower (None = unbounded)."""
    changes: dict[str, Any] = {}
    for name, value in wanted.items():
        current = getattr(base, name)
        if current is None or value < current:
            changes[name] = int(value) if name in WHOLE_LIMITS else float(value)
    return dataclasses.replace(base, **changes) if changes else base


def redact(text: str) -> str:
    """Remove anything that looks like a credential, including every *_KEY env value we hold."""
    for var, value in os.environ.items():
        if len(value) >= 8 and (var.endswith("_KEY") or var.endswith("_TOKEN")) and value in text:
            text = text.replace(value, "[redacted]")
    return _SECRET_RE.sub(lambda m: m.group(1) + "[redacted]", text)


def request_run(rlm: RLM, wanted: dict[str, float],
                on_event: Callable[[dict[str, Any]], None] | None = None) -> RLM:
    """A copy of `rlm` for one request: its lowered limits, and `on_event` after the RLM's own hook.

    A shallow copy shares the LM clients and sandbox options but gets this request's limits
    and event hook, so concurrent requests never see each other's settings.
    """
    run = copy.copy(rlm)
    run.limits = lowered_limits(rlm.limits, wanted)
    if on_event is not None:
        outer = rlm.on_event

        def hook(record: dict[str, Any]) -> None:
            if outer is not None:
                outer(record)
            on_event(record)

        run.on_event = hook
    return run
