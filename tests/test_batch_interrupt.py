"""Ctrl-C on `recursor batch`, as a terminal sends it: SIGINT to the command's whole process
group, against the fake provider with slow replies.

Once: no new job starts, the running ones finish and are written. Twice: the running ones are
cancelled and left out of OUT, for a rerun. OUT holds whole lines only, and a rerun skips the
finished ids and completes the rest.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from fakes.openai_server import FakeOpenAIServer, Reply

CODE = "```repl\nimport re\nsecret = re.search(r'secret is (\\w+)', context).group(1)\nprint(secret)\n```"


def two_turns(delay: float) -> Callable[[dict[str, Any]], Reply]:
    """An RLM job of two root turns (a REPL cell in its sandbox worker, then FINAL_VAR), each slow."""
    def answer(request: dict[str, Any]) -> Reply:
        return Reply(CODE if len(request["messages"]) <= 2 else "FINAL_VAR(secret)", delay=delay)

    return answer


def write_jobs(path: Path, n: int) -> Path:
    """Jobs whose question names them, as an RLM's root model sees the question, not the context."""
    path.write_text("".join(json.dumps({"id": f"j{i}", "question": f"What is the secret of job j{i}?",
                                        "context": f"The secret is s{i}."}) + "\n" for i in range(n)))
    return path


class Batch:
    """`recursor batch` in a session of its own, so a signal to its group is a terminal's Ctrl-C;
    its stderr is read as it comes, so a test can wait for what the command says."""

    def __init__(self, jobs: Path, out: Path, base_url: str, *args: str) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "recursor.cli", "batch", str(jobs), "--out", str(out), "--model", "m",
             "--base-url", base_url, "--mode", "rlm", "--no-trace", "--retries", "0", "--parallel", "2", *args],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
            env=dict(os.environ), start_new_session=True)
        self._lines: list[str] = []
        assert self.proc.stderr is not None
        self._reader = threading.Thread(target=self._lines.extend, args=(iter(self.proc.stderr.readline, ""),),
                                        daemon=True)
        self._reader.start()

    @property
    def err(self) -> str:
        return "".join(self._lines)

    def ctrl_c(self, then_wait_for: str | None = None) -> None:
        """SIGINT to the group; then wait until stderr says `then_wait_for`. Two signals sent
        before the command has taken the first are one: a process has one pending SIGINT."""
        os.killpg(self.proc.pid, signal.SIGINT)
        if then_wait_for is not None:
            wait_until(lambda: then_wait_for in self.err)

    def wait(self, timeout: float) -> int:
        code = self.proc.wait(timeout)
        self._reader.join(10)
        return code


def wait_until(condition: Callable[[], bool], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


def out_rows(path: Path) -> list[dict[str, Any]]:
    data = path.read_bytes() if path.exists() else b""
    assert not data or data.endswith(b"\n"), "a torn last line"
    return [json.loads(line) for line in data.decode().splitlines()]


def asked(server: FakeOpenAIServer) -> set[str]:
    """The jobs whose calls reached the provider."""
    found = (re.search(r"secret of job (j\d+)", json.dumps(r.json["messages"])) for r in server.requests)
    return {m.group(1) for m in found if m}


def test_ctrl_c_once_finishes_running_jobs_twice_cancels_them_and_a_rerun_completes(tmp_path: Path) -> None:
    jobs = write_jobs(tmp_path / "in.jsonl", 6)
    out = tmp_path / "out.jsonl"

    # Once: the two running jobs finish (their second turn is sent after Ctrl-C) and are written.
    with FakeOpenAIServer(responder=two_turns(1.0)) as server:
        batch = Batch(jobs, out, server.base_url)
        wait_until(lambda: len(server.requests) >= 2)  # both running jobs are in their first turn
        batch.ctrl_c()
        assert batch.wait(60) == 130, batch.err
        first_run = len(server.requests)
    assert "no new jobs start" in batch.err and "4 job(s) not started (interrupted)" in batch.err
    rows = out_rows(out)
    assert sorted(r["id"] for r in rows) == ["j0", "j1"] and first_run == 4 and asked(server) == {"j0", "j1"}
    assert all(r["answer"] == f"s{r['id'][1:]}" and r["stopped_by"] == "final" and "error" not in r for r in rows)

    # Twice: the running jobs (replies that would take 60 s) are cancelled at once, not written.
    with FakeOpenAIServer(responder=two_turns(60.0)) as server:
        batch = Batch(jobs, out, server.base_url)
        wait_until(lambda: len(server.requests) >= 2)
        batch.ctrl_c(then_wait_for="Ctrl-C again cancels")
        t0 = time.monotonic()
        batch.ctrl_c()
        assert batch.wait(60) == 130, batch.err
        stopped_in = time.monotonic() - t0
        second = asked(server)
    assert "cancelling the running jobs" in batch.err and stopped_in < 15
    assert second == {"j2", "j3"}  # the first run's jobs were skipped
    assert sorted(r["id"] for r in out_rows(out)) == ["j0", "j1"]

    # A rerun runs what is left, cancelled jobs included, and nothing already written.
    with FakeOpenAIServer(responder=two_turns(0.05)) as server:
        batch = Batch(jobs, out, server.base_url)
        assert batch.wait(120) == 0, batch.err
        third = asked(server)
    assert third == {"j2", "j3", "j4", "j5"}
    rows = out_rows(out)
    assert sorted(r["id"] for r in rows) == [f"j{i}" for i in range(6)]
    assert all(r["answer"] == f"s{r['id'][1:]}" for r in rows)
