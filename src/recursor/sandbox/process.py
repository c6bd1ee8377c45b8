"""A REPL in a worker process (optionally inside bubblewrap), driven over a socketpair.

The host never blocks on the worker: a reader task turns frames into either sub-call tasks
(served concurrently, each answered on the same socket) or responses for the one request in
flight. A cell's timer runs only while no sub-call is pending, so a slow child RLM does not
count against the cell, but an endless loop does. A timeout or a crash kills the worker's
whole process group and starts a fresh one with the context reloaded.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import signal
import socket
import struct
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from recursor.context import PreparedContext
from recursor.errors import BudgetExceeded, RecursorError, SandboxError
from recursor.sandbox.base import CellResult, Repl, SandboxOptions, SubcallHandler, VarLookup
from recursor.sandbox.isolation import bwrap_prefix, detect, worker_env

__all__ = ["ProcessRepl"]

_HEADER = struct.Struct(">I")
_WORKER = Path(__file__).with_name("worker.py")
_START_TIMEOUT = 120.0


class _WorkerDied(Exception):
    pass


class ProcessRepl(Repl):
    """One persistent REPL in a separate process. Not shared between runs."""

    def __init__(
        self,
        context: PreparedContext,
        handler: SubcallHandler,
        options: SandboxOptions | None = None,
    ) -> None:
        self.context = context
        self.handler = handler
        self.options = options or SandboxOptions()
        self.report = detect(self.options.isolation)
        self._proc: asyncio.subprocess.Process | None = None
        self._writer: asyncio.StreamWriter | None = None
        self._reader_task: asyncio.Task[None] | None = None
        self._stderr_task: asyncio.Task[None] | None = None
        self._responses: asyncio.Queue[dict[str, Any] | None] = asyncio.Queue()
        self._calls: set[asyncio.Task[None]] = set()
        self._scratch: tempfile.TemporaryDirectory[str] | None = None
        self._stderr_tail = b""
        self.restarts = 0

    # -- lifecycle -------------------------------------------------------------------------
    async def start(self) -> None:
        if self._scratch is None:
            self._scratch = tempfile.TemporaryDirectory(prefix="recursor-scratch-")
        scratch = Path(self._scratch.name)
        parent_sock, child_sock = socket.socketpair()
        argv = [
            self.options.python or sys.executable,
            "-I",
            str(_WORKER),
            "--fd",
            str(child_sock.fileno()),
            "--context",
            str(self.context.path.resolve()),
            "--kind",
            self.context.kind,
            "--output-limit",
            str(self.options.output_limit),
            "--limits",
            json.dumps(self._limits()),
        ]
        if self.report.mode == "bwrap":
            argv = [*bwrap_prefix(scratch, (_WORKER, self.context.path)), *argv]
        try:
            self._proc = await asyncio.create_subprocess_exec(
                *argv,
                stdin=asyncio.subprocess.DEVNULL,
                stdout=asyncio.subprocess.DEVNULL,
                stderr=asyncio.subprocess.PIPE,
                env=worker_env(scratch),
                cwd=scratch,
                pass_fds=(child_sock.fileno(),),
                start_new_session=True,
            )
        except OSError as exc:
            parent_sock.close()
            raise SandboxError(f"cannot start the REPL worker: {exc}") from exc
        finally:
            child_sock.close()
        reader, self._writer = await asyncio.open_unix_connection(sock=parent_sock)
        self._responses = asyncio.Queue()
        self._reader_task = asyncio.create_task(self._read_loop(reader))
        self._stderr_task = asyncio.create_task(self._drain_stderr())
        try:
            msg = await asyncio.wait_for(self._responses.get(), _START_TIMEOUT)
        except TimeoutError:
            msg = None
        if msg is None or msg.get("type") != "ready":
            detail = self._stderr_tail.decode(errors="replace")[-800:]
            await self._kill()
            raise SandboxError(f"the REPL worker did not start ({self.report.mode}): {detail.strip()}")

    def _limits(self) -> dict[str, int]:
        mem_mb = self.options.memory_mb or (2048 + 8 * (self.context.n_chars >> 20))
        return {
            "memory_bytes": mem_mb << 20,
            "file_bytes": self.options.max_file_mb << 20,
            "max_procs": self.options.max_procs,
        }

    async def close(self) -> None:
        if self._writer is not None and self._proc is not None and self._proc.returncode is None:
            with contextlib.suppress(Exception):
                self._send({"type": "shutdown"})
                await asyncio.wait_for(self._proc.wait(), 2.0)
        await self._kill()
        if self._scratch is not None:
            self._scratch.cleanup()
            self._scratch = None

    async def _kill(self) -> None:
        for task in list(self._calls):
            task.cancel()
        self._calls.clear()
        if self._proc is not None and self._proc.returncode is None:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(self._proc.pid, signal.SIGKILL)
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self._proc.wait(), 5.0)
        if self._writer is not None:
            self._writer.close()
            self._writer = None
        for io_task in (self._reader_task, self._stderr_task):
            if io_task is not None:
                io_task.cancel()
                with contextlib.suppress(BaseException):
                    await io_task

    async def _restart(self) -> None:
        self.restarts += 1
        await self._kill()
        await self.start()

    # -- I/O ---------------------------------------------------------------------------------
    def _send(self, msg: dict[str, Any]) -> None:
        if self._writer is None:
            raise _WorkerDied
        data = json.dumps(msg, ensure_ascii=False).encode("utf-8", errors="surrogatepass")
        self._writer.write(_HEADER.pack(len(data)) + data)

    async def _read_loop(self, reader: asyncio.StreamReader) -> None:
        try:
            while True:
                (size,) = _HEADER.unpack(await reader.readexactly(_HEADER.size))
                msg = json.loads((await reader.readexactly(size)).decode("utf-8", errors="surrogatepass"))
                if msg.get("type") == "call":
                    task = asyncio.create_task(self._serve_call(msg))
                    self._calls.add(task)
                    task.add_done_callback(self._calls.discard)
                else:
                    await self._responses.put(msg)
        except (asyncio.IncompleteReadError, ConnectionError, OSError, ValueError):
            await self._responses.put(None)

    async def _drain_stderr(self) -> None:
        assert self._proc is not None and self._proc.stderr is not None
        while chunk := await self._proc.stderr.read(65536):
            self._stderr_tail = (self._stderr_tail + chunk)[-4096:]

    async def _serve_call(self, msg: dict[str, Any]) -> None:
        reply: dict[str, Any] = {"type": "reply", "id": msg["id"]}
        try:
            reply["value"] = await self.handler(msg["fn"], msg.get("args") or {})
        except asyncio.CancelledError:
            raise
        except BudgetExceeded as exc:
            reply["error"] = f"budget exhausted ({exc.limit}): no more sub-calls can be made"
        except RecursorError as exc:
            reply["error"] = f"{type(exc).__name__}: {exc}"
        except Exception as exc:  # a host bug must not hang the worker forever
            reply["error"] = f"internal error in {msg.get('fn')}: {type(exc).__name__}: {exc}"
        with contextlib.suppress(_WorkerDied, ConnectionError, OSError):
            self._send(reply)
            if self._writer is not None:
                await self._writer.drain()

    async def _await_response(self, timeout: float | None) -> dict[str, Any]:
        """The next response; the clock stops while sub-calls are pending."""
        spent = 0.0
        while True:
            tick = 0.25
            if timeout is not None and not self._calls:
                tick = min(tick, max(timeout - spent, 0.0))
            t0 = time.monotonic()
            try:
                msg = await asyncio.wait_for(self._responses.get(), tick)
            except TimeoutError:
                if not self._calls:
                    spent += time.monotonic() - t0
                if timeout is not None and spent >= timeout:
                    raise
                continue
            if msg is None:
                raise _WorkerDied
            return msg

    # -- the Repl interface --------------------------------------------------------------------
    async def run(self, code: str) -> CellResult:
        if self._proc is None:
            await self.start()
        t0 = time.monotonic()
        try:
            self._send({"type": "exec", "code": code})
            msg = await self._await_response(self.options.cell_timeout)
        except TimeoutError:
            await self._restart()
            return CellResult(
                error=(
                    f"TimeoutError: the cell ran longer than {self.options.cell_timeout:g} s and was "
                    "stopped. The REPL was restarted: your variables are lost; `context` and the "
                    "tools were reloaded."
                ),
                duration=time.monotonic() - t0,
                restarted=True,
            )
        except _WorkerDied:
            cause = await self._death_cause()
            await self._restart()
            return CellResult(
                error=(
                    f"The REPL process died ({cause}). It was restarted: your variables are lost; "
                    "`context` and the tools were reloaded."
                ),
                duration=time.monotonic() - t0,
                restarted=True,
            )
        return CellResult(
            stdout=msg.get("stdout", ""),
            error=msg.get("error"),
            final=msg.get("final"),
            final_source=msg.get("final_source"),
            duration=float(msg.get("duration", 0.0)),
            stdout_total=int(msg.get("stdout_total", 0)),
            notes=list(msg.get("notes", [])),
        )

    async def _death_cause(self) -> str:
        if self._proc is None:
            return "not running"
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._proc.wait(), 2.0)
        code = self._proc.returncode
        if code is None:
            return "its pipe closed"
        if code < 0 or (self.report.mode == "bwrap" and code > 128):
            signum = -code if code < 0 else code - 128  # bwrap reports a child's signal as 128+N
            try:
                name = signal.Signals(signum).name
            except ValueError:
                name = f"signal {signum}"
            hint = " - likely out of memory" if name == "SIGKILL" else ""
            return f"killed by {name}{hint}"
        return f"exit code {code}"

    async def get_var(self, name: str) -> VarLookup:
        if self._proc is None:
            await self.start()
        try:
            self._send({"type": "get_var", "name": name})
            msg = await self._await_response(30.0)
        except (TimeoutError, _WorkerDied):
            await self._restart()
            return VarLookup(found=False)
        return VarLookup(
            found=bool(msg.get("found")),
            value=str(msg.get("value", "")),
            defined=tuple(msg.get("defined", ())),
        )
