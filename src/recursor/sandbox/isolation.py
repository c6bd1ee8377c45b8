"""Which protections this machine gives a worker, and the commands that apply them.

Two modes run model code in a separate process:

- `bwrap`: bubblewrap gives the worker its own mount, pid, network, ipc and uts namespaces.
  Only the system directories, the interpreter's tree and the worker script are visible, all
  read-only; the one writable directory is the scratch dir. As root, bwrap keeps no user
  namespace and the worker switches to an unprivileged uid of its own before any model code
  runs (RLIMIT_NPROC does not bind root, and a uid mapped in a user namespace is still root
  to the kernel's process count). As any other user, bwrap adds a user namespace itself.
- `process`: a plain child process with an empty environment and rlimits. As root, the worker
  also enters an empty network namespace and switches uid; it cannot hide the host's files.

What is predicted here is checked at start: the worker reports each step that held
(`IsolationReport.from_worker`), and the first report with missing protections is printed
once per process on stderr.
"""

from __future__ import annotations

import functools
import os
import secrets
import shutil
import stat
import subprocess
import sys
import tempfile
import threading
import warnings
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

__all__ = [
    "PROTECTIONS",
    "IsolationReport",
    "SandboxWarning",
    "WorkerPlan",
    "bwrap_prefix",
    "bwrap_works",
    "detect",
    "interpreter",
    "mark_bwrap_broken",
    "plan_worker",
    "warn_once",
    "worker_env",
]

PROTECTIONS: dict[str, str] = {
    "process": "separate process",
    "env": "empty environment (no API keys)",
    "limits": "memory, CPU-time, file-size and output limits",
    "nproc": "process-count limit (a fork loop is contained)",
    "unprivileged": "cannot signal host processes or read their /proc/*/environ",
    "network": "no network",
    "filesystem": "read-only system view; host files outside context and scratch hidden",
    "pid": "own pid namespace (host processes invisible)",
}
"""Every protection recursor knows, by key, with the text `recursor doctor` prints."""


class SandboxWarning(UserWarning):
    """The REPL worker runs with fewer protections than bubblewrap would give."""


@dataclass(frozen=True, slots=True)
class IsolationReport:
    """The mode in use, and which `PROTECTIONS` hold in it (as texts)."""

    mode: str
    protections: tuple[str, ...]
    missing: tuple[str, ...]
    notes: tuple[str, ...] = ()

    @classmethod
    def of(cls, mode: str, held: set[str], notes: tuple[str, ...] = ()) -> IsolationReport:
        return cls(
            mode,
            tuple(text for key, text in PROTECTIONS.items() if key in held),
            tuple(text for key, text in PROTECTIONS.items() if key not in held),
            notes,
        )

    def from_worker(self, plan: WorkerPlan, applied: Mapping[str, bool]) -> IsolationReport:
        """The prediction corrected by what the worker says held."""
        held = {key for key, text in PROTECTIONS.items() if text in self.protections}
        notes = list(self.notes)
        if plan.harden.get("netns") and not applied.get("netns"):
            held.discard("network")
        if plan.harden.get("uid") is not None and not applied.get("uid"):
            held -= {"unprivileged", "nproc"}
            notes.append("the switch to an unprivileged uid failed")
        if plan.harden.get("mountns") and not applied.get("mountns"):
            notes = [n for n in notes if not n.startswith("root-only directories")]
            notes.append("no private mount namespace: /tmp, /var/tmp and /dev/shm are the host's")
        if applied.get("read_all"):
            notes.append("the interpreter lives where only root may look, so the worker keeps "
                         "CAP_DAC_READ_SEARCH: it can read (not write) any host file")
        if not applied.get("max_procs", False):
            held.discard("nproc")
        if not all(applied.get(k, False) for k in ("memory_bytes", "file_bytes")):
            held.discard("limits")
        return IsolationReport.of(self.mode, held, tuple(notes))


@dataclass(frozen=True, slots=True)
class WorkerPlan:
    """How to start one worker: the bwrap prefix (if any) and what the worker must do itself."""

    mode: str
    harden: dict[str, object] = field(default_factory=dict)
    uid: int | None = None
    """The worker's own uid when the host is root (None: it keeps the host's uid)."""


_bwrap_broken = threading.Event()


def mark_bwrap_broken() -> None:
    """bwrap passed the probe but could not start a worker: use plain processes from now on."""
    _bwrap_broken.set()


@functools.cache
def bwrap_works() -> bool:
    """True when bubblewrap is installed and can build the sandbox we ask for."""
    if not shutil.which("bwrap"):
        return False
    with tempfile.TemporaryDirectory(prefix="recursor-probe-") as tmp:
        scratch = Path(tmp)
        try:
            proc = subprocess.run(
                [*bwrap_prefix(scratch, worker_env(scratch), privileged=_is_root()), "/bin/true"],
                capture_output=True,
                timeout=10,
            )
        except (OSError, subprocess.TimeoutExpired):
            return False
    return proc.returncode == 0


def _is_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


def detect(requested: str = "auto") -> IsolationReport:
    """The mode a worker will use for `requested`, and the protections predicted for it.

    `bwrap` is returned for "bwrap" even where it does not work: the worker's start then fails
    with a clear error instead of silently running with less.
    """
    if requested == "inprocess":
        return IsolationReport.of("inprocess", set(), ("model code runs inside the host process",))
    if requested == "bwrap" or (requested == "auto" and bwrap_works() and not _bwrap_broken.is_set()):
        return IsolationReport.of("bwrap", set(PROTECTIONS))
    held = {"process", "env", "limits", "nproc"}
    notes: list[str] = []
    if _is_root():
        held |= {"unprivileged", "network"}
        notes.append("root-only directories above the interpreter are hidden and /tmp, /var/tmp, "
                     "/dev/shm are private; files any user may read stay readable")
    else:
        held.add("network")  # needs a user namespace; the worker reports whether it got one
        notes.append("the worker runs as your uid: it can signal your processes and read their "
                     "/proc/*/environ; its process cap counts all your processes")
    return IsolationReport.of("process", held, tuple(notes))


_uid_lock = threading.Lock()
_uid_next = 0


def _fresh_uid() -> int:
    """A uid no account uses, one per worker: RLIMIT_NPROC counts per uid, so sharing one
    (say, nobody) would make workers share one process cap and let them signal each other."""
    global _uid_next
    with _uid_lock:
        if not _uid_next:
            _uid_next = 1_500_000_000 + secrets.randbelow(100_000_000)
        _uid_next += 1
        return _uid_next


def _open_to_others(path: Path) -> bool:
    """Readable by any uid: the file has o+r and every directory above it o+x."""
    try:
        if not path.stat().st_mode & stat.S_IROTH:
            return False
        return all(p.stat().st_mode & stat.S_IXOTH for p in path.parents)
    except OSError:
        return False


@functools.cache
def _interpreter_open_to_others() -> bool:
    stdlib = Path(os.__file__).resolve()
    return all(_open_to_others(p) for p in (Path(interpreter()).resolve(), stdlib))


def interpreter() -> str:
    """The host's base interpreter: the same Python outside any venv.

    The worker imports only the standard library, so it needs no venv; running the base
    interpreter means neither the venv nor the checkout (which often holds it) is mounted in
    the sandbox or named on its command line.
    """
    base = getattr(sys, "_base_executable", None) or sys.executable
    return base if os.path.exists(base) else sys.executable


def _reveal_plan() -> dict[str, list[str]] | None:
    """For each directory only root may enter above the interpreter's tree (say /root), the
    paths to bind back in under a fresh tmpfs; None when the tree itself is closed to others
    (then nothing but CAP_DAC_READ_SEARCH lets a non-root worker import its stdlib)."""
    plan: dict[str, list[str]] = {}
    for root in _python_roots():
        path = Path(root)
        try:
            if path.stat().st_mode & (stat.S_IROTH | stat.S_IXOTH) != stat.S_IROTH | stat.S_IXOTH:
                return None
            closed = next((p for p in reversed(path.parents)
                           if str(p) != "/" and not p.stat().st_mode & stat.S_IXOTH), None)
        except OSError:
            return None
        if closed is not None:
            plan.setdefault(str(closed), []).append(root)
    return plan


_COVER = ("/tmp", "/var/tmp", "/dev/shm")
"""World-writable places a plain-process worker gets private (empty, read-only) copies of."""


def plan_worker(mode: str) -> WorkerPlan:
    """What the worker must do itself in `mode` on this machine (see the module docstring)."""
    root = _is_root()
    if mode == "bwrap":
        if not root:
            return WorkerPlan(mode, {"pdeathsig": True})
        uid = _fresh_uid()
        return WorkerPlan(mode, {"uid": uid, "required": True, "pdeathsig": True}, uid)
    # `parent`: the worker checks that its parent is still this process once the death signal
    # is armed, so a host that died during the start leaves no worker behind.
    harden: dict[str, object] = {"netns": True, "pdeathsig": True, "parent": os.getpid()}
    if not root:
        return WorkerPlan(mode, harden)
    uid = _fresh_uid()
    reveal = _reveal_plan()
    needs_read = not _interpreter_open_to_others()
    harden |= {
        "uid": uid,
        "mountns": True,
        "reveal": reveal or {},
        "cover": list(_COVER),
        "keep_read": needs_read and reveal is None,
        "keep_read_unless_mounted": needs_read,
    }
    return WorkerPlan(mode, harden, uid)


def _python_roots() -> list[str]:
    """The base interpreter's trees (not a venv's: see `interpreter`)."""
    roots = {sys.base_prefix, sys.base_exec_prefix}
    exe = Path(interpreter()).resolve()
    roots.add(str(exe.parent.parent))
    return sorted(r for r in roots if r and r != "/")


_SYSTEM_DIRS = ("/usr", "/bin", "/lib", "/lib64", "/lib32", "/sbin")
_ETC_FILES = ("/etc/ld.so.cache", "/etc/localtime", "/etc/alternatives", "/etc/ssl")


def _open_parents(path: str, made: set[str]) -> list[str]:
    """`--dir` each missing ancestor with mode 0755: bwrap would make them 0700, and a worker
    that switched uid could not walk into, say, /root/.pyenv/... to import the stdlib."""
    args: list[str] = []
    for parent in reversed(Path(path).parents):
        p = str(parent)
        if p == "/" or p in made or any(p == d or p.startswith(d + "/") for d in _SYSTEM_DIRS):
            continue
        made.add(p)
        args += ["--perms", "0755", "--dir", p]
    return args


def bwrap_prefix(
    scratch: Path,
    env: Mapping[str, str],
    *,
    privileged: bool,
) -> list[str]:
    """bwrap arguments: system dirs and the interpreter read-only, `scratch` writable.

    The host's home, other projects, the checkout, the venv and /etc stay invisible: only the
    base interpreter's own tree and the system libraries are mounted. Neither the worker
    script nor the context is mounted at all: the worker reads both from inherited fds. `privileged` (host is root)
    drops the user namespace and keeps only CAP_SETUID/CAP_SETGID, which the worker needs to
    switch to its own uid and then loses.
    """
    args = ["bwrap", "--die-with-parent", "--new-session"]
    if privileged:
        args += ["--unshare-ipc", "--unshare-pid", "--unshare-net", "--unshare-uts",
                 "--unshare-cgroup-try", "--cap-drop", "ALL",
                 "--cap-add", "CAP_SETUID", "--cap-add", "CAP_SETGID"]
    else:
        args += ["--unshare-all"]
    args += ["--clearenv"]
    made: set[str] = set()
    for d in _SYSTEM_DIRS:
        args += ["--ro-bind-try", d, d]
    args += ["--perms", "0755", "--dir", "/etc"]
    made.add("/etc")
    for f in _ETC_FILES:
        args += ["--ro-bind-try", f, f]
    # Mounts apply in order: the private /tmp comes first, so an interpreter or venv that lives
    # under /tmp is bound on top of it instead of being hidden by it.
    args += ["--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp"]
    made.add("/tmp")
    for root in _python_roots():
        args += [*_open_parents(root, made), "--ro-bind-try", root, root]
    s = str(scratch.resolve())
    # No --chdir: as root, the scratch dir belongs to the worker's future uid and bwrap itself
    # (without CAP_DAC_OVERRIDE) cannot enter it; the worker changes into it after switching.
    args += [*_open_parents(s, made), "--bind", s, s, "--chdir", "/"]
    for key, value in env.items():
        args += ["--setenv", key, value]
    return args


def worker_env(scratch: Path) -> dict[str, str]:
    """The whole environment a worker gets: nothing of the host's.

    MALLOC_ARENA_MAX keeps glibc from reserving 64 MiB of address space per thread, which
    would otherwise eat the RLIMIT_AS memory cap with a few threads.
    """
    return {
        "PATH": "/usr/local/bin:/usr/bin:/bin",
        "HOME": str(scratch),
        "TMPDIR": str(scratch),
        "LANG": "C.UTF-8",
        "PYTHONDONTWRITEBYTECODE": "1",
        "MALLOC_ARENA_MAX": "2",
    } | ({"SYSTEMROOT": os.environ["SYSTEMROOT"]} if "SYSTEMROOT" in os.environ else {})


_warned: set[str] = set()
_warned_lock = threading.Lock()


def warn_once(key: str, message: str) -> None:
    """Say `message` once per process (a SandboxWarning, which Python prints on stderr)."""
    with _warned_lock:
        if key in _warned:
            return
        _warned.add(key)
    warnings.warn(message, SandboxWarning, stacklevel=3)
