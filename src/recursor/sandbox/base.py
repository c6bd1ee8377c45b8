"""The boundary between the loop and wherever model code runs.

The loop needs three things from a REPL: run a cell, read a variable, close. Sub-calls that
the code makes come back to the host through a `SubcallHandler`, so a REPL never holds a
model client, a key or the budget.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, Literal

__all__ = ["CellResult", "Repl", "SandboxOptions", "SubcallHandler", "VarLookup"]

#: `(function name, arguments) -> value`; called for llm_query, rlm_query and their batches.
SubcallHandler = Callable[[str, dict[str, Any]], Awaitable[Any]]


@dataclass(frozen=True, slots=True)
class SandboxOptions:
    """Where and under which limits model code runs. Every limit is per worker."""

    isolation: Literal["auto", "bwrap", "process", "inprocess"] = "auto"
    """auto: bubblewrap where it works, else a plain process. `inprocess` is for debugging only."""
    cell_timeout: float = 300.0
    """Wall seconds a cell may compute; time spent waiting for sub-calls does not count."""
    memory_mb: int | None = None
    """Address-space cap; None picks 2 GiB plus 8x the context's size."""
    max_file_mb: int = 1024
    """Largest file the cell may write."""
    max_procs: int = 64
    """Processes the worker may have (a fork loop is contained)."""
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
