"""A REPL in a worker process (inside bubblewrap where it works), driven over a socketpair.

The host never blocks on the worker: a reader task turns frames into either sub-call tasks
(served concurrently, each answered on the same socket) or responses for the one request in
flight. A cell's timer runs only while no sub-call is pending, so a slow child RLM does not
count against the cell, but an endless loop does. A timeout or a crash kills the worker's
whole process tree and starts a fresh one with the context reloaded.

The worker is untrusted: model code can reach its Python objects and write raw bytes to the
socket. So every frame is size-capped and checked, responses are matched to requests by id,
and the host truncates output again rather than trusting the worker's cap.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
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
from recursor.errors import SandboxError
from recursor.sandbox.base import (
    CellResult,
    Repl,
    SandboxOptions,
    SubcallHandler,
    VarLookup,
    subcall_reply,
)
from recursor.sandbox.isolation import (
    SANDBOX_PATH,
    IsolationReport,
    WorkerPlan,
    bwrap_prefix,
    detect,
    mark_bwrap_broken,
    plan_worker,
    warn_once,
    worker_env,
)
from recursor.sandbox.worker import EXIT_CPU, EXIT_HARDEN

__all__ = ["ProcessRepl", "probe"]

_HEADER = struct.Struct(">I")
_WORKER = Path(__file__).with_name("worker.py")
_START_TIMEOUT = 120.0
_MAX_FRAME = 256 << 20
"""Largest frame the host accepts. Sub-call prompts can be large; a worker that claims more
is broken or hostile, and is restarted rather than buffered."""
_MAX_PENDING_CALLS = 1024
"""Sub-calls one worker may have in flight. Honest code blocks on each call (a few threads at
most); a worker writing call frames without waiting is flooding the host and is restarted."""


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
        self.report: IsolationReport = detect(self.options.isolation)
        """Predicted before start; what the worker reported once it is ready."""
        self.plan: WorkerPlan = plan_worker(self.report.mode)
        self.start_seconds: float | None = None
        """How long the last worker took from spawn to ready."""
        self._proc: asyncio.subprocess.Process | None = None
        self._writer: asyncio.StreamWriter | None = None
        self._reader_task: asyncio.Task[None] | None = None
        self._stderr_task: asyncio.Task[None] | None = None
        self._responses: asyncio.Queue[dict[str, Any] | None] = asyncio.Queue()
        self._calls: set[asyncio.Task[None]] = set()
        self._scratch: tempfile.TemporaryDirectory[str] | None = None
        self._stderr_tail = b""
        self._broken: str | None = None
        self._ids = itertools.count(1)
        self.restarts = 0

    # -- lifecycle -------------------------------------------------------------------------
    async def start(self) -> None:
        try:
            await self._start()
        except BaseException:
            # Failed or cancelled half-way (the loop cancels a start it no longer needs):
            # leave no worker and no scratch dir behind.
            await asyncio.shield(self.close())
            raise

    async def _start(self) -> None:
        try:
            await self._spawn()
        except SandboxError as exc:
            if self.options.isolation != "auto" or self.report.mode != "bwrap":
                raise
            mark_bwrap_broken()
            warn_once("bwrap-broken", f"recursor: bubblewrap could not start the REPL worker ({exc}); "
                                      "falling back to a plain process")
            self.report = detect("auto")
            self.plan = plan_worker(self.report.mode)
            await self._spawn()

    def _scratch_dir(self) -> Path:
        """The one writable directory; it outlives restarts and belongs to the worker's uid."""
        if self._scratch is None:
            self._scratch = tempfile.TemporaryDirectory(prefix="recursor-scratch-")
            os.chmod(self._scratch.name, 0o700)
        if self.plan.uid is not None:  # again after a fallback: the new plan has a new uid
            os.chown(self._scratch.name, self.plan.uid, self.plan.uid)
        return Path(self._scratch.name)

    async def _spawn(self) -> None:
        scratch = self._scratch_dir()
        env = worker_env(scratch)
        bwrap = self.report.mode == "bwrap"
        parent_sock, child_sock = socket.socketpair()
        try:
            ctx_fd = os.open(self.context.path, os.O_RDONLY | os.O_CLOEXEC)
        except OSError as exc:
            parent_sock.close()
            child_sock.close()
            raise SandboxError(f"cannot open the stored context {self.context.path}: {exc}") from exc
        argv = [
            self.options.python or sys.executable,
            "-I",
            SANDBOX_PATH if bwrap else str(_WORKER),
            "--fd", str(child_sock.fileno()),
            "--context-fd", str(ctx_fd),
            "--kind", self.context.kind,
            "--output-limit", str(self.options.output_limit),
            "--limits", json.dumps(self._limits()),
            "--harden", json.dumps({**self.plan.harden, "cwd": str(scratch)}),
        ]
        if bwrap:
            argv = [*bwrap_prefix(scratch, _WORKER, env, privileged=self.plan.uid is not None), *argv]
        t0 = time.monotonic()
        try:
            self._proc = await asyncio.create_subprocess_exec(
                *argv,
                stdin=asyncio.subprocess.DEVNULL,
                stdout=asyncio.subprocess.DEVNULL,
                stderr=asyncio.subprocess.PIPE,
                env=env,
                cwd=scratch,
                pass_fds=(child_sock.fileno(), ctx_fd),
                start_new_session=True,
            )
        except OSError as exc:
            parent_sock.close()
            raise SandboxError(f"cannot start the REPL worker: {exc}") from exc
        finally:
            child_sock.close()
            os.close(ctx_fd)
        reader, self._writer = await asyncio.open_unix_connection(sock=parent_sock, limit=1 << 20)
        self._responses = asyncio.Queue()
        self._broken = None
        self._reader_task = asyncio.create_task(self._read_loop(reader))
        self._stderr_task = asyncio.create_task(self._drain_stderr())
        try:
            msg = await asyncio.wait_for(self._responses.get(), _START_TIMEOUT)
        except TimeoutError:
            msg = None
        if msg is None or msg.get("type") != "ready":
            code = self._proc.returncode
            detail = self._stderr_tail.decode(errors="replace")[-800:].strip()
            await self._kill()
            why = " (a required protection could not be applied)" if code == EXIT_HARDEN else ""
            raise SandboxError(f"the REPL worker did not start ({self.report.mode}){why}: {detail}")
        self.start_seconds = time.monotonic() - t0
        applied = msg.get("applied")
        self.report = self.report.from_worker(self.plan, applied if isinstance(applied, dict) else {})
        if self.report.missing:
            warn_once(
                f"missing:{self.report.mode}:{self.report.missing}",
                f"recursor: the REPL worker runs in {self.report.mode} mode without: "
                + "; ".join(self.report.missing)
                + (". Install bubblewrap (apt-get install bubblewrap) for full isolation."
                   if self.report.mode == "process" else "."),
            )

    def _limits(self) -> dict[str, float | int]:
        mem_mb = self.options.memory_mb or (2048 + 8 * (self.context.n_chars >> 20))
        limits: dict[str, float | int] = {
            "memory_bytes": mem_mb << 20,
            "file_bytes": self.options.max_file_mb << 20,
            "max_procs": self.options.max_procs,
        }
        if self.options.cpu_seconds:
            limits["cpu_seconds"] = self.options.cpu_seconds
        return limits

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
        await self._sweep_uid()
        if self._writer is not None:
            self._writer.close()
            self._writer = None
        for io_task in (self._reader_task, self._stderr_task):
            if io_task is not None:
                io_task.cancel()
                with contextlib.suppress(BaseException):
                    await io_task

    async def _sweep_uid(self) -> None:
        """Kill every process of the worker's own uid: children that left its process group.

        Under bwrap the pid namespace dies with the sandbox, so this is for process mode. The
        kill runs *as that uid*, so it cannot reach anything else (and checks so first).
        """
        uid = self.plan.uid
        if uid is None or self.report.mode != "process":
            return
        script = f'[ "$(id -u)" = "{int(uid)}" ] && kill -9 -1'
        with contextlib.suppress(Exception):
            proc = await asyncio.create_subprocess_exec(
                "/bin/sh", "-c", script, user=uid, group=uid, extra_groups=[],
                stdin=asyncio.subprocess.DEVNULL, stdout=asyncio.subprocess.DEVNULL,
                stderr=asyncio.subprocess.DEVNULL, env={"PATH": "/usr/bin:/bin"}, cwd="/",
            )
            await asyncio.wait_for(proc.wait(), 5.0)

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
                if size > _MAX_FRAME:
                    self._broken = f"it sent a {size:,}-byte message, over the {_MAX_FRAME:,}-byte cap"
                    break
                msg = json.loads((await reader.readexactly(size)).decode("utf-8", errors="surrogatepass"))
                if not isinstance(msg, dict):
                    self._broken = "it sent a malformed message"
                    break
                if msg.get("type") == "call":
                    if not isinstance(msg.get("id"), int) or not isinstance(msg.get("fn"), str):
                        continue
                    if len(self._calls) >= _MAX_PENDING_CALLS:
                        self._broken = f"it made more than {_MAX_PENDING_CALLS} sub-calls at once"
                        break
                    task = asyncio.create_task(self._serve_call(msg))
                    self._calls.add(task)
                    task.add_done_callback(self._calls.discard)
                elif self._responses.qsize() >= 4:  # at most one request is ever in flight
                    self._broken = "it sent responses to requests it was never sent"
                    break
                else:
                    await self._responses.put(msg)
        except (asyncio.IncompleteReadError, ConnectionError, OSError, ValueError):
            pass
        await self._responses.put(None)

    async def _drain_stderr(self) -> None:
        """Keep the last 4 KiB of the worker's stderr, for start-up failures.

        The worker points its fds 1 and 2 at /dev/null once ready, so this stays small.
        """
        assert self._proc is not None and self._proc.stderr is not None
        while chunk := await self._proc.stderr.read(65536):
            self._stderr_tail = (self._stderr_tail + chunk)[-4096:]

    async def _serve_call(self, msg: dict[str, Any]) -> None:
        args = msg.get("args")
        reply = await subcall_reply(self.handler, msg["fn"], args if isinstance(args, dict) else {})
        with contextlib.suppress(_WorkerDied, ConnectionError, OSError):
            self._send({"type": "reply", "id": msg["id"], **reply})
            if self._writer is not None:
                await self._writer.drain()

    async def _request(self, msg: dict[str, Any], timeout: float | None) -> dict[str, Any]:
        """Send one request and wait for its response; the clock stops while sub-calls are pending."""
        request_id = next(self._ids)
        self._send({**msg, "id": request_id})
        spent = 0.0
        while True:
            tick = 0.25
            if timeout is not None and not self._calls:
                tick = min(tick, max(timeout - spent, 0.0))
            t0 = time.monotonic()
            try:
                response = await asyncio.wait_for(self._responses.get(), tick)
            except TimeoutError:
                if not self._calls:
                    spent += time.monotonic() - t0
                if timeout is not None and spent >= timeout:
                    raise
                continue
            if response is None:
                raise _WorkerDied
            if response.get("re") == request_id:
                return response
            # A stale or forged frame: not the answer to this request.

    # -- the Repl interface --------------------------------------------------------------------
    async def run(self, code: str) -> CellResult:
        if self._proc is None:
            await self.start()
        t0 = time.monotonic()
        try:
            msg = await self._request({"type": "exec", "code": code}, self.options.cell_timeout)
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
        notes = msg.get("notes")
        return CellResult(
            stdout=_clip(str(msg.get("stdout") or ""), self.options.output_limit),
            error=_opt_str(msg.get("error")),
            final=_opt_str(msg.get("final")),
            final_source=_opt_str(msg.get("final_source")),
            duration=_number(msg.get("duration")),
            stdout_total=int(_number(msg.get("stdout_total"))),
            notes=[str(n) for n in notes][:20] if isinstance(notes, list) else [],
        )

    async def _death_cause(self) -> str:
        if self._broken is not None:
            return self._broken
        if self._proc is None:
            return "not running"
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._proc.wait(), 2.0)
        code = self._proc.returncode
        if code is None:
            return "its pipe closed"
        if code == EXIT_CPU:
            return (f"it used more than its {self.options.cpu_seconds:g} s of CPU time, in a cell that "
                    "did not stop when told or in threads left running between cells")
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
            msg = await self._request({"type": "get_var", "name": name}, 30.0)
        except (TimeoutError, _WorkerDied):
            await self._restart()
            return VarLookup(found=False)
        defined = msg.get("defined")
        return VarLookup(
            found=bool(msg.get("found")),
            value=str(msg.get("value", "")),
            defined=tuple(str(d) for d in defined) if isinstance(defined, list) else (),
        )


def _clip(text: str, limit: int) -> str:
    """The worker caps output already; this holds even when model code tampered with it."""
    if len(text) <= limit + 200:
        return text
    head, tail = limit * 3 // 4, limit // 4
    return f"{text[:head]}\n[... {len(text) - head - tail:,} characters of output cut ...]\n{text[-tail:]}"


def _opt_str(value: Any) -> str | None:
    return None if value is None else str(value)


def _number(value: Any) -> float:
    return float(value) if isinstance(value, (int, float)) else 0.0


async def probe(isolation: str = "auto") -> tuple[IsolationReport, float]:
    """Start one real worker in `isolation` mode: what held, and how long the start took."""
    from recursor.context import store_context

    async def refuse(fn: str, args: dict[str, Any]) -> Any:
        raise SandboxError("the probe makes no sub-calls")

    with tempfile.TemporaryDirectory(prefix="recursor-probe-") as tmp:
        prepared = store_context("", Path(tmp))
        repl = ProcessRepl(prepared, refuse, SandboxOptions(isolation=isolation))  # type: ignore[arg-type]
        try:
            await repl.start()
        finally:
            await repl.close()
        return repl.report, repl.start_seconds or 0.0
