"""Reading context paths without letting a path hurt the host.

A path is anything a user (or a script fed by others) names, so: devices, FIFOs and sockets are
refused (`/dev/zero` would fill memory, a FIFO would block forever); regular files are read
with a byte cap that holds even while the file grows; a directory, or several paths, share one
total cap; every failure is a `ContextError` naming the path and what to do.

Caps: `max_file_bytes` (256 MiB, env `RECURSOR_MAX_CONTEXT_FILE_MB`) per file and
`max_total_bytes` (1 GiB, env `RECURSOR_MAX_CONTEXT_MB`) for everything one context loads.
"""

from __future__ import annotations

import errno
import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from recursor.errors import ContextError

__all__ = ["DEFAULT_MAX_FILE_BYTES", "DEFAULT_MAX_TOTAL_BYTES", "ContextReader"]

MiB = 1024 * 1024
DEFAULT_MAX_FILE_BYTES = 256 * MiB
DEFAULT_MAX_TOTAL_BYTES = 1024 * MiB
FILE_ENV = "RECURSOR_MAX_CONTEXT_FILE_MB"
TOTAL_ENV = "RECURSOR_MAX_CONTEXT_MB"

_SKIP_DIRS = {".git", ".hg", ".svn", "__pycache__", "node_modules", ".venv", ".mypy_cache", ".tox"}
_CHUNK = 1 << 20


def _env_bytes(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if not raw:
        return default
    try:
        mb = float(raw)
    except ValueError:
        raise ContextError(f"{name}={raw!r} is not a number of MiB") from None
    if not mb > 0:
        raise ContextError(f"{name} must be a positive number of MiB, not {raw!r}")
    return int(mb * MiB)


def _kind(mode: int) -> str:
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def _access_error(path: Path | str, exc: OSError) -> ContextError:
    if exc.errno == errno.ENOENT:
        return ContextError(f"context path does not exist: {path}")
    if exc.errno == errno.ELOOP:
        return ContextError(f"context path {path} is a symlink loop (or a chain too long to follow)")
    return ContextError(f"cannot read context path {path}: {exc.strerror or exc}")


def _refused(path: Path, mode: int) -> ContextError:
    return ContextError(f"context path {path} is {_kind(mode)}; only regular files and directories can be read")


@dataclass
class ContextReader:
    """Reads paths into text under the caps; one reader per context, so the total is shared."""

    max_file_bytes: int
    max_total_bytes: int
    read_bytes: int = 0

    @classmethod
    def create(cls, max_file_bytes: int | None = None, max_total_bytes: int | None = None) -> ContextReader:
        """Caps from the arguments, else the environment, else the defaults."""
        file_cap = max_file_bytes or _env_bytes(FILE_ENV, DEFAULT_MAX_FILE_BYTES)
        total_cap = max_total_bytes or _env_bytes(TOTAL_ENV, DEFAULT_MAX_TOTAL_BYTES)
        return cls(file_cap, total_cap)

    def path(self, path: Path) -> str | dict[str, str]:
        """A file's text, or a directory's dict of relative path to text."""
        try:
            mode = os.stat(path).st_mode
        except OSError as exc:
            raise _access_error(path, exc) from None
        if stat.S_ISDIR(mode):
            return self.directory(path)
        if not stat.S_ISREG(mode):  # refused before opening: opening a device can act on it
            raise _refused(path, mode)
        text = self.file(path)
        assert text is not None  # only files inside a directory are skipped
        return text

    def paths(self, paths: list[Path]) -> dict[str, str]:
        """Several paths: a dict keyed by path (a directory's files under its name)."""
        out: dict[str, str] = {}
        for path in paths:
            value = self.path(path)
            if isinstance(value, dict):
                prefix = path.name.rstrip("/") + "/"
                out.update({prefix + key: text for key, text in value.items()})
            else:
                out[str(path)] = value
        return out

    def directory(self, root: Path) -> dict[str, str]:
        """Text files under `root`, sorted; symlinks, special files, binaries and VCS dirs skipped."""

        def fail(exc: OSError) -> None:
            raise _access_error(exc.filename or root, exc)

        out: dict[str, str] = {}
        for dirpath, dirnames, filenames in os.walk(root, onerror=fail):
            dirnames[:] = sorted(d for d in dirnames if d not in _SKIP_DIRS and not d.startswith("."))
            for name in sorted(filenames):
                path = Path(dirpath) / name
                try:
                    if not stat.S_ISREG(os.lstat(path).st_mode):
                        continue  # symlinks and special files are never opened
                except OSError as exc:
                    raise _access_error(path, exc) from None
                text = self.file(path, in_directory=root)
                if text is not None:
                    out[path.relative_to(root).as_posix()] = text
        return out

    def file(self, path: Path, *, in_directory: Path | None = None) -> str | None:
        """A regular file's text. Inside a directory, a symlink, special or binary file is None."""
        flags = os.O_RDONLY | os.O_CLOEXEC | os.O_NONBLOCK  # a FIFO must not block the open
        if in_directory is not None:
            flags |= os.O_NOFOLLOW
        try:
            fd = os.open(path, flags)
        except OSError as exc:
            if in_directory is not None and exc.errno == errno.ELOOP:
                return None  # a symlink: directories are read without following links
            raise _access_error(path, exc) from None
        with os.fdopen(fd, "rb", buffering=0) as fh:
            mode = os.fstat(fd).st_mode
            if not stat.S_ISREG(mode):
                if in_directory is not None:
                    return None
                raise _refused(path, mode)
            data = self._read(fh, path, in_directory)
        if in_directory is not None and b"\0" in data[:8192]:
            return None  # binary
        self.read_bytes += len(data)
        return data.decode("utf-8", errors="replace")

    def stream(self, stream: BinaryIO, name: str) -> str:
        """An already open stream (stdin), under the per-file and total caps."""
        return self._read(stream, Path(name), None).decode("utf-8", errors="replace")

    def _read(self, fh: BinaryIO, path: Path, in_directory: Path | None) -> bytes:
        """At most the cap's worth of bytes, whatever the file's size says or becomes."""
        left = self.max_total_bytes - self.read_bytes
        limit = min(self.max_file_bytes, left)
        buf = bytearray()
        try:
            while len(buf) <= limit:
                chunk = fh.read(min(_CHUNK, limit + 1 - len(buf)))
                if not chunk:
                    return bytes(buf)
                buf += chunk
        except OSError as exc:
            raise _access_error(path, exc) from None
        if limit == self.max_file_bytes and self.max_file_bytes < left:
            raise ContextError(
                f"context file {path} is larger than {self.max_file_bytes / MiB:g} MiB, the per-file cap; "
                f"raise it with {FILE_ENV}=N (MiB) or load_context(..., max_file_bytes=...)"
            )
        where = in_directory if in_directory is not None else path
        raise ContextError(
            f"context {where} holds more than {self.max_total_bytes / MiB:g} MiB, the total cap "
            f"(reached at {path}); raise it with {TOTAL_ENV}=N (MiB) or load_context(..., max_total_bytes=...)"
        )
