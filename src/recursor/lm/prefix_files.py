"""System prompts' KV cells kept on disk, so a new process does not evaluate them again.

On a 2-core CPU the embedded 1.5B evaluates ~40 prompt tokens a second: the small-model
system prompt (~1,100 tokens) cost each `recursor ask` ~25 s before its question was read.
Every run of a process shares that prompt, and the in-process KV store already reuses it;
these files carry it across processes. A file holds one system prompt's tokens and llama.cpp's
state for them (`llama_state_seq_get_data`), named by a hash of the model's identity (file,
window, llama-cpp-python and recursor versions) and the prompt's tokens, and checked by a
hash of its body: a file made by another build or model is never found, and one damaged or
not this user's own is never read. A prompt is written only once a second process meets it
(a marker remembers the first), so a library whose system prompt changes per call leaves
markers, not states. The directory is capped (`max_bytes`, least recently used dropped first):
each state is ~28 KiB a token.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import stat
import struct
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from recursor.local.models import models_dir

__all__ = ["DEFAULT_MAX_BYTES", "PrefixFiles", "prefix_dir"]

#: Room for a few system prompts (the 1.5B's ~1,100-token prompt is ~31 MB).
DEFAULT_MAX_BYTES = 256 << 20

#: Markers of prompts met once, kept at most (each an empty file).
_MAX_MARKERS = 256

#: A temporary file this old was left by a killed process.
_STALE_TMP_S = 600

_MAGIC = b"RKV2"
_HEADER = struct.Struct("<4sIQ32s")  # magic, token count, state bytes, sha256 of tokens + state
_NAME = re.compile(r"[0-9a-f]{32}\.(?:kv|seen)")


def prefix_dir() -> Path:
    """Where the files live: `kv` beside the pulled models (`$RECURSOR_HOME/kv`, else
    `~/.cache/recursor/kv`)."""
    return models_dir().parent / "kv"


class PrefixFiles:
    """One model's saved system prompts in `directory`; `identity` names model and build."""

    def __init__(self, directory: Path, identity: str, max_bytes: int = DEFAULT_MAX_BYTES) -> None:
        self.directory = Path(directory)
        self.identity = identity
        self.max_bytes = max_bytes

    def key(self, tokens: Sequence[int]) -> str:
        """The name of the prompt whose tokens (rendered alone) are `tokens`."""
        digest = hashlib.sha256(self.identity.encode())
        digest.update(_packed(tokens))
        return digest.hexdigest()[:32]

    def load(self, key: str) -> tuple[list[int], memoryview] | None:
        """The saved tokens and state under `key`, or None: never saved, too big, not a
        regular file of this user's that only they can write, or damaged (then deleted)."""
        path = self.directory / f"{key}.kv"
        try:
            fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        except OSError:
            return None
        with os.fdopen(fd, "rb") as f:
            info = os.fstat(f.fileno())
            if (not stat.S_ISREG(info.st_mode) or info.st_size > self.max_bytes
                    or info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)
                    or (hasattr(os, "getuid") and info.st_uid != os.getuid())):
                return None
            raw = f.read()
        parsed = _parse(raw)
        if parsed is None:
            self.forget(key)
            return None
        with contextlib.suppress(OSError):
            os.utime(path)  # used: the last to be dropped
        return parsed

    def seen(self, key: str) -> bool:
        """Whether a process met the prompt `key` before (a marker says so); marks it met."""
        marker = self.directory / f"{key}.seen"
        if marker.is_file():
            return True
        with contextlib.suppress(OSError):
            self._mkdir()
            marker.touch()
            self._prune()
        return False

    def forget(self, key: str) -> None:
        """Delete the state under `key` (damaged, or llama.cpp would not take it)."""
        with contextlib.suppress(OSError):
            (self.directory / f"{key}.kv").unlink()

    def save(self, key: str, tokens: Sequence[int], state: bytes | memoryview) -> None:
        """Write the file whole or not at all (a temporary file renamed); a read-only or full
        disk only means the next process evaluates the prompt again."""
        packed = _packed(tokens)
        if not tokens or not state or _HEADER.size + len(packed) + len(state) > self.max_bytes:
            return
        digest = hashlib.sha256(packed)
        digest.update(state)
        try:
            self._mkdir()
            fd, tmp = tempfile.mkstemp(dir=self.directory, suffix=".tmp")
            try:
                with os.fdopen(fd, "wb") as f:
                    f.write(_HEADER.pack(_MAGIC, len(tokens), len(state), digest.digest()))
                    f.write(packed)
                    f.write(state)
                os.replace(tmp, self.directory / f"{key}.kv")
            finally:
                with contextlib.suppress(OSError):
                    os.unlink(tmp)
            self._prune()
        except OSError:
            return

    def _mkdir(self) -> None:
        self.directory.mkdir(mode=0o700, parents=True, exist_ok=True)

    def _prune(self) -> None:
        """Drop the least recently used states over `max_bytes`, markers over `_MAX_MARKERS`,
        and temporary files a killed process left. Only files named as this module names
        them are touched: the directory may be the user's own."""
        states: list[tuple[float, int, Path]] = []
        markers: list[tuple[float, int, Path]] = []
        for path in self.directory.iterdir():
            with contextlib.suppress(OSError):
                info = path.lstat()
                if path.suffix == ".tmp" and path.name.startswith("tmp"):
                    if time.time() - info.st_mtime > _STALE_TMP_S:
                        path.unlink()
                elif _NAME.fullmatch(path.name):
                    (states if path.suffix == ".kv" else markers).append((info.st_mtime, info.st_size, path))
        total = sum(size for _, size, _ in states)
        for _, size, path in sorted(states):
            if total <= self.max_bytes:
                break
            with contextlib.suppress(OSError):
                path.unlink()
                total -= size
        for _, _, path in sorted(markers)[:-_MAX_MARKERS]:
            with contextlib.suppress(OSError):
                path.unlink()


def _packed(tokens: Sequence[int]) -> bytes:
    return struct.pack(f"<{len(tokens)}i", *tokens)


def _parse(raw: bytes) -> tuple[list[int], memoryview] | None:
    if len(raw) < _HEADER.size:
        return None
    magic, n_tokens, n_state, digest = _HEADER.unpack_from(raw)
    start = _HEADER.size + 4 * n_tokens
    if magic != _MAGIC or n_tokens == 0 or n_state == 0 or len(raw) != start + n_state:
        return None
    body = memoryview(raw)[_HEADER.size:]
    if hashlib.sha256(body).digest() != digest:
        return None
    tokens = list(struct.unpack_from(f"<{n_tokens}i", raw, _HEADER.size))
    return tokens, body[4 * n_tokens:]
