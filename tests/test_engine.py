"""The loop end to end: scripted models, the real worker process, real traces."""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from pathlib import Path

import pytest

from fakes.scripted_lm import FakeScriptedLM
from recursor import RLM, Limits, Message, SandboxOptions
from recursor.errors import LMServerError, UserError
from recursor.protocol import is_code_object


def needle_context(n: int = 1_000_000, value: str = "7654321") -> str:
    filler = "The grass is green. The sky is blue. "
    half = filler * (n // (2 * len(filler)))
    return half + f"One of the special magic numbers for shiny-cat is: {value}. " + half


def rlm(root: FakeScriptedLM, sub: FakeScriptedLM | None = None, **kw: object) -> RLM:
    return RLM(root, sub_model=sub, **kw)  # type: ignore[arg-type]


def events(trace: Path | None) -> list[dict]:
    assert trace is not None
    return [json.loads(line) for line in trace.read_text().splitlines()]


def test_needle_found_by_code_and_a_subcall() -> None:
    root = FakeScriptedLM([
        "```repl\nimport re\nm = re.search(r'magic numbers for shiny-cat is: (\\d+)', context)\n"
        "snippet = context[m.start() - 40 : m.end() + 5]\nprint(snippet)\n```",
        "```repl\nverdict = llm_query('Which number is in this text? ' + snippet)\nprint(verdict)\n```",
        "FINAL_VAR(verdict)",
    ])
    sub = FakeScriptedLM(default=lambda m: "".join(c for c in m[-1]["content"] if c.isdigit()), model="sub")
    result = rlm(root, sub).complete("What is shiny-cat's magic number?", needle_context())
    assert result.answer == "7654321"
    assert result.stopped_by == "final"
    assert result.iterations == 3
    assert result.usage.by_model["sub"].calls == 1
    assert result.usage.by_depth[0].calls == 3 and result.usage.by_depth[1].calls == 1
    # The root never saw the context: only metadata and printed snippets.
    first = root.calls[0].messages
    assert "1,000,0" in first[1]["content"] and "7654321" not in first[1]["content"]
    assert "7654321" in root.calls[1].messages[-1]["content"]


def test_batched_subcalls_overlap_and_keep_order() -> None:
    code = (
        "```repl\nout = llm_query_batched([f'item {i}' for i in range(16)])\n"
        "print(out)\n```"
    )
    root = FakeScriptedLM([code, "FINAL_VAR(out)"])
    sub = FakeScriptedLM(default=lambda m: m[-1]["content"].upper(), model="sub", delay=0.3)
    t0 = time.monotonic()
    result = rlm(root, sub, limits=Limits(max_concurrency=16)).complete("q", "ctx")
    elapsed = time.monotonic() - t0
    assert result.answer == str([f"ITEM {i}" for i in range(16)])
    starts = sorted(c.started for c in sub.calls)
    ends = sorted(c.ended for c in sub.calls)
    assert starts[-1] < ends[0], "all 16 calls should be in flight at once"
    assert elapsed < 16 * 0.3 / 2


def test_concurrency_limit_is_respected() -> None:
    root = FakeScriptedLM(["```repl\nout = llm_query_batched(['x'] * 8)\n```", "FINAL(done)"])
    sub = FakeScriptedLM(default="y", model="sub", delay=0.2)
    rlm(root, sub, limits=Limits(max_concurrency=2)).complete("q", "ctx")
    peak = max(sum(1 for o in sub.calls if o.started <= c.started < o.ended) for c in sub.calls)
    assert peak <= 2


def test_failed_batch_item_becomes_error_string() -> None:
    def reply(messages: Sequence[Message]) -> str:
        if "boom" in messages[-1]["content"]:
            raise LMServerError("upstream 500")
        return "ok"

    root = FakeScriptedLM(["```repl\nout = llm_query_batched(['a', 'boom', 'c'])\nprint(out)\n```", "FINAL_VAR(out)"])
    result = rlm(root, FakeScriptedLM(default=reply, model="sub")).complete("q", "ctx")
    items = eval(result.answer)  # the list's str
    assert items[0] == "ok" and items[2] == "ok"
    assert items[1].startswith("Error: LMServerError") and "upstream 500" in items[1]


def _child_aware(messages: Sequence[Message]) -> str:
    """A sub-model that acts as a child RLM's root when it gets a system prompt."""
    if messages[0]["role"] == "system":
        return "```repl\nFINAL(f'{len(context)} chars')\n```"
    return "plain:" + messages[-1]["content"][:10]


def test_depth_two_recursion_gives_children_their_own_repl() -> None:
    root = FakeScriptedLM([
        "```repl\nr = rlm_query_batched(['count a', 'count b'], contexts=['xxxx', 'yy'])\n"
        "one = rlm_query('count c', context='zzzzz')\nprint(r, one)\n```",
        "FINAL(done)",
    ])
    sub = FakeScriptedLM(default=_child_aware, model="sub")
    result = rlm(root, sub, limits=Limits(max_depth=2)).complete("q", "ctx")
    assert "['4 chars', '2 chars'] 5 chars" in root.calls[1].messages[-1]["content"]
    runs = [e for e in events(result.trace_path) if e["event"] == "run_start"]
    assert {r["run_id"] for r in runs} == {"root", "root.1", "root.2", "root.3"}
    assert all(r["depth"] == 1 for r in runs if r["run_id"] != "root")
    assert result.usage.by_depth[1].calls == 3  # each child's root turn, counted in the total


def test_at_max_depth_rlm_query_is_a_plain_call() -> None:
    root = FakeScriptedLM(["```repl\nprint(rlm_query('hello', context='data'))\n```", "FINAL(x)"])
    sub = FakeScriptedLM(default=_child_aware, model="sub")
    rlm(root, sub, limits=Limits(max_depth=1)).complete("q", "ctx")
    assert sub.calls[0].messages[0]["role"] == "user"
    assert "Context:\ndata" in sub.calls[0].messages[0]["content"]


@pytest.mark.parametrize(
    ("replies", "expected"),
    [
        (["```repl\nx = 1\n```", "FINAL(forty two)"], "forty two"),
        (["```repl\nres = 'from var'\n```", "FINAL_VAR(res)"], "from var"),
        (["```repl\nFINAL('in code')\nprint('not reached')\n```"], "in code"),
        (["```repl\nv = [1, 2]\nFINAL_VAR('v')\n```"], "[1, 2]"),
        (["```repl\nanswer['content'] = 'dict'\nanswer['ready'] = True\n```"], "dict"),
        (["```python\nFINAL(len(context))\n```"], "3"),
        (["```repl\nx = 5\n```", 'I found it.\nFINAL("quoted (with parens)")'], "quoted (with parens)"),
    ],
)
def test_every_answer_form(replies: list[str], expected: str) -> None:
    result = rlm(FakeScriptedLM(replies)).complete("q", "abc")
    assert result.answer == expected
    assert result.stopped_by == "final"


def test_answer_without_looking_is_sent_back() -> None:
    root = FakeScriptedLM(["FINAL(guess)", "```repl\nprint(context)\n```", "FINAL(abc)"])
    result = rlm(root).complete("q", "abc")
    assert result.answer == "abc"
    assert "without looking" in root.calls[1].messages[-1]["content"]


def test_malformed_replies_are_told_to_the_model() -> None:
    root = FakeScriptedLM([
        "I will think about it.",  # no code, no answer
        "```repl\nprint(len(context))",  # unclosed fence: still runs
        "FINAL_VAR(missing_name)",  # no such variable
        "FINAL(3)",
    ])
    result = rlm(root).complete("q", "abc")
    assert result.answer == "3"
    told = [c.messages[-1]["content"] for c in root.calls[1:]]
    assert "no ```repl code block" in told[0]
    assert "not closed" in told[1] and "\n3" in told[1]
    assert "no REPL variable named 'missing_name'" in told[2]


@pytest.mark.parametrize(
    ("code", "needle"),
    [
        ("import os\nos._exit(7)", "exit code 7"),
        ("import ctypes\nctypes.string_at(0)", "SIGSEGV"),
        ("while True:\n    pass", "TimeoutError"),
    ],
)
def test_worker_crash_and_timeout_are_recovered(code: str, needle: str) -> None:
    root = FakeScriptedLM([
        "```repl\nkeep = 1\n```",
        f"```repl\n{code}\n```",
        "```repl\nprint('keep' in dir(), len(context))\n```",
        "FINAL(ok)",
    ])
    result = rlm(root, sandbox=SandboxOptions(cell_timeout=1.5)).complete("q", "abcd")
    assert result.answer == "ok"
    crash_report = root.calls[2].messages[-1]["content"]
    assert needle in crash_report and "restarted" in crash_report
    assert "False 4" in root.calls[3].messages[-1]["content"]  # state lost, context reloaded


def test_sys_exit_and_exceptions_are_observations() -> None:
    root = FakeScriptedLM(["```repl\nimport sys\nsys.exit(2)\n```", "```repl\n1/0\n```", "FINAL(fine)"])
    result = rlm(root).complete("q", "c")
    assert result.answer == "fine"
    assert "SystemExit(2)" in root.calls[1].messages[-1]["content"]
    assert "ZeroDivisionError" in root.calls[2].messages[-1]["content"]


def test_output_is_truncated_with_a_note() -> None:
    root = FakeScriptedLM(["```repl\nprint('x' * 100_000)\n```", "FINAL(done)"])
    rlm(root, sandbox=SandboxOptions(output_limit=2000)).complete("q", "c")
    shown = root.calls[1].messages[-1]["content"]
    assert len(shown) < 2500 and "characters of output cut" in shown


def test_max_iterations_gets_an_answer_now_turn() -> None:
    root = FakeScriptedLM(["```repl\nx = 1\n```"] * 3 + ["FINAL(best guess)"])
    result = rlm(root, limits=Limits(max_iterations=3)).complete("q", "c")
    assert result.stopped_by == "max_iterations"
    assert result.answer == "best guess"
    assert "reached a limit" in root.calls[-1].messages[-1]["content"]


def test_budget_limit_returns_best_effort_answer() -> None:
    root = FakeScriptedLM([
        "```repl\nanswer['content'] = 'partial work'\nprint(llm_query('a'))\n```",
        "```repl\nprint(2)\n```",
    ], default="```repl\nprint(3)\n```")
    result = rlm(root, FakeScriptedLM(default="s", model="sub"), limits=Limits(max_calls=2)).complete("q", "c")
    assert result.stopped_by == "max_calls"
    assert result.answer == "partial work"
    assert result.usage.total.calls == 2


def test_consecutive_errors_stop_the_run() -> None:
    root = FakeScriptedLM(["```repl\n1/0\n```"] * 3 + ["FINAL(gave up)"])
    result = rlm(root, limits=Limits(max_errors=3)).complete("q", "c")
    assert result.stopped_by == "max_errors" and result.answer == "gave up"


def test_root_lm_failure_ends_with_lm_error() -> None:
    root = FakeScriptedLM(["```repl\nanswer['content'] = 'so far'\n```", LMServerError("down")])
    result = rlm(root).complete("q", "c")
    assert result.stopped_by == "lm_error" and "down" in (result.error or "")
    assert result.answer == "so far"


def test_trace_stores_context_once_and_logs_message_deltas(tmp_path: Path) -> None:
    ctx = needle_context(1_000_000)
    root = FakeScriptedLM([f"```repl\nprint(context[:{100 + i}])\n```" for i in range(9)] + ["FINAL(done)"])
    result = rlm(root, trace_dir=tmp_path / "t").complete("q", ctx)
    assert result.trace_path is not None
    assert result.trace_path.stat().st_size < 200_000
    evs = events(result.trace_path)
    assert evs[0]["event"] == "run_start" and evs[-1]["event"] == "run_end"
    root_calls = [e for e in evs if e["event"] == "lm_call"]
    assert len(root_calls) == 10
    assert all(len(e["messages"]) == 1 for e in root_calls[1:])  # only the new message each time
    ctx_events = [e for e in evs if e["event"] == "context"]
    assert len(ctx_events) == 1 and ctx_events[0]["n_chars"] == len(ctx)
    blobs = list((tmp_path / "t" / "blobs").iterdir())
    total = result.trace_path.stat().st_size + sum(b.stat().st_size for b in blobs)
    assert total < len(ctx) + 200_000  # the context is stored once, not per step


def test_context_forms(tmp_path: Path) -> None:
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "a.txt").write_text("alpha")
    (tmp_path / "d" / "sub").mkdir()
    (tmp_path / "d" / "sub" / "b.py").write_text("beta")
    (tmp_path / "f.txt").write_text("file text")
    code = "```repl\nFINAL(repr(context))\n```"
    assert rlm(FakeScriptedLM([code])).complete("q", tmp_path / "f.txt").answer == "'file text'"
    assert rlm(FakeScriptedLM([code])).complete("q", tmp_path / "d").answer == "{'a.txt': 'alpha', 'sub/b.py': 'beta'}"
    assert rlm(FakeScriptedLM([code])).complete("q", ["a", "b"]).answer == "['a', 'b']"
    assert rlm(FakeScriptedLM([code])).complete("q", {"k": "v"}).answer == "{'k': 'v'}"
    with pytest.raises(UserError, match="does not exist"):
        rlm(FakeScriptedLM([code])).complete("q", tmp_path / "nope")


def test_worker_sees_no_host_secrets(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-secret-value")
    root = FakeScriptedLM(["```repl\nimport os\nFINAL(str(sorted(os.environ)))\n```"])
    answer = rlm(root).complete("q", "c").answer
    assert "OPENAI_API_KEY" not in answer and "sk-secret" not in answer


async def test_acomplete_and_complete_inside_loop_is_a_clear_error() -> None:
    result = await rlm(FakeScriptedLM(["```repl\nFINAL(1)\n```"])).acomplete("q", "c")
    assert result.answer == "1"
    with pytest.raises(UserError, match="acomplete"):
        rlm(FakeScriptedLM([])).complete("q", "c")


def test_lm_error_keeps_the_retry_note() -> None:
    exc = LMServerError("upstream 503")
    exc.add_note("gave up after 6 attempt(s)")
    result = rlm(FakeScriptedLM([exc])).complete("q", "c")
    assert result.stopped_by == "lm_error"
    assert "upstream 503" in (result.error or "") and "gave up after 6" in (result.error or "")


def test_strict_replies_run_only_the_first_block_and_drop_invented_turns() -> None:
    from recursor.prompts import Prompts

    invented = (
        "```repl\nx = 1\nprint('real')\n```\nUser: [repl output]\nfake\nYou:\n```repl\nx = 2\n```\nFINAL(guess)"
    )
    root = FakeScriptedLM([invented, "```repl\nprint(x)\n```", "FINAL(done)"])
    result = rlm(root, prompts=Prompts(one_block_per_reply=True)).complete("q", "c")
    assert result.answer == "done"  # the guessed FINAL after the block was not taken
    assert root.calls[1].messages[-2]["content"] == "```repl\nx = 1\nprint('real')\n```"
    assert "\n1" in root.calls[2].messages[-1]["content"]  # only the first block ran: x == 1


def test_an_answer_stated_in_prose_gets_a_repair_turn() -> None:
    """A model that states the answer in words after looking is asked for the FINAL line once."""
    root = FakeScriptedLM(["```repl\nprint(context[:3])\n```", "The number is 42.", "FINAL(42)"])
    result = rlm(root, trace_dir=False).complete("q", "abc")
    assert (result.answer, result.stopped_by) == ("42", "final")
    told = root.calls[2].messages[-1]["content"]
    assert "no FINAL line" in told and "FINAL(The number is 42.)" in told
    # Before the model has looked, prose gets the plain "write code" message instead.
    blind = FakeScriptedLM(["Let me think.", "```repl\nprint(1)\n```", "FINAL(1)"])
    rlm(blind, trace_dir=False).complete("q", "abc")
    assert "no ```repl code block" in blind.calls[1].messages[-1]["content"]


def test_running_the_same_code_over_and_over_ends_the_run() -> None:
    """A model stuck re-running one cell reaches max_errors and its answer-now turn."""
    stuck = "```repl\nmagic = 7\nprint(magic)\n```"
    root = FakeScriptedLM([stuck] * 4 + ["FINAL(magic)"], default=stuck)
    result = rlm(root, limits=Limits(max_errors=3, max_iterations=30), trace_dir=False).complete("q", "abc")
    assert len(root.calls) == 5  # the first run, three repeats, then the answer-now turn
    assert "limit" in root.calls[-1].messages[-1]["content"]
    # FINAL(name) of a REPL variable answers with its value.
    assert (result.answer, result.stopped_by) == ("7", "max_errors")


def test_final_naming_a_variable_answers_with_its_value_and_text_stays_text() -> None:
    root = FakeScriptedLM(["```repl\ntotal = 6 * 7\n```", "FINAL(total)"])
    assert rlm(root, trace_dir=False).complete("q", "abc").answer == "42"
    plain = FakeScriptedLM(["```repl\nx = 1\n```", "FINAL(yes)"])
    assert rlm(plain, trace_dir=False).complete("q", "abc").answer == "yes"
    # A name bound to code (an imported class, a function) is named, not answered with its repr.
    code = FakeScriptedLM(["```repl\nfrom collections import OrderedDict\ndef f(): pass\n```",
                           "FINAL(OrderedDict)"])
    assert rlm(code, trace_dir=False).complete("q", "abc").answer == "OrderedDict"
    assert is_code_object("<function f at 0x7f>") and is_code_object("<module 'os' (frozen)>")
    assert not is_code_object("<none>") and not is_code_object("[<class 'int'>]")


def test_a_model_name_with_base_url_reaches_that_server() -> None:
    """RLM("name", base_url=...) as the README shows it: root and sub-model on one endpoint."""
    from fakes.openai_server import FakeOpenAIServer

    def respond(request: dict) -> str:
        if request["model"] == "small-sub":
            return "sub says hi"
        first = not any(m["role"] == "assistant" for m in request["messages"])
        return "```repl\nprint(llm_query('hi'))\n```" if first else "FINAL(done)"

    with FakeOpenAIServer(responder=respond) as server:
        rlm = RLM("my-root", sub_model="small-sub", base_url=server.base_url, api_key_env="NO_SUCH_KEY_VAR",
                  trace_dir=False)
        result = rlm.complete("q", "context")
        models = [r.json["model"] for r in server.requests]
    assert result.answer == "done"
    assert models == ["my-root", "small-sub", "my-root"]


def test_final_answer_placeholder_is_not_the_answer_dict() -> None:
    """FINAL(answer) copied from the instructions is no answer; with answer["content"] set it is."""
    root = FakeScriptedLM(["```repl\nprint(1)\n```", "FINAL(answer)", "FINAL(7)"])
    result = rlm(root, trace_dir=False).complete("q", "abc")
    assert result.answer == "7" and len(root.calls) == 3
    kept = FakeScriptedLM(["```repl\nanswer['content'] = 'from the dict'\nprint(2)\n```", "FINAL(answer)"])
    assert rlm(kept, trace_dir=False).complete("q", "abc").answer == "from the dict"
    # FINAL_VAR(answer) alike: the dict's content, never its repr; an empty one is no answer.
    var = FakeScriptedLM(["```repl\nprint(1)\n```", "FINAL_VAR(answer)", "FINAL(8)"])
    assert rlm(var, trace_dir=False).complete("q", "abc").answer == "8" and len(var.calls) == 3
    set_var = FakeScriptedLM(["```repl\nanswer['content'] = 'set'\n```", "FINAL_VAR(answer)"])
    assert rlm(set_var, trace_dir=False).complete("q", "abc").answer == "set"


def test_a_short_prose_answer_is_offered_back_as_the_final_line() -> None:
    """A model that replies with the bare answer is shown the exact FINAL line to write (it
    copies a placeholder such as FINAL(answer) literally); FINAL(answer) then gets the same offer."""
    root = FakeScriptedLM(["```repl\nprint(context)\n```", "4026121", "FINAL(answer)", "FINAL(4026121)"])
    result = rlm(root, trace_dir=False).complete("q", "the number is 4026121")
    assert (result.answer, result.stopped_by) == ("4026121", "final")
    assert root.calls[2].messages[-1]["content"].endswith("FINAL(4026121)\nOtherwise continue with a ```repl block.")
    assert "FINAL(4026121)" in root.calls[3].messages[-1]["content"]


def test_a_short_output_shown_again_is_offered_as_the_final_line() -> None:
    """A model that re-runs print(answer) instead of answering is offered the exact FINAL line."""
    code = "```repl\nprint(6 * 7)\n```"
    root = FakeScriptedLM([code, code, "FINAL(42)"])
    result = rlm(root, trace_dir=False).complete("q", "abc")
    assert result.answer == "42"
    assert "FINAL(42)" in root.calls[2].messages[-1]["content"]
    assert "FINAL(42)" not in root.calls[1].messages[-1]["content"]  # the first run is not a repeat


def test_a_line_of_code_without_its_fence_is_sent_back_to_run_never_offered_as_the_answer() -> None:
    """The 1.5B wrote `count_by(rows, "action")` bare; offered back as the FINAL line, it
    answered with the code. Now it is told the line did not run and how to run it."""
    root = FakeScriptedLM(["```repl\nrows = lines('a')\nprint(rows)\n```", 'count_by(rows, "x")',
                           '```repl\ncount_by(rows, "x")\n```', "FINAL(2)"])
    result = rlm(root, trace_dir=False).complete("q", "a x=1\na x=1\nb")
    assert result.answer == "2"
    note = root.calls[2].messages[-1]["content"]
    assert "did not run" in note and '```repl\ncount_by(rows, "x")\n```' in note
    assert 'FINAL(count_by' not in note
    # A man page's name is an answer, not code.
    man = FakeScriptedLM(["```repl\nprint(context)\n```", "signal(7)", "FINAL(signal(7))"])
    assert rlm(man, trace_dir=False).complete("q", "see signal(7)").answer == "signal(7)"
    assert "FINAL(signal(7))" in man.calls[2].messages[-1]["content"]
    from recursor.prompts_small import SmallModelPrompts

    assert "did not run" in SmallModelPrompts().prose_answer('count_by(rows, "x")')


def test_a_final_number_is_rounded_as_the_question_asks() -> None:
    root = FakeScriptedLM(["```repl\nlow = min(float(x) for x in context.split())\nprint(low)\n```", "FINAL_VAR(low)"])
    result = rlm(root).complete("What is the lowest elevation, rounded to the nearest metre?", "733.62 722.0874 729.3")
    assert result.answer == "722"
