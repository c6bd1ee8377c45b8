"""The boundary between the loop and wherever model code runs.

The loop needs three things from a REPL: run a cell, read a variable, close. Sub-calls that
the code makes come back to the host through a `SubcallHandler`, so a REPL never holds a
model client, a key or the budget.
"""

from __future__ import annotations

import asyncio
import json
import sys
from abc import ABC, abstractmethod
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, Literal

from recursor.errors import BudgetExceeded, RecursorError
from recursor.output import MAX_SCHEMA_CHARS
from recursor.sandbox.worker import frame_tokens

__all__ = [
    "SUBCALL_FNS",
    "CellResult",
    "Repl",
    "SandboxOptions",
    "SubcallHandler",
    "SubcallRejected",
    "VarLookup",
    "check_subcall",
    "subcall_reply",
]

#: `(function name, arguments) -> value`; called for llm_query, rlm_query, their batches and
#: host tool calls ("tool_call").
SubcallHandler = Callable[[str, dict[str, Any]], Awaitable[Any]]


@dataclass(frozen=True, slots=True)
class SandboxOptions:
    """Where and under which limits model code runs. Every limit is per worker."""

    isolation: Literal["auto", "bwrap", "process", "inprocess"] = "auto"
    """auto: bubblewrap where it works, else a plain process (said once on stderr). `bwrap`
    fails rather than run with less. `inprocess` is for debugging only: no isolation at all."""
    cell_timeout: float = 300.0
    """Wall seconds a cell may compute; time spent waiting for sub-calls does not count.
    Overrunning it kills the worker (variables are lost)."""
    cpu_seconds: float | None = 300.0
    """CPU seconds a cell may use, all its threads together; None for no CPU cap. Overrunning
    it raises CPUTimeExceeded in the cell (variables are kept)."""
    memory_mb: int | None = None
    """Address-space cap; None picks 2 GiB plus 8x the context's size. Past it, allocations in
    the cell raise MemoryError."""
    max_file_mb: int = 1024
    """Largest file the cell may write (each file; the scratch directory's total is not capped)."""
    max_procs: int = 64
    """Processes and threads the worker may add (a fork loop is contained)."""
    output_limit: int = 20_000
    """Characters of a cell's printed output kept (head and tail) and shown to the model."""
    python: str | None = None
    """Interpreter that runs the worker; defaults to the host's base interpreter (outside any
    venv, so no host checkout or venv path needs to be visible to model code)."""
    max_message_mb: int = 32
    """Largest message the worker may send the host (one sub-call with its prompts and
    context, or one cell's result). Sub-calls waiting to be served may hold at most 4x this
    in host memory per worker. A worker that sends more is restarted."""

    @property
    def max_message_bytes(self) -> int:
        return self.max_message_mb << 20

    @property
    def max_pending_bytes(self) -> int:
        """Host memory that one worker's unserved sub-calls may hold (their decoded strings)."""
        return 4 * self.max_message_bytes


@dataclass(slots=True)
class CellResult:
    """What one cell did. `error` is the model's error (a traceback), never the host's."""

    stdout: str = ""
    error: str | None = None
    final: str | None = None
    final_source: str | None = None
    final_json: str | None = None
    """The answer as JSON when the REPL value was a dict, list, number, bool or None."""
    duration: float = 0.0
    stdout_total: int = 0
    restarted: bool = False
    notes: list[str] = field(default_factory=list)
    reads: list[Read] = field(default_factory=list)
    """What the cell read of the context (`cite`, the helpers, and plain reads such as slices
    and `re` searches, `readlog`): (key, start, end)."""


Read = tuple[str | int | None, int, int]
"""A read of the context: `context[start:end]`, or `context[key][start:end]` for a dict or list."""


def reads_of(value: Any, limit: int = 400) -> list[Read]:
    """The worker's `reads` field, typed: anything malformed is dropped. A cell sends at most
    200 from `cite` and the helpers and 200 plain reads (`readlog`)."""
    out: list[Read] = []
    for item in value[:limit] if isinstance(value, list) else ():
        if isinstance(item, list) and len(item) == 3:
            key, start, end = item
            if (key is None or isinstance(key, (str, int))) and not isinstance(key, bool) \
                    and type(start) is int and type(end) is int and 0 <= start < end:
                out.append((key, start, end))
    return out


@dataclass(frozen=True, slots=True)
class VarLookup:
    found: bool
    value: str = ""
    defined: tuple[str, ...] = ()
    json: str | None = None
    """The value as JSON when it is a dict, list, number, bool or None (for typed answers)."""


class Repl(ABC):
    """A persistent Python namespace holding `context` and the RLM tools."""

    @abstractmethod
    async def start(self) -> None:
        """Start the REPL and load the context. Raises SandboxError if it cannot."""

    @abstractmethod
    async def run(self, code: str) -> CellResult:
        """Run one cell. Model errors, timeouts and crashes come back in the result."""

    @abstractmethod
    async def get_var(self, name: str) -> VarLookup:
        """The text of a variable, for `FINAL_VAR(name)` written in a reply."""

    @abstractmethod
    async def close(self) -> None:
        """Stop the REPL and free what it holds."""


SUBCALL_FNS = frozenset({"llm_query", "llm_query_batched", "rlm_query", "rlm_query_batched", "tool_call"})
MAX_PROMPTS = 10_000
"""Prompts in one batched sub-call."""
_MAX_MODEL_CHARS = 200
_MAX_CHOICES = 1_000
_MAX_CHOICE_CHARS = 1_000
_ARGS: dict[str, tuple[str, ...]] = {
    "llm_query": ("prompt", "model", "choices", "schema"),
    "llm_query_batched": ("prompts", "model", "choices", "schema"),
    "rlm_query": ("prompt", "model", "context"),
    "rlm_query_batched": ("prompts", "model", "contexts"),
    "tool_call": ("name", "args", "kwargs"),
}
_MAX_TOOL_NAME = 200


class SubcallRejected(ValueError):
    """A sub-call that does not fit the schema; its message goes back to the cell."""


def check_subcall(fn: Any, args: Any) -> tuple[str, dict[str, Any], int]:
    """The one check every sub-call passes before the host acts on it, in every mode.

    Model code controls these values (in process mode it can even forge the frame), so only
    plain strings go through: a list-shaped prompt (say, OpenAI content parts with an
    image_url) is refused, never forwarded to a provider. Returns the function, its arguments
    with every key present, and the bytes their strings hold in host memory.
    """
    if not isinstance(fn, str) or fn not in SUBCALL_FNS:
        raise SubcallRejected(f"unknown sub-call {str(fn)[:60]!r}")
    if not isinstance(args, dict):
        raise SubcallRejected(f"{fn}: arguments must be a mapping, not {type(args).__name__}")
    extra = sorted(str(k)[:40] for k in args if k not in _ARGS[fn])
    if extra:
        raise SubcallRejected(f"{fn}: unexpected argument(s) {extra}")
    out: dict[str, Any] = {key: args.get(key) for key in _ARGS[fn]}
    if fn == "tool_call":
        return fn, out, _tool_call(out)
    size = 0
    if "prompt" in out:
        size += _str(out["prompt"], f"{fn}: prompt")
    else:
        prompts = out["prompts"]
        if not isinstance(prompts, list):
            raise SubcallRejected(f"{fn}: prompts must be a list of strings, not {type(prompts).__name__}")
        if len(prompts) > MAX_PROMPTS:
            raise SubcallRejected(f"{fn}: {len(prompts):,} prompts; one call takes at most {MAX_PROMPTS:,}")
        size += sum(_str(p, f"{fn}: prompts[{i}]") for i, p in enumerate(prompts)) + 8 * len(prompts)
    model = out["model"]
    if model is not None and (not isinstance(model, str) or not 0 < len(model) <= _MAX_MODEL_CHARS):
        raise SubcallRejected(f"{fn}: model must be None or a model name of at most {_MAX_MODEL_CHARS} characters")
    if "choices" in out and out["choices"] is not None:
        size += _choices(out["choices"], fn)
    if out.get("schema") is not None:
        if out.get("choices") is not None:
            raise SubcallRejected(f"{fn}: give choices or schema, not both")
        size += _schema(out["schema"], fn)
    if "context" in out:
        size += _context(out["context"], f"{fn}: context")
    if "contexts" in out and out["contexts"] is not None:
        contexts = out["contexts"]
        if not isinstance(contexts, list) or len(contexts) != len(out["prompts"]):
            raise SubcallRejected(f"{fn}: contexts must be None or a list with one entry per prompt")
        size += sum(_context(c, f"{fn}: contexts[{i}]") for i, c in enumerate(contexts))
    return fn, out, size


def _tool_call(out: dict[str, Any]) -> int:
    """A host tool call (`recursor.tools`): a name, a list and a dict of JSON values.

    The values are replaced by their JSON round trip, so every isolation mode hands the tool
    the same plain values (in-process, the cell's own objects never reach the host).
    """
    name, args, kwargs = out["name"], out["args"], out["kwargs"]
    if not isinstance(name, str) or not 0 < len(name) <= _MAX_TOOL_NAME:
        raise SubcallRejected(f"tool_call: name must be a tool's name of at most {_MAX_TOOL_NAME} characters")
    args = [] if args is None else args
    kwargs = {} if kwargs is None else kwargs
    if not isinstance(args, list) or not isinstance(kwargs, dict) or not all(isinstance(k, str) for k in kwargs):
        raise SubcallRejected(f"{name}: arguments must be a list and a dict with str keys")
    try:
        text = json.dumps([args, kwargs], ensure_ascii=False, allow_nan=False)
    except (TypeError, ValueError, RecursionError):
        raise SubcallRejected(f"{name}: arguments must be JSON (str, int, float, bool, None, list, dict)") from None
    out["args"], out["kwargs"] = json.loads(text)
    # A parsed value costs the host up to ~64 bytes beyond its text (see `frame_tokens`).
    return 2 * len(text) + 64 * frame_tokens(text.encode("utf-8", errors="surrogatepass"))


def _str(value: Any, what: str) -> int:
    if not isinstance(value, str):
        hint = " (only text prompts are supported: no content parts or images)" if isinstance(
            value, (list, dict)) else ""
        raise SubcallRejected(f"{what} must be a str, not {type(value).__name__}{hint}")
    return sys.getsizeof(value)


def _choices(choices: Any, fn: str) -> int:
    if not isinstance(choices, list) or not 0 < len(choices) <= _MAX_CHOICES:
        raise SubcallRejected(f"{fn}: choices must be None or a non-empty list of at most {_MAX_CHOICES} strings")
    size = 0
    for i, choice in enumerate(choices):
        size += _str(choice, f"{fn}: choices[{i}]")
        if len(choice) > _MAX_CHOICE_CHARS:
            raise SubcallRejected(f"{fn}: choices[{i}] is {len(choice):,} characters; the limit is {_MAX_CHOICE_CHARS:,}")
    return size


def _schema(schema: Any, fn: str) -> int:
    """A JSON Schema as a dict of at most MAX_SCHEMA_CHARS as JSON (the host checks its keywords)."""
    if not isinstance(schema, dict):
        raise SubcallRejected(f"{fn}: schema must be None or a JSON Schema dict, not {type(schema).__name__}")
    try:
        size = len(json.dumps(schema, ensure_ascii=False, separators=(",", ":")))
    except (TypeError, ValueError, RecursionError):
        raise SubcallRejected(f"{fn}: schema must be JSON") from None
    if size > MAX_SCHEMA_CHARS:
        raise SubcallRejected(f"{fn}: schema is {size:,} characters as JSON; the limit is {MAX_SCHEMA_CHARS:,}")
    return 2 * size


def _context(context: Any, what: str) -> int:
    """None, a str, a list of str or a dict of str to str: what `load_context` takes as text."""
    if context is None:
        return 0
    if isinstance(context, str):
        return sys.getsizeof(context)
    if isinstance(context, list):
        return sum(_str(v, f"{what}[{i}]") for i, v in enumerate(context)) + 8 * len(context)
    if isinstance(context, dict):
        return sum(_str(k, f"{what} key") + _str(v, f"{what}[{str(k)[:40]!r}]") + 100 for k, v in context.items())
    raise SubcallRejected(f"{what} must be None, a str, a list of str or a dict of str, not {type(context).__name__}")


async def subcall_reply(handler: SubcallHandler, fn: Any, args: Any) -> dict[str, Any]:
    """Serve one sub-call for model code: `{"value": ...}` or `{"error": message}`.

    The call is checked against the schema first (`check_subcall`), so the handler only ever
    sees well-formed arguments. Every failure becomes a message the model can read, so a
    host-side problem never leaves the cell waiting for a reply that will not come.
    """
    try:
        fn, args, _ = check_subcall(fn, args)
    except SubcallRejected as exc:
        return {"error": f"SubcallRejected: {exc}"}
    try:
        return {"value": await handler(fn, args)}
    except asyncio.CancelledError:
        raise
    except BudgetExceeded as exc:
        return {"error": f"budget exhausted ({exc.limit}): no more sub-calls can be made"}
    except RecursorError as exc:
        return {"error": f"{type(exc).__name__}: {exc}"}
    except Exception as exc:  # a host bug (or a malformed call) must not hang the cell
        return {"error": f"internal error in {fn}: {type(exc).__name__}: {exc}"}
