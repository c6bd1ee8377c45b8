"""Helpers for the sandbox tests: a ProcessRepl on a small context, and the host's /proc view."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from recursor.context import store_context
from recursor.sandbox.base import SandboxOptions, SubcallHandler
from recursor.sandbox.isolation import bwrap_works
from recursor.sandbox.process import ProcessRepl

MODES = [pytest.param("bwrap", marks=pytest.mark.skipif(not bwrap_works(), reason="bubblewrap is not usable here")),
         "process"]


async def echo(fn: str, args: dict[str, Any]) -> Any:
    return f"{fn}:{args.get('prompt')}"


def make_repl(tmp: Path, mode: str, handler: SubcallHandler = echo, context: str = "ctx", **options: Any) -> ProcessRepl:
    return ProcessRepl(store_context(context, tmp), handler, SandboxOptions(isolation=mode, **options))


def ppid_map() -> dict[int, int]:
    out: dict[int, int] = {}
    for name in os.listdir("/proc"):
        if name.isdigit():
            try:
                stat = Path(f"/proc/{name}/stat").read_text()
            except OSError:
                continue
            out[int(name)] = int(stat[stat.rfind(")") + 2 :].split()[1])
    return out


def descendants(pid: int) -> set[int]:
    parents = ppid_map()
    found: set[int] = set()
    frontier = {pid}
    while frontier:
        frontier = {child for child, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return found


def alive(pid: int) -> bool:
    """Running (a zombie counts as gone: it holds no memory and runs no code)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat[stat.rfind(")") + 2] != "Z"


def pids_with_cmdline(token: str) -> set[int]:
    out: set[int] = set()
    for name in os.listdir("/proc"):
        if name.isdigit():
            try:
                if token.encode() in Path(f"/proc/{name}/cmdline").read_bytes():
                    out.add(int(name))
            except OSError:
                continue
    return out
