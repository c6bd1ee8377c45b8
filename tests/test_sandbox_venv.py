"""The worker starts under bubblewrap when recursor runs from a virtual environment.

A venv's interpreter lives outside the system dirs (here under /tmp, which the sandbox covers
with a private tmpfs), so this catches a mount list that forgets it or hides it.

The inner venv is built from the *base* interpreter (`sys._base_executable`): when the tests
themselves run from a venv (as the README's command and CI do), `--system-site-packages` would
only reach the base interpreter's packages, not this venv's httpx and friends. A `.pth` file in
the inner venv adds the running interpreter's site-packages instead, so it works either way.
"""

from __future__ import annotations

import os
import site
import subprocess
import sys
import sysconfig
import tempfile
from pathlib import Path

import pytest

from recursor.sandbox.isolation import bwrap_works

SRC = Path(__file__).resolve().parents[1] / "src"
TESTS = Path(__file__).resolve().parent

SCRIPT = """
import sys
from recursor import RLM, SandboxOptions
from fakes.scripted_lm import FakeScriptedLM
code = "```repl\\nimport sys\\nFINAL(sys.prefix + ' ' + str(len(context)))\\n```"
result = RLM(FakeScriptedLM([code]), sandbox=SandboxOptions(isolation="bwrap"), trace_dir=False).complete("q", "abcd")
print(result.answer)
"""


def base_python() -> str:
    """The interpreter this one was made from (itself when not in a venv)."""
    return getattr(sys, "_base_executable", None) or sys.executable


def make_venv(venv: Path) -> Path:
    """A venv at `venv` that sees the packages of the running interpreter; returns its python."""
    subprocess.run([base_python(), "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120)
    python = venv / "bin" / "python"
    purelib = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
                             check=True, capture_output=True, text=True, timeout=60).stdout.strip()
    ours = [*site.getsitepackages(), sysconfig.get_path("purelib")]
    Path(purelib, "outer-site-packages.pth").write_text("".join(f"{p}\n" for p in dict.fromkeys(ours)))
    return python


@pytest.mark.skipif(not bwrap_works(), reason="bubblewrap is not usable on this machine")
def test_bwrap_worker_runs_from_a_venv_under_tmp() -> None:
    with tempfile.TemporaryDirectory(prefix="recursor-venv-", dir="/tmp") as tmp:
        venv = Path(tmp) / "venv"
        python = make_venv(venv)
        env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(SRC), str(TESTS)])}
        proc = subprocess.run([str(python), "-c", SCRIPT], capture_output=True, text=True,
                              timeout=120, env=env)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout.strip() == f"{sys.base_prefix} 4"  # the worker runs the base interpreter: no venv path inside
