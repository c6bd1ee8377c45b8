"""The worker starts under bubblewrap when recursor runs from a virtual environment.

A venv's interpreter lives outside the system dirs (here under /tmp, which the sandbox covers
with a private tmpfs), so this catches a mount list that forgets it or hides it.
"""

from __future__ import annotations

import os
import subprocess
import sys
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


@pytest.mark.skipif(not bwrap_works(), reason="bubblewrap is not usable on this machine")
def test_bwrap_worker_runs_from_a_venv_under_tmp() -> None:
    with tempfile.TemporaryDirectory(prefix="recursor-venv-", dir="/tmp") as tmp:
        venv = Path(tmp) / "venv"
        subprocess.run([sys.executable, "-m", "venv", "--without-pip", "--system-site-packages", str(venv)],
                       check=True, timeout=120)
        env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(SRC), str(TESTS)])}
        proc = subprocess.run([str(venv / "bin" / "python"), "-c", SCRIPT], capture_output=True, text=True,
                              timeout=120, env=env)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout.strip() == f"{venv} 4"
