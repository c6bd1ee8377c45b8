"""Nothing outlives the host: killed (SIGKILL), terminated or hung up, a real host process
leaves no worker, no process model code forked (not even one that setsid itself), and no
scratch directory; a host that could not clean up is swept by the next start."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from recursor.sandbox import scratch
from sandbox_helpers import MODES, alive, descendants, pids_with_cmdline

SRC = Path(__file__).resolve().parents[1] / "src"
HOST = """
import asyncio, sys
from pathlib import Path
from recursor.context import store_context
from recursor.sandbox import scratch
from recursor.sandbox.base import SandboxOptions
from recursor.sandbox.process import ProcessRepl

scratch.install_signal_cleanup()

async def handler(fn, args):
    return ""

async def main():
    repl = ProcessRepl(store_context("c", Path(sys.argv[2])), handler, SandboxOptions(isolation=sys.argv[1]))
    cell = await repl.run(sys.argv[3])
    print(scratch.root(), repl._proc.pid, cell.stdout.strip(), cell.error, flush=True)
    await asyncio.sleep(3600)

asyncio.run(main())
"""
# A plain fork (a Python child), and a daemon that left the group and session (`setsid -f`,
# forked by C code, so no Python at-fork hook ran in it): the hard case.
CELL = """
import os, subprocess, time
if os.fork() == 0:
    os.execvp('sleep', ['sleep', '{token}1'])
subprocess.Popen(['setsid', '-f', 'sleep', '{token}2'])
time.sleep(0.5)
print('forked')
"""


class Host:
    def __init__(self, mode: str, tmp: Path, token: str) -> None:
        (tmp / "ctx").mkdir()
        self.tmp = tmp
        env = {**os.environ, "PYTHONPATH": str(SRC), "TMPDIR": str(tmp)}
        # A host started under `nohup` inherits SIGHUP ignored, and an ignored signal stays
        # ignored (`install_signal_cleanup`): start it with the default disposition, as a shell does.
        self.proc = subprocess.Popen([sys.executable, "-c", HOST, mode, str(tmp / "ctx"), CELL.format(token=token)],
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
                                     preexec_fn=_default_signals)
        self.workers: set[int] = set()
        self.sleepers: set[int] = set()
        try:
            self._started(token)
        except BaseException:
            self.finish()  # SIGKILL: its reaper cleans up what it started
            raise

    def _started(self, token: str) -> None:
        assert self.proc.stdout is not None and self.proc.stderr is not None
        line = self.proc.stdout.readline().split()
        assert len(line) >= 3 and line[2] == "forked", (line, self.proc.stderr.read() if not line else "")
        self.root, worker = Path(line[0]), int(line[1])
        self.workers = {worker} | descendants(worker)
        self.sleepers = pids_with_cmdline(f"sleep\0{token}")
        assert len(self.sleepers) == 2 and self.root.is_dir()
        self.reaper = next(p for p in pids_with_cmdline("reaper.py") if str(self.root).encode() in
                           Path(f"/proc/{p}/cmdline").read_bytes())

    def left(self, timeout: float = 5.0) -> list[int]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            left = [p for p in self.workers | self.sleepers if alive(p)]
            if not left:
                return []
            time.sleep(0.05)
        return left

    def finish(self) -> None:
        for pid in self.workers | self.sleepers | {self.proc.pid}:
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
        self.proc.wait(10)


def _default_signals() -> None:
    for signum in (signal.SIGHUP, signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, signal.SIG_DFL)


def _token() -> str:
    return f"3600.{os.getpid()}{int(time.monotonic() * 1000) % 100000}"


@pytest.mark.parametrize("mode", MODES)
def test_sigkill_of_the_host_takes_the_worker_its_forks_and_the_scratch(mode: str, tmp_path: Path) -> None:
    host = Host(mode, tmp_path, _token())
    try:
        os.kill(host.proc.pid, signal.SIGKILL)
        assert host.left() == []
        deadline = time.monotonic() + 5
        while host.root.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not host.root.exists()
    finally:
        host.finish()


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP, signal.SIGINT])
def test_term_hup_and_int_remove_the_scratch_and_the_workers(signum: int, tmp_path: Path) -> None:
    host = Host("process", tmp_path, _token())
    try:
        os.kill(host.proc.pid, signum)
        code = host.proc.wait(10)
        assert not host.root.exists()
        assert host.left(2.0) == []
        if signum == signal.SIGINT:
            assert host.proc.stderr is not None and "KeyboardInterrupt" in host.proc.stderr.read()
        else:
            assert code == -signum  # the previous (default) handler ran: died of the signal
    finally:
        host.finish()


@pytest.mark.skipif(os.geteuid() != 0, reason="the sweep by uid needs root (process mode gives workers own uids)")
def test_the_next_start_sweeps_what_a_dead_host_and_reaper_left(tmp_path: Path) -> None:
    host = Host("process", tmp_path, _token())
    try:
        os.kill(host.reaper, signal.SIGKILL)
        os.kill(host.proc.pid, signal.SIGKILL)
        host.proc.wait(10)
        time.sleep(0.5)
        assert host.root.exists()
        daemon = [p for p in host.sleepers if alive(p)]
        assert daemon, "expected the setsid daemon to outlive a host and reaper killed together"
        assert host.root in scratch.sweep_stale(tmp_path)
        assert not host.root.exists()
        assert host.left() == []
    finally:
        host.finish()


def test_the_sweep_keeps_live_owners_and_spots_reused_pids(tmp_path: Path) -> None:
    me = tmp_path / f"recursor-{os.getppid()}-live"
    me.mkdir()
    (me / "owner").write_text(f"{os.getppid()} {scratch._start_time(os.getppid())}\n")
    reused = tmp_path / f"recursor-{os.getppid()}-reused"
    reused.mkdir()
    (reused / "owner").write_text(f"{os.getppid()} 1\n")  # same pid, other start time: not the owner
    dead = subprocess.Popen(["true"])
    dead.wait()
    gone = tmp_path / f"recursor-{dead.pid}-gone"
    gone.mkdir()
    (gone / "owner").write_text(f"{dead.pid} 12345\n")
    other = tmp_path / "recursor-notes"
    other.mkdir()
    assert sorted(scratch.sweep_stale(tmp_path)) == sorted([reused, gone])
    assert me.exists() and other.exists()
