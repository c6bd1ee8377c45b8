"""What a run returns: `Result`, and `StopReason`, why it ended."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from recursor.budget import UsageSummary
from recursor.profiles import Mode

__all__ = ["Result", "StopReason"]

StopReason = Literal[
    "final", "max_iterations", "max_errors", "max_usd", "max_tokens", "max_calls", "timeout", "lm_error",
    "invalid_output",
]
"""Why a run ended: "final" when the model answered; a limit's name; "lm_error" when the model
service failed; "invalid_output" when a typed answer was still invalid after its retries."""


@dataclass(frozen=True, slots=True)
class Result:
    """The outcome of one `complete` call, children included."""

    answer: str
    stopped_by: StopReason
    """"final" when the model answered; otherwise the limit or failure that ended the run."""
    usage: UsageSummary
    wall_time: float
    iterations: int
    trace_path: Path | None
    error: str | None = None
    """Set when stopped_by is "lm_error": what the model service said."""
    mode: Mode = "rlm"
    """"rlm", or "direct" when the question was answered with one direct call (see `RLM(mode=)`)."""
    output: Any = None
    """With `output_type`: the validated value (then `answer` is its JSON), else None."""
    evidence: list[dict[str, Any]] = field(default_factory=list)
    """What the run read of `context` that supports the answer, best first (`recursor.evidence`):
    {"key": a dict context's path (a list's index; None for a str), "start", "end" (characters of
    that text), "line_start", "line_end" (1-based), "text": an excerpt}. Reads are logged by
    `cite(start, end, key=None)`, the REPL helpers `grep` and `lines`, and plain reads of the
    context in model code (slices, `find`, `split`, `re` searches: `sandbox/readlog.py`)."""

    @property
    def cost_usd(self) -> float | None:
        return self.usage.total.cost_usd
