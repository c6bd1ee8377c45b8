"""The driver loop shared by `batch --ray` and `bench --ray`: run items as Ray tasks, at most
`parallel` at once, run again an item whose worker or node died, and honour Ctrl-C.

- Ray itself never retries a task (`max_retries=0` on the caller's side): when an attempt's
  worker process or node dies (`WorkerCrashedError`, `NodeDiedError`, `OutOfMemoryError`, ...)
  the loop calls `lost(item, attempt)` (a batch charges that attempt's open holds in full) and
  submits the item again, up to `retries` times; then `failed` gets the reason.
- Results are taken as they finish (`ray.wait`), so each is handed to `finished` at once.
- `tick()` runs every loop (at least five times a second): it renews leases and returns a reason to
  start no further item (a spent budget), or None.
- Ctrl-C once: no new item starts, running ones finish (one whose worker dies then is left
  for a rerun). Twice: running ones are cancelled (`ray.cancel(force=True)`); they are counted
  in `summary.cancelled` and not handed over.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from recursor.batch.common import BatchSummary, Interrupts, Progress

__all__ = ["run_pool"]

T = TypeVar("T")


def run_pool(items: Sequence[T], submit: Callable[[T, int], Any], *, name: Callable[[T], str], parallel: int,
             retries: int, summary: BatchSummary, progress: Progress,
             finished: Callable[[T, int, Any, list[str]], None],
             failed: Callable[[T, int, str, list[str]], None],
             lost: Callable[[T, int], None] = lambda item, attempt: None,
             tick: Callable[[], str | None] = lambda: None) -> None:
    """Run every item; `finished(item, attempt, value, retried)` or `failed(item, attempt,
    error, retried)` is called once per item that ran to an end. Items never started are
    counted in `summary.not_started`."""
    import ray
    from ray import exceptions as rex

    dead = (rex.WorkerCrashedError, rex.NodeDiedError, rex.OutOfMemoryError, rex.ObjectLostError,
            rex.LocalRayletDiedError)
    pending = [(item, 1) for item in reversed(items)]
    running: dict[Any, tuple[T, int]] = {}
    retried: dict[str, list[str]] = {}
    cancelled: set[Any] = set()

    def cancel_running() -> None:
        for ref in list(running):
            cancelled.add(ref)
            ray.cancel(ref, force=True)

    try:
        with Interrupts(progress) as interrupts:
            interrupts.on_second = cancel_running
            while pending or running:
                stop = summary.stop_reason or tick()
                if stop and not summary.stop_reason:
                    summary.stop_reason = stop
                    progress.note(f"{stop}: no new jobs start")
                while pending and len(running) < parallel and not interrupts.count and not stop:
                    item, attempt = pending.pop()
                    running[submit(item, attempt)] = (item, attempt)
                if not running:
                    break
                # Short: Python runs a Ctrl-C handler only once `ray.wait` returns.
                ready, _ = ray.wait(list(running), num_returns=1, timeout=0.2)
                for ref in ready:
                    item, attempt = running.pop(ref)
                    key = name(item)
                    try:
                        value = ray.get(ref)
                    except (rex.TaskCancelledError, *dead) as exc:
                        lost(item, attempt)
                        if ref in cancelled or isinstance(exc, rex.TaskCancelledError):
                            summary.cancelled += 1
                            continue
                        kind = type(exc).__name__
                        retried.setdefault(key, []).append(f"attempt {attempt}: {kind}")
                        if interrupts.count:  # not run again now; a rerun runs it
                            pending.append((item, attempt + 1))
                            continue
                        if attempt <= retries:
                            summary.retried += 1
                            progress.note(f"job {key}: its worker died ({kind}); running it again")
                            pending.append((item, attempt + 1))
                            continue
                        first = str(exc).splitlines()[0] if str(exc) else ""
                        failed(item, attempt, f"its worker died on every attempt ({kind}: {first})",
                               retried.get(key, []))
                    except rex.RayTaskError as exc:  # the task body raised: a bug, reported as this item's error
                        failed(item, attempt, f"task error: {_task_error(exc)}", retried.get(key, []))
                    else:
                        finished(item, attempt, value, retried.get(key, []))
    finally:
        summary.not_started = len(pending)


def _task_error(exc: Exception) -> str:
    """What the task raised, without Ray's wrapping (a colored banner and the remote traceback)."""
    cause = getattr(exc, "cause", None)
    if isinstance(cause, BaseException):
        return f"{type(cause).__name__}: {cause}"
    return re.sub(r"\x1b\[[0-9;]*m", "", str(exc))
