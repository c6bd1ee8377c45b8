"""Run a batch on a Ray cluster: each job is a Ray task, the budget and the rate limiter are actors.

- A job is a task declaring `num_cpus` (its sandbox worker) and `memory` (scheduling only:
  Ray does not enforce it). Ray itself never retries it (`max_retries=0`): when its worker
  process or node dies, this driver runs it again, up to `job_retries` times, and its OUT row
  says so (`attempts`, `retried`). Its budget holds from the dead attempt are charged in full
  first (the requests may have been billed); what that attempt settled stays spent.
- `BatchBudget` and `RateLimiter` (`recursor.batch.shared`) run as async actors, one of each per
  batch; every LM call of every job on every node reserves from the first and takes its send
  time from the second: two round trips to actors per call (three with a budget and a 429).
  The limiter's success report is sent without waiting for it.
- Results are taken as they finish (`ray.wait`), at most `parallel` tasks are submitted at once.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

from recursor.batch.common import (
    BatchConfig,
    BatchSummary,
    Interrupts,
    Progress,
    budget_spent,
    record,
)
from recursor.batch.jobs import Job, OutFile
from recursor.batch.shared import BatchBudget, RateLimiter, Reservation
from recursor.errors import UserError
from recursor.pricing import Price

__all__ = ["RayBudget", "RayLimiter", "run_on_ray"]


class RayBudget:
    """A `BudgetClient` that forwards to the budget actor."""

    def __init__(self, handle: Any) -> None:
        self.handle = handle

    async def reserve(self, owner: str, key: str, input_tokens: int, price: Price | None,
                      cap: int | None) -> Reservation:
        reply: Reservation = await self.handle.reserve.remote(owner, key, input_tokens, price, cap)
        return reply

    async def settle(self, key: str, input_tokens: int, output_tokens: int, reported: float | None,
                     cost: float | None) -> None:
        await self.handle.settle.remote(key, input_tokens, output_tokens, reported, cost)

    async def close(self, key: str, how: str) -> None:
        await self.handle.close.remote(key, how)


class RayLimiter:
    """A `LimiterClient` that forwards to the limiter actor."""

    def __init__(self, handle: Any) -> None:
        self.handle = handle

    async def acquire(self, model: str, tokens: int) -> float:
        at: float = await self.handle.acquire_at.remote(model, tokens)
        return max(0.0, at - time.time())

    async def done(self, model: str, estimated: int, actual: int | None, throttled: bool = False,
                   retry_after: float | None = None) -> None:
        ref = self.handle.done.remote(model, estimated, actual, throttled, retry_after)
        if throttled:  # the slow-down must be in place before this caller's retry asks again
            await ref


def _job_task(job_data: dict[str, Any], opts: dict[str, Any], api_key_env: str | None, budget: Any,
              limiter: Any, attempt: int, crash: bool) -> dict[str, Any]:
    """The body of one job's Ray task."""
    import os

    import ray

    from recursor.batch.run_job import run_job

    if crash and attempt == 1:
        os._exit(1)  # test hook: the worker dies as an OOM kill or a lost node would end it
    job = Job.from_dict(job_data)
    node = ray.get_runtime_context().get_node_id()
    return asyncio.run(run_job(
        job, opts, api_key_env=api_key_env, owner=f"{job.id}#{attempt}",
        budget=RayBudget(budget) if budget is not None else None, limiter=RayLimiter(limiter), node=node))


def _connect(address: str) -> None:
    import ray

    if ray.is_initialized():
        return
    if address == "auto":
        try:
            ray.init(address="auto", include_dashboard=False, log_to_driver=False)
        except ConnectionError:  # no cluster running here: start one on this machine
            ray.init(include_dashboard=False, log_to_driver=False)
    else:
        ray.init(address=address, log_to_driver=False)


def run_on_ray(config: BatchConfig, jobs: list[Job], out: OutFile, summary: BatchSummary,
               progress: Progress) -> None:
    try:
        import ray
        from ray import exceptions as rex
    except ImportError:
        raise UserError("--ray needs Ray: pip install 'recursor[ray]'") from None
    _connect(config.ray or "auto")
    lost = (rex.WorkerCrashedError, rex.NodeDiedError, rex.OutOfMemoryError, rex.ObjectLostError,
            rex.LocalRayletDiedError)
    budget: Any = None
    if config.max_usd_total is not None or config.max_tokens_total is not None:
        budget = ray.remote(BatchBudget).options(num_cpus=0, max_concurrency=10_000).remote(
            max_usd=config.max_usd_total, max_tokens=config.max_tokens_total,
            max_output_tokens=config.opts["max_output_tokens"])
    limiter: Any = ray.remote(RateLimiter).options(num_cpus=0, max_concurrency=10_000).remote(
        rpm=config.rpm, tpm=config.tpm)
    task = ray.remote(_job_task).options(
        num_cpus=config.job_cpus, memory=config.job_memory_mb * 1024 * 1024, max_retries=0)
    parallel = config.parallel or max(1, int(2 * ray.cluster_resources().get("CPU", 1)))
    opts_ref = ray.put(config.opts)
    pending = list(reversed([(job, 1) for job in jobs]))
    running: dict[Any, tuple[Job, int]] = {}
    retried: dict[str, list[str]] = {}
    cancelled: set[Any] = set()

    def submit(job: Job, attempt: int) -> None:
        ref = task.remote(job.to_dict(), opts_ref, config.api_key_env, budget, limiter, attempt,
                          job.id in config.crash_once)
        running[ref] = (job, attempt)

    def cancel_running() -> None:
        for ref in list(running):
            cancelled.add(ref)
            ray.cancel(ref, force=True)

    try:
        with Interrupts(progress) as interrupts:
            interrupts.on_second = cancel_running
            while pending or running:
                stop = summary.stop_reason or (budget_spent(ray.get(budget.snapshot.remote())) if budget else None)
                if stop and not summary.stop_reason:
                    summary.stop_reason = stop
                    progress.note(f"{stop}: no new jobs start")
                while pending and len(running) < parallel and not interrupts.count and not stop:
                    submit(*pending.pop())
                if not running:
                    break
                ready, _ = ray.wait(list(running), num_returns=1, timeout=0.5)
                for ref in ready:
                    job, attempt = running.pop(ref)
                    try:
                        row = ray.get(ref)
                    except (rex.TaskCancelledError, *lost) as exc:
                        if budget is not None:
                            ray.get(budget.abandon.remote(f"{job.id}#{attempt}"))
                        if ref in cancelled or isinstance(exc, rex.TaskCancelledError):
                            summary.cancelled += 1
                            continue
                        reason = f"attempt {attempt}: {type(exc).__name__}"
                        retried.setdefault(job.id, []).append(reason)
                        if attempt <= config.job_retries and not interrupts.count:
                            summary.retried += 1
                            progress.note(f"job {job.id}: its worker died ({type(exc).__name__}); running it again")
                            pending.append((job, attempt + 1))
                            continue
                        row = {"id": job.id, "answer": None, "stopped_by": None, "usage": None, "cost_usd": None,
                               "trace_path": None, "node": None,
                               "error": f"its worker died on every attempt ({type(exc).__name__}: "
                                        f"{str(exc).splitlines()[0] if str(exc) else ''})"}
                    except rex.RayTaskError as exc:  # run_job catches job errors: this is a bug
                        row = {"id": job.id, "answer": None, "stopped_by": None, "usage": None, "cost_usd": None,
                               "trace_path": None, "node": None, "error": f"task error: {exc}"}
                    row["attempts"] = attempt
                    if job.id in retried:
                        row["retried"] = retried[job.id]
                    record(summary, progress, out, row)
    finally:
        summary.not_started = len(pending)
        if budget is not None:
            try:
                summary.budget = ray.get(budget.snapshot.remote(), timeout=10)
            finally:
                ray.kill(budget)
        ray.kill(limiter)
