"""The in-process REPL: model code runs inside the host process. For debugging only.

Opt in with `SandboxOptions(isolation="inprocess")`. It exists so a developer can set a
breakpoint in model code or profile it, and it starts in microseconds. It isolates nothing:

- model code sees the host's environment (API keys included), files, network and memory;
- no limit holds: no memory, CPU, process or file-size cap; `os._exit()` or a segfault ends
  the host, and `os.kill(os.getpid(), 9)` too;
- a cell that overruns `cell_timeout` gets an exception injected into its thread, which stops
  pure-Python loops; code stuck in C, or that catches the exception, keeps its thread running
  forever (the REPL is replaced, the thread is abandoned: Python cannot kill a thread);
- `print()` is captured per cell through a `print` injected into the namespace's builtins,
  *not* by swapping `sys.stdout`, so concurrent REPLs and the host's own threads never race
  for the process-wide stream. The price: writes to `sys.stdout`, `sys.stderr` or fd 1/2, and
  prints from threads that outlive their cell, go to the host's real terminal or to nowhere.

Cells run one at a time on a thread of their own, so sub-calls (`llm_query`, `rlm_query`)
can be served by the host's event loop while the cell waits for them.

Cancelling `run` (the run's deadline) returns at once: the cell's pending sub-calls are
cancelled, an exception is injected into its thread (with the same limits as a timeout: code
in C, such as `time.sleep(30)`, runs on until it returns to Python), and the REPL is replaced,
so the next cell starts from a fresh namespace with the context reloaded.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import ctypes
import threading
import time
from collections.abc import Sequence
from typing import Any

from recursor.context import PreparedContext
from recursor.sandbox import readlog, worker
from recursor.sandbox.base import (
    CellResult,
    Repl,
    SandboxOptions,
    SubcallHandler,
    VarLookup,
    reads_of,
    subcall_reply,
)
from recursor.sandbox.isolation import IsolationReport, detect, warn_once

__all__ = ["InProcessRepl"]

_WARNING = (
    "recursor: isolation='inprocess' runs model-written code INSIDE this process, with no "
    "isolation and no limits: it can read your API keys and files, use the network and end "
    "the process. Use it for debugging only."
)


class _CellTimeout(BaseException):
    """Injected into a cell's thread when it overruns its wall-clock time."""


class _LoopChannel(worker.Channelish):
    """Sub-calls from the cell's thread, served on the host's event loop."""

    def __init__(self, repl: InProcessRepl, loop: asyncio.AbstractEventLoop) -> None:
        self.repl, self.loop = repl, loop

    def call(self, fn: str, args: dict[str, Any]) -> Any:
        future = asyncio.run_coroutine_threadsafe(subcall_reply(self.repl.handler, fn, args), self.loop)
        with self.repl.pending_lock:
            self.repl.pending += 1
            self.repl.calls.add(future)
        try:
            reply = future.result()
        except concurrent.futures.CancelledError:
            raise worker.SubcallError(f"{fn}: cancelled (the REPL was stopped)") from None
        finally:
            with self.repl.pending_lock:
                self.repl.pending -= 1
                self.repl.calls.discard(future)
        return worker.unwrap_reply(reply)


class InProcessRepl(Repl):
    """Model code in the host's own process (see the module docstring for what that means)."""

    def __init__(
        self,
        context: PreparedContext,
        handler: SubcallHandler,
        options: SandboxOptions | None = None,
        tools: Sequence[dict[str, Any]] = (),
    ) -> None:
        self.context = context
        self.handler = handler
        self.options = options or SandboxOptions(isolation="inprocess")
        self.tools = list(tools)
        self.report: IsolationReport = detect("inprocess")
        self.pending = 0
        """Sub-calls in flight; the cell's clock stops while there are any."""
        self.pending_lock = threading.Lock()
        self.calls: set[concurrent.futures.Future[dict[str, Any]]] = set()
        """Sub-calls in flight, cancelled with the cell."""
        self.restarts = 0
        self._lost = False
        self._repl: worker.Repl | None = None
        self._executor: concurrent.futures.ThreadPoolExecutor | None = None
        self._cell_thread: int | None = None

    async def start(self) -> None:
        warn_once("inprocess", _WARNING)
        loop = asyncio.get_running_loop()
        value = await asyncio.to_thread(worker._load_context, str(self.context.path), self.context.kind)
        self._executor = concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="recursor-inprocess")
        self._repl = worker.Repl(_LoopChannel(self, loop), value, self.options.output_limit,
                                 swap_stdio=False, capture=readlog.Capture)
        self._repl.set_tools(self.tools)

    async def run(self, code: str) -> CellResult:
        """Run one cell; cancelling it abandons the cell (see the module docstring)."""
        try:
            result = await self._run(code)
        except asyncio.CancelledError:
            self._abandon()
            raise
        if self._lost and not result.restarted:
            result.restarted = True
            result.notes.insert(0, "The REPL was replaced because the previous cell was cancelled (the run's "
                                   "time ran out): your variables are lost; `context` and the tools were reloaded.")
        self._lost = False
        return result

    def _abandon(self) -> None:
        thread = self._cell_thread
        if thread is not None:
            ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(thread), ctypes.py_object(_CellTimeout))
        with self.pending_lock:
            calls = list(self.calls)
        for future in calls:
            future.cancel()
        if self._executor is not None:
            self._executor.shutdown(wait=False)
        self._repl = self._executor = None
        self._lost = True
        self.restarts += 1

    async def _run(self, code: str) -> CellResult:
        if self._repl is None or self._executor is None:
            await self.start()
        assert self._repl is not None and self._executor is not None
        repl = self._repl
        t0 = time.monotonic()
        future = asyncio.get_running_loop().run_in_executor(self._executor, self._run_cell, repl, code)
        msg = await self._wait(future)
        if msg is None:
            return await self._timed_out(future, t0)
        return _result(msg)

    def _run_cell(self, repl: worker.Repl, code: str) -> dict[str, Any]:
        self._cell_thread = threading.get_ident()
        try:
            return repl.run_cell(code)
        finally:
            self._cell_thread = None

    async def _wait(self, future: asyncio.Future[dict[str, Any]]) -> dict[str, Any] | None:
        """The cell's result, or None after `cell_timeout` seconds not spent in sub-calls."""
        spent, timeout = 0.0, self.options.cell_timeout
        while True:
            t0 = time.monotonic()
            try:
                return await asyncio.wait_for(asyncio.shield(future), 0.1)
            except TimeoutError:
                if not self.pending:
                    spent += time.monotonic() - t0
                if spent >= timeout:
                    return None

    async def _timed_out(self, future: asyncio.Future[dict[str, Any]], t0: float) -> CellResult:
        thread = self._cell_thread
        if thread is not None:
            ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(thread), ctypes.py_object(_CellTimeout))
        try:
            msg = await asyncio.wait_for(asyncio.shield(future), 2.0)
        except TimeoutError:
            msg = None
        limit = f"{self.options.cell_timeout:g} s"
        if msg is not None:
            result = _result(msg)
            result.error = f"TimeoutError: the cell ran longer than {limit} and was stopped."
            return result
        # The thread would not stop: abandon it with its namespace, start a fresh one.
        self.restarts += 1
        if self._executor is not None:
            self._executor.shutdown(wait=False)
        self._repl = self._executor = None
        await self.start()
        return CellResult(
            error=(f"TimeoutError: the cell ran longer than {limit} and could not be stopped. The "
                   "REPL was replaced: your variables are lost; `context` and the tools were reloaded."),
            duration=time.monotonic() - t0,
            restarted=True,
            notes=["in-process mode: the stuck cell's thread is still running in the host"],
        )

    async def get_var(self, name: str) -> VarLookup:
        if self._repl is None:
            await self.start()
        assert self._repl is not None
        msg = self._repl.get_var(name)
        return VarLookup(found=bool(msg["found"]), value=str(msg.get("value", "")),
                         defined=tuple(msg.get("defined", ())), json=msg.get("json"))

    async def close(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=False)
        self._repl = self._executor = None


def _result(msg: dict[str, Any]) -> CellResult:
    return CellResult(
        stdout=msg["stdout"],
        error=msg["error"],
        final=msg["final"],
        final_json=msg.get("final_json"),
        final_source=msg["final_source"],
        duration=float(msg["duration"]),
        stdout_total=int(msg["stdout_total"]),
        notes=list(msg["notes"]),
        reads=reads_of(msg.get("reads")),
    )
