"""Replay and resume of the traces that are not one plain run: sessions (several questions in
one trace), runs that called host tools, and typed runs. Scripted models, real workers."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from fakes.scripted_lm import FakeScriptedLM
from recursor import RLM, UserError
from recursor.cli import main
from recursor.lm.base import Message
from recursor.trace.reader import read_events
from recursor.trace.replay import Recording, ReplayDivergence, replay_trace, resume_trace


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
