"""The benchmark runner end to end with scripted models: methods, scoring, resume, summary."""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import Sequence
from pathlib import Path

from recursor import FunctionLM, Limits, Message
from recursor.bench.runner import BenchConfig, run_bench, summarize


def solver(messages: Sequence[Message]) -> str:
    """A root model that solves S-NIAH with code, and a base model that reads its window."""
    first = messages[1]["content"] if len(messages) > 1 else messages[0]["content"]
    keys = [k for k in re.findall(r"\b([a-z]+-[a-z]+)\b", first) if k != "seven-digit"]
    if messages[0]["content"].startswith("Answer the question"):  # the base method
        found = re.search(r"magic numbers for [\w-]+ is: (\d{7})", messages[1]["content"])
        return found.group(1) if found else "I don't know"
    if len(messages) == 2:
        name = keys[-1] if keys else "x"
        return (
            "```repl\nimport re\n"
            f"m = re.search(r'magic numbers for {name} is: (\\d{{7}})', context)\n"
            "FINAL(m.group(1) if m else 'not found')\n```"
        )
    return "FINAL(unreachable)"


def test_runner_scores_resumes_and_summarizes(tmp_path: Path) -> None:
    out = tmp_path / "results.jsonl"
    lm = FunctionLM(solver, model="scripted")
    cfg = BenchConfig(family="sniah", lengths=(2**13, 2**15), n=2, root=lm, methods=("base", "rlm", "rlm_nosub"),
                      out=out, base_window_tokens=2048, limits=Limits(max_iterations=4), parallel=2)
    first = asyncio.run(run_bench(cfg))
    assert len(first) == 2 * 2 * 3
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert len(rows) == 12
    by = {(r["task_id"], r["method"]): r for r in rows}
    rlm_scores = [r["score"] for r in rows if r["method"] == "rlm"]
    assert rlm_scores == [1.0] * 4  # code finds the needle at every length
    assert all(r["stopped_by"] == "final" for r in rows if r["method"] != "base")
    # The base model only sees its window: the needle is often cut away at 2^15 tokens.
    base_long = [r for (tid, m), r in by.items() if m == "base" and "-32768-" in tid]
    assert all(r["score"] in (0.0, 1.0) for r in base_long)

    # Resume: nothing left to run.
    assert asyncio.run(run_bench(cfg)) == []
    assert len(out.read_text().splitlines()) == 12

    table = summarize(rows)
    rlm_rows = [t for t in table if t["method"] == "rlm"]
    assert [t["length_tokens"] for t in rlm_rows] == [8192, 32768]
    assert all(t["score"] == 100.0 and t["n"] == 2 for t in rlm_rows)


def test_nosub_method_refuses_subcalls(tmp_path: Path) -> None:
    def uses_subcall(messages: Sequence[Message]) -> str:
        if len(messages) == 2:
            return "```repl\nr = llm_query('hello')\n```"
        return "FINAL(" + ("disabled" if "disabled" in messages[-1]["content"] else "enabled") + ")"

    cfg = BenchConfig(family="sniah", lengths=(2**13,), n=1, root=FunctionLM(uses_subcall), methods=("rlm_nosub",),
                      out=tmp_path / "r.jsonl")
    (res,) = asyncio.run(run_bench(cfg))
    assert res.answer == "disabled"
