"""One budget for a whole recursion tree.

The root and every child draw from the same `Budget`, so "children get what is left of the
parent's budget" holds by construction, and the totals include every child. Limits on money,
tokens, calls and wall time are checked before every LM call; the deadline also bounds calls
already in flight. Iterations and consecutive errors are per run and live in the loop.
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass, field
from typing import Any

from recursor.errors import BudgetExceeded, UserError
from recursor.lm.base import Usage
from recursor.pricing import Pricing

__all__ = ["Budget", "Limits", "ModelUsage", "UsageSummary"]


@dataclass(frozen=True, slots=True)
class Limits:
    """Bounds on a run. None means unbounded."""

    max_iterations: int = 30
    """Root-model turns per run (each child run has its own count)."""
    max_depth: int = 1
    """1: only the root has a REPL and `rlm_query` is a plain LM call; 2: children get REPLs too."""
    max_usd: float | None = None
    max_tokens: int | None = None
    """Input plus output tokens over the whole tree."""
    max_calls: int | None = None
    """LM calls over the whole tree."""
    timeout: float | None = None
    """Wall-clock seconds for the whole tree, measured from the start of the root run."""
    max_errors: int = 5
    """Consecutive turns whose cells all failed, before the run is stopped."""
    max_concurrency: int = 16
    """Sub-LM calls in flight at once across the tree (batched calls share it)."""

    def __post_init__(self) -> None:
        if self.max_iterations < 1:
            raise UserError("max_iterations must be at least 1")
        if self.max_depth < 1:
            raise UserError("max_depth must be at least 1 (1 = only the root has a REPL)")
        if self.max_concurrency < 1:
            raise UserError("max_concurrency must be at least 1")
        for name in ("max_usd", "max_tokens", "max_calls", "timeout"):
            value = getattr(self, name)
            if value is not None and value <= 0:
                raise UserError(f"{name} must be positive, got {value}")


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

    def to_dict(self) -> dict[str, Any]:
        return {
            "total": asdict(self.total),
            "by_model": {k: asdict(v) for k, v in self.by_model.items()},
            "by_depth": {str(k): asdict(v) for k, v in self.by_depth.items()},
        }


class Budget:
    """Shared by every run in one tree. Single event loop, so no locking is needed."""

    def __init__(self, limits: Limits, pricing: Pricing | None = None) -> None:
        self.limits = limits
        self.pricing = pricing or Pricing()
        self.started = time.monotonic()
        self.deadline = None if limits.timeout is None else self.started + limits.timeout
        self.usage = UsageSummary()
        self._known_cost = 0.0
        self.exhausted: str | None = None

    def remaining_seconds(self) -> float | None:
        return None if self.deadline is None else self.deadline - time.monotonic()

    def check(self) -> None:
        """Raise BudgetExceeded if the tree may not make another LM call."""
        limit = self._reached()
        if limit is not None:
            self.exhausted = self.exhausted or limit
            raise BudgetExceeded(limit, self.describe(limit))

    def _reached(self) -> str | None:
        lim, total = self.limits, self.usage.total
        if self.deadline is not None and time.monotonic() >= self.deadline:
            return "timeout"
        if lim.max_usd is not None and self._known_cost >= lim.max_usd:
            return "max_usd"
        if lim.max_tokens is not None and total.tokens >= lim.max_tokens:
            return "max_tokens"
        if lim.max_calls is not None and total.calls >= lim.max_calls:
            return "max_calls"
        return None

    def describe(self, limit: str) -> str:
        total, lim = self.usage.total, self.limits
        if limit == "timeout":
            return f"{lim.timeout:g} s elapsed"
        if limit == "max_usd":
            return f"${self._known_cost:.4f} of ${lim.max_usd} spent"
        if limit == "max_tokens":
            return f"{total.tokens:,} of {lim.max_tokens:,} tokens used"
        if limit == "max_calls":
            return f"{total.calls} of {lim.max_calls} LM calls made"
        return limit

    def charge(self, model: str, depth: int, usage: Usage) -> float | None:
        """Record one call's usage; returns its cost (None if unknown)."""
        cost = self.pricing.cost(model, usage)
        self.usage.total.add(usage, cost)
        self.usage.by_model.setdefault(model, ModelUsage()).add(usage, cost)
        self.usage.by_depth.setdefault(depth, ModelUsage()).add(usage, cost)
        if cost is not None:
            self._known_cost += cost
        return cost

    @property
    def spent_usd(self) -> float:
        """Known cost so far (calls with unknown prices count as 0)."""
        return self._known_cost

    def snapshot(self) -> dict[str, Any]:
        total = self.usage.total
        return {
            "calls": total.calls,
            "input_tokens": total.input_tokens,
            "output_tokens": total.output_tokens,
            "cost_usd": round(self._known_cost, 6),
            "elapsed": round(time.monotonic() - self.started, 3),
        }
