"""Under bubblewrap, model code cannot learn where the host's checkout or venv lives: not from
any command line, the mount table, the environment, sys.path or the open fds."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

import recursor
from recursor.sandbox.isolation import bwrap_works
from sandbox_helpers import make_repl

CHECKOUT = str(Path(__file__).resolve().parents[1])
PROBE = r"""
import os, sys, glob
texts = []
for path in ['/proc/1/cmdline', '/proc/self/cmdline', '/proc/self/mountinfo', '/proc/self/environ',
             '/proc/1/mountinfo', '/proc/1/environ', *glob.glob('/proc/[0-9]*/cmdline')]:
    try:
        texts.append(open(path, 'rb').read().decode(errors='replace'))
    except OSError as exc:
        texts.append(f'unreadable {path}: {exc}')
for fd in os.listdir('/proc/self/fd'):
    try:
        texts.append(os.readlink(f'/proc/self/fd/{fd}'))
    except OSError:
        pass
texts.append(repr(sys.path) + repr(sys.argv) + sys.prefix + sys.executable + os.getcwd())
blob = '\n'.join(texts)
"""


@pytest.mark.skipif(not bwrap_works(), reason="bubblewrap is not usable here")
async def test_no_host_checkout_or_venv_path_inside_bwrap(tmp_path: Path) -> None:
    secrets = {CHECKOUT, str(Path(recursor.__file__).resolve().parents[1])}  # tests' and package's trees
    if sys.prefix != sys.base_prefix:
        secrets.add(sys.prefix)  # the venv the host runs in
    repl = make_repl(tmp_path, "bwrap")
    try:
        cell = await repl.run(PROBE + f"print(len(blob), [s for s in {sorted(secrets)!r} if s in blob])")
        assert cell.error is None, cell.error
        size, found = cell.stdout.split(" ", 1)
        assert int(size) > 1000  # the probe read what it meant to
        assert found.strip() == "[]"
        cell = await repl.run("print(len(context), 1 + 1)")  # and the worker still works
        assert cell.stdout.strip() == "3 2"
    finally:
        await repl.close()
