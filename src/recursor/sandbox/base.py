"""The boundary between the loop and wherever model code runs.

The loop needs three things from a REPL: run a cell, read a variable, close. Sub-calls that
the code makes come back to the host through a `SubcallHandler`, so a REPL never holds a
model client, a key or the budget.
"""

from __future__ import annotations

import asyncio
from abc import ABC, abstractmethod
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, Literal

from recursor.errors import BudgetExceeded, RecursorError

__all__ = ["CellResult", "Repl", "SandboxOptions", "SubcallHandler", "VarLookup", "subcall_reply"]

#: `(function name, arguments) -> value`; called for llm_query, rlm_query and their batches.
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
    """Interpreter that runs the worker; defaults to the host's."""


@dataclass(slots=True)
class CellResult:
    """What one cell did. `error` is the model's error (a traceback), never the host's."""

    stdout: str = ""
    error: str | None = None
    final: str | None = None
    final_source: str | None = None
    duration: float = 0.0
    stdout_total: int = 0
    restarted: bool = False
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class VarLookup:
    found: bool
    value: str = ""
    defined: tuple[str, ...] = ()


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


async def subcall_reply(handler: SubcallHandler, fn: str, args: dict[str, Any]) -> dict[str, Any]:
    """Serve one sub-call for model code: `{"value": ...}` or `{"error": message}`.

    Every failure becomes a message the model can read, so a host-side problem never leaves
    the cell waiting for a reply that will not come.
    """
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
