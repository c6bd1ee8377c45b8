"""Run benchmark tasks with several methods, one JSONL line per finished task, resumable.

Methods, all on the same model(s), as in the paper's Table 1:
- `base`: the model answers directly, with the context cut to its window (head and tail).
- `rlm`: the RLM with sub-calls, depth 1.
- `rlm_nosub`: the RLM whose `llm_query`/`rlm_query` are disabled (the ablation).
- `rlm_depth2`: the RLM whose `rlm_query` starts child RLMs with their own REPL.

A results file is the resume point: a (task id, method) already in it is not run again.
"""

from __future__ import annotations

import asyncio
import json
import logging
import statistics
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from recursor.bench.evidence import evidence_recall
from recursor.budget import Limits
from recursor.errors import LMError, RecursorError, UserError
from recursor.lm.base import LM, LMResponse, Message
from recursor.lm.function import FunctionLM
from recursor.prompts import Prompts

__all__ = ["METHODS", "BenchConfig", "TaskResult", "append_result", "check_config", "done_keys", "run_bench",
           "run_task", "summarize"]

METHODS = ("base", "rlm", "rlm_nosub", "rlm_depth2")
KEEP_TRACES = ("all", "correct", "none")

_log = logging.getLogger("recursor.bench")


@dataclass(frozen=True, slots=True)
class BenchConfig:
    """What to run. `make_lm(spec)` builds a client from a model spec (kept abstract for tests)."""

    family: str
    lengths: tuple[int, ...]
    n: int
    root: LM
    sub: LM | None = None
    methods: tuple[str, ...] = ("base", "rlm")
    seed: int = 0
    parallel: int = 1
    out: Path = Path("bench-results.jsonl")
    limits: Limits = field(default_factory=lambda: Limits(max_iterations=12))
    base_window_tokens: int = 12_000
    trace_dir: Path | None = None
    keep_traces: str = "all"
    """With `trace_dir`: "all", "correct" (a trace whose run scored below 1 is deleted) or "none"."""
    prompts: Prompts | None = None


@dataclass(frozen=True, slots=True)
class TaskResult:
    task_id: str
    family: str
    length_tokens: int
    method: str
    score: float
    answer: str
    gold: str
    stopped_by: str
    calls: int
    input_tokens: int
    output_tokens: int
    cost_usd: float | None
    seconds: float
    error: str | None = None
    trace_path: str | None = None
    evidence_recall: float | None = None
    """The share of the task's gold evidence that `Result.evidence` points at
    (`bench.evidence`); None for the base method and for tasks with no known gold evidence."""


class _NoSubcalls(Prompts):
    """The ablation's wording: the REPL has no sub-model."""

    def system(self, *, can_recurse: bool) -> str:
        text = super().system(can_recurse=can_recurse)
        return text + (
            "\n\nIn this run sub-calls are DISABLED: llm_query, llm_query_batched, rlm_query and "
            "rlm_query_batched raise an error. Solve the task with code alone."
        )


def _refuse(messages: Sequence[Message]) -> str:
    raise LMError("sub-calls are disabled in this run (rlm_nosub)")


def done_keys(path: Path) -> set[tuple[str, str]]:
    """The (task id, method) pairs already in a results file: they are not run again."""
    if not path.exists():
        return set()
    keys = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            row = json.loads(line)
        except json.JSONDecodeError:
            continue  # a torn last line from a killed run: that task runs again
        keys.add((row["task_id"], row["method"]))
    return keys


def _cut_to_window(context: str, chars: int) -> str:
    if len(context) <= chars:
        return context
    half = chars // 2
    return (
        context[:half]
        + "\n[... middle of the context cut to fit the window ...]\n"
        + context[-half:]
    )


async def _run_base(cfg: BenchConfig, task: Any) -> tuple[str, str, dict[str, Any]]:
    # 3 characters a token, not the generators' 4: dense text (OOLONG's short lines, code)
    # tokenises at ~2.8, and a prompt over the window is an error, not a shorter answer.
    window = cfg.base_window_tokens * 3
    text = _cut_to_window(task.context, max(window - len(task.question) - 400, 1000))
    messages: list[Message] = [
        {"role": "system", "content": "Answer the question about the text. Be brief and exact."},
        {"role": "user", "content": f"{text}\n\nQuestion: {task.question}\nAnswer:"},
    ]
    t0 = time.monotonic()
    resp: LMResponse = await cfg.root.complete(messages)
    usage = {
        "calls": 1,
        "input_tokens": resp.usage.input_tokens,
        "output_tokens": resp.usage.output_tokens,
        "cost_usd": resp.usage.cost_usd,
        "seconds": time.monotonic() - t0,
    }
    return resp.text, "final", usage


async def _run_rlm(cfg: BenchConfig, task: Any, method: str) -> tuple[str, str, dict[str, Any]]:
    from recursor.rlm import RLM

    sub: LM | None = cfg.sub
    prompts = cfg.prompts
    limits = cfg.limits
    if method == "rlm_nosub":
        sub = FunctionLM(_refuse, model="disabled")
        prompts = _NoSubcalls() if prompts is None else prompts
    if method == "rlm_depth2":
        limits = replace(limits, max_depth=2)
    rlm = RLM(
        cfg.root,
        sub_model=sub,
        limits=limits,
        prompts=prompts,
        trace_dir=cfg.trace_dir if cfg.trace_dir is not None and cfg.keep_traces != "none" else False,
    )
    result = await rlm.acomplete(task.question, task.context)
    total = result.usage.total
    usage = {
        "calls": total.calls,
        "input_tokens": total.input_tokens,
        "output_tokens": total.output_tokens,
        "cost_usd": total.cost_usd,
        "seconds": result.wall_time,
        # Absolute, so `recursor export --scores` finds the trace from any directory.
        "trace_path": str(Path(result.trace_path).absolute()) if result.trace_path else None,
        "error": result.error,
        "evidence": result.evidence,
    }
    return result.answer, result.stopped_by, usage


async def _one(
    cfg: BenchConfig, task: Any, method: str, score: Callable[[Any, str], float]
) -> TaskResult:
    t0 = time.monotonic()
    try:
        if method == "base":
            answer, stopped, usage = await _run_base(cfg, task)
        else:
            answer, stopped, usage = await _run_rlm(cfg, task, method)
    except Exception as exc:  # a task that crashes is a result (score 0), not a lost row
        # An RLM or model error, or a defect anywhere under the run: recorded with its type, so a
        # family's denominator stays whole (a ValueError out of the local model's KV store once
        # dropped a realdocs task from the results without a word in the summary).
        if not isinstance(exc, RecursorError):
            _log.exception("task %s (%s) crashed", task.id, method)
        answer, stopped = "", "error"
        usage = {
            "calls": 0,
            "input_tokens": 0,
            "output_tokens": 0,
            "cost_usd": None,
            "seconds": time.monotonic() - t0,
            "error": f"{type(exc).__name__}: {exc}",
        }
    points = float(score(task.gold, answer))
    recall = evidence_recall(task, usage["evidence"]) if "evidence" in usage else None
    trace_path = usage.get("trace_path")
    if trace_path and cfg.keep_traces == "correct" and points < 1.0:
        # Only the trace file goes: blobs are shared by hash with other traces of the directory.
        Path(trace_path).unlink(missing_ok=True)
        trace_path = None
    return TaskResult(
        task_id=task.id,
        family=task.family,
        length_tokens=task.length_tokens,
        method=method,
        score=points,
        answer=answer,
        gold=task.gold.answer,
        stopped_by=stopped,
        calls=usage["calls"],
        input_tokens=usage["input_tokens"],
        output_tokens=usage["output_tokens"],
        cost_usd=usage["cost_usd"],
        seconds=round(usage["seconds"], 3),
        error=usage.get("error"),
        trace_path=trace_path,
        evidence_recall=recall,
    )


def check_config(cfg: BenchConfig) -> None:
    """Refuse an unknown family, method or keep_traces before anything runs."""
    from recursor.bench._task import target_chars
    from recursor.bench.tasks import TASK_FAMILIES

    for length in cfg.lengths:
        target_chars(length)  # a length too short for any family
    if cfg.family not in TASK_FAMILIES:
        raise UserError(f"unknown task family {cfg.family!r}; choose one of: {', '.join(TASK_FAMILIES)}")
    if cfg.keep_traces not in KEEP_TRACES:
        raise UserError(f"keep_traces must be one of {', '.join(KEEP_TRACES)}, not {cfg.keep_traces!r}")
    for method in cfg.methods:
        if method not in METHODS:
            raise UserError(f"unknown method {method!r}; choose from {', '.join(METHODS)}")


async def run_task(cfg: BenchConfig, task: Any, method: str) -> TaskResult:
    """One (task, method), scored; an RLM or model error is the result's `error`, not raised."""
    from recursor.bench.scoring import score

    return await _one(cfg, task, method, score)


def append_result(path: Path, res: TaskResult) -> None:
    """One JSON line per result, appended as it finishes (the resume point)."""
    with path.open("a", encoding="utf-8") as fh:
        fh.write(json.dumps(_asdict(res)) + "\n")


async def run_bench(
    cfg: BenchConfig, *, on_result: Callable[[TaskResult], None] | None = None
) -> list[TaskResult]:
    """Run every (task, method) not yet in `cfg.out`, appending each result as it finishes."""
    from recursor.bench.tasks import iter_tasks

    check_config(cfg)
    done = done_keys(cfg.out)
    cfg.out.parent.mkdir(parents=True, exist_ok=True)
    slots = asyncio.Semaphore(max(cfg.parallel, 1))
    results: list[TaskResult] = []
    pending: set[asyncio.Task[None]] = set()

    async def run(task: Any, method: str) -> None:
        try:
            res = await run_task(cfg, task, method)
        finally:
            slots.release()
        append_result(cfg.out, res)
        results.append(res)
        if on_result is not None:
            on_result(res)

    # Tasks are made lazily: at 10M tokens a context is 40 MB, so only `parallel` live at once.
    for length in cfg.lengths:
        for task in iter_tasks(cfg.family, length_tokens=length, n=cfg.n, seed=cfg.seed):
            for method in cfg.methods:
                if (task.id, method) in done:
                    continue
                await slots.acquire()
                job = asyncio.create_task(run(task, method))
                pending.add(job)
                job.add_done_callback(pending.discard)
    await asyncio.gather(*pending)
    return results


def _asdict(res: TaskResult) -> dict[str, Any]:
    return {name: getattr(res, name) for name in TaskResult.__dataclass_fields__}


def load_results(path: Path) -> list[dict[str, Any]]:
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            rows.append(json.loads(line))
        except json.JSONDecodeError:
            continue
    return rows


def summarize(rows: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Mean score, cost, tokens and time per (family, method, length), and the mean evidence
    recall (%) over the rows that have one: "n/a" where the gold evidence is unknown (a
    family of aggregations, a count) or the method has no evidence (base)."""
    groups: dict[tuple[str, str, int], list[dict[str, Any]]] = {}
    for row in rows:
        groups.setdefault((row["family"], row["method"], row["length_tokens"]), []).append(row)
    table = []
    for (family, method, length), items in sorted(groups.items()):
        costs = [r["cost_usd"] for r in items if r["cost_usd"] is not None]
        table.append(
            {
                "family": family,
                "method": method,
                "length_tokens": length,
                "n": len(items),
                "score": 100 * statistics.fmean(r["score"] for r in items),
                "cost_usd": statistics.fmean(costs) if costs else None,
                "tokens": statistics.fmean(r["input_tokens"] + r["output_tokens"] for r in items),
                "seconds": statistics.fmean(r["seconds"] for r in items),
                "errors": sum(1 for r in items if r.get("error")),
                "evidence": _recall(items),
            }
        )
    return table


def _recall(items: list[dict[str, Any]]) -> float | str:
    known = [r["evidence_recall"] for r in items if r.get("evidence_recall") is not None]
    return 100 * statistics.fmean(known) if known else "n/a"


def plot(rows: list[dict[str, Any]], path: Path) -> None:
    """Score against context length, one line per method (like the paper's Figure 1)."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError as exc:
        raise UserError("--plot needs matplotlib: pip install 'recursor[bench]'") from exc
    table = summarize(rows)
    fig, ax = plt.subplots(figsize=(7, 4))
    for method in sorted({r["method"] for r in table}):
        pts = sorted((r["length_tokens"], r["score"]) for r in table if r["method"] == method)
        ax.plot([p[0] for p in pts], [p[1] for p in pts], marker="o", label=method)
    ax.set_xscale("log", base=2)
    ax.set_xlabel("context length (tokens)")
    ax.set_ylabel("score (%)")
    ax.set_ylim(0, 100)
    ax.grid(alpha=0.3)
    ax.legend()
    families = ", ".join(sorted({r["family"] for r in table}))
    ax.set_title(f"recursor bench: {families}")
    fig.tight_layout()
    fig.savefig(path, dpi=120)
