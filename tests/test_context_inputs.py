"""Context paths that could hurt the host: devices, FIFOs, sockets, huge or growing files,
huge directories, symlink loops, unreadable files. Each is a clear `ContextError`, through
`load_context` and through `recursor ask` (exit 1, one line on stderr, no traceback)."""

from __future__ import annotations

import io
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from recursor import context_files
from recursor.context import load_context, read_stream
from recursor.errors import ContextError

MiB = 1024 * 1024


def ask(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """`recursor ask` with a model that is never reached: the context fails first."""
    return subprocess.run(
        [sys.executable, "-m", "recursor.cli", "ask", "q", "--model", "m", "--base-url", "http://127.0.0.1:9/v1",
         "--no-trace", *args],
        capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL, env={**os.environ, **(env or {})},
    )


def one_line_error(proc: subprocess.CompletedProcess[str], *needles: str) -> None:
    assert proc.returncode == 1, proc.stderr
    assert proc.stdout == ""
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("recursor: error: "), proc.stderr
    assert "Traceback" not in proc.stderr
    for needle in needles:
        assert needle in lines[0], lines[0]


def test_character_device_is_refused_unread() -> None:
    t0 = time.monotonic()
    with pytest.raises(ContextError, match="/dev/zero is a character device"):
        load_context(Path("/dev/zero"))
    assert time.monotonic() - t0 < 1
    one_line_error(ask("--context", "/dev/zero"), "/dev/zero", "character device")


def test_fifo_is_refused_without_hanging(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    with pytest.raises(ContextError, match=r"pipe is a FIFO \(named pipe\)"):
        load_context(fifo)
    one_line_error(ask("--context", str(fifo)), str(fifo), "FIFO")


def test_socket_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "sock"
    with socket.socket(socket.AF_UNIX) as sock:
        sock.bind(str(path))
        with pytest.raises(ContextError, match="is a socket"):
            load_context(path)
        one_line_error(ask("--context", str(path)), "socket")


def test_special_files_inside_a_directory_are_skipped(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe")
    (tmp_path / "a.txt").write_text("alpha")
    (tmp_path / "zero").symlink_to("/dev/zero")
    assert load_context(tmp_path) == {"a.txt": "alpha"}


def test_file_over_the_cap(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    big.write_bytes(b"x" * (2 * MiB))
    with pytest.raises(ContextError, match=r"larger than 1 MiB, the per-file cap.*RECURSOR_MAX_CONTEXT_FILE_MB"):
        load_context(big, max_file_bytes=MiB)
    assert len(load_context(big, max_file_bytes=3 * MiB)) == 2 * MiB  # type: ignore[arg-type]
    one_line_error(ask("--context", str(big), env={"RECURSOR_MAX_CONTEXT_FILE_MB": "1"}), "per-file cap")


def test_growing_file_never_exceeds_the_cap(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each read appends 1 MiB first, as a writer racing the reader would: the stat said 10 bytes."""
    path = tmp_path / "grow.txt"
    path.write_bytes(b"0123456789")
    real_fdopen = os.fdopen
    sizes: list[int] = []

    class Growing(io.FileIO):
        def read(self, size: int = -1) -> bytes:
            with path.open("ab") as fh:
                fh.write(b"y" * MiB)
            sizes.append(size)
            return super().read(size)

    def fdopen(fd: int, *args: object, **kw: object) -> object:
        return Growing(fd, "rb") if args[:1] == ("rb",) else real_fdopen(fd, *args, **kw)  # type: ignore[call-overload]

    monkeypatch.setattr(context_files.os, "fdopen", fdopen)
    with pytest.raises(ContextError, match="per-file cap"):
        load_context(path, max_file_bytes=3 * MiB)
    assert sum(sizes) <= 3 * MiB + 1


def test_directory_total_cap(tmp_path: Path) -> None:
    for i in range(3):
        (tmp_path / f"f{i}.txt").write_bytes(b"z" * (400 * 1024))
    with pytest.raises(ContextError) as info:
        load_context(tmp_path, max_total_bytes=MiB)
    message = str(info.value)
    assert f"context {tmp_path} holds more than 1 MiB, the total cap" in message
    assert "f2.txt" in message and "RECURSOR_MAX_CONTEXT_MB" in message
    assert len(load_context(tmp_path, max_total_bytes=2 * MiB)) == 3  # type: ignore[arg-type]
    # Several paths share one total.
    with pytest.raises(ContextError, match="total cap"):
        load_context([tmp_path / "f0.txt", tmp_path / "f1.txt", tmp_path / "f2.txt"], max_total_bytes=MiB)
    one_line_error(ask("--context", str(tmp_path), env={"RECURSOR_MAX_CONTEXT_MB": "1"}),
                   "total cap", "RECURSOR_MAX_CONTEXT_MB")


def test_default_caps() -> None:
    reader = context_files.ContextReader.create()
    assert (reader.max_file_bytes, reader.max_total_bytes) == (256 * MiB, 1024 * MiB)


def test_bad_cap_setting_is_a_clear_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("RECURSOR_MAX_CONTEXT_MB", "lots")
    with pytest.raises(ContextError, match="RECURSOR_MAX_CONTEXT_MB='lots' is not a number"):
        load_context(tmp_path)


def test_symlink_loops(tmp_path: Path) -> None:
    loop = tmp_path / "loop"
    loop.symlink_to(loop)
    with pytest.raises(ContextError, match="is a symlink loop"):
        load_context(loop)
    one_line_error(ask("--context", str(loop)), "symlink loop")
    # Inside a directory, links are not followed, so a loop (or a link back up) is harmless.
    tree = tmp_path / "tree"
    (tree / "sub").mkdir(parents=True)
    (tree / "sub" / "up").symlink_to(tree)
    (tree / "sub" / "self").symlink_to(tree / "sub" / "self")
    (tree / "sub" / "a.txt").write_text("a")
    assert load_context(tree) == {"sub/a.txt": "a"}


def test_unreadable_file_is_a_clear_error(tmp_path: Path) -> None:
    # /proc/self/mem opens, but reading at offset 0 fails (EIO), even for root.
    with pytest.raises(ContextError, match="cannot read context path /proc/self/mem: Input/output error"):
        load_context(Path("/proc/self/mem"))
    one_line_error(ask("--context", "/proc/self/mem"), "/proc/self/mem", "Input/output error")


def test_unreadable_file_in_a_directory_names_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "ok.txt").write_text("fine")
    secret = tmp_path / "secret.txt"
    secret.write_text("no")
    real_open = os.open

    def deny(path: object, flags: int, *rest: int) -> int:
        if str(path) == str(secret):
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, flags, *rest)  # type: ignore[arg-type]

    monkeypatch.setattr(context_files.os, "open", deny)
    with pytest.raises(ContextError, match=f"cannot read context path {secret}: Permission denied"):
        load_context(tmp_path)


def test_stdin_is_capped_and_bad_utf8_is_replaced(monkeypatch: pytest.MonkeyPatch) -> None:
    assert read_stream(io.BytesIO(b"ok \xff\xfe")) == "ok \ufffd\ufffd"
    monkeypatch.setenv("RECURSOR_MAX_CONTEXT_FILE_MB", "1")
    with pytest.raises(ContextError, match="stdin is larger than 1 MiB"):
        read_stream(io.BytesIO(b"x" * (MiB + 10)))
    with open("/dev/zero", "rb") as zero:
        proc = subprocess.run(
            [sys.executable, "-m", "recursor.cli", "ask", "q", "--context", "-", "--model", "m",
             "--base-url", "http://127.0.0.1:9/v1", "--no-trace"],
            capture_output=True, text=True, timeout=60, stdin=zero,
            env={**os.environ, "RECURSOR_MAX_CONTEXT_FILE_MB": "4"})
    one_line_error(proc, "stdin is larger than 4 MiB")
