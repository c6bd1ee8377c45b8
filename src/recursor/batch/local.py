"""Run a batch in this process: up to `parallel` jobs at once on one event loop (each job's
REPL is its own sandbox worker process), sharing one `BatchBudget` and one `RateLimiter`."""

from __future__ import annotations

import asyncio

from recursor.batch.common import (
    BatchConfig,
    BatchSummary,
    Interrupts,
    Progress,
    budget_spent,
    new_budget,
    new_limiter,
    record,
)
from recursor.batch.jobs import Job, OutFile
from recursor.batch.run_job import run_job

__all__ = ["run_local"]

DEFAULT_PARALLEL = 4


async def run_local(config: BatchConfig, jobs: list[Job], out: OutFile, summary: BatchSummary,
                    progress: Progress) -> None:
    budget = new_budget(config)
    limiter = new_limiter(config)
    parallel = config.parallel or DEFAULT_PARALLEL
    pending = list(reversed(jobs))
    running: dict[asyncio.Task[dict], Job] = {}
    loop = asyncio.get_running_loop()

    def cancel_running() -> None:
        for task in running:
            loop.call_soon_threadsafe(task.cancel)

    with Interrupts(progress) as interrupts:
        interrupts.on_second = cancel_running
        while pending or running:
            stop = summary.stop_reason or (budget_spent(await budget.snapshot()) if budget else None)
            if stop and not summary.stop_reason:
                summary.stop_reason = stop
                progress.note(f"{stop}: no new jobs start")
            while pending and len(running) < parallel and not interrupts.count and not stop:
                job = pending.pop()
                task = asyncio.create_task(run_job(job, config.opts, api_key_env=config.api_key_env,
                                                   owner=f"{job.id}#1", budget=budget, limiter=limiter))
                running[task] = job
            if not running:
                break
            finished, _ = await asyncio.wait(running, timeout=0.5, return_when=asyncio.FIRST_COMPLETED)
            for task in finished:
                running.pop(task)
                if task.cancelled():
                    summary.cancelled += 1
                    continue
                exc = task.exception()
                if exc is not None:  # run_job catches everything else; this is a bug, not a job's failure
                    raise exc
                record(summary, progress, out, task.result())
    summary.not_started = len(pending)
    if budget is not None:
        summary.budget = await budget.snapshot()
