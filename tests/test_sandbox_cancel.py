"""A cancelled cell (the engine's deadline: `asyncio.timeout` around `repl.run`) returns at
once, kills the worker's whole process tree and its sub-calls, and the next cell works."""

from __future__ import annotations

import asyncio
import time
import warnings
from pathlib import Path
from typing import Any

import pytest

from recursor.context import store_context
from recursor.sandbox.base import SandboxOptions
from recursor.sandbox.inprocess import InProcessRepl
from sandbox_helpers import MODES, alive, descendants, make_repl

FORK_AND_SPIN = """
import os, time
if os.fork() == 0:
    time.sleep(60)
    os._exit(0)
"""


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("cell", ["while True: pass", "import time; time.sleep(30)"])
async def test_a_cancelled_cell_kills_the_worker_tree_and_the_next_cell_restarts(
        mode: str, cell: str, tmp_path: Path) -> None:
    repl = make_repl(tmp_path, mode, context="abcdef")
    await repl.start()
    try:
        assert (await repl.run("x = 1")).error is None
        await repl.run(FORK_AND_SPIN)
        assert repl._proc is not None
        tree = {repl._proc.pid} | descendants(repl._proc.pid)
        assert len(tree) >= 2  # the worker (under bwrap: bwrap, its init, the worker) and the fork
        t0 = time.monotonic()
        with pytest.raises(TimeoutError):
            await asyncio.wait_for(repl.run(cell), 1.0)
        assert time.monotonic() - t0 < 2.0
        deadline = time.monotonic() + 1.0
        while any(alive(p) for p in tree) and time.monotonic() < deadline:
            await asyncio.sleep(0.02)
        assert not [p for p in tree if alive(p)]
        assert repl._proc is None
        after = await repl.run("print(len(context), 'x' in dir())")
        assert after.stdout.strip() == "6 False"
        assert after.restarted and "cancelled" in after.notes[0]
        assert (await repl.run("print(1)")).notes == []
    finally:
        await repl.close()
    assert repl._scratch is None


@pytest.mark.parametrize("mode", MODES)
async def test_a_cancel_cancels_the_cells_sub_calls(mode: str, tmp_path: Path) -> None:
    started, cancelled = asyncio.Event(), asyncio.Event()

    async def hang(fn: str, args: dict[str, Any]) -> Any:
        started.set()
        try:
            await asyncio.sleep(3600)
        except asyncio.CancelledError:
            cancelled.set()
            raise

    repl = make_repl(tmp_path, mode, handler=hang)
    try:
        task = asyncio.create_task(repl.run("llm_query('wait forever')"))
        await asyncio.wait_for(started.wait(), 30)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        assert cancelled.is_set()
        assert not repl._calls
    finally:
        await repl.close()


@pytest.mark.parametrize("mode", MODES)
async def test_get_var_and_close_after_a_cancelled_run(mode: str, tmp_path: Path) -> None:
    repl = make_repl(tmp_path, mode)
    await repl.start()
    with pytest.raises(TimeoutError):
        await asyncio.wait_for(repl.run("while True: pass"), 0.5)
    assert (await repl.get_var("context")).value == "ctx"
    await repl.close()
    assert repl._scratch is None and repl._proc is not None and repl._proc.returncode is not None


async def test_inprocess_cancel_returns_and_replaces_the_namespace(tmp_path: Path) -> None:
    repl = InProcessRepl(store_context("abc", tmp_path), lambda fn, a: asyncio.sleep(0),  # type: ignore[arg-type,return-value]
                         SandboxOptions(isolation="inprocess"))
    with warnings.catch_warnings():  # said once per process: maybe already said
        warnings.simplefilter("ignore")
        await repl.start()
    await repl.run("x = 1")
    t0 = time.monotonic()
    with pytest.raises(TimeoutError):
        await asyncio.wait_for(repl.run("while True: pass"), 0.5)
    assert time.monotonic() - t0 < 1.5
    after = await repl.run("print(len(context), 'x' in dir())")
    assert after.stdout.strip() == "3 False" and after.restarted
    await repl.close()
