"""What a run may spend (`Limits`) and what it spent (`UsageSummary`).

The limits are enforced by one `recursor.ledger.Ledger` per tree, which every LM call at
every depth reserves from before it is sent. Iterations and consecutive errors are per run
and live in the loop.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from typing import Any

from recursor.errors import UserError
from recursor.lm.base import Usage

__all__ = ["Limits", "ModelUsage", "UsageSummary"]


@dataclass(frozen=True, slots=True)
class Limits:
    """Bounds on a run. None means unbounded."""

    max_iterations: int = 30
    """Root-model turns per run (each child run has its own count)."""
    max_depth: int = 1
    """1: only the root has a REPL and `rlm_query` is a plain LM call; 2: children get REPLs too."""
    max_usd: float | None = None
    """Dollars over the whole tree; never exceeded (calls reserve their worst case first)."""
    max_tokens: int | None = None
    """Input plus output tokens over the whole tree; never exceeded."""
    max_calls: int | None = None
    """LM requests sent over the whole tree, each retry counted; never exceeded."""
    timeout: float | None = None
    """Wall-clock seconds for the whole tree, measured from the start of the root run; it
    cuts LM calls and cells in flight."""
    max_errors: int = 5
    """Consecutive turns whose cells all failed, before the run is stopped."""
    max_concurrency: int = 16
    """LM calls in flight at once across the whole tree, root calls of children included."""
    max_children: int = 4
    """Child runs (each with its own sandbox worker) alive at once at each depth, so at most
    1 + max_children x (max_depth - 1) workers run at once."""
    max_output_tokens: int = 16384
    """With max_tokens or max_usd set: the output cap sent with each call (smaller when the
    client's own cap is), which its reservation counts as its worst case."""
    max_tool_calls: int | None = None
    """Calls of host tools (`RLM(tools=...)`) over the whole tree; never exceeded (a call is
    counted before it is made). A call past the limit is an error in the cell."""
    tool_timeout: float | None = 300.0
    """Seconds one tool call may take, unless the tool sets its own timeout; the tree's
    deadline stops tool calls too."""

    def __post_init__(self) -> None:
        for name in ("max_iterations", "max_depth", "max_concurrency", "max_children", "max_output_tokens"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise UserError(f"{name} must be a whole number of at least 1, got {value!r}")
        for name in ("max_usd", "max_tokens", "max_calls", "timeout", "max_tool_calls", "tool_timeout"):
            value = getattr(self, name)
            if value is None:
                continue
            if isinstance(value, bool) or not isinstance(value, int | float) or not value > 0:
                raise UserError(f"{name} must be a positive number, got {value!r}")
            try:
                finite = math.isfinite(float(value))
            except OverflowError:  # an int too large for a float, e.g. 10**400
                finite = False
            if not finite:
                raise UserError(f"{name} must be finite, got {str(value)[:40]}")
        if self.max_tokens is not None and not isinstance(self.max_tokens, int):
            raise UserError(f"max_tokens must be a whole number, got {self.max_tokens!r}")
        for name in ("max_calls", "max_tool_calls"):
            if getattr(self, name) is not None and not isinstance(getattr(self, name), int):
                raise UserError(f"{name} must be a whole number, got {getattr(self, name)!r}")


@dataclass(slots=True)
class ModelUsage:
    """Counts for one model, one depth, or the total. `cost_usd` is None when a price is unknown."""

    calls: int = 0
    input_tokens: int = 0
    output_tokens: int = 0
    cost_usd: float | None = 0.0

    def add(self, usage: Usage, cost: float | None) -> None:
        self.calls += 1
        self.input_tokens += usage.input_tokens
        self.output_tokens += usage.output_tokens
        self.cost_usd = None if cost is None or self.cost_usd is None else self.cost_usd + cost

    @property
    def tokens(self) -> int:
        return self.input_tokens + self.output_tokens


@dataclass(slots=True)
class UsageSummary:
    """Usage of a whole tree, by model and by depth (0 is the root)."""

    total: ModelUsage = field(default_factory=ModelUsage)
    by_model: dict[str, ModelUsage] = field(default_factory=dict)
    by_depth: dict[int, ModelUsage] = field(default_factory=dict)

    def record(self, model: str, depth: int, usage: Usage, cost: float | None) -> None:
        """Count one answered call of `model` at `depth` (0 is the root's own calls)."""
        self.total.add(usage, cost)
        self.by_model.setdefault(model, ModelUsage()).add(usage, cost)
        self.by_depth.setdefault(depth, ModelUsage()).add(usage, cost)

    def to_dict(self) -> dict[str, Any]:
        return {
            "total": asdict(self.total),
            "by_model": {k: asdict(v) for k, v in self.by_model.items()},
            "by_depth": {str(k): asdict(v) for k, v in self.by_depth.items()},
        }
