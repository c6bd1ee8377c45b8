"""Replay and resume of the traces that are not one plain run: sessions (several questions in
one trace), runs that called host tools, and typed runs. Scripted models, real workers."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from fakes.scripted_lm import FakeScriptedLM
from recursor import RLM
from recursor.cli import main
from recursor.lm.base import Message
from recursor.trace.reader import read_events
from recursor.trace.replay import Recording, replay_trace, resume_trace


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
