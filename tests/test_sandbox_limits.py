"""Each SandboxOptions limit, the isolation report, the in-process mode and concurrent children.

Every limit must fail only the cell, be told to the model, and leave the run going.
Run: `python -m pytest tests/test_sandbox_limits.py`.
"""

from __future__ import annotations

import asyncio
import re
import sys
import threading
import time
import warnings
from collections.abc import Sequence
from pathlib import Path

import pytest
from click.testing import CliRunner

from fakes.scripted_lm import FakeScriptedLM
from recursor import RLM, Limits, Message, SandboxOptions
from recursor.cli import main as cli
from recursor.errors import SandboxError
from recursor.sandbox import isolation, process
from recursor.sandbox.isolation import SandboxWarning, bwrap_works
from recursor.sandbox.process import probe

NEEDS_BWRAP = pytest.mark.skipif(not bwrap_works(), reason="bubblewrap is not usable here")
MODES = [pytest.param("bwrap", marks=NEEDS_BWRAP), "process"]


def run_cells(mode: str, *cells: str, **sandbox: object) -> list[str]:
    """Run `cells` one per turn, then answer; returns what the model was shown after each."""
    root = FakeScriptedLM([*(f"```repl\n{c}\n```" for c in cells), "FINAL(done)"])
    options = SandboxOptions(isolation=mode, **sandbox)  # type: ignore[arg-type]
    result = RLM(root, sandbox=options, trace_dir=False).complete("q", "ctx")
    assert result.answer == "done"
    return [str(call.messages[-1]["content"]) for call in root.calls[1:]]


# -- limits ---------------------------------------------------------------------------------
@pytest.mark.parametrize("mode", MODES)
def test_memory_cap_fails_the_cell_and_keeps_the_variables(mode: str) -> None:
    told = run_cells(mode, "keep = 41", "big = 'x' * (600 << 20)", "print(keep + 1)", memory_mb=400)
    assert "MemoryError" in told[1] and "memory cap is 400 MiB" in told[1]
    assert "42" in told[2]


@pytest.mark.parametrize("mode", MODES)
def test_cpu_time_is_counted_across_threads(mode: str) -> None:
    burner = (
        "import threading, time\n"
        "def burn():\n"
        "    t = time.monotonic()\n"
        "    while time.monotonic() - t < 5:\n"
        "        pass\n"
        "threads = [threading.Thread(target=burn) for _ in range(2)]\n"
        "for t in threads:\n    t.start()\n"
        "burn()"
    )
    t0 = time.monotonic()
    told = run_cells(mode, "keep = 1", burner, "print('kept', keep)", cpu_seconds=1.0, cell_timeout=30)
    assert "CPUTimeExceeded" in told[1] and "variables are kept" in told[1]
    assert "kept 1" in told[2] or "restarted" in told[2]  # left-over threads may use up the rest
    assert time.monotonic() - t0 < 15


@pytest.mark.parametrize("mode", MODES)
def test_cpu_limit_that_is_swallowed_ends_the_worker(mode: str) -> None:
    stubborn = "while True:\n    try:\n        while True:\n            pass\n    except BaseException:\n        pass"
    told = run_cells(mode, stubborn, "print('fresh', 'keep' in dir())", cpu_seconds=1.0, cell_timeout=30)
    assert "CPU time" in told[0] and "restarted" in told[0]
    assert "fresh False" in told[1]


@pytest.mark.parametrize("mode", MODES)
def test_file_size_cap(mode: str) -> None:
    code = "with open('big.bin', 'wb') as fh:\n    fh.write(b'x' * (3 << 20))"
    told = run_cells(mode, code, "import os\nprint(os.path.getsize('big.bin') <= 1 << 20)", max_file_mb=1)
    assert "File too large" in told[0]
    assert "True" in told[1]


@pytest.mark.parametrize("mode", MODES)
def test_process_cap_counts_threads_too(mode: str) -> None:
    code = (
        "import threading, time\n"
        "started = 0\n"
        "for _ in range(50):\n"
        "    threading.Thread(target=time.sleep, args=(2,), daemon=True).start()\n"
        "    started += 1"
    )
    told = run_cells(mode, code, "print('started', started)", max_procs=10)
    assert "can't start new thread" in told[0]
    assert int(re.findall(r"started (\d+)", told[1])[0]) <= 10


@pytest.mark.parametrize("mode", MODES)
def test_output_cap_counts_what_was_cut(mode: str) -> None:
    told = run_cells(mode, "for i in range(200_000):\n    print(i)", output_limit=1000)
    assert len(told[0]) < 1500
    assert "0\n1\n2" in told[0] and "199999" in told[0] and "characters of output cut" in told[0]


# -- isolation report, warnings, fallback ------------------------------------------------------
@NEEDS_BWRAP
async def test_bwrap_worker_reports_every_protection() -> None:
    report, seconds = await probe("bwrap")
    assert report.mode == "bwrap" and report.missing == ()
    assert 0 < seconds < 10


async def test_process_worker_reports_what_is_missing() -> None:
    report, _ = await probe("process")
    assert report.mode == "process"
    assert isolation.PROTECTIONS["pid"] in report.missing
    assert isolation.PROTECTIONS["filesystem"] in report.missing
    if isolation._is_root():
        assert isolation.PROTECTIONS["network"] in report.protections
        assert isolation.PROTECTIONS["unprivileged"] in report.protections


def test_missing_protections_are_said_once(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(isolation, "_warned", set())
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for _ in range(2):
            run_cells("process", "print(1)")
    said = [w for w in caught if issubclass(w.category, SandboxWarning)]
    assert len(said) == 1
    assert "own pid namespace" in str(said[0].message)


@NEEDS_BWRAP
def test_auto_falls_back_to_a_process_when_bwrap_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(isolation, "_warned", set())
    monkeypatch.setattr(isolation, "_bwrap_broken", threading.Event())
    monkeypatch.setattr(process, "bwrap_prefix", lambda *a, **k: ["/bin/sh", "-c", "echo no >&2; exit 1", "sh"])
    with pytest.warns(SandboxWarning, match="falling back to a plain process"):
        told = run_cells("auto", "import os\nprint(os.path.exists('/recursor/worker.py'))")
    assert "False" in told[0]
    assert isolation.detect("auto").mode == "process"


def test_explicit_bwrap_never_falls_back(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(isolation, "_bwrap_broken", threading.Event())
    monkeypatch.setattr(process, "bwrap_prefix", lambda *a, **k: ["/bin/sh", "-c", "exit 1", "sh"])
    root = FakeScriptedLM(["```repl\nprint(1)\n```", "FINAL(x)"])
    with pytest.raises(SandboxError, match="did not start"):
        RLM(root, sandbox=SandboxOptions(isolation="bwrap"), trace_dir=False).complete("q", "c")


@pytest.mark.parametrize("mode", MODES)
async def test_a_cancelled_start_leaves_no_worker_or_scratch(mode: str, tmp_path: Path) -> None:
    from recursor.context import store_context

    async def handler(fn: str, args: dict[str, object]) -> object:
        return None

    repl = process.ProcessRepl(store_context("c", tmp_path), handler, SandboxOptions(isolation=mode))  # type: ignore[arg-type]
    task = asyncio.create_task(repl.start())
    while repl._proc is None:
        await asyncio.sleep(0.001)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert repl._proc.returncode is not None
    assert repl._scratch is None


def test_doctor_prints_what_a_real_worker_got() -> None:
    out = CliRunner().invoke(cli, ["doctor"]).output
    assert "process (a worker started in" in out
    assert "[x] empty environment" in out and "[ ] own pid namespace" in out
    if bwrap_works():
        assert "default isolation (--isolation auto): bwrap" in out and "bwrap (a worker started in" in out


# -- in-process debug mode ---------------------------------------------------------------------
def test_inprocess_warns_and_never_swaps_sys_stdout(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(isolation, "_warned", set())
    stdout, stderr = sys.stdout, sys.stderr
    seen: list[object] = []
    root = FakeScriptedLM([
        "```repl\nimport sys\nprint('captured')\nSHOW_VARS()\nFINAL('ok')\n```",
    ])
    with pytest.warns(SandboxWarning, match="INSIDE this process"):
        result = RLM(root, sandbox=SandboxOptions(isolation="inprocess"), trace_dir=False,
                     on_event=lambda e: seen.append(sys.stdout)).complete("q", "c")
    assert result.answer == "ok"
    assert sys.stdout is stdout and sys.stderr is stderr and all(s is stdout for s in seen)


def test_inprocess_timeout_stops_a_python_loop_and_keeps_variables() -> None:
    told = run_cells("inprocess", "keep = 3", "while True:\n    pass", "print('kept', keep)", cell_timeout=0.5)
    assert "TimeoutError" in told[1]
    assert "kept 3" in told[2]


# -- concurrency (issue 3, item 6) -------------------------------------------------------------
def _child(messages: Sequence[Message]) -> str:
    """A child run's root: prints its own context many times, then reports what it saw."""
    if messages[0]["role"] != "system":
        return "plain"
    if len(messages) == 2:
        return ("```repl\nimport time\nmine = context\nfor k in range(40):\n    print(context)\n"
                "    time.sleep(0.002)\n```")
    seen = sorted(set(re.findall(r"ctx-\d+", str(messages[-1]["content"]))))
    return f"```repl\nFINAL(mine + '|' + {','.join(seen)!r})\n```"


@pytest.mark.parametrize("mode", [*MODES, "inprocess"])
def test_concurrent_children_keep_their_output_variables_and_usage(mode: str) -> None:
    n = 8
    root = FakeScriptedLM([
        "```repl\nprint('parent before')\n"
        f"outs = rlm_query_batched([f'child {{i}}' for i in range({n})], contexts=[f'ctx-{{i}}' for i in range({n})])\n"
        "print('parent after')\nfor o in outs:\n    print(o)\n```",
        "FINAL_VAR(outs)",
    ])
    sub = FakeScriptedLM(default=_child, model="sub")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SandboxWarning)
        result = RLM(root, sub_model=sub, limits=Limits(max_depth=2, max_concurrency=n),
                     sandbox=SandboxOptions(isolation=mode)).complete("q", "parent")  # type: ignore[arg-type]
    told = str(root.calls[1].messages[-1]["content"])
    assert "parent before" in told and "parent after" in told
    for i in range(n):
        assert f"ctx-{i}|ctx-{i}\n" in told + "\n", f"child {i} saw another child's output or variables"
    assert result.usage.by_depth[1].calls == 2 * n  # each child's two root turns, none lost or doubled
    assert result.usage.by_depth[0].calls == 2
    assert result.trace_path is not None
    ends = [line for line in Path(result.trace_path).read_text().splitlines() if '"run_end"' in line]
    assert len(ends) == n + 1


async def test_many_repls_in_one_loop_do_not_share_state() -> None:
    """Two runs at once on one event loop: separate trees, separate workers."""
    def script(tag: str) -> FakeScriptedLM:
        return FakeScriptedLM([f"```repl\nx = '{tag}'\n```", "```repl\nFINAL(x + context)\n```"])

    a, b = (RLM(script(t), trace_dir=False) for t in ("a", "b"))
    results = await asyncio.gather(a.acomplete("q", "1"), b.acomplete("q", "2"))
    assert [r.answer for r in results] == ["a1", "b2"]
