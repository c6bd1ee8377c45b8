"""The benchmark runner end to end with scripted models: methods, scoring, resume, summary."""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest

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


def test_a_task_that_crashes_is_a_result_with_its_error(tmp_path: Path) -> None:
    # A defect under a run (a ValueError out of the local model's KV store) once dropped a
    # realdocs task from the results without a word in the summary.
    def crashes(messages: list[Message]) -> str:
        raise ValueError("list.remove(x): x not in list")

    out = tmp_path / "results.jsonl"
    cfg = BenchConfig(family="sniah", lengths=(2**13,), n=2, root=FunctionLM(crashes), methods=("rlm",), out=out,
                      limits=Limits(max_iterations=2))
    results = asyncio.run(run_bench(cfg))
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert len(results) == len(rows) == 2
    assert all(r["score"] == 0.0 and r["stopped_by"] == "error" for r in rows)
    assert all(r["error"] == "ValueError: list.remove(x): x not in list" for r in rows)
    assert summarize(rows)[0]["errors"] == 2


def test_nosub_method_refuses_subcalls(tmp_path: Path) -> None:
    def uses_subcall(messages: Sequence[Message]) -> str:
        if len(messages) == 2:
            return "```repl\nr = llm_query('hello')\n```"
        return "FINAL(" + ("disabled" if "disabled" in messages[-1]["content"] else "enabled") + ")"

    cfg = BenchConfig(family="sniah", lengths=(2**13,), n=1, root=FunctionLM(uses_subcall), methods=("rlm_nosub",),
                      out=tmp_path / "r.jsonl")
    (res,) = asyncio.run(run_bench(cfg))
    assert res.answer == "disabled"


# -- evidence recall ---------------------------------------------------------------------------
READS = {
    # str.find is not logged: the slice alone must point at the needle.
    "slice": "i = str.find(context, 'magic numbers for KEY is: ')\nline = context[i:i + 80]\n"
             "FINAL(line.split(': ')[1][:7])",
    "re": "import re\nm = re.search(r'for KEY is: (\\d{7})', context)\nFINAL(m.group(1))",
    "blind": "print(len(context))\nFINAL(1234567)",
    "two hops": "import re\nname = re.search(r'codename for KEY is (\\w+)', context).group(1)\n"
                "FINAL(re.search(r'launch code for ' + name + r' is (\\d+)', context).group(1))",
}


def reads_needle(how: str) -> Callable[[Sequence[Message]], str]:
    """A root model that finds S-NIAH's needle by `how` (READS) in one cell."""

    def reply(messages: Sequence[Message]) -> str:
        if messages[0]["content"].startswith("Answer the question"):  # the base method
            return "I don't know"
        keys = [k for k in re.findall(r"\b([a-z]+-[a-z]+)\b", messages[1]["content"]) if k != "seven-digit"]
        return "```repl\n" + READS[how].replace("KEY", keys[-1]) + "\n```"

    return reply


@pytest.mark.parametrize(("how", "recall"), [("slice", 1.0), ("re", 1.0), ("blind", 0.0)])
def test_runner_measures_evidence_recall(how: str, recall: float, tmp_path: Path) -> None:
    out = tmp_path / "r.jsonl"
    cfg = BenchConfig(family="sniah", lengths=(2**13,), n=2, root=FunctionLM(reads_needle(how)),
                      methods=("base", "rlm"), out=out, limits=Limits(max_iterations=2))
    results = asyncio.run(run_bench(cfg))
    assert sorted((r.method, r.evidence_recall) for r in results) == [
        ("base", None), ("base", None), ("rlm", recall), ("rlm", recall)]
    assert [r.score for r in results if r.method == "rlm"] == [recall, recall]
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert {r["method"]: r["evidence_recall"] for r in rows} == {"base": None, "rlm": recall}
    assert {t["method"]: t["evidence"] for t in summarize(rows)} == {"base": "n/a", "rlm": 100 * recall}


def test_both_hops_of_a_two_hop_task_are_its_evidence(tmp_path: Path) -> None:
    cfg = BenchConfig(family="twohop", lengths=(2**13,), n=2, root=FunctionLM(reads_needle("two hops")),
                      methods=("rlm",), out=tmp_path / "r.jsonl")
    results = asyncio.run(run_bench(cfg))
    assert [(r.score, r.evidence_recall) for r in results] == [(1.0, 1.0), (1.0, 1.0)]


def test_families_without_gold_evidence_say_na(tmp_path: Path) -> None:
    root = FunctionLM(lambda messages: "```repl\nprint(context[:200])\nFINAL(3)\n```")
    cfg = BenchConfig(family="oolong", lengths=(2**13,), n=1, root=root, methods=("rlm",),
                      out=tmp_path / "r.jsonl")
    (res,) = asyncio.run(run_bench(cfg))
    assert res.evidence_recall is None
    assert summarize([json.loads(line) for line in cfg.out.read_text().splitlines()])[0]["evidence"] == "n/a"
    # Rows written before evidence was measured have no such field.
    assert summarize([{"family": "sniah", "method": "rlm", "length_tokens": 1, "score": 1.0,
                       "cost_usd": None, "input_tokens": 1, "output_tokens": 1, "seconds": 1.0}])[0][
        "evidence"] == "n/a"


def test_bench_command_prints_evidence_recall(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from fakes.openai_server import FakeOpenAIServer
    from recursor.bench.cli import bench

    solve = reads_needle("re")
    with FakeOpenAIServer(responder=lambda request: solve(request["messages"])) as server:
        result = CliRunner().invoke(bench, [
            "sniah", "--n", "1", "--lengths", "2^13", "--model", "fake", "--base-url", server.base_url,
            "--out", str(tmp_path / "r.jsonl")])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert "sniah-8192-s0-0 rlm        score=1.00" in lines[1] and lines[1].endswith("evidence=1.00")
    header = next(line for line in lines if "family" in line).split("┃")[1:-1]
    table = [dict(zip(header, line.split("│")[1:-1], strict=True)) for line in lines if line.startswith("│")]
    assert [(row[" method "].strip(), row[" evidence "].strip()) for row in table] == [
        ("base", "n/a"), ("rlm", "100.0")]
