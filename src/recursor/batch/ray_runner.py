"""Run a batch on a Ray cluster: each job is a Ray task; the budget and the rate limiter are the
cluster's named ledger (`recursor.batch.ray_ledger`), shared with whatever else on the cluster
uses the same `--ledger`.

- A job is a task declaring `num_cpus` (its sandbox worker) and `memory` (scheduling only:
  Ray does not enforce it). A job whose worker or node died runs again, up to `job_retries`
  times (`recursor.batch.ray_pool`), and its OUT row says so (`attempts`, `retried`). Its
  budget holds from the dead attempt are charged in full first (the requests may have been
  billed); what that attempt settled stays spent.
- Every LM call of every job on every node reserves from the ledger's budget actor (when it
  has a total) and takes its send time from its limiter actor: two or three round trips to
  actors per call. The limiter's success report is sent without waiting for it.
"""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

from recursor.batch.common import BatchConfig, BatchSummary, Progress, budget_spent, record
from recursor.batch.jobs import Job, OutFile
from recursor.batch.ray_cluster import connect, require_ray
from recursor.batch.ray_ledger import ClusterLedger, LedgerSpec, RayBudget, RayLimiter

__all__ = ["job_options", "ledger_spec", "run_on_ray"]


def _job_task(job_data: dict[str, Any], opts: dict[str, Any], api_key_env: str | None, budget: Any,
              limiter: Any, owner: str, attempt: int, crash: bool) -> dict[str, Any]:
    """The body of one job's Ray task."""
    import os

    import ray

    from recursor.batch.run_job import run_job

    if crash and attempt == 1:
        os._exit(1)  # test hook: the worker dies as an OOM kill or a lost node would end it
    job = Job.from_dict(job_data)
    node = ray.get_runtime_context().get_node_id()
    return asyncio.run(run_job(
        job, opts, api_key_env=api_key_env, owner=owner,
        budget=RayBudget(budget) if budget is not None else None, limiter=RayLimiter(limiter), node=node))


def ledger_spec(config: BatchConfig) -> LedgerSpec:
    return LedgerSpec(max_usd=config.max_usd_total, max_tokens=config.max_tokens_total, rpm=config.rpm,
                      tpm=config.tpm)


def job_options(config: BatchConfig) -> dict[str, Any]:
    """The Ray task options of one job: its declared resources, and no retry by Ray itself."""
    return {"num_cpus": config.job_cpus, "memory": config.job_memory_mb * 1024 * 1024, "max_retries": 0}


def run_on_ray(config: BatchConfig, jobs: list[Job], out: OutFile, summary: BatchSummary,
               progress: Progress) -> None:
    from recursor.batch.ray_pool import run_pool

    ray = require_ray()
    connect(config.ray)
    user = f"batch-{uuid.uuid4().hex[:12]}"
    ledger = ClusterLedger(config.ledger, ledger_spec(config), user)
    try:  # the lease renews itself until leave(): leave on any failure from here on
        if ledger.shared_with:
            progress.note(f"sharing the cluster ledger {config.ledger!r} ({ledger.spec.describe()}) "
                          f"with {ledger.shared_with} other command(s)")
        task = ray.remote(_job_task).options(**job_options(config))
        parallel = config.parallel or max(1, int(2 * ray.cluster_resources().get("CPU", 1)))
        opts_ref = ray.put(config.opts)
    except BaseException:
        ledger.leave()
        raise

    def owner(job: Job, attempt: int) -> str:
        return f"{user}/{job.id}#{attempt}"

    def submit(job: Job, attempt: int) -> Any:
        return task.remote(job.to_dict(), opts_ref, config.api_key_env, ledger.budget, ledger.limiter,
                           owner(job, attempt), attempt, job.id in config.crash_once)

    def write(row: dict[str, Any], attempt: int, retried: list[str]) -> None:
        row["attempts"] = attempt
        if retried:
            row["retried"] = retried
        record(summary, progress, out, row)

    def failed(job: Job, attempt: int, error: str, retried: list[str]) -> None:
        write({"id": job.id, "answer": None, "stopped_by": None, "usage": None, "cost_usd": None,
               "trace_path": None, "node": None, "error": error}, attempt, retried)

    def tick() -> str | None:
        ledger.beat()
        return budget_spent(ledger.snapshot())

    try:
        run_pool(jobs, submit, name=lambda job: job.id, parallel=parallel, retries=config.job_retries,
                 summary=summary, progress=progress,
                 finished=lambda job, attempt, row, retried: write(row, attempt, retried),
                 failed=failed, lost=lambda job, attempt: ledger.abandon(owner(job, attempt)), tick=tick)
    finally:
        try:
            summary.budget = ledger.snapshot(timeout=10)
        finally:
            ledger.leave()
