"""A REPL in a worker process (inside bubblewrap where it works), driven over a socketpair.

The host never blocks on the worker: a reader task turns frames into either sub-call tasks
(served concurrently, each answered on the same socket) or responses for the one request in
flight. A cell's timer runs only while no sub-call is pending, so a slow child RLM does not
count against the cell, but an endless loop does. A timeout or a crash kills the worker's
whole process tree and starts a fresh one with the context reloaded.

The worker is untrusted: model code can reach its Python objects and write raw bytes to the
socket. So every frame is capped in size and in items before it is parsed, every sub-call is
checked against one schema (`base.check_subcall`) before it is served, sub-calls waiting to be
served may hold only so many bytes, responses are matched to requests by id, and the host
truncates output again rather than trusting the worker's cap. A worker that breaks a cap is
killed and restarted; the cell says why.

Cancelling `run` (say, the run's deadline) kills the worker's process tree at once; the next
`run` starts a fresh worker with the context reloaded.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import math
import os
import shutil
import signal
import socket
import struct
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from recursor.context import PreparedContext
from recursor.errors import SandboxError
from recursor.sandbox import scratch
from recursor.sandbox.base import (
    CellResult,
    Repl,
    SandboxOptions,
    SubcallHandler,
    SubcallRejected,
    VarLookup,
    check_subcall,
    reads_of,
    subcall_reply,
)
from recursor.sandbox.isolation import (
    IsolationReport,
    WorkerPlan,
    bwrap_prefix,
    detect,
    interpreter,
    mark_bwrap_broken,
    plan_worker,
    warn_once,
    worker_env,
)
from recursor.sandbox.worker import EXIT_CPU, EXIT_HARDEN, frame_tokens

__all__ = ["ProcessRepl", "probe"]

_HEADER = struct.Struct(">I")
_WORKER = Path(__file__).with_name("worker.py")
_READLOG = Path(__file__).with_name("readlog.py")
"""Sent to the worker beside its script: it logs plain reads of the context (evidence)."""
_START_TIMEOUT = 120.0
_MAX_TOKENS = 1_000_000
"""JSON values one frame may hold (`worker.frame_tokens`). Parsed, each costs the host up to
~100 bytes however few bytes it took to send, so this bounds what parsing one frame costs."""
_MAX_STALE = 4
"""Responses to no request a worker may send before it is taken for hostile."""
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
        tools: Sequence[dict[str, Any]] = (),
    ) -> None:
        self.context = context
        self.handler = handler
        self.options = options or SandboxOptions()
        self.tools = list(tools)
        """Host tools to define stubs for (`recursor.tools`), in every worker started."""
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
        self._calls: dict[asyncio.Task[None], int] = {}
        """Sub-calls being served, with the bytes their arguments hold."""
        self._pending_bytes = 0
        self._awaiting: int | str | None = None
        """The id of the one request whose response is expected ("ready" during a start)."""
        self._stale = 0
        self._scratch: Path | None = None
        self._stderr_tail = b""
        self._broken: str | None = None
        self._ids = itertools.count(1)
        self._lost: str | None = None
        """Why the last worker was dropped between cells (a cancelled cell), told with the next."""
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
        """The one writable directory; it outlives restarts and belongs to the worker's uid.

        It lives under the host's scratch root (`scratch.root()`), which goes away however
        the host ends."""
        if self._scratch is None or not self._scratch.is_dir():
            self._scratch = scratch.make_dir("scratch-")
            os.chmod(self._scratch, 0o700)
        if self.plan.uid is not None:  # again after a fallback: the new plan has a new uid
            os.chown(self._scratch, self.plan.uid, self.plan.uid)
        return self._scratch

    async def _spawn(self) -> None:
        workdir = self._scratch_dir()
        env = worker_env(workdir)
        bwrap = self.report.mode == "bwrap"
        parent_sock, child_sock = socket.socketpair()
        try:
            ctx_fd = os.open(self.context.path, os.O_RDONLY | os.O_CLOEXEC)
        except OSError as exc:
            parent_sock.close()
            child_sock.close()
            raise SandboxError(f"cannot open the stored context {self.context.path}: {exc}") from exc
        # The script and bwrap's own arguments travel in memory files: no host path (the
        # checkout, the venv) is mounted in the sandbox or shows in any command line there.
        script_fd = _memfd("recursor-worker", _worker_source())
        capture_fd = _memfd("recursor-readlog", _READLOG.read_bytes())
        fds = [child_sock.fileno(), ctx_fd, script_fd, capture_fd]
        argv = [
            self.options.python or interpreter(),
            "-I",
            f"/proc/self/fd/{script_fd}",
            "--fd", str(child_sock.fileno()),
            "--context-fd", str(ctx_fd),
            "--capture-fd", str(capture_fd),
            "--kind", self.context.kind,
            "--output-limit", str(self.options.output_limit),
            "--limits", json.dumps(self._limits()),
            "--harden", json.dumps({**self.plan.harden, "cwd": str(workdir)}),
        ]
        if bwrap:
            prefix = bwrap_prefix(workdir, env, privileged=self.plan.uid is not None)
            if prefix[:1] == ["bwrap"]:
                args_fd = _memfd("recursor-bwrap-args", b"".join(os.fsencode(a) + b"\0" for a in prefix[1:]))
                fds.append(args_fd)
                prefix = ["bwrap", "--args", str(args_fd)]
            argv = [*prefix, *argv]
        t0 = time.monotonic()
        # Shielded: cancelling asyncio's process creation part-way can leave a future nobody
        # resolves. A cancel waits for the process to exist, then the caller kills it.
        spawn = asyncio.ensure_future(asyncio.create_subprocess_exec(
            *argv,
            stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.PIPE,
            env=env,
            cwd=workdir,
            pass_fds=fds,
            start_new_session=True,
        ))
        try:
            self._proc = await asyncio.shield(spawn)
        except asyncio.CancelledError:
            with contextlib.suppress(BaseException):
                self._proc = await spawn
            parent_sock.close()
            raise
        except OSError as exc:
            parent_sock.close()
            raise SandboxError(f"cannot start the REPL worker: {exc}") from exc
        finally:
            child_sock.close()
            for fd in fds[1:]:
                os.close(fd)
            if self._proc is not None and self._proc.returncode is None:
                scratch.register_worker(self._proc.pid, self._sweep_uid_of())
        reader, self._writer = await asyncio.open_unix_connection(sock=parent_sock, limit=1 << 20)
        self._responses = asyncio.Queue()
        self._broken = None
        self._stale = 0
        self._awaiting = "ready"
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
        if self.tools:  # before any cell: the worker reads its frames in order
            self._send({"type": "tools", "specs": self.tools})
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
        limits["message_bytes"] = self.options.max_message_bytes
        limits["message_tokens"] = _MAX_TOKENS
        return limits

    def _sweep_uid_of(self) -> int | None:
        """The uid whose every process belongs to this worker (process mode as root)."""
        return self.plan.uid if self.report.mode == "process" else None

    async def close(self) -> None:
        if self._writer is not None and self._proc is not None and self._proc.returncode is None:
            with contextlib.suppress(Exception):
                self._send({"type": "shutdown"})
                await asyncio.wait_for(self._proc.wait(), 2.0)
        await self._kill()
        if self._scratch is not None:
            shutil.rmtree(self._scratch, ignore_errors=True)
            self._scratch = None

    def _kill_now(self) -> None:
        """Synchronous and immediate: SIGKILL the worker's process group, drop its sub-calls."""
        for task in list(self._calls):
            task.cancel()
        self._calls.clear()
        self._pending_bytes = 0
        if self._proc is not None:
            # Also once the leader is gone: children it forked may still hold the group.
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(self._proc.pid, signal.SIGKILL)

    async def _kill(self) -> None:
        self._kill_now()
        if self._proc is not None and self._proc.returncode is None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self._proc.wait(), 5.0)
        await self._sweep_uid()
        if self._proc is not None:
            scratch.unregister_worker(self._proc.pid, self._sweep_uid_of())
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

    async def _abandon(self) -> None:
        """A cell or lookup was cancelled: kill the worker now; the next call starts a new one."""
        self._kill_now()
        self._lost = "the previous cell was cancelled (the run's time ran out)"
        self.restarts += 1
        kill = asyncio.ensure_future(self._kill())
        with contextlib.suppress(BaseException):
            await asyncio.shield(kill)  # a second cancel stops the wait, not the cleanup
        self._proc = None

    # -- I/O ---------------------------------------------------------------------------------
    def _send(self, msg: dict[str, Any]) -> None:
        if self._writer is None:
            raise _WorkerDied
        data = json.dumps(msg, ensure_ascii=False).encode("utf-8", errors="surrogatepass")
        self._writer.write(_HEADER.pack(len(data)) + data)

    async def _read_loop(self, reader: asyncio.StreamReader) -> None:
        cap = self.options.max_message_bytes
        try:
            while self._broken is None:
                (size,) = _HEADER.unpack(await reader.readexactly(_HEADER.size))
                if size > cap:
                    self._broken = f"it sent a {size:,}-byte message, over the {cap:,}-byte cap"
                    break
                raw = await reader.readexactly(size)
                if frame_tokens(raw) > _MAX_TOKENS:
                    self._broken = f"it sent a message of more than {_MAX_TOKENS:,} items"
                    break
                text = raw.decode("utf-8", errors="surrogatepass")
                del raw
                try:
                    msg = json.loads(text)
                except (ValueError, RecursionError):
                    msg = None
                del text
                if not isinstance(msg, dict):
                    self._broken = "it sent a malformed message"
                    break
                self._broken = self._take(msg, size)
        except (asyncio.IncompleteReadError, ConnectionError, OSError):
            pass
        except Exception as exc:  # a host bug must not leave the cell waiting for nothing
            self._broken = f"its message could not be handled ({type(exc).__name__})"
        self._responses.put_nowait(None)

    def _take(self, msg: dict[str, Any], size: int) -> str | None:
        """Route one parsed frame; returns why the worker must be restarted, if it must."""
        kind = msg.get("type")
        if kind == "call":
            return self._take_call(msg)
        if kind not in ("ready", "result", "var"):
            return "it sent a message of an unknown type"
        expected = self._awaiting is not None and (
            msg.get("re") == self._awaiting if kind != "ready" else self._awaiting == "ready")
        if expected:
            self._awaiting = None  # one response per request: copies are stale
            self._responses.put_nowait(msg)
            return None
        self._stale += 1
        return "it sent responses to requests it was never sent" if self._stale > _MAX_STALE else None

    def _take_call(self, msg: dict[str, Any]) -> str | None:
        call_id = msg.get("id")
        if type(call_id) is not int:
            return "it sent a malformed sub-call"
        if len(self._calls) >= _MAX_PENDING_CALLS:
            return f"it made more than {_MAX_PENDING_CALLS} sub-calls at once"
        try:
            fn, args, cost = check_subcall(msg.get("fn"), msg.get("args"))
        except SubcallRejected as exc:
            # The model's mistake (or a forged frame): the cell gets the error, nobody is asked.
            task = asyncio.create_task(self._reply(call_id, {"error": f"SubcallRejected: {exc}"}))
            cost = 0
        else:
            budget = self.options.max_pending_bytes
            if self._pending_bytes + cost > budget:
                return (f"its sub-calls waiting to be served held more than {budget >> 20:,} MiB "
                        f"(the cap is 4x max_message_mb={self.options.max_message_mb})")
            task = asyncio.create_task(self._serve_call(call_id, fn, args))
        self._calls[task] = cost
        self._pending_bytes += cost
        task.add_done_callback(self._call_done)
        return None

    def _call_done(self, task: asyncio.Task[None]) -> None:
        cost = self._calls.pop(task, None)
        if cost is not None:
            self._pending_bytes -= cost

    async def _drain_stderr(self) -> None:
        """Keep the last 4 KiB of the worker's stderr, for start-up failures.

        The worker points its fds 1 and 2 at /dev/null once ready, so this stays small.
        """
        assert self._proc is not None and self._proc.stderr is not None
        while chunk := await self._proc.stderr.read(65536):
            self._stderr_tail = (self._stderr_tail + chunk)[-4096:]

    async def _serve_call(self, call_id: int, fn: str, args: dict[str, Any]) -> None:
        await self._reply(call_id, await subcall_reply(self.handler, fn, args))

    async def _reply(self, call_id: int, reply: dict[str, Any]) -> None:
        with contextlib.suppress(_WorkerDied, ConnectionError, OSError):
            self._send({"type": "reply", "id": call_id, **reply})
            if self._writer is not None:
                await self._writer.drain()

    async def _request(self, msg: dict[str, Any], timeout: float | None) -> dict[str, Any]:
        """Send one request and wait for its response; the clock stops while sub-calls are pending."""
        request_id = next(self._ids)
        self._awaiting = request_id
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
        """Run one cell. Safe to cancel at any point (e.g. `asyncio.timeout` for a deadline):
        the worker's process tree is killed at once, the cancellation propagates, and the next
        call starts a fresh worker with the context reloaded (that cell says so)."""
        try:
            result = await self._run(code)
        except asyncio.CancelledError:
            await self._abandon()
            raise
        if self._lost is not None and not result.restarted:
            result.restarted = True
            result.notes.insert(0, f"The REPL was restarted because {self._lost}: your variables are "
                                   "lost; `context` and the tools were reloaded.")
        self._lost = None
        return result

    async def _run(self, code: str) -> CellResult:
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
        # Every field is the worker's word: typed and clipped here, whatever it sent.
        notes = msg.get("notes")
        limit = self.options.output_limit
        error = msg.get("error")
        source = msg.get("final_source")
        final = msg.get("final")
        final_json = msg.get("final_json")
        return CellResult(
            stdout=_clip(_str(msg.get("stdout")), limit),
            error=_clip(error, max(limit, 20_000)) if isinstance(error, str) else None,
            final=final if isinstance(final, str) else None,
            final_json=final_json if isinstance(final_json, str) else None,
            final_source=source if source in ("FINAL", "FINAL_VAR", "answer") else None,
            duration=_number(msg.get("duration")),
            stdout_total=int(_number(msg.get("stdout_total"))),
            notes=[_clip(n, 2_000) for n in notes[:20] if isinstance(n, str)] if isinstance(notes, list) else [],
            reads=reads_of(msg.get("reads")),
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
        """A variable's text; cancellation-safe like `run`."""
        try:
            return await self._get_var(name)
        except asyncio.CancelledError:
            await self._abandon()
            raise

    async def _get_var(self, name: str) -> VarLookup:
        if self._proc is None:
            await self.start()
        try:
            msg = await self._request({"type": "get_var", "name": name}, 30.0)
        except (TimeoutError, _WorkerDied):
            await self._restart()
            return VarLookup(found=False)
        defined = msg.get("defined")
        return VarLookup(
            found=msg.get("found") is True,
            value=_str(msg.get("value")),
            json=msg["json"] if isinstance(msg.get("json"), str) else None,
            defined=tuple(_clip(d, 200) for d in defined[:1000] if isinstance(d, str)) if isinstance(defined, list) else (),
        )


def _clip(text: str, limit: int) -> str:
    """The worker caps output already; this holds even when model code tampered with it."""
    if len(text) <= limit + 200:
        return text
    head, tail = limit * 3 // 4, limit // 4
    return f"{text[:head]}\n[... {len(text) - head - tail:,} characters of output cut ...]\n{text[-tail:]}"


def _str(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _number(value: Any) -> float:
    """A finite, non-negative number (JSON from the worker may say NaN, Infinity or 1e400)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return 0.0
    number = float(value) if not isinstance(value, int) or abs(value) < 1 << 53 else 0.0
    return number if math.isfinite(number) and 0 <= number < 1e15 else 0.0


def _worker_source() -> bytes:
    return _WORKER.read_bytes()


def _memfd(name: str, data: bytes) -> int:
    """An anonymous in-memory file holding `data`, positioned at its start."""
    fd = os.memfd_create(name)
    os.write(fd, data)
    os.lseek(fd, 0, os.SEEK_SET)
    return fd


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
