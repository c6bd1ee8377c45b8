"""One scratch directory per host process, and workers that never outlive their host.

Every worker's scratch dir lives under `$TMPDIR/recursor-<pid>-<random>/` (mode 0711: other
uids may pass through to their own 0700 scratch dir, not list it). It goes away:

- at normal exit (atexit), and on SIGTERM, SIGHUP and SIGINT once `install_signal_cleanup()`
  ran (the CLI and the server call it): the handler removes it, then chains to the previous
  handler (SIGINT still raises KeyboardInterrupt; a default handler ends the process with
  the usual status);
- when the host is killed outright (SIGKILL, OOM): a small reaper process (`reaper.py`)
  waits on a pipe from the host and, at EOF, kills the registered worker process groups and
  worker uids and removes the directory;
- failing all that, the next host to start sweeps directories whose owner (pid plus start
  time, so a reused pid is not mistaken for it) is gone, killing their worker uids first.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
from pathlib import Path
from types import FrameType
from typing import IO, Any

__all__ = ["install_signal_cleanup", "make_dir", "register_worker", "root", "sweep_stale", "unregister_worker"]

_NAME = re.compile(r"^recursor-(\d+)-[A-Za-z0-9_]+$")
_OWNER = "owner"
_UIDS = "uids"

_lock = threading.RLock()
_root: Path | None = None
_root_pid = 0
_groups: set[int] = set()
_uids: set[int] = set()
_reaper: subprocess.Popen[bytes] | None = None
_atexit_done = False


def _start_time(pid: int) -> str | None:
    """Field 22 of /proc/<pid>/stat (clock ticks since boot): with the pid, names one process."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return stat[stat.rfind(")") + 2 :].split()[19]


def root() -> Path:
    """This process's scratch root, made (and stale ones swept) on first use."""
    global _root, _root_pid, _atexit_done
    with _lock:
        pid = os.getpid()
        if _root is not None and _root_pid == pid and _root.is_dir():
            return _root
        if _root_pid != pid:  # a forked child starts afresh: the parent owns its directory
            _groups.clear()
            _uids.clear()
            _stop_reaper(graceful=True, forget=True)
        base = Path(tempfile.gettempdir())
        sweep_stale(base)
        path = Path(tempfile.mkdtemp(prefix=f"recursor-{pid}-", dir=base))
        os.chmod(path, 0o711)
        (path / _OWNER).write_text(f"{pid} {_start_time(pid) or '?'}\n")
        _root, _root_pid = path, pid
        if not _atexit_done:
            atexit.register(cleanup)
            _atexit_done = True
        _start_reaper(path)
        return path


def make_dir(prefix: str) -> Path:
    """A fresh directory under the scratch root."""
    return Path(tempfile.mkdtemp(prefix=prefix, dir=root()))


def register_worker(pgid: int, uid: int | None) -> None:
    """Kill this process group (and, if given, every process of this uid) if the host dies."""
    with _lock:
        _groups.add(pgid)
        _tell(f"+pg {pgid}\n")
        if uid is not None and uid not in _uids:
            _uids.add(uid)
            _tell(f"+uid {uid}\n")
            _write_uids()


def unregister_worker(pgid: int, uid: int | None) -> None:
    """The worker was killed and reaped: its group id may be reused, so forget it."""
    with _lock:
        if pgid in _groups:
            _groups.discard(pgid)
            _tell(f"-pg {pgid}\n")
        if uid is not None and uid in _uids:
            _uids.discard(uid)
            _tell(f"-uid {uid}\n")
            _write_uids()


def _write_uids() -> None:
    """The live worker uids, for a later host's sweep should both this host and its reaper die."""
    if _root is not None:
        with contextlib.suppress(OSError):
            (_root / _UIDS).write_text("".join(f"{u}\n" for u in sorted(_uids)))


def cleanup() -> None:
    """Kill registered workers and remove this process's scratch root (idempotent)."""
    global _root
    with _lock:
        if _root_pid != os.getpid():
            return
        for pgid in list(_groups):
            with contextlib.suppress(OSError):
                os.killpg(pgid, signal.SIGKILL)
        _groups.clear()
        for uid in list(_uids):
            kill_uid(uid)
        if _root is not None:
            shutil.rmtree(_root, ignore_errors=True)
            _root = None
        _stop_reaper(graceful=True)


def kill_uid(uid: int) -> None:
    """SIGKILL every process of `uid`, sent *as* that uid so nothing else can be reached."""
    if os.geteuid() != 0 or uid < 1000:
        return
    with contextlib.suppress(Exception):
        subprocess.run(["/bin/sh", "-c", f'[ "$(id -u)" = "{int(uid)}" ] && kill -9 -1'], user=uid, group=uid,
                       extra_groups=[], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL, env={"PATH": "/usr/bin:/bin"}, cwd="/", timeout=5)


def sweep_stale(base: Path) -> list[Path]:
    """Remove scratch roots in `base` whose owner process is gone; returns what was removed."""
    removed: list[Path] = []
    try:
        entries = list(base.iterdir())
    except OSError:
        return removed
    for path in entries:
        match = _NAME.match(path.name)
        if match is None or int(match.group(1)) == os.getpid():
            continue
        try:
            if path.lstat().st_uid != os.geteuid() or not path.is_dir():
                continue
            pid_text, start = (path / _OWNER).read_text().split()
        except (OSError, ValueError):
            continue
        if start != "?" and _start_time(int(pid_text)) == start:
            continue  # its owner still runs
        with contextlib.suppress(OSError, ValueError):
            for line in (path / _UIDS).read_text().split():
                kill_uid(int(line))
        shutil.rmtree(path, ignore_errors=True)
        removed.append(path)
    return removed


# -- the reaper --------------------------------------------------------------------------------
def _start_reaper(path: Path) -> None:
    global _reaper
    _stop_reaper(graceful=True)
    script = Path(__file__).with_name("reaper.py")
    with contextlib.suppress(OSError):
        _reaper = subprocess.Popen(
            [sys.executable, "-I", "-S", str(script), str(path)],
            stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            start_new_session=True, cwd="/",
        )
        for uid in _uids:
            _tell(f"+uid {uid}\n")


def _tell(line: str) -> None:
    stdin: IO[bytes] | None = _reaper.stdin if _reaper is not None else None
    if stdin is None:
        return
    with contextlib.suppress(OSError, ValueError):
        stdin.write(line.encode())
        stdin.flush()


def _stop_reaper(graceful: bool, forget: bool = False) -> None:
    """Tell the reaper the host ended cleanly (nothing to kill) and let it go. `forget`: a
    forked child drops its copy of the parent's pipe and leaves the reaper to the parent."""
    global _reaper
    if _reaper is None:
        return
    if graceful and not forget:
        _tell("bye\n")
    with contextlib.suppress(OSError, ValueError):
        if _reaper.stdin is not None:
            _reaper.stdin.close()
    if not forget:
        with contextlib.suppress(Exception):
            _reaper.wait(2)
    _reaper = None


# -- signals -----------------------------------------------------------------------------------
_SIGNALS = (signal.SIGTERM, signal.SIGHUP, signal.SIGINT)
_installed: dict[int, Any] = {}


def install_signal_cleanup() -> None:
    """Remove the scratch root and kill workers on SIGTERM, SIGHUP and SIGINT, then do what the
    previous handler did. Call from the main thread; signals already ignored stay ignored."""
    if threading.current_thread() is not threading.main_thread():
        return
    for signum in _SIGNALS:
        if signum in _installed:
            continue
        previous = signal.getsignal(signum)
        if previous == signal.SIG_IGN:
            continue
        _installed[signum] = previous
        signal.signal(signum, _on_signal)


def _on_signal(signum: int, frame: FrameType | None) -> None:
    cleanup()
    previous = _installed.get(signum)
    if callable(previous):
        previous(signum, frame)  # SIGINT's default raises KeyboardInterrupt here
        return
    signal.signal(signum, signal.SIG_DFL)
    os.kill(os.getpid(), signum)  # die of the signal itself: the conventional exit status
