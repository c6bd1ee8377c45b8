"""The reference side of benchmarks/engine.py: the same workloads on the PyPI package `rlms`.

Runs only under the interpreter of a separate venv that has `rlms` (import name `rlm`):

    python -m venv /tmp/rlms-venv && /tmp/rlms-venv/bin/pip install rlms

`engine.py` starts it as `PYTHON reference_rlms.py JOB BASE_URL PARAMS_JSON` against the same
fake server it uses for recursor, and reads the one `RESULT {...}` line it prints. Model
replies are scripted by the server from the model name, exactly as for recursor.

What rlms 0.1.3 gives us to work with (read from its source): `RLM(backend="openai",
backend_kwargs={"model_name", "base_url", "api_key"}, max_iterations=...)` and
`completion(prompt=context, root_prompt=question)`. Its REPL (`environment="local"`, the
default) runs model code in the host process; the run ends when code sets
`answer["ready"] = True`. Its batch concurrency is `LMHandler(batch_max_concurrent=16)`,
which `RLM` does not expose: for other concurrencies this script changes that default, and
the report says so.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from engine import (
    cpu_seconds,
    make_context,
    model_name,
    print_result,
    reset_peak_rss,
    rss_mb,
)

RLMS_BATCH_DEFAULT = 16


def _rlm(model: str, base_url: str, **kw: Any) -> Any:
    from rlm import RLM

    return RLM(backend="openai",
               backend_kwargs={"model_name": model, "base_url": base_url, "api_key": "dummy"},
               **kw)


def overhead(base_url: str, params: dict[str, Any]) -> dict[str, Any]:
    n = params["iterations"]
    runs = []
    for r in range(-1, params["repeats"]):
        tag = f"r{r}" if r >= 0 else "warm"  # the warm run pays rlms' lazy openai import
        rlm = _rlm(model_name("loop", str(n), tag), base_url, max_iterations=n + 5)
        t0 = time.perf_counter()
        result = rlm.completion("tiny context", root_prompt="Benchmark question.")
        wall = time.perf_counter() - t0
        assert result.response == "done", result.response
        if r >= 0:
            runs.append({"variant": "http", "trace": False, "tag": tag, "wall": wall,
                         "turns": n + 1})
    return {"runs": runs}


def batch(base_url: str, params: dict[str, Any]) -> dict[str, Any]:
    from rlm.core.lm_handler import LMHandler

    size, delay = params["batch_size"], params["sub_delay"]
    defaults = LMHandler.__init__.__defaults__
    runs = []
    baseline = []  # CPU of the same run shape without the sub-calls
    for r in range(3):
        rlm = _rlm(model_name("peek", "0", f"base{r}"), base_url)
        cpu = cpu_seconds()
        rlm.completion("tiny context", root_prompt="Benchmark question.")
        baseline.append(cpu_seconds() - cpu)
    for c in params["concurrency"]:
        # Not configurable through RLM(): set the handler's default for this concurrency.
        LMHandler.__init__.__defaults__ = (*defaults[:-1], c)  # type: ignore[misc]
        note = "" if c == RLMS_BATCH_DEFAULT else "LMHandler default patched"
        for r in range(-1, params["batch_repeats"]):
            tag = f"c{c}r{r}" if r >= 0 else f"c{c}warm"
            rlm = _rlm(model_name("batch", f"{size}x{delay}", tag), base_url)
            cpu = cpu_seconds()
            result = rlm.completion("tiny context", root_prompt="Benchmark question.")
            cpu = cpu_seconds() - cpu
            ok1, ok2, *stamps = result.response.split()
            if r >= 0:
                runs.append({"concurrency": c, "tag": tag, "ok": [int(ok1), int(ok2)], "cpu": cpu,
                             "note": note, "stamps": [float(x) for x in stamps]})
    LMHandler.__init__.__defaults__ = defaults  # type: ignore[misc]
    return {"runs": runs, "baseline_cpu": sorted(baseline[1:])[len(baseline[1:]) // 2]}


def first(base_url: str, params: dict[str, Any]) -> dict[str, Any]:
    """Time to the first root request, small then large context; memory of the large run."""
    import rlm.core.rlm as core

    env_ready: list[float] = []
    make_env = core.get_environment

    def timed_env(*args: Any, **kw: Any) -> Any:
        env = make_env(*args, **kw)
        env_ready.append(time.monotonic())
        return env

    core.get_environment = timed_env
    runs: list[dict[str, Any]] = []
    memory: dict[str, float] = {}
    big = make_context(params["context_mb"])
    plan = [("warm", "tiny")] + [
        (label, big if label == "large" else "tiny context")
        for _ in range(params["first_repeats"]) for label in ("small", "large")]
    for label, context in plan:
        tag = f"{label}{len(runs)}"
        rlm = _rlm(model_name("peek", "0", tag), base_url)
        env_ready.clear()
        measure_memory = label == "large" and not memory
        if measure_memory:
            before = rss_mb()
            reset_peak_rss()
        t0 = time.monotonic()
        result = rlm.completion(context, root_prompt="How long is the context?")
        wall = time.monotonic() - t0
        assert result.response == "done", result.response
        if measure_memory:
            after = rss_mb()
            memory = {"host_before": before["rss"], "host_peak": after["peak"]}
        if label != "warm":
            runs.append({"label": label, "chars": len(context), "tag": tag, "t0": t0,
                         "wall": wall, "env_ready": env_ready[0] if env_ready else None})
    return {"runs": runs, "memory": memory}


if __name__ == "__main__":
    job, url, raw = sys.argv[1], sys.argv[2], sys.argv[3]
    jobs = {"overhead": overhead, "batch": batch, "first": first}
    print_result(jobs[job](url, json.loads(raw)))
