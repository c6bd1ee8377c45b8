"""Sessions (`RLM.session()`): one REPL and one budget across questions, one trace, resume."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Sequence
from pathlib import Path

import pytest

from fakes.scripted_lm import FakeScriptedLM
from recursor import RLM, Limits
from recursor.errors import UserError
from recursor.lm.base import Message


def final_of_output(messages: Sequence[Message]) -> str:
    """Answer with the first line the last cell printed."""
    return f"FINAL({messages[-1]['content'].splitlines()[1]})"


def cell(code: str) -> str:
    return f"```repl\n{code}\n```"


def events(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines()]


async def test_variables_contexts_and_history_persist(tmp_path: Path) -> None:
    root = FakeScriptedLM([
        cell("x = len(context)\nprint(x)"), final_of_output,
        cell("print(x, context_1, len(history), history[0]['answer'])"), final_of_output,
        cell("print(context_2, sorted(k for k in globals() if k.startswith('context')))"), final_of_output,
    ])
    async with RLM(root, trace_dir=tmp_path).session() as session:
        first = await session.aask("How long?", context="abcde")
        second = await session.aask("Next?", context="ctx-one")
        third = await session.aask("Last?", context="ctx-two")
    assert first.answer == "5"
    assert second.answer == "5 ctx-one 1 5"
    assert third.answer == "ctx-two ['context', 'context_1', 'context_2']"
    assert session.history == [{"question": "How long?", "answer": "5"}, {"question": "Next?", "answer": second.answer},
                               {"question": "Last?", "answer": third.answer}]
    # The first message of a later question names every context and history, and which one is new.
    opening = root.calls[4].messages[1]["content"]
    assert "`context` is a str with 5" in opening and "`context_1` is a str with 7" in opening
    assert "`context_2` is a str" in opening and "The context of this question is `context_2`" in opening
    assert "`history` lists the 2 earlier exchange(s)" in opening
    assert session.closed


async def test_a_short_question_without_context_adds_none_and_answer_is_reset(tmp_path: Path) -> None:
    root = FakeScriptedLM([
        cell("answer['content'] = 'one'\nanswer['ready'] = True"),
        cell("print(answer, [k for k in globals() if k.startswith('context_')])"), final_of_output,
    ])
    async with RLM(root, trace_dir=False).session() as session:
        assert (await session.aask("q1", context="doc")).answer == "one"
        second = await session.aask("What now?")
    assert second.answer == "{'content': '', 'ready': False} []"
    assert "This question brings no new context." in root.calls[1].messages[1]["content"]


async def test_the_budget_spans_questions(tmp_path: Path) -> None:
    root = FakeScriptedLM(default=lambda m: cell("print(1)") if len(m) <= 2 else "FINAL(done)")
    async with RLM(root, trace_dir=False, limits=Limits(max_calls=3)).session() as session:
        first = await session.aask("q1", context="c")
        second = await session.aask("q2")
        third = await session.aask("q3")
    assert first.answer == "done" and first.usage.total.calls == 2
    assert second.stopped_by == "max_calls" and second.usage.total.calls == 1
    assert third.stopped_by == "max_calls" and third.usage.total.calls == 0
    assert len(root.calls) == 3 and session.usage.total.calls == 3


async def test_the_timeout_is_per_question(tmp_path: Path) -> None:
    root = FakeScriptedLM(default=lambda m: cell("import time; time.sleep(0.4); print(1)") if len(m) <= 2
                          else "FINAL(ok)")
    async with RLM(root, trace_dir=False, limits=Limits(timeout=3.0)).session() as session:
        for n in range(3):
            result = await session.aask(f"q{n}", context="c" if n == 0 else None)
            assert result.stopped_by == "final" and result.wall_time < 3.0
            await asyncio.sleep(0.6)  # idle time between questions is not counted


async def test_one_trace_holds_every_question_as_a_root_run(tmp_path: Path) -> None:
    root = FakeScriptedLM([cell("print(len(context))"), final_of_output,
                           cell("print(len(context_1))"), final_of_output])
    async with RLM(root, trace_dir=tmp_path).session() as session:
        first = await session.aask("q1", context="aa")
        second = await session.aask("q2", context="bbb")
    assert first.trace_path == second.trace_path == session.trace_path
    assert list(tmp_path.glob("*.jsonl")) == [first.trace_path]
    lines = events(first.trace_path)
    starts = [(e["run_id"], e["depth"]) for e in lines if e["event"] == "run_start"]
    assert starts == [("q1", 0), ("q2", 0)]
    assert [e["answer"] for e in lines if e["event"] == "run_end"] == ["2", "3"]
    contexts = [(e["run_id"], e.get("name")) for e in lines if e["event"] == "context"]
    assert contexts == [("q1", None), ("q2", "context_1")]
    q2 = [e["event"] for e in lines if e.get("run_id") == "q2"]
    assert q2[:2] == ["run_start", "context"]  # the new context follows its question's start


async def test_resume_rebuilds_the_repl_from_the_trace(tmp_path: Path) -> None:
    sub = FakeScriptedLM(default="SUB-REPLY", model="sub")
    root = FakeScriptedLM([
        cell("secret = 42\nnote = llm_query('remember this')\nprint(secret)"), final_of_output,
        cell("tally = secret + len(context_1)\nprint(tally)"), final_of_output,
    ])
    rlm = RLM(root, sub_model=sub, trace_dir=tmp_path)
    async with rlm.session() as session:
        await session.aask("q1", context="first")
        assert (await session.aask("q2", context="second")).answer == "48"
    trace = session.trace_path
    assert trace is not None and len(sub.calls) == 1

    # A new process: fresh models that would fail if a recorded call reached them.
    sub2 = FakeScriptedLM(model="sub")
    root2 = FakeScriptedLM([cell("print(secret, note, tally, context, context_1, len(history))"), final_of_output])
    async with RLM(root2, sub_model=sub2, trace_dir=tmp_path).session(resume=trace) as resumed:
        third = await resumed.aask("q3")
        assert resumed.usage.total.calls == 7  # the five recorded calls count, then two live ones
    assert third.answer == "42 SUB-REPLY 48 first second 2"
    assert sub2.calls == [] and len(root2.calls) == 2
    assert "`context_1` is a str" in root2.calls[0].messages[1]["content"]
    lines = events(trace)  # the resumed session appends to its own trace
    assert [e["run_id"] for e in lines if e["event"] == "run_start"] == ["q1", "q2", "q3"]
    assert sum(e["event"] == "cell" for e in lines) == 3  # the rebuild is not written again


async def test_resume_of_a_resumed_session(tmp_path: Path) -> None:
    root = FakeScriptedLM([cell("a = 1"), "FINAL(x)"])
    async with RLM(root, trace_dir=tmp_path).session() as session:
        await session.aask("q1", context="c")
    root2 = FakeScriptedLM([cell("b = a + 1"), "FINAL(y)"])
    async with RLM(root2, trace_dir=tmp_path).session(resume=session.trace_path) as again:
        await again.aask("q2", context="d")
    root3 = FakeScriptedLM([cell("print(a, b, context_1)"), final_of_output])
    async with RLM(root3, trace_dir=tmp_path).session(resume=session.trace_path) as third:
        assert (await third.aask("q3")).answer == "1 2 d"


def test_resume_needs_a_session_trace(tmp_path: Path) -> None:
    result = RLM(FakeScriptedLM([cell("print(1)"), "FINAL(a)"]), trace_dir=tmp_path).complete("q", "c")
    with pytest.raises(UserError, match="no question of a session"):
        RLM(FakeScriptedLM()).session(resume=result.trace_path)


def test_the_sync_api_outside_any_loop(tmp_path: Path) -> None:
    root = FakeScriptedLM([cell("n = 7"), "FINAL(set)", cell("print(n * 6)"), final_of_output])
    with RLM(root, trace_dir=False).session() as session:
        assert session.ask("q1", context="c").answer == "set"
        assert session.ask("q2").answer == "42"
    assert session.closed
    with pytest.raises(UserError, match="closed"):
        session.ask("q3")


async def test_the_sync_api_refuses_a_running_loop() -> None:
    session = RLM(FakeScriptedLM()).session()
    with pytest.raises(UserError, match="running event loop"):
        session.ask("q", context="c")
    await session.aclose()


async def test_questions_on_one_session_wait_for_each_other(tmp_path: Path) -> None:
    root = FakeScriptedLM(default=lambda m: cell("print(len(context))") if len(m) <= 2 else final_of_output(m),
                          delay=0.05)
    async with RLM(root, trace_dir=False).session() as session:
        a, b = await asyncio.gather(session.aask("q1", context="abc"), session.aask("q2"))
    assert a.answer == b.answer == "3"
    # Each question's calls ran one after another: no interleaving.
    spans = [(c.started, c.ended) for c in root.calls]
    assert spans[2][0] >= spans[1][1]
