"""Replay and resume: recorded fixtures, divergence, recorded failures and limits, kill -9."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from fakes.openai_server import FakeOpenAIServer, Reply
from fakes.scripted_lm import FakeScriptedLM
from fixtures.make_traces import FIXTURES, record
from recursor import RLM, FunctionLM, Limits, Message
from recursor.cli import main
from recursor.errors import LMServerError, UserError
from recursor.replay import Recording, ReplayDivergence, replay_trace, resume_trace
from recursor.trace.reader import read_events

FIXTURE_DIR = Path(__file__).parent / "fixtures" / "traces"


def _cached(trace: Path | None) -> list[dict[str, Any]]:
    assert trace is not None
    return [e for e in read_events(trace) if e.get("cached") and e.get("source") == "trace"]


@pytest.mark.parametrize("name", sorted(FIXTURES))
def test_committed_fixtures_replay_to_their_recorded_answers(name: str, tmp_path: Path) -> None:
    # "loose": a fixture must keep replaying after prompt wording changes; what it guards is
    # that recorded traces stay readable and lead to the same answer.
    rec = Recording.load(FIXTURE_DIR / f"{name}.jsonl")
    outcome = replay_trace(rec.path, mode="loose", trace_dir=tmp_path)
    assert outcome.same_answer, (outcome.result.answer, rec.answer)
    assert outcome.live == 0 and outcome.reused == len(rec.calls())
    assert len(_cached(outcome.result.trace_path)) == outcome.reused
    assert outcome.result.usage.total.calls == outcome.reused


@pytest.mark.parametrize("name", sorted(FIXTURES))
def test_strict_replay_reproduces_a_fresh_recording(name: str, tmp_path: Path) -> None:
    trace = record(name, tmp_path / "rec")
    rec = Recording.load(trace)
    outcome = replay_trace(trace, trace_dir=tmp_path / "replay")
    assert outcome.result.answer == rec.answer and outcome.mismatches == 0
    assert rec.root_end is not None and outcome.result.stopped_by == rec.root_end.stopped_by
    recorded_usage = rec.root_end.calls, rec.root_end.input_tokens
    assert (outcome.result.usage.total.calls, outcome.result.usage.total.input_tokens) == recorded_usage
    # The replay's own trace is replayable in turn.
    again = replay_trace(outcome.result.trace_path, trace_dir=tmp_path / "again")
    assert again.result.answer == rec.answer


def test_cli_replay_prints_the_recorded_answer() -> None:
    result = CliRunner().invoke(main, ["replay", str(FIXTURE_DIR / "needle.jsonl"), "--loose", "--no-trace"])
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == "31337"
    assert "replayed 4 recorded replies" in result.stderr


def _clock_run(tmp_path: Path) -> Path:
    """A run whose second request holds a timestamp, so replaying it cannot match."""
    root = FakeScriptedLM(["```repl\nimport time\nprint(time.time_ns())\n```", "```repl\nx = 2\n```", "FINAL(two)"])
    result = RLM(root, trace_dir=tmp_path / "rec").complete("q", "c")
    assert result.trace_path is not None
    return result.trace_path


def test_divergence_is_a_clear_error_strict_and_tolerated_loose(tmp_path: Path) -> None:
    trace = _clock_run(tmp_path)
    with pytest.raises(ReplayDivergence, match=r"run 'root', root call #2: the request differs"):
        replay_trace(trace, trace_dir=tmp_path / "strict")
    loose = replay_trace(trace, mode="loose", trace_dir=tmp_path / "loose")
    assert loose.result.answer == "two" and loose.mismatches == 2
    cli = CliRunner().invoke(main, ["replay", str(trace), "--no-trace"])
    assert cli.exit_code == 1 and "replay diverged" in cli.stderr


def test_a_divergence_inside_a_sub_call_still_fails_the_replay(tmp_path: Path) -> None:
    root = FakeScriptedLM(["```repl\nimport time\nprint(llm_query(str(time.time_ns())))\n```", "FINAL(x)"])
    result = RLM(root, sub_model=FakeScriptedLM(default="s", model="sub"), trace_dir=tmp_path).complete("q", "c")
    with pytest.raises(ReplayDivergence, match=r"sub call #1"):
        replay_trace(result.trace_path, trace_dir=tmp_path / "r")


def test_resume_goes_live_where_the_recording_diverges(tmp_path: Path) -> None:
    trace = _clock_run(tmp_path)
    live = FakeScriptedLM(["```repl\nx = 3\n```", "FINAL(three)"])
    outcome = resume_trace(trace, model=live, trace_dir=tmp_path / "resumed")
    assert outcome.result.answer == "three"
    assert (outcome.reused, outcome.live, len(live.calls)) == (1, 2, 2)


def test_recorded_failures_and_limits_replay_as_they_happened(tmp_path: Path) -> None:
    failing = FakeScriptedLM(["```repl\nanswer['content'] = 'so far'\n```", LMServerError("down")])
    capped = FakeScriptedLM(["```repl\nanswer['content'] = 'partial'\nprint(llm_query('a'))\n```"],
                            default="```repl\nprint(3)\n```")

    timed = FakeScriptedLM(["```repl\nanswer['content'] = 'before the deadline'\n"
                            "print(llm_query_batched(['a', 'b']))\n```"], default="```repl\nprint(1)\n```")
    runs = [
        RLM(failing, trace_dir=tmp_path / "a"),
        RLM(capped, sub_model=FakeScriptedLM(default="s", model="sub"), limits=Limits(max_calls=2),
            trace_dir=tmp_path / "b"),
        RLM(timed, sub_model=FakeScriptedLM(default="late", model="sub", delay=1.0),
            limits=Limits(timeout=0.6), trace_dir=tmp_path / "c"),
    ]
    for rlm, expected in zip(runs, ["lm_error", "max_calls", "timeout"], strict=True):
        original = rlm.complete("q", "c")
        assert original.stopped_by == expected
        outcome = replay_trace(original.trace_path, trace_dir=tmp_path / "replays")
        assert (outcome.result.stopped_by, outcome.result.answer) == (expected, original.answer)


def _turns(messages: Sequence[Message]) -> int:
    return sum(1 for m in messages if m["role"] == "assistant")


def test_resume_of_a_cut_trace_reruns_cells_and_reuses_replies(tmp_path: Path) -> None:
    trace = record("tree", tmp_path / "rec")
    lines = trace.read_text().splitlines(keepends=True)
    # Cut right after the third root call of the root run, as a kill -9 would.
    cut = [i for i, line in enumerate(lines) if '"lm_call"' in line and '"run_id": "root", "call_id"' in line
           and '"role": "root"' in line][2]
    trace.write_text("".join(lines[: cut + 1]))
    rec = Recording.load(trace)
    assert not rec.finished
    recorded_root = FIXTURES["tree"]()[0].root_lm
    assert isinstance(recorded_root, FakeScriptedLM)
    script = recorded_root.script
    live_root = FunctionLM(lambda m: script[_turns(m)] if m[0]["role"] == "system" else "", model="fake-model")
    seen: list[str] = []

    def live_sub(messages: Sequence[Message]) -> str:
        seen.append(messages[-1]["content"])
        return messages[-1]["content"].split(":")[-1].strip().upper()

    outcome = resume_trace(trace, model=live_root, sub_model=FunctionLM(live_sub, model="fake-sub"),
                           trace_dir=tmp_path / "resumed")
    assert outcome.result.answer == "136 over 3 parts: A.TXT, B.TXT, C.TXT"
    # Recorded: 3 root turns and 3 child turns. Live: the 3 batched sub-calls and the last turn.
    assert outcome.reused == 6 and sorted(seen) == ["name: a.txt", "name: b.txt", "name: c.txt"]
    assert outcome.live == 4


def test_resume_of_a_finished_run_calls_no_model(tmp_path: Path) -> None:
    trace = record("needle", tmp_path)
    never = FakeScriptedLM([], model="never")
    outcome = resume_trace(trace, model=never, sub_model=never, trace_dir=tmp_path / "r")
    assert outcome.same_answer and outcome.live == 0 and never.calls == []


def test_the_context_blob_is_verified(tmp_path: Path) -> None:
    shutil.copytree(FIXTURE_DIR, tmp_path / "f")
    for blob in (tmp_path / "f" / "blobs").glob("context-*.txt"):
        blob.write_text(blob.read_text() + " tampered")
    with pytest.raises(UserError, match="does not match the sha256"):
        Recording.load(tmp_path / "f" / "needle.jsonl").context()


def test_resume_needs_a_model_when_the_trace_cannot_name_one(tmp_path: Path) -> None:
    trace = record("needle", tmp_path)
    with pytest.raises(UserError, match="cannot be rebuilt"):
        resume_trace(trace, trace_dir=tmp_path / "r")


# -- kill -9 for real ------------------------------------------------------------------------

KILL_SCRIPT = [
    "```repl\ntotal = sum(range(1, 4))\nprint(total)\n```",
    "```repl\nextra = llm_query('double ' + str(total))\nprint(extra)\n```",
    "```repl\ntotal += int(extra)\nprint(total)\n```",
    "```repl\nprint('checking', total)\n```",
    "FINAL_VAR(total)",
]


def _respond(request: dict[str, Any]) -> Reply:
    messages = request["messages"]
    if messages[0]["role"] == "system":
        return Reply(KILL_SCRIPT[_turns(messages)], delay=0.4)
    return Reply(str(2 * int(messages[-1]["content"].split()[-1])))


def _lm_calls(trace_dir: Path) -> int:
    traces = list(trace_dir.glob("*.jsonl"))
    return traces[0].read_text().count('"event": "lm_call"') if traces else 0


def test_resume_after_kill_9(tmp_path: Path) -> None:
    trace_dir = tmp_path / "t"
    with FakeOpenAIServer(responder=_respond) as server:
        cmd = [sys.executable, "-m", "recursor.cli", "ask", "What is the total?", "--model", "m",
               "--base-url", server.base_url, "--trace-dir", str(trace_dir), "--isolation", "process"]
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=os.environ.copy())
        try:
            deadline = time.monotonic() + 60
            while _lm_calls(trace_dir) < 3:
                assert proc.poll() is None, proc.communicate()
                assert time.monotonic() < deadline, "the run never got going"
                time.sleep(0.02)
            os.kill(proc.pid, signal.SIGKILL)
        finally:
            proc.kill()
            proc.wait()
        assert proc.returncode == -signal.SIGKILL
        [trace] = trace_dir.glob("*.jsonl")
        rec = Recording.load(trace)
        assert not rec.finished
        recorded = len(rec.calls())
        before = len(server.requests)

        out = CliRunner().invoke(main, ["resume", str(trace), "--trace-dir", str(tmp_path / "r"), "--json"])
        live = len(server.requests) - before

    assert out.exit_code == 0, out.output
    data = json.loads(out.stdout)
    assert data["answer"] == "18"  # needs the REPL state of the recorded cells
    assert data["reused"] == recorded >= 3
    assert live == data["live"] == 6 - recorded
    resumed = Path(data["trace_path"])
    assert len(_cached(resumed)) == recorded
    assert read_events(resumed)[0]["header"]["replay"]["mode"] == "resume"
