"""`recursor export`: root trajectories rebuilt from real traces, filtered, as SFT and preference JSONL."""

from __future__ import annotations

import asyncio
import json
import re
import shutil
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from fakes.scripted_lm import FakeScriptedLM
from recursor import RLM, FunctionLM, Limits, Message
from recursor.bench.runner import BenchConfig, run_bench
from recursor.cli import main
from recursor.trace.export import ExportOptions, ExportStats, ScoreIndex, export, final_turn

QUESTION = "Which word comes second?"
CONTEXT = "alpha beta gamma"
GOOD = [
    "Let me look at the context first.\n```repl\nprint(context.split()[:2])\n```",
    "```repl\nword = context.split()[1]\n```\nFINAL_VAR(word)",
]
WRONG = ["```repl\nprint(len(context))\n```", "The last one, I think.\nFINAL(gamma)"]


def _run(trace_dir: Path, script: Sequence[Any], *, sub: FakeScriptedLM | None = None,
         question: str = QUESTION, context: str = CONTEXT, **limits: Any) -> tuple[Path, FakeScriptedLM]:
    root = FakeScriptedLM(script)
    result = RLM(root, sub_model=sub, limits=Limits(**limits), trace_dir=trace_dir).complete(question, context)
    assert result.trace_path is not None
    return Path(result.trace_path), root


def _child_aware(messages: Sequence[Message]) -> str:
    if messages[0]["role"] == "system":  # a child run's root turn
        return "Looking.\n```repl\nFINAL(context.split()[1])\n```"
    return "plain"


@pytest.fixture
def corpus(tmp_path: Path) -> dict[str, Any]:
    """Real runs: right, wrong (same task), answer["ready"], a child run, max_iterations, a long reply."""
    traces = tmp_path / "traces"
    good, good_lm = _run(traces, GOOD)
    wrong, _ = _run(traces, WRONG)
    ready, _ = _run(traces, ["```repl\nanswer['content'] = context.upper()\nanswer['ready'] = True\n```"],
                    question="Shout it")
    child, _ = _run(traces, ["```repl\nr = rlm_query('second word?', context=context)\nprint(r)\n```", "FINAL(beta)"],
                    sub=FakeScriptedLM(default=_child_aware, model="sub"), max_depth=2, question="Via a child")
    limited, limited_lm = _run(traces, ["```repl\nprint(1)\n```", "```repl\nprint(2)\n```", "FINAL(unsure)"],
                               max_iterations=2, question="Runs out")
    long_reply = "```repl\n# " + "x" * 9_000 + "\nprint('long')\n```"
    long, _ = _run(traces, [long_reply, "FINAL(long done)"], question="Long reply")
    scores = tmp_path / "results.jsonl"
    rows = [
        {"task_id": "t1", "method": "rlm", "score": 1.0, "trace_path": str(good)},
        {"task_id": "t1", "method": "rlm", "score": 0.0, "trace_path": str(wrong)},
        {"task_id": "t2", "method": "rlm", "score": 1.0, "trace_path": str(child)},
        {"task_id": "t3", "method": "rlm", "score": 0.0, "trace_path": str(limited)},
        {"task_id": "t4", "method": "rlm", "score": 1.0, "trace_path": str(long)},
        {"task_id": "t5", "method": "base", "score": 1.0, "trace_path": None},
    ]
    scores.write_text("".join(json.dumps(r) + "\n" for r in rows) + '{"torn": ')
    return {"dir": traces, "good": good, "good_lm": good_lm, "wrong": wrong, "ready": ready, "child": child,
            "limited": limited, "limited_lm": limited_lm, "long": long, "long_reply": long_reply,
            "scores": scores}


def _export(paths: Sequence[Path], scores: Path | None = None, fmt: str = "sft",
            **opts: Any) -> tuple[list[dict[str, Any]], ExportStats]:
    stats = ExportStats()
    index = ScoreIndex.load(scores) if scores is not None else None
    records = list(export(list(paths), fmt=fmt, scores=index, opts=ExportOptions(**opts), stats=stats))  # type: ignore[arg-type]
    return records, stats


def _by_trace(records: list[dict[str, Any]]) -> dict[tuple[str, str], dict[str, Any]]:
    return {(r["meta"]["trace"], r["meta"]["run_id"]): r for r in records}


def test_sft_rebuilds_the_exact_conversation_and_normalises_the_final(corpus: dict[str, Any]) -> None:
    records, stats = _export([corpus["dir"]], corpus["scores"])
    got = _by_trace(records)
    conv = got[(str(corpus["good"]), "root")]
    messages = conv["messages"]
    assert [m["role"] for m in messages] == ["system", "user", "assistant", "user", "assistant"]
    # Everything before the last reply is exactly the last request the model was sent.
    assert messages[:-1] == [{"role": m["role"], "content": m["content"]} for m in corpus["good_lm"].calls[-1].messages]
    assert QUESTION in messages[1]["content"]
    assert messages[2]["content"] == GOOD[0]
    assert messages[3]["content"].startswith("[repl output]") and "['alpha', 'beta']" in messages[3]["content"]
    # FINAL_VAR(word) closes the reply as it was: the model never saw the value, so it is not written out.
    assert messages[4]["content"] == "```repl\nword = context.split()[1]\n```\n\nFINAL_VAR(word)"
    assert conv["meta"] == {"trace": str(corpus["good"]), "run_id": "root", "task_id": "t1", "method": "rlm",
                            "score": 1.0, "stopped_by": "final", "answer": "beta"}

    # answer["ready"] set in code: the code gave the answer, so the reply is kept as written.
    ready = got[(str(corpus["ready"]), "root")]["messages"]
    assert ready[-1]["content"] == "```repl\nanswer['content'] = context.upper()\nanswer['ready'] = True\n```"

    # The long reply came back from blobs/.
    assert any((corpus["dir"] / "blobs").iterdir())
    long = got[(str(corpus["long"]), "root")]["messages"]
    assert long[2]["content"] == corpus["long_reply"]

    # Filters: the wrong run (score 0) and the max_iterations run are out; children are not exported.
    assert (str(corpus["wrong"]), "root") not in got and (str(corpus["limited"]), "root") not in got
    assert {run for _, run in got} == {"root"}
    assert stats.files == 6 and stats.runs == 6 and stats.kept == 4 == stats.written
    assert stats.dropped == {"low_score": 1, "unfinished": 1}


def test_sft_filters_score_size_unfinished_and_children(corpus: dict[str, Any]) -> None:
    # Without scores every finished run is kept; --require-score drops the unscored one.
    records, _ = _export([corpus["dir"]])
    assert len(records) == 5
    records, stats = _export([corpus["dir"]], corpus["scores"], require_score=True)
    assert stats.dropped["unscored"] == 1 and (str(corpus["ready"]), "root") not in _by_trace(records)
    # --min-score 0 keeps the wrong answer too.
    records, _ = _export([corpus["wrong"]], corpus["scores"], min_score=0.0)
    assert records[0]["messages"][-1]["content"] == "The last one, I think.\n\nFINAL(gamma)"
    # A message over --max-chars drops the whole conversation.
    records, stats = _export([corpus["long"]], max_chars=5_000)
    assert records == [] and stats.dropped == {"too_long": 1}
    # --include-unfinished keeps the max_iterations run, ending in its answer-now turn.
    records, _ = _export([corpus["limited"]], include_unfinished=True)
    messages = records[0]["messages"]
    assert records[0]["meta"]["stopped_by"] == "max_iterations"
    # Exactly what the model saw: the last REPL output, then the answer-now prompt (two user turns).
    assert [m["role"] for m in messages] == ["system", "user", "assistant", "user", "assistant", "user", "user",
                                             "assistant"]
    assert messages[:-1] == [dict(m) for m in corpus["limited_lm"].calls[-1].messages]
    assert messages[-1]["content"] == "FINAL(unsure)"
    # --children: the child run is a conversation of its own, after its root.
    records, _ = _export([corpus["child"]], corpus["scores"], children=True)
    assert [r["meta"]["run_id"] for r in records] == ["root", "root.1"]
    child = records[1]["messages"]
    assert [m["role"] for m in child] == ["system", "user", "assistant"]
    assert "second word?" in child[1]["content"]
    assert child[2]["content"] == "Looking.\n```repl\nFINAL(context.split()[1])\n```"  # no second FINAL
    assert records[1]["meta"]["task_id"] == "t2"


def test_a_replayed_run_is_a_duplicate(corpus: dict[str, Any], tmp_path: Path) -> None:
    from recursor.replay import replay_trace

    replayed = replay_trace(corpus["good"], trace_dir=tmp_path / "replays").result.trace_path
    records, stats = _export([corpus["good"], replayed])
    assert len(records) == 1 and stats.dropped == {"duplicate": 1}


def test_malformed_truncated_and_blobless_traces_are_skipped(corpus: dict[str, Any], tmp_path: Path) -> None:
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "garbage.jsonl").write_text("not json\n{\"also\": \n")
    (bad / "empty.jsonl").write_text("")
    lines = corpus["good"].read_text().splitlines()
    (bad / "killed.jsonl").write_text("\n".join(lines[: len(lines) // 2]) + "\n" + lines[len(lines) // 2][:20])
    shutil.copy(corpus["long"], bad / "noblobs.jsonl")  # its blobs stayed behind
    tampered = [json.loads(line) for line in lines]
    for event in tampered:
        if event["event"] == "lm_call" and event.get("call_seq") == 2:
            event["messages"][-1]["content"] = "edited"
    (bad / "tampered.jsonl").write_text("".join(json.dumps(e) + "\n" for e in tampered))
    records, stats = _export([bad])
    assert records == []
    assert stats.dropped == {"not_a_trace": 2, "truncated": 1, "missing_blob": 1, "hash_mismatch": 1}


def test_preference_pairs_runs_of_one_task_that_disagree(corpus: dict[str, Any]) -> None:
    records, stats = _export([corpus["dir"], corpus["good"]], corpus["scores"], fmt="preference")
    assert len(records) == 1  # the file named twice is read once
    assert stats.dropped == {"unscored": 1, "unfinished": 1}  # pairs need a score on both sides
    pair = records[0]
    assert [m["role"] for m in pair["prompt"]] == ["system", "user"]
    assert QUESTION in pair["prompt"][1]["content"]
    assert [m["content"] for m in pair["chosen"] if m["role"] == "assistant"] == [
        GOOD[0], "```repl\nword = context.split()[1]\n```\n\nFINAL_VAR(word)"]
    assert pair["rejected"][0]["content"] == WRONG[0]
    assert pair["rejected"][-1]["content"] == "The last one, I think.\n\nFINAL(gamma)"
    assert pair["meta"]["chosen"]["score"] == 1.0 and pair["meta"]["rejected"]["score"] == 0.0
    assert pair["meta"]["task_id"] == "t1"


def test_a_reply_that_already_ends_the_run_gets_no_second_final(tmp_path: Path) -> None:
    look = "```repl\nprint(context[:5])\n```"
    both, _ = _run(tmp_path, [look, "```repl\nFINAL(context.split()[1])\n```\nFINAL(beta)"], question="Both")
    named, _ = _run(tmp_path, [look, "```repl\nw = context.split()[1]\n```", "FINAL(w)"], question="Named")
    last = [_export([path])[0][0]["messages"][-1]["content"] for path in (both, named)]
    # The cell answered, so its dead prose FINAL goes and none is added; FINAL(w) named a variable.
    assert last == ["```repl\nFINAL(context.split()[1])\n```", "FINAL_VAR(w)"]


def test_final_turn_forms() -> None:
    assert final_turn("FINAL(x)", "x") == "FINAL(x)"
    assert final_turn("Done.\nFINAL(a\nb)\nmore prose", "a\nb") == "Done.\nmore prose\n\nFINAL(a\nb)"
    assert final_turn("**FINAL_VAR(res)**", "42") == "FINAL_VAR(res)"
    assert final_turn("FINAL(res)", "42") == "FINAL_VAR(res)"  # FINAL naming a variable: the form that says so
    assert final_turn("FINAL_VAR(res)", "42", finished=False) == "FINAL(42)"  # a limit's answer: it may not be res
    assert final_turn("FINAL(answer)", "42") == "FINAL(42)"  # the REPL's answer dict: its content
    # A quoted FINAL in a fence is not the answer: it stays.
    assert final_turn("```text\nFINAL(log)\n```\nFINAL(real)", "real") == "```text\nFINAL(log)\n```\n\nFINAL(real)"
    assert final_turn("FINAL(a)\nFINAL(b)", "a") == "FINAL(a)"  # a later stray FINAL goes too
    assert final_turn("x", "unbalanced ) paren") is None
    assert final_turn("```repl\nprint(1)", "open fence") is None  # the line would be code
    # A cell gave the answer: nothing is added, and a dead prose FINAL after it goes.
    code = "```repl\nFINAL(str(1 + 1))\n```"
    assert final_turn(code, "2", ended_in_code=True) == code
    assert final_turn(code + "\nFINAL(2)", "2", ended_in_code=True) == code


def test_cli_writes_jsonl_and_a_summary(corpus: dict[str, Any], tmp_path: Path) -> None:
    out = tmp_path / "sft.jsonl"
    result = CliRunner().invoke(main, ["export", str(corpus["dir"]), "--scores", str(corpus["scores"]),
                                       "--out", str(out), "--no-meta"])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert len(rows) == 4 and all(set(r) == {"messages"} for r in rows)
    assert out.stat().st_mode & 0o777 == 0o600
    assert "read 6 trace file(s), 6 run(s); kept 4; wrote 4 conversations" in result.stderr
    assert "dropped: low_score 1, unfinished 1" in result.stderr
    result = CliRunner().invoke(main, ["export", str(corpus["good"]), str(corpus["wrong"]), "--format",
                                       "preference", "--scores", str(corpus["scores"])])
    assert result.exit_code == 0, result.output
    (pair,) = [json.loads(line) for line in result.stdout.splitlines()]
    assert set(pair) == {"prompt", "chosen", "rejected", "meta"}


def test_bench_rows_link_traces_and_keep_only_correct(tmp_path: Path) -> None:
    def solver(messages: Sequence[Message]) -> str:
        if len(messages) > 2:
            return "FINAL(unreachable)"
        task = messages[1]["content"]
        name = [k for k in re.findall(r"\b([a-z]+-[a-z]+)\b", task) if k != "seven-digit"][-1]
        wrong = "fallback" if name < "m" else ""  # some tasks are answered wrong
        return (f"```repl\nimport re\nm = re.search(r'magic numbers for {name} is: (\\d{{7}})', context)\n"
                f"FINAL('{wrong}' or m.group(1))\n```")

    out = tmp_path / "results.jsonl"
    cfg = BenchConfig(family="sniah", lengths=(2**12,), n=6, root=FunctionLM(solver), methods=("rlm",),
                      out=out, trace_dir=tmp_path / "bt", keep_traces="correct", limits=Limits(max_iterations=3))
    results = asyncio.run(run_bench(cfg))
    right = [r for r in results if r.score == 1.0]
    wrong = [r for r in results if r.score < 1.0]
    assert right and wrong
    assert all(r.trace_path and Path(r.trace_path).is_absolute() and Path(r.trace_path).is_file() for r in right)
    assert all(r.trace_path is None for r in wrong)
    assert len(list((tmp_path / "bt").glob("*.jsonl"))) == len(right)
    records, stats = _export([tmp_path / "bt"], out, require_score=True)
    assert len(records) == len(right) and {r["meta"]["task_id"] for r in records} == {r.task_id for r in right}
    assert not stats.dropped
