"""Cleans up after a host that died without doing it itself (SIGKILL, OOM kill).

Run by `scratch.py` as `python -I -S reaper.py <scratch root>`, in a session of its own (a
Ctrl-C or hangup aimed at the host's group does not reach it). It reads lines from the host
on stdin: `+pg N` / `-pg N` (a worker's process group), `+uid N` / `-uid N` (a worker's own uid), and
`bye` (the host cleaned up itself). At EOF without `bye` the host is gone: it kills every
registered group, every process of each registered uid (as that uid, so nothing else can be
reached), and removes the scratch root. Standard library only.
"""

from __future__ import annotations

import os
import shutil
import signal
import sys


def _kill_uid(uid: int) -> None:
    if os.geteuid() != 0 or uid < 1000:
        return
    pid = os.fork()
    if pid == 0:
        try:
            os.setgroups([])
            os.setresgid(uid, uid, uid)
            os.setresuid(uid, uid, uid)
            if os.getuid() == uid:
                os.kill(-1, signal.SIGKILL)  # every process of this uid but this one
        finally:
            os._exit(0)
    os.waitpid(pid, 0)


def main() -> None:
    root = sys.argv[1]
    for signum in (signal.SIGINT, signal.SIGHUP, signal.SIGTERM, signal.SIGPIPE):
        signal.signal(signum, signal.SIG_IGN)
    groups: set[int] = set()
    uids: set[int] = set()
    clean = False
    for raw in sys.stdin.buffer:
        word, _, value = raw.decode("ascii", "replace").strip().partition(" ")
        if word == "bye":
            clean = True
        elif word in ("+pg", "-pg", "+uid", "-uid") and value.isdigit():
            target = uids if word.endswith("uid") else groups
            (target.add if word[0] == "+" else target.discard)(int(value))
    if clean:
        return
    for pgid in groups:
        try:
            os.killpg(pgid, signal.SIGKILL)
        except OSError:
            pass
    for uid in uids:
        _kill_uid(uid)
    shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
