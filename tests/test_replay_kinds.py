"""Replay and resume of the traces that are not one plain run: sessions (several questions in
one trace), runs that called host tools, and typed runs. Scripted models, real workers."""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from fakes.scripted_lm import FakeScriptedLM
from recursor import RLM, MCPTools, UserError
from recursor.cli import main
from recursor.lm.base import Message
from recursor.replay import Recording, ReplayDivergence, replay_trace, resume_trace
from recursor.trace.reader import read_events


def cell(code: str) -> str:
    return f"```repl\n{code}\n```"


def final_of_output(messages: Sequence[Message]) -> str:
    """Answer with the first line the last cell printed."""
    return f"FINAL({messages[-1]['content'].splitlines()[1]})"


def lines_of(trace: Path | None) -> list[dict[str, Any]]:
    assert trace is not None
    return read_events(trace)


# -- sessions ---------------------------------------------------------------------------------

SESSION_SCRIPT = [
    cell("secret = 42\nnote = llm_query('remember this')\nprint(secret)"), final_of_output,
    cell("print(secret + len(context_1), note)"), final_of_output,
    cell("print(len(history), context_1)"), final_of_output,
]


def _session(trace_dir: Path) -> Path:
    rlm = RLM(FakeScriptedLM(SESSION_SCRIPT), sub_model=FakeScriptedLM(default="SUB", model="sub"),
              trace_dir=trace_dir)
    with rlm.session() as session:
        assert session.ask("q1", context="first").answer == "42"
        assert session.ask("q2", context="second").answer == "48 SUB"
        assert session.ask("and now?").answer == "2 second"
    assert session.trace_path is not None
    return session.trace_path


def test_a_session_trace_replays_question_by_question(tmp_path: Path) -> None:
    trace = _session(tmp_path / "rec")
    rec = Recording.load(trace)
    assert rec.is_session and [q.run_id for q in rec.questions] == ["q1", "q2", "q3"]
    outcome = replay_trace(trace, trace_dir=tmp_path / "replay")
    assert [r.answer for r in outcome.results] == ["42", "48 SUB", "2 second"]
    assert outcome.same_answer and outcome.reused == 7 and outcome.mismatches == 0
    # The replay wrote a session trace of its own, which replays in turn.
    again = replay_trace(outcome.result.trace_path, trace_dir=False)
    assert again.same_answer and again.recorded_answers == ("42", "48 SUB", "2 second")


def test_cli_replay_of_a_session_prints_every_answer(tmp_path: Path) -> None:
    trace = _session(tmp_path / "rec")
    out = CliRunner().invoke(main, ["replay", str(trace), "--no-trace"])
    assert out.exit_code == 0, out.output
    assert out.stdout.splitlines() == ["42", "48 SUB", "2 second"]
    assert "over 3 questions" in out.stderr


def test_resume_of_a_session_killed_in_its_second_question(tmp_path: Path) -> None:
    trace = _session(tmp_path / "rec")
    lines = trace.read_text().splitlines(keepends=True)
    cut = next(i for i, line in enumerate(lines) if '"lm_call"' in line and '"run_id": "q2"' in line)
    trace.write_text("".join(lines[: cut + 1]))  # killed after q2's first root call
    rec = Recording.load(trace)
    assert not rec.finished and [q.answer for q in rec.questions] == ["42", None]
    live = FakeScriptedLM([final_of_output])
    outcome = resume_trace(trace, model=live, sub_model=FakeScriptedLM(model="sub"),
                           trace_dir=tmp_path / "resumed")
    assert [r.answer for r in outcome.results] == ["42", "48 SUB"]
    assert (outcome.reused, outcome.live, len(live.calls)) == (4, 1, 1)
    starts = [e["run_id"] for e in lines_of(outcome.result.trace_path) if e["event"] == "run_start"]
    assert starts == ["q1", "q2"]


def test_a_session_replay_that_diverges_names_the_question(tmp_path: Path) -> None:
    trace = _session(tmp_path / "rec")
    text = trace.read_text().replace('"question": "q2"', '"question": "q2 edited"')
    trace.write_text(text)
    out = CliRunner().invoke(main, ["replay", str(trace), "--no-trace"])
    assert out.exit_code == 1
    assert "run 'q2', root call #1: the request differs" in out.stderr


# -- typed runs -------------------------------------------------------------------------------

PERSON = {"type": "object", "properties": {"name": {"type": "string"}, "age": {"type": "integer"}},
          "required": ["name", "age"], "additionalProperties": False}
LOOK = cell("print(context[:20])")
TYPED_SCRIPT = [LOOK, 'FINAL({"name": "Ann", "age": "41"})', 'FINAL({"name": "Ann", "age": 41})']


def test_a_typed_run_replays_with_its_schema_and_retries(tmp_path: Path) -> None:
    rlm = RLM(FakeScriptedLM(TYPED_SCRIPT), trace_dir=tmp_path / "rec", mode="rlm")
    original = rlm.complete("Who?", "Ann is 41.", output_type=PERSON, output_retries=1)
    start = lines_of(original.trace_path)[0]
    assert start["output"] == {"schema": PERSON, "name": "output", "kind": "json_schema", "retries": 1}
    outcome = replay_trace(original.trace_path, trace_dir=tmp_path / "replay")
    assert outcome.same_answer and outcome.result.output == {"name": "Ann", "age": 41}
    assert outcome.result.iterations == 3 and outcome.notes == ()  # the retry turn came back too


def test_a_typed_direct_run_replays(tmp_path: Path) -> None:
    root = FakeScriptedLM(['{"name": "Ann"}', '{"name": "Ann", "age": 41}'])
    original = RLM(root, trace_dir=tmp_path, mode="direct").complete("Who?", "Ann is 41.", output_type=PERSON)
    outcome = replay_trace(original.trace_path, trace_dir=False)
    assert outcome.same_answer and outcome.result.mode == "direct" and outcome.result.output == original.output


def test_a_pydantic_typed_run_replays_from_its_schema_or_with_the_model(tmp_path: Path) -> None:
    pydantic = pytest.importorskip("pydantic")

    class Person(pydantic.BaseModel):
        name: str
        age: int

    rlm = RLM(FakeScriptedLM(TYPED_SCRIPT), trace_dir=tmp_path, mode="rlm")
    original = rlm.complete("Who?", "Ann is 41.", output_type=Person)
    # pydantic coerces "41": the first answer was valid, and its JSON is pydantic's own.
    assert original.answer == '{"name":"Ann","age":41}' and original.iterations == 2
    # The schema alone refuses "41": the run goes elsewhere, and the error says why it may have.
    with pytest.raises(ReplayDivergence, match="not by Person itself"):
        replay_trace(original.trace_path, trace_dir=False)
    own = replay_trace(original.trace_path, trace_dir=False, output_type=Person)
    assert own.same_answer and isinstance(own.result.output, Person) and own.notes == ()


def test_a_pydantic_run_replayed_from_its_schema_is_noted_and_compared_as_json(tmp_path: Path) -> None:
    pydantic = pytest.importorskip("pydantic")

    class Person(pydantic.BaseModel):
        name: str
        age: int

    rlm = RLM(FakeScriptedLM([LOOK, 'FINAL({"name": "Ann", "age": 41})']), trace_dir=tmp_path, mode="rlm")
    original = rlm.complete("Who?", "Ann is 41.", output_type=Person)
    out = CliRunner().invoke(main, ["replay", str(original.trace_path), "--no-trace"])
    assert out.exit_code == 0, out.output
    assert json.loads(out.stdout) == {"name": "Ann", "age": 41}  # dumped by json, not pydantic
    assert "checked against the recorded JSON Schema of Person (pydantic)" in out.stderr
    with pytest.raises(UserError, match="does not have the JSON Schema root was recorded with"):
        replay_trace(original.trace_path, trace_dir=False, output_type=PERSON)


def test_a_typed_session_question_replays(tmp_path: Path) -> None:
    root = FakeScriptedLM([LOOK, "FINAL(plain)", *TYPED_SCRIPT])
    with RLM(root, trace_dir=tmp_path).session() as session:
        session.ask("q1", context="Ann is 41.")
        typed = session.ask("Who?", output_type=PERSON)
    assert typed.output == {"name": "Ann", "age": 41}
    outcome = replay_trace(session.trace_path, trace_dir=False)
    assert outcome.same_answer and [r.output for r in outcome.results] == [None, {"name": "Ann", "age": 41}]


def test_a_typed_trace_without_its_schema_is_refused(tmp_path: Path) -> None:
    rlm = RLM(FakeScriptedLM(TYPED_SCRIPT), trace_dir=tmp_path, mode="rlm")
    trace = rlm.complete("Who?", "Ann is 41.", output_type=PERSON).trace_path
    assert trace is not None
    events = read_events(trace)
    del events[0]["output"]  # as an older recursor wrote it
    trace.write_text("".join(json.dumps(e) + "\n" for e in events))
    with pytest.raises(UserError, match=r"root is a typed run .* recorded before traces kept its schema"):
        replay_trace(trace, trace_dir=False)


# -- runs with host tools ---------------------------------------------------------------------

class Weather:
    """A host tool whose every call is seen, and whose result changes each time: a replay that
    called it again would get another answer."""

    def __init__(self) -> None:
        self.seen: list[str] = []

    def tools(self) -> list[Any]:
        def weather(city: str, units: str = "c") -> dict:
            """Current weather of a city."""
            self.seen.append(city)
            return {"city": city, "temp": 20 + len(self.seen)}

        def boom(reason: str) -> str:
            """Always raises."""
            self.seen.append("boom")
            raise ValueError(reason)

        return [weather, boom]


TOOL_SCRIPT = [
    cell("w = weather('Paris', units='f')\nprint(w['temp'])\ntry:\n    boom('no')\nexcept Exception as e:\n"
         "    print(type(e).__name__, e)"),
    cell("print(weather('Oslo')['temp'], w['temp'])"),
    final_of_output,
]


def _tool_run(tmp_path: Path, host: Weather) -> Path:
    result = RLM(FakeScriptedLM(TOOL_SCRIPT), tools=host.tools(), trace_dir=tmp_path / "rec").complete("q", "ctx")
    assert result.answer == "23 21" and host.seen == ["Paris", "boom", "Oslo"]
    assert result.trace_path is not None
    return result.trace_path


def test_a_tool_run_replays_with_the_recorded_results_and_calls_no_tool(tmp_path: Path) -> None:
    host = Weather()
    trace = _tool_run(tmp_path, host)
    assert [t["name"] for t in lines_of(trace)[0]["tools"]] == ["weather", "boom"]
    outcome = replay_trace(trace, trace_dir=tmp_path / "replay")
    assert outcome.same_answer and outcome.tools_reused == 3
    assert host.seen == ["Paris", "boom", "Oslo"]  # nothing ran again
    replayed = [e for e in lines_of(outcome.result.trace_path) if e["event"] == "tool_call"]
    assert [(e["name"], e["cached"], e["source"]) for e in replayed] == [
        ("weather", True, "trace"), ("boom", True, "trace"), ("weather", True, "trace")]
    assert replayed[1]["error"] == "boom raised ValueError: no"
    again = CliRunner().invoke(main, ["replay", str(outcome.result.trace_path), "--no-trace"])
    assert again.exit_code == 0 and again.stdout.strip() == "23 21", again.output
    assert "and 3 tool results" in again.stderr


def test_resume_reuses_recorded_tool_results_and_calls_the_given_tools_live(tmp_path: Path) -> None:
    host = Weather()
    trace = _tool_run(tmp_path, host)
    lines = trace.read_text().splitlines(keepends=True)
    cut = [i for i, line in enumerate(lines) if '"lm_call"' in line][1]
    trace.write_text("".join(lines[: cut + 1]))  # killed after the second root reply, before its cell
    live = Weather()
    outcome = resume_trace(trace, model=FakeScriptedLM([final_of_output]), tools=live.tools(),
                           trace_dir=tmp_path / "resumed")
    assert live.seen == ["Oslo"] and outcome.tools_reused == 2  # Paris and boom came from the trace
    assert outcome.result.answer == "21 21"
    # Without the tools, the call the trace does not hold fails in the cell, saying why.
    alone = resume_trace(trace, model=FakeScriptedLM([lambda m: f"FINAL({m[-1]['content'][:300]})"]),
                         trace_dir=False)
    assert "weather cannot be called: this run is answered from its trace" in alone.result.answer


def test_a_tool_call_with_other_arguments_is_a_divergence(tmp_path: Path) -> None:
    trace = _tool_run(tmp_path, Weather())
    text = trace.read_text()
    first = json.loads(next(line for line in text.splitlines() if '"tool_call"' in line))
    trace.write_text(text.replace(first["args_hash"], "0" * 64, 1))
    with pytest.raises(ReplayDivergence, match=r"run 'root', tool call #1 \(weather\): the recorded call was "
                                               "weather with other arguments"):
        replay_trace(trace, trace_dir=False)


def test_a_tool_trace_from_before_results_were_recorded_is_refused(tmp_path: Path) -> None:
    trace = _tool_run(tmp_path, Weather())
    events = read_events(trace)
    for e in events:
        e.pop("result", None)
    trace.write_text("".join(json.dumps(e) + "\n" for e in events))
    with pytest.raises(UserError, match=r"records 2 tool call\(s\) without their results"):
        replay_trace(trace, trace_dir=False)
    del events[0]["tools"]
    trace.write_text("".join(json.dumps(e) + "\n" for e in events))
    with pytest.raises(UserError, match="records calls of host tools but not the tools"):
        replay_trace(trace, trace_dir=False)


def test_a_session_resume_rebuilds_without_calling_its_tools_again(tmp_path: Path) -> None:
    host = Weather()
    root = FakeScriptedLM([cell("w = weather('Paris')\nprint(w['temp'])"), final_of_output])
    with RLM(root, tools=host.tools(), trace_dir=tmp_path).session() as session:
        assert session.ask("q1", context="c").answer == "21"
    later = FakeScriptedLM([cell("print(w['city'], weather('Rome')['temp'])"), final_of_output])
    with RLM(later, tools=host.tools(), trace_dir=tmp_path).session(resume=session.trace_path) as resumed:
        assert resumed.ask("q2").answer == "Paris 22"
    assert host.seen == ["Paris", "Rome"]  # the rebuild took Paris from the trace
    calls = [(e["run_id"], e["name"]) for e in lines_of(session.trace_path) if e["event"] == "tool_call"]
    assert calls == [("q1", "weather"), ("q2", "weather")]  # the rebuild's replayed call is not written again


def test_an_mcp_tools_run_replays_without_starting_the_server(tmp_path: Path) -> None:
    pytest.importorskip("mcp")
    pidfile = tmp_path / "server.pid"
    server = MCPTools([sys.executable, str(Path(__file__).parent / "fakes" / "mcp_tools_server.py"), str(pidfile)])
    root = FakeScriptedLM([cell("print(add(40), shout_it('hi'))"), final_of_output])
    original = RLM(root, tools=[server], trace_dir=tmp_path / "rec").complete("q", "ctx")
    assert original.answer == "42 HI"
    pidfile.unlink()
    outcome = replay_trace(original.trace_path, trace_dir=False)
    assert outcome.same_answer and outcome.tools_reused == 2
    assert not pidfile.exists()  # the server was never started
