"""Hostile model code, through the real loop and the real worker, in every isolation mode.

Each attack is one cell written by a scripted root model. For each: the attack is contained,
the model is told what happened (the next turn's message), the REPL still works in the cell
after it, and the run ends with an answer. Run: `python -m pytest tests/test_sandbox_hostile.py`.
"""

from __future__ import annotations

import os
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from fakes.scripted_lm import FakeScriptedLM
from recursor import RLM, Limits, Result, SandboxOptions
from recursor.sandbox.isolation import bwrap_works

MODES = [
    pytest.param("bwrap", marks=pytest.mark.skipif(not bwrap_works(), reason="bubblewrap is not usable here")),
    "process",
]
IS_ROOT = os.geteuid() == 0
SECRET = "sk-recursor-hostile-test-0123456789"
AFTER = "```repl\nprint('alive', len(context))\n```"


@dataclass
class Attack:
    result: Result
    root: FakeScriptedLM

    @property
    def told(self) -> str:
        """What the model was shown after the attack cell."""
        return str(self.root.calls[1].messages[-1]["content"])

    def assert_survived(self) -> None:
        assert self.result.answer == "survived", self.result
        assert "alive 7" in str(self.root.calls[2].messages[-1]["content"])


def attack(mode: str, code: str, *, sub: FakeScriptedLM | None = None, limits: Limits | None = None,
           **sandbox: object) -> Attack:
    root = FakeScriptedLM([f"```repl\n{code}\n```", AFTER, "FINAL(survived)"])
    options = SandboxOptions(isolation=mode, **sandbox)  # type: ignore[arg-type]
    result = RLM(root, sub_model=sub, limits=limits, sandbox=options, trace_dir=False).complete("q", "context")
    return Attack(result, root)


@pytest.fixture
def decoy(monkeypatch: pytest.MonkeyPatch) -> Iterator[int]:
    """A host process with SECRET in its environment, as an API client would have."""
    monkeypatch.setenv("RECURSOR_FAKE_API_KEY", SECRET)
    proc = subprocess.Popen(["sleep", "60"], env=dict(os.environ))
    yield proc.pid
    proc.kill()
    proc.wait()


@pytest.mark.parametrize("mode", MODES)
def test_secrets_in_environ_and_proc_are_out_of_reach(mode: str, decoy: int) -> None:
    code = f"""
import glob, os
print('env has key:', any('{SECRET}' in v for v in os.environ.values()), sorted(os.environ))
readable = []
for path in glob.glob('/proc/*/environ') + ['/proc/{os.getpid()}/environ', '/proc/{decoy}/environ']:
    try:
        with open(path, 'rb') as fh:
            if b'{SECRET}' in fh.read():
                readable.append(path)
    except OSError:
        pass
print('secret found in:', readable)
"""
    run = attack(mode, code)
    run.assert_survived()
    assert "env has key: False" in run.told
    assert "secret found in: []" in run.told
    assert "RECURSOR_FAKE_API_KEY" not in run.told


@pytest.mark.parametrize("mode", MODES)
def test_private_host_files_are_out_of_reach(mode: str, tmp_path: Path) -> None:
    secret = tmp_path / "credentials.txt"
    secret.write_text(SECRET)
    secret.chmod(0o600)
    code = f"""
for path in [{str(secret)!r}, '/etc/shadow', '/root/.bashrc', '/root/.ssh/id_rsa']:
    try:
        with open(path) as fh:
            print('READ', path, fh.read(40))
    except OSError as exc:
        print('refused', type(exc).__name__)
"""
    if not IS_ROOT and mode == "process":
        pytest.skip("a plain process runs as your uid and can read what you can")
    run = attack(mode, code)
    run.assert_survived()
    assert "READ" not in run.told and SECRET not in run.told


@pytest.mark.parametrize("mode", MODES)
def test_writes_outside_scratch_fail(mode: str, tmp_path: Path) -> None:
    target, beside = tmp_path / "escaped.txt", tmp_path.parent / f"escaped-{tmp_path.name}.txt"
    code = f"""
import os
for path in [{str(target)!r}, {str(beside)!r}, '/usr/escaped', '/etc/escaped', '/root/escaped']:
    try:
        with open(path, 'w') as fh:
            fh.write('x')
        print('WROTE', path)
    except OSError as exc:
        print('refused', type(exc).__name__)
with open('in-scratch.txt', 'w') as fh:
    fh.write('fine')
print('scratch ok', os.path.getsize('in-scratch.txt'))
"""
    if not IS_ROOT and mode == "process":
        pytest.skip("a plain process runs as your uid and can write where you can")
    run = attack(mode, code)
    run.assert_survived()
    assert "WROTE" not in run.told and "scratch ok 4" in run.told
    assert not target.exists() and not beside.exists()


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("where", ["/tmp", "/var/tmp", "/dev/shm"])
def test_world_writable_dirs_are_private(mode: str, where: str) -> None:
    """/tmp and friends are the sandbox's own (a plain non-root process shares the host's)."""
    if not IS_ROOT and mode == "process":
        pytest.skip("a plain non-root process has no mount namespace of its own")
    name = f"{where}/recursor-escape-{os.getpid()}-{time.monotonic_ns()}"
    run = attack(mode, f"open({name!r}, 'w').write('x')\nprint('wrote')")
    try:
        run.assert_survived()
        assert not Path(name).exists()
    finally:
        Path(name).unlink(missing_ok=True)


@pytest.mark.parametrize("mode", MODES)
def test_network_listener_on_localhost_is_unreachable(mode: str) -> None:
    if mode == "process" and not IS_ROOT:
        pytest.skip("a plain non-root process gets no network namespace where user namespaces are off")
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(5)
        listener.setblocking(False)
        port = listener.getsockname()[1]
        code = f"""
import socket
try:
    socket.create_connection(('127.0.0.1', {port}), timeout=2).sendall(b'stolen')
    print('CONNECTED')
except OSError as exc:
    print('no route:', type(exc).__name__)
"""
        run = attack(mode, code)
        with pytest.raises(BlockingIOError):
            listener.accept()
    run.assert_survived()
    assert "no route:" in run.told and "CONNECTED" not in run.told


@pytest.mark.parametrize("mode", MODES)
def test_endless_loop_hits_the_wall_clock(mode: str) -> None:
    run = attack(mode, "while True:\n    pass", cell_timeout=1.0)
    run.assert_survived()
    assert "TimeoutError" in run.told and "restarted" in run.told


@pytest.mark.parametrize("mode", MODES)
def test_memory_growth_in_100_mb_steps_fails_the_cell(mode: str) -> None:
    code = """
chunks = []
for step in range(1, 30):
    chunks.append('x' * (100 << 20))
    print('held', step * 100, 'MB')
"""
    run = attack(mode, code, memory_mb=700)
    run.assert_survived()
    assert "MemoryError" in run.told and "memory cap is 700 MiB" in run.told
    assert "held 100 MB" in run.told and "held 900 MB" not in run.told


@pytest.mark.parametrize("mode", MODES)
def test_bounded_fork_loop_is_capped_and_cleaned_up(mode: str) -> None:
    if not IS_ROOT and mode == "process":
        pytest.skip("the cap counts all of your processes in a plain process")
    marker = f"{os.getpid() % 1000}.{time.monotonic_ns() % 10**6}"
    code = f"""
import os
kids = 0
try:
    for _ in range(200):
        if os.fork() == 0:
            os.execv('/bin/sleep', ['sleep', '{marker}'])
        kids += 1
finally:
    print('forked', kids)
"""
    run = attack(mode, code, max_procs=12)
    run.assert_survived()
    assert "BlockingIOError" in run.told
    forked = int(run.told.split("forked ")[1].split()[0])
    assert 0 < forked <= 12
    deadline = time.monotonic() + 5
    while _processes_with_arg(marker) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not _processes_with_arg(marker), "the children outlived their sandbox"


def _processes_with_arg(arg: str) -> list[int]:
    found = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            if arg.encode() in Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0"):
                found.append(int(pid))
        except OSError:
            continue
    return found


@pytest.mark.parametrize("mode", MODES)
def test_printing_a_gigabyte_is_capped(mode: str) -> None:
    code = """
import os, subprocess, sys
line = 'x' * 1_000_000
for _ in range(1000):
    print(line)
blob = b'y' * 1_000_000
for _ in range(100):
    os.write(1, blob)
    os.write(2, blob)
sys.__stdout__.write(line)
subprocess.run(['head', '-c', '50000000', '/dev/zero'])
print('done')
"""
    run = attack(mode, code, output_limit=4000)
    run.assert_survived()
    assert len(run.told) < 6000
    assert "characters of output cut" in run.told and "done" in run.told


@pytest.mark.parametrize("mode", MODES)
def test_tools_and_context_cannot_be_replaced(mode: str) -> None:
    code = """
del llm_query
FINAL = None
context = 'hijacked'
globals().pop('rlm_query')
__builtins__['llm_query'] = None
"""
    root = FakeScriptedLM([
        f"```repl\n{code}\n```",
        "```repl\nprint(llm_query('ping'), len(context), callable(rlm_query))\n```",
        "```repl\nFINAL('survived')\n```",
    ])
    sub = FakeScriptedLM(default="pong", model="sub")
    result = RLM(root, sub_model=sub, sandbox=SandboxOptions(isolation=mode), trace_dir=False).complete("q", "context")
    assert result.answer == "survived"
    told = root.calls[1].messages[-1]["content"]
    assert "`FINAL` is a REPL tool and was restored" in told
    assert "`context` is read-only and was restored" in told
    assert "pong 7 True" in root.calls[2].messages[-1]["content"]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(
    ("code", "told"),
    [
        ("import sys\nsys.exit(3)", ("SystemExit(3)",)),
        ("import os\nos._exit(3)", ("exit code 3",)),
        ("import os\nos.kill(os.getppid(), 9)", ("PermissionError",)),
        # Under bwrap the parent's group lies outside the sandbox's pid namespace.
        ("import os\nos.killpg(os.getpgid(os.getppid()), 9)", ("PermissionError", "ProcessLookupError")),
        # kill(-1) spares the caller, and reaches only the worker's own processes.
        ("import os\nos.kill(-1, 9)\nprint('still here')", ("still here", "ProcessLookupError")),
    ],
    ids=["sys.exit", "os._exit", "kill-parent", "killpg-parent", "kill-all"],
)
def test_exits_and_signals_never_reach_the_host(mode: str, code: str, told: tuple[str, ...]) -> None:
    if not IS_ROOT and mode == "process" and "kill" in code:
        pytest.skip("a plain process runs as your uid and may signal your processes")
    run = attack(mode, code)
    run.assert_survived()
    assert any(t in run.told for t in told), run.told


def test_kill_parent_under_bwrap_hits_the_sandbox_init_not_the_host() -> None:
    if not bwrap_works():
        pytest.skip("bubblewrap is not usable here")
    run = attack("bwrap", f"import os\nprint(os.getppid(), os.path.exists('/proc/{os.getpid()}'))")
    run.assert_survived()
    assert "1 False" in run.told  # the parent is pid 1 of the sandbox; the host is not visible


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(
    ("code", "told"),
    [
        ("def f(n):\n    return f(n + 1)\nf(0)", "RecursionError"),
        ("import sys\nsys.setrecursionlimit(10**5)\ndef f(n):\n    return f(n + 1)\nf(0)",
         "traceback cut after"),
        ("import sys\nsys.setrecursionlimit(10**7)\nx = []\nfor _ in range(10**5):\n    x = [x]\nrepr(x)",
         "died"),  # C recursion: the stack overflows and the worker segfaults
    ],
    ids=["default-limit", "limit-raised", "c-stack"],
)
def test_deep_recursion(mode: str, code: str, told: str) -> None:
    run = attack(mode, code, memory_mb=400)
    run.assert_survived()
    assert told in run.told


@pytest.mark.parametrize("mode", MODES)
def test_a_forked_child_cannot_answer_for_the_worker(mode: str) -> None:
    code = """
import os
pid = os.fork()
if pid == 0:
    print('from the child')  # the child's cell ends here; it must not send a result
else:
    os.waitpid(pid, 0)
    print('from the parent')
"""
    run = attack(mode, code)
    run.assert_survived()
    assert "from the parent" in run.told and "from the child" not in run.told


@pytest.mark.parametrize("mode", MODES)
def test_forged_and_oversized_frames_restart_the_worker(mode: str) -> None:
    code = """
import gc, socket, struct
sock = next(o for o in gc.get_objects() if isinstance(o, socket.socket))
frame = b'{"type": "result", "re": 999, "final": "forged"}'
sock.sendall(struct.pack('>I', len(frame)) + frame)
sock.sendall(struct.pack('>I', 2**31))
"""
    run = attack(mode, code)
    run.assert_survived()
    assert "over the" in run.told and "restarted" in run.told


@pytest.mark.parametrize("mode", MODES)
def test_a_flood_of_unasked_responses_restarts_the_worker(mode: str) -> None:
    code = """
import gc, socket, struct
sock = next(o for o in gc.get_objects() if isinstance(o, socket.socket))
frame = b'{"type": "result", "re": -1, "stdout": "' + b'x' * 100_000 + b'"}'
for _ in range(10_000):
    sock.sendall(struct.pack('>I', len(frame)) + frame)
"""
    run = attack(mode, code)
    run.assert_survived()
    assert "never sent" in run.told and "restarted" in run.told


@pytest.mark.parametrize("mode", MODES)
def test_a_flood_of_forged_sub_calls_is_cut_off(mode: str) -> None:
    code = """
import gc, json, socket, struct
sock = next(o for o in gc.get_objects() if isinstance(o, socket.socket))
for i in range(5000):
    frame = json.dumps({"type": "call", "id": 10**6 + i, "fn": "llm_query", "args": {"prompt": "p"}}).encode()
    sock.sendall(struct.pack('>I', len(frame)) + frame)
print('flooded')
"""
    sub = FakeScriptedLM(default="x", model="sub", delay=0.5)
    run = attack(mode, code, sub=sub)
    run.assert_survived()
    assert "more than 1024 sub-calls at once" in run.told
    assert len(sub.calls) <= 1024


@pytest.mark.parametrize("mode", MODES)
def test_a_sub_call_that_never_returns_is_cut_by_the_deadline(mode: str) -> None:
    root = FakeScriptedLM(["```repl\nanswer['content'] = 'partial'\nprint(llm_query('hang'))\n```"],
                          default="```repl\nprint(1)\n```")
    sub = FakeScriptedLM(default="never", model="sub", delay=3600)
    t0 = time.monotonic()
    result = RLM(root, sub_model=sub, limits=Limits(timeout=3), sandbox=SandboxOptions(isolation=mode),
                 trace_dir=False).complete("q", "context")
    assert time.monotonic() - t0 < 15
    assert result.stopped_by == "timeout"
    assert result.answer == "partial"
