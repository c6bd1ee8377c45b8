"""`recursor bench ... --ray`: each (task, method) a Ray task with declared resources, run by the
batch driver loop (`recursor.batch.ray_pool`: bounded retries of dead workers, Ctrl-C), with
results written as the local runner writes them (`recursor.bench.runner`).

A task's context can be 40 MB, so it is not shipped: the worker rebuilds it from (family,
length, seed, index), as every family makes the same task from the same arguments. The
models are rebuilt in the worker from their specs too (a built client holds its API key,
which would otherwise travel through the object store); workers read the key from their own
environment. `realdocs` reads files of the machine it runs on: on a multi-node cluster its
tasks are each node's.
"""

from __future__ import annotations

import asyncio
import dataclasses
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from recursor.batch.common import BatchSummary, Progress
from recursor.batch.ray_cluster import connect, require_ray
from recursor.bench.runner import BenchConfig, TaskResult, append_result, check_config, done_keys
from recursor.lm.base import LM

__all__ = ["BenchModels", "RayOptions", "run_bench_on_ray"]


@dataclass(frozen=True, slots=True)
class BenchModels:
    """The bench's models as flags, rebuilt where the task runs."""

    model: str | None
    sub_model: str | None = None
    base_url: str | None = None

    def build(self) -> tuple[LM, LM | None]:
        from recursor.cli_options import build_lm

        def one(spec: str | None) -> LM:
            return build_lm(spec, base_url=self.base_url, api_key_env=None, retries=None)

        return one(self.model), one(self.sub_model) if self.sub_model else None


@dataclass(frozen=True, slots=True)
class RayOptions:
    address: str | None = "auto"
    job_cpus: float = 1.0
    job_memory_mb: int = 1024
    job_retries: int = 2
    parallel: int | None = None
    """Tasks at once; None: twice the cluster's CPUs."""


@dataclass(frozen=True, slots=True)
class _Item:
    task_id: str
    length_tokens: int
    index: int
    method: str


def _settings(cfg: BenchConfig) -> dict[str, Any]:
    """`cfg` without its built models."""
    return {f.name: getattr(cfg, f.name) for f in dataclasses.fields(cfg) if f.name not in ("root", "sub")}


def _make_task(family: str, item: _Item, seed: int) -> Any:
    from recursor.bench.tasks import TASK_FAMILIES

    return TASK_FAMILIES[family](length_tokens=item.length_tokens, seed=seed, index=item.index)


def _bench_task(settings: dict[str, Any], models: BenchModels, item: _Item) -> TaskResult:
    """The body of one (task, method)'s Ray task."""
    from recursor.bench.runner import run_task

    async def go() -> TaskResult:
        root, sub = models.build()  # in this loop: a client belongs to the loop it first ran on
        cfg = BenchConfig(**settings, root=root, sub=sub)
        try:
            return await run_task(cfg, _make_task(cfg.family, item, cfg.seed), item.method)
        finally:
            for lm in (root, sub):
                if lm is not None:
                    await lm.aclose()

    return asyncio.run(go())


def _failed(cfg: BenchConfig, item: _Item, error: str) -> TaskResult:
    task = _make_task(cfg.family, item, cfg.seed)
    return TaskResult(task_id=item.task_id, family=cfg.family, length_tokens=item.length_tokens,
                      method=item.method, score=0.0, answer="", gold=task.gold.answer, stopped_by="error",
                      calls=0, input_tokens=0, output_tokens=0, cost_usd=None, seconds=0.0, error=error)


def run_bench_on_ray(cfg: BenchConfig, models: BenchModels, options: RayOptions, *,
                     on_result: Callable[[TaskResult], None] | None = None) -> list[TaskResult]:
    """Run every (task, method) not yet in `cfg.out` on the cluster; each result is appended to
    `cfg.out` as it finishes, in the local runner's format."""
    from recursor.batch.ray_pool import run_pool
    from recursor.bench._task import task_id

    check_config(cfg)
    ray = require_ray()
    connect(options.address)
    done = done_keys(cfg.out)
    items = [_Item(task_id(cfg.family, length_tokens=length, seed=cfg.seed, index=i), length, i, method)
             for length in cfg.lengths for i in range(cfg.n) for method in cfg.methods]
    items = [it for it in items if (it.task_id, it.method) not in done]
    cfg.out.parent.mkdir(parents=True, exist_ok=True)
    task = ray.remote(_bench_task).options(num_cpus=options.job_cpus, memory=options.job_memory_mb * 1024 * 1024,
                                           max_retries=0)
    parallel = options.parallel or max(1, int(2 * ray.cluster_resources().get("CPU", 1)))
    settings = ray.put(_settings(cfg))
    summary = BatchSummary(total=len(items))
    progress = Progress(summary, sys.stderr)
    results: list[TaskResult] = []

    def finished(item: _Item, attempt: int, res: TaskResult, retried: list[str]) -> None:
        append_result(cfg.out, res)
        results.append(res)
        if on_result is not None:
            on_result(res)

    def failed(item: _Item, attempt: int, error: str, retried: list[str]) -> None:
        finished(item, attempt, _failed(cfg, item, error), retried)

    run_pool(items, lambda item, attempt: task.remote(settings, models, item),
             name=lambda item: f"{item.task_id}/{item.method}", parallel=parallel, retries=options.job_retries,
             summary=summary, progress=progress, finished=finished, failed=failed)
    if summary.not_started:
        progress.note(f"{summary.not_started} task(s) not started (interrupted); rerun the same command to run them")
    return results
