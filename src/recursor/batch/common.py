"""What the batch runners share: the batch's settings, its counts, the progress line, Ctrl-C
handling, and writing a finished job's row."""

from __future__ import annotations

import signal
import sys
import threading
import time
from dataclasses import dataclass, field
from typing import Any, TextIO

from recursor.batch.jobs import BadLine, OutFile
from recursor.batch.shared import BatchBudget, RateLimiter
from recursor.termsafe import for_terminal

__all__ = ["BatchConfig", "BatchSummary", "Interrupts", "Progress", "budget_spent", "new_budget", "new_limiter",
           "record"]


@dataclass(slots=True)
class BatchConfig:
    """A batch: the `ask` flags (`opts`) plus what the whole batch shares."""

    opts: dict[str, Any]
    api_key_env: str | None = None
    parallel: int | None = None
    """Jobs running at once (local default 4; on Ray, twice the cluster's CPUs)."""
    max_usd_total: float | None = None
    max_tokens_total: int | None = None
    rpm: float | None = None
    tpm: float | None = None
    strict: bool = False
    retry_failed: bool = False
    ray: str | None = None
    """None: run locally; "auto" or a cluster address: run each job as a Ray task."""
    ledger: str = "default"
    """Ray: the cluster's named ledger (budget and rate limits) this batch shares (`recursor.batch.ray_ledger`)."""
    job_retries: int = 2
    """Ray: times a job whose worker or node died is run again."""
    job_cpus: float = 1.0
    job_memory_mb: int = 1024
    crash_once: frozenset[str] = frozenset()
    """Test hook (Ray): these job ids' first attempts kill their worker process."""


@dataclass(slots=True)
class BatchSummary:
    total: int = 0
    skipped: int = 0
    done: int = 0
    failed: int = 0
    retried: int = 0
    not_started: int = 0
    cancelled: int = 0
    bad_lines: list[BadLine] = field(default_factory=list)
    spend_usd: float = 0.0
    seconds: float = 0.0
    budget: dict[str, Any] | None = None
    stop_reason: str | None = None
    interrupted: bool = False
    """Ctrl-C ended the batch early (`recursor batch` then exits 130, as an interrupted command does)."""


class Progress:
    """`batch: done 12/40, failed 1, $0.4210, 6.3 jobs/min`: redrawn on a terminal, else a line
    at most every `every` seconds (and a last one)."""

    def __init__(self, summary: BatchSummary, stream: TextIO | None = None, every: float = 5.0) -> None:
        self.summary = summary
        self.stream = stream or sys.stderr
        self.live = bool(getattr(self.stream, "isatty", lambda: False)())
        self.every = every
        self.started = time.monotonic()
        self._last = 0.0

    def line(self) -> str:
        s = self.summary
        minutes = max(time.monotonic() - self.started, 1e-9) / 60
        todo = s.total - s.skipped
        extra = f", retried {s.retried}" if s.retried else ""
        return (f"batch: done {s.done}/{todo}, failed {s.failed}{extra}, ${s.spend_usd:.4f}, "
                f"{(s.done + s.failed) / minutes:.1f} jobs/min")

    def update(self, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self._last < (0.2 if self.live else self.every):
            return
        self._last = now
        text = for_terminal(self.line())
        self.stream.write(("\r\x1b[2K" + text) if self.live else text + "\n")
        self.stream.flush()

    def note(self, message: str) -> None:
        if self.live:
            self.stream.write("\r\x1b[2K")
        self.stream.write(for_terminal(f"recursor: {message}") + "\n")
        self.stream.flush()

    def close(self) -> None:
        self.update(force=True)
        if self.live:
            self.stream.write("\n")
            self.stream.flush()


class Interrupts:
    """Counts Ctrl-C presses during a batch instead of dying on the first: once, no new job
    starts; twice, `on_second` cancels the running ones; a third press is a plain
    KeyboardInterrupt (for a run that does not end when cancelled). OUT stays whole lines."""

    def __init__(self, progress: Progress) -> None:
        self.count = 0
        self.progress = progress
        self._previous: Any = None
        self.on_second: Any = None

    def __enter__(self) -> Interrupts:
        if threading.current_thread() is threading.main_thread():
            self._previous = signal.signal(signal.SIGINT, self._handle)
        return self

    def __exit__(self, *exc: object) -> None:
        if self._previous is not None:
            signal.signal(signal.SIGINT, self._previous)

    def _handle(self, signum: int, frame: Any) -> None:
        self.count += 1
        self.progress.summary.interrupted = True
        if self.count == 1:
            self.progress.note("interrupted: no new jobs start; Ctrl-C again cancels the running ones")
        elif self.count == 2:
            self.progress.note("cancelling the running jobs")
            if self.on_second is not None:
                self.on_second()
        else:
            raise KeyboardInterrupt


def new_budget(config: BatchConfig) -> BatchBudget | None:
    if config.max_usd_total is None and config.max_tokens_total is None:
        return None
    return BatchBudget(max_usd=config.max_usd_total, max_tokens=config.max_tokens_total,
                       max_output_tokens=config.opts["max_output_tokens"])


def new_limiter(config: BatchConfig) -> RateLimiter:
    return RateLimiter(rpm=config.rpm, tpm=config.tpm)


def record(summary: BatchSummary, progress: Progress, out: OutFile, row: dict[str, Any]) -> None:
    """Write one finished job's row and count it."""
    out.append(row)
    if row.get("error"):
        summary.failed += 1
    else:
        summary.done += 1
    summary.spend_usd += row.get("cost_usd") or 0.0
    progress.update()


def budget_spent(snapshot: dict[str, Any] | None) -> str | None:
    """Why no further job should start: the batch budget refused a call."""
    if snapshot and snapshot.get("exhausted"):
        return f"the batch budget is spent ({snapshot['exhausted']}_total)"
    return None
