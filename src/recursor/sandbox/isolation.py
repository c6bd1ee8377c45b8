"""Which protections this machine gives a worker, and the command that applies them."""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

__all__ = ["IsolationReport", "bwrap_prefix", "detect"]


@dataclass(frozen=True, slots=True)
class IsolationReport:
    """What `detect()` found: the mode that will be used and the protections missing in it."""

    mode: str
    protections: tuple[str, ...]
    missing: tuple[str, ...]


_ALL = (
    "separate process",
    "empty environment",
    "resource limits (memory, file size, processes)",
    "no network",
    "read-only system view",
    "private /tmp and scratch directory",
    "own pid namespace",
)


@functools.cache
def bwrap_works() -> bool:
    """True when bubblewrap is installed and can create the namespaces we ask for."""
    exe = shutil.which("bwrap")
    if not exe:
        return False
    try:
        proc = subprocess.run(
            [*bwrap_prefix(Path("/tmp"), ()), "/bin/true"],
            capture_output=True,
            timeout=10,
        )
    except (OSError, subprocess.TimeoutExpired):
        return False
    return proc.returncode == 0


def detect(requested: str = "auto") -> IsolationReport:
    if requested == "inprocess":
        return IsolationReport("inprocess", (), _ALL)
    if requested in ("auto", "bwrap") and bwrap_works():
        return IsolationReport("bwrap", _ALL, ())
    have = _ALL[:3]
    return IsolationReport("process", have, _ALL[3:])


def _python_roots() -> list[str]:
    roots = {sys.prefix, sys.base_prefix, sys.exec_prefix}
    exe = Path(sys.executable).resolve()
    roots.add(str(exe.parent.parent))
    return sorted(r for r in roots if r and r != "/")


def bwrap_prefix(scratch: Path, readable: tuple[Path, ...]) -> list[str]:
    """bwrap arguments: system dirs read-only, `readable` paths read-only, `scratch` writable.

    The host's home, other projects and /etc secrets stay invisible: only the interpreter's
    own tree, the system libraries and the files named here are mounted.
    """
    args = ["bwrap", "--die-with-parent", "--new-session", "--unshare-all", "--clearenv"]
    for d in ("/usr", "/bin", "/lib", "/lib64", "/lib32", "/sbin"):
        args += ["--ro-bind-try", d, d]
    for f in ("/etc/ld.so.cache", "/etc/localtime", "/etc/alternatives", "/etc/ssl"):
        args += ["--ro-bind-try", f, f]
    for root in _python_roots():
        args += ["--ro-bind-try", root, root]
    args += ["--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp"]
    for path in readable:
        p = str(Path(path).resolve())
        args += ["--ro-bind", p, p]
    s = str(scratch.resolve())
    args += ["--bind", s, s, "--chdir", s]
    args += ["--setenv", "PATH", "/usr/local/bin:/usr/bin:/bin", "--setenv", "HOME", s]
    args += ["--setenv", "TMPDIR", s, "--setenv", "LANG", "C.UTF-8"]
    return args


def worker_env(scratch: Path) -> dict[str, str]:
    """The whole environment a plain-process worker gets: nothing of the host's."""
    return {
        "PATH": "/usr/local/bin:/usr/bin:/bin",
        "HOME": str(scratch),
        "TMPDIR": str(scratch),
        "LANG": "C.UTF-8",
        "PYTHONDONTWRITEBYTECODE": "1",
    } | ({"SYSTEMROOT": os.environ["SYSTEMROOT"]} if "SYSTEMROOT" in os.environ else {})
