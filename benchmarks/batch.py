"""Batch benchmarks: `recursor batch --ray` throughput, and what the shared actors cost per call.

    PYTHONPATH=src python benchmarks/batch.py            # ~1-2 minutes on 2 cores
    PYTHONPATH=src python benchmarks/batch.py --jobs 8   # smaller
    PYTHONPATH=src python benchmarks/batch.py --json

1. throughput: N RLM jobs (two root turns each: a REPL cell, then FINAL_VAR; a sandbox worker
   per job) against the fake OpenAI server with a fixed reply latency, on a local Ray cluster
   with 1 and then 2 job slots (`--job-cpus 1`, num_cpus 1 or 2): jobs per minute. Also the
   same batch run locally (no Ray) with `--parallel 2`.
2. actor overhead: from inside one Ray task, the round trip of `reserve` + `settle` on the
   budget actor and of `acquire_at` on the limiter actor (what every LM call of a batch adds
   with a total budget and a rate limit), next to the same calls on in-process objects.

Needs Ray (`pip install -e '.[ray]'`). The fake server runs in this process's threads.
"""

from __future__ import annotations

import argparse
import asyncio
import io
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from fakes.openai_server import FakeOpenAIServer
from fakes.secret_runs import secret_responder


def write_jobs(path: Path, n: int) -> None:
    with path.open("w") as f:
        for i in range(n):
            f.write(json.dumps({"id": f"j{i}", "question": "What is the secret?",
                                "context": f"The secret is s{i}. " + "filler text. " * 200}) + "\n")


def run(base_url: str, n: int, *args: str) -> float:
    from recursor.batch.cli import batch, config_from_params
    from recursor.batch.runner import run_batch

    with tempfile.TemporaryDirectory() as tmp:
        jobs, out = Path(tmp) / "in.jsonl", Path(tmp) / "out.jsonl"
        write_jobs(jobs, n)
        argv = [str(jobs), "--out", str(out), "--model", "m", "--base-url", base_url, "--mode", "rlm",
                "--no-trace", *args]
        cfg = config_from_params(batch.make_context("batch", argv).params)
        t0 = time.monotonic()
        summary = run_batch(cfg, jobs, out, stream=io.StringIO())
        seconds = time.monotonic() - t0
        assert summary.done == n, summary
    return n / seconds * 60


def throughput(n: int, latency: float) -> dict[str, float]:
    import ray

    results: dict[str, float] = {}
    with FakeOpenAIServer(responder=secret_responder(latency)) as server:
        results["local --parallel 1"] = run(server.base_url, n, "--parallel", "1")
        results["local --parallel 2"] = run(server.base_url, n, "--parallel", "2")
        for cpus in (1, 2):
            ray.init(num_cpus=cpus, object_store_memory=200 * 1024 * 1024, include_dashboard=False,
                     log_to_driver=False, configure_logging=False)
            try:
                run(server.base_url, cpus, "--ray", "auto", "--job-memory-mb", "100")  # start the workers
                results[f"ray, {cpus} worker(s)"] = run(server.base_url, n, "--ray", "auto", "--job-memory-mb", "100")
            finally:
                ray.shutdown()
    return results


def _probe(budget: Any, limiter: Any, calls: int) -> dict[str, float]:
    """Runs inside a Ray task: per-call round trips to the actors, in milliseconds (median)."""
    from recursor.batch.ray_ledger import RayBudget, RayLimiter

    async def go() -> dict[str, float]:
        b, lim = RayBudget(budget), RayLimiter(limiter)
        res, acq = [], []
        for i in range(calls):
            t0 = time.perf_counter()
            await b.reserve("probe#1", f"k{i}", 1000, (1.0, 1.0), 500)
            await b.settle(f"k{i}", 900, 100, None, 0.001)
            t1 = time.perf_counter()
            await lim.acquire("m", 1500)
            t2 = time.perf_counter()
            res.append(t1 - t0)
            acq.append(t2 - t1)
        return {"reserve+settle ms": statistics.median(res) * 1e3, "acquire ms": statistics.median(acq) * 1e3}

    return asyncio.run(go())


def actor_overhead(calls: int) -> dict[str, float]:
    import ray

    from recursor.batch.shared import BatchBudget, RateLimiter

    async def local() -> dict[str, float]:
        b, lim = BatchBudget(max_usd=1e9, max_tokens=None, max_output_tokens=500), RateLimiter(rpm=None, tpm=None)
        t0 = time.perf_counter()
        for i in range(calls):
            await b.reserve("p#1", f"k{i}", 1000, (1.0, 1.0), 500)
            await b.settle(f"k{i}", 900, 100, None, 0.001)
            await lim.acquire("m", 1500)
        return {"in-process reserve+settle+acquire ms": (time.perf_counter() - t0) / calls * 1e3}

    out = asyncio.run(local())
    ray.init(num_cpus=2, object_store_memory=200 * 1024 * 1024, include_dashboard=False, log_to_driver=False,
             configure_logging=False)
    try:
        budget = ray.remote(BatchBudget).options(num_cpus=0, max_concurrency=10_000).remote(
            max_usd=1e9, max_tokens=None, max_output_tokens=500)
        limiter = ray.remote(RateLimiter).options(num_cpus=0, max_concurrency=10_000).remote(rpm=None, tpm=None)
        out.update(ray.get(ray.remote(_probe).remote(budget, limiter, calls)))
    finally:
        ray.shutdown()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--jobs", type=int, default=16)
    parser.add_argument("--latency", type=float, default=0.5, help="seconds per fake reply")
    parser.add_argument("--calls", type=int, default=300, help="actor round trips measured")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    results = {"jobs per minute": throughput(args.jobs, args.latency), "per call": actor_overhead(args.calls),
               "setup": {"jobs": args.jobs, "latency_s": args.latency, "turns_per_job": 2}}
    if args.json:
        print(json.dumps(results, indent=2))
        return
    for section, rows in results.items():
        print(section)
        for key, value in rows.items():
            print(f"  {key:<40} {value:10.2f}" if isinstance(value, float) else f"  {key:<40} {value}")


if __name__ == "__main__":
    main()
